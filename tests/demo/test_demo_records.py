"""The demo's disclosure records: what a visitor and a back-office user find after
`gongkai demo` — records across 2026 under most items, real index numbers and files, a
few published late, normative documents in every validity state, and a submitted list
that the privacy screen holds until a reviewer masks it."""

import datetime as dt
import io
import re
from collections import Counter

import pypdf
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.utils import timezone

from gongkai.catalog.models import CatalogItem, ItemStatus
from gongkai.core.models import AuditEntry
from gongkai.core.workdays import workdays_between
from gongkai.demo.records import HELD_ID, HELD_TITLE
from gongkai.disclosure import column, services
from gongkai.disclosure.models import (
    AnnualReport,
    Attachment,
    ColumnPage,
    PolicyLink,
    Record,
    RecordStatus,
    ServiceLink,
)
from gongkai.privacy.screen import screen_text
from gongkai.search.models import SearchDocument
from gongkai.search.services import search

from .base import DemoTestCase

INDEX_NUMBER = re.compile(r"^990171-[a-z]+-(\d{4})-(\d{5})$")


class DemoRecordsTests(DemoTestCase):
    def test_records_fill_the_zone_across_2026(self):
        records = Record.objects.all()
        by_status = Counter(records.values_list("status", flat=True))
        assert by_status[RecordStatus.PUBLISHED] >= 150
        assert by_status[RecordStatus.SUBMITTED] == 2  # the held list and a clean one
        assert by_status[RecordStatus.DRAFT] == 2
        assert by_status[RecordStatus.SCHEDULED] == 1
        assert by_status[RecordStatus.WITHDRAWN] == 1

        published = records.filter(status=RecordStatus.PUBLISHED)
        months = {r.published_on.month for r in published if r.published_on.year == 2026}
        assert months == set(range(1, 12))
        assert all(dt.date(2026, 1, 1) <= r.formed_on <= dt.date(2026, 11, 30) for r in published)

        # Most published items of the zone have records; every domain has some.
        items = CatalogItem.objects.filter(
            agency__code__startswith="990171", is_guideline=False, status=ItemStatus.PUBLISHED
        )
        with_records = items.filter(records__status=RecordStatus.PUBLISHED).distinct().count()
        assert with_records >= 0.75 * items.count()
        empty_domains = (
            items.values("domain__code")
            .annotate(n=Count("records", filter=Q(records__status=RecordStatus.PUBLISHED)))
            .filter(n=0)
        )
        assert not empty_domains.exists()

        # Every published record has its 索引号, numbered per agency in order of publication.
        by_agency: dict[str, list[tuple]] = {}
        for r in published.order_by("published_at", "pk"):
            match = INDEX_NUMBER.match(r.index_number or "")
            assert match and r.index_number.startswith(r.agency.code), r.index_number
            assert int(match[1]) == r.published_on.year
            by_agency.setdefault(r.agency.code, []).append(int(match[2]))
        assert all(seq == sorted(seq) for seq in by_agency.values())

        # Published through the workflow: a second person approved, the audit log says so.
        mzj = published.filter(agency__code="990171-mzj").first()
        assert mzj.reviewed_by.username == "reviewer" and mzj.submitted_by.username == "editor"
        assert AuditEntry.objects.filter(
            action="disclosure.approve", object_id=str(mzj.pk), actor__username="reviewer"
        ).exists()

        # The kinds of record a county publishes, tagged with the Art. 20 categories.
        titles = list(published.values_list("title", flat=True))
        for word in ("办事指南", "公示", "公告", "统计数据", "行政处罚决定书", "政策解读", "印发"):
            assert any(word in t for t in titles), word
        categories = Counter(c for r in published for c in r.categories)
        expected = (
            "regulations", "statistics", "licensing", "penalties", "budget", "procurement",
            "livelihood", "civil_service", "fees", "supervision",
        )  # fmt: skip
        assert [c for c in expected if not categories[c]] == []

    def test_published_records_are_searchable_and_clean(self):
        published = Record.objects.filter(status=RecordStatus.PUBLISHED)
        indexed = SearchDocument.objects.filter(doc_type="record")
        assert set(indexed.values_list("object_id", flat=True)) == set(
            published.values_list("pk", flat=True)
        )
        assert search("最低生活保障", type="record").total > 0
        # Lists give names only: nothing the privacy screen would stop went out.
        assert not published.exclude(screen_findings=[]).exists()
        assert all(not screen_text(r.body_text()) for r in published.filter(title__contains="公示"))

    def test_some_records_were_published_late(self):
        published = Record.objects.filter(status=RecordStatus.PUBLISHED)
        late = [r for r in published if r.is_late]
        assert len(late) >= 3
        for r in late:
            assert r.published_on > r.due_on
            assert r.days_late == workdays_between(r.due_on, r.published_on).days > 0
        assert set(published.filter(Record.late_q()).values_list("pk", flat=True)) == {
            r.pk for r in late
        }
        assert len(late) <= 0.1 * published.count()  # the rest were on time
        # The demo's reviewer (民政局) has one in the back office too.
        assert any(r.agency.code == "990171-mzj" for r in late)

    def test_normative_documents_in_every_validity_state(self):
        normative = Record.objects.filter(is_normative=True, status=RecordStatus.PUBLISHED)
        states = Counter(normative.values_list("validity", flat=True))
        assert states["valid"] and states["expired"] and states["repealed"]
        for r in normative:
            assert re.fullmatch(r".+规〔2026〕\d+号", r.doc_number), r.doc_number
            assert r.issuer and r.written_on and r.written_on <= r.formed_on
            assert r.validity_date
        for r in normative.exclude(validity="valid"):
            # Changed after publication, through the audited service.
            assert r.validity_date > r.published_on
            assert AuditEntry.objects.filter(action="disclosure.validity", object_id=str(r.pk))

    def test_attachments_are_real_files(self):
        kinds = Counter(Attachment.objects.values_list("kind", flat=True))
        assert kinds["pdf"] and kinds["docx"] and kinds["xlsx"]
        assert not Attachment.objects.filter(extracted_text="").exists()
        pdf = Attachment.objects.filter(kind="pdf").select_related("record").first()
        with pdf.file.open("rb") as fh:
            text = pypdf.PdfReader(io.BytesIO(fh.read()), strict=True).pages[0].extract_text()
        assert pdf.record.doc_number in text
        assert pdf.original_name.removesuffix(".pdf") in pdf.record.title

    def test_withdrawn_record_keeps_its_reason_and_has_a_correction(self):
        withdrawn = Record.objects.get(status=RecordStatus.WITHDRAWN)
        assert withdrawn.withdraw_reason and withdrawn.index_number
        assert timezone.localdate(withdrawn.withdrawn_at) >= withdrawn.published_on
        corrected = Record.objects.get(title=f"{withdrawn.title}（更正）")
        assert corrected.status == RecordStatus.PUBLISHED
        assert corrected.published_on > withdrawn.published_on

    def test_the_privacy_screen_holds_a_submitted_list_until_the_reviewer_masks_it(self):
        held = Record.objects.get(title=HELD_TITLE)
        assert held.status == RecordStatus.SUBMITTED and held.submitted_by.username == "editor"
        kinds = {f["kind"] for f in held.screen_findings}
        assert {"id_card", "mobile"} <= kinds and held.screen_blocks
        # The findings show where they are, masked (never the number itself).
        finding = next(f for f in held.screen_findings if f["kind"] == "id_card")
        assert finding["source"] == "正文" and HELD_ID not in str(held.screen_findings)
        assert finding["masked"] == HELD_ID[:6] + "*" * 8 + HELD_ID[-4:]

        reviewer = get_user_model().objects.get(username="reviewer")
        with pytest.raises(ValidationError):
            services.approve(reviewer, held)
        services.mask_personal_data(held, reviewer)
        services.approve(reviewer, held)
        held.refresh_from_db()
        assert held.status == RecordStatus.PUBLISHED and HELD_ID not in held.body

    def test_the_disclosure_column_and_the_item_linkages_have_content(self):
        # 政府信息公开指南 and 制度 of the zone, and an agency's own guide.
        guide, rules = column.column_page("guide"), column.column_page("rules")
        assert "依申请公开" in guide.body and "20个工作日" in guide.body
        assert "<table>" in rules.body
        assert ColumnPage.objects.filter(agency__code="990171-mzj", slug="guide").exists()
        # The 2025 annual reports are published, with a PDF that opens.
        reports = column.published_reports()
        assert {r.year for r in reports} == {2025} and reports.count() == 2
        report = reports.get(agency=None)
        with report.file.open("rb") as fh:
            text = pypdf.PdfReader(io.BytesIO(fh.read()), strict=True).pages[0].extract_text()
        assert "总体情况" in text
        assert AnnualReport.objects.filter(is_published=False).count() == 0
        # Online service links to the national platform, and policy documents the
        # streets' items rest on (the county's, still valid).
        links = ServiceLink.objects.all()
        assert links.count() >= 3
        assert all(link.url.startswith("https://www.gjzwfw.gov.cn/") for link in links)
        policy = PolicyLink.objects.select_related("item__agency", "record").first()
        assert policy.item.agency.kind == "township" and policy.record.validity == "valid"
        assert policy.record in column.item_policies(policy.item)
