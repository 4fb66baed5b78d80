"""`gongkai demo`: the zone, guidelines and ≥3 published items per domain; idempotent."""

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from gongkai.catalog.models import CatalogItem, Domain, GuidelineExclusion, ItemStatus
from gongkai.catalog.services import compare_with_guideline
from gongkai.core.models import AuditEntry
from gongkai.demo.services import reset
from gongkai.disclosure.models import Attachment, IndexCounter, Record
from gongkai.org.models import Agency, Division
from gongkai.search.models import SearchDocument

from .base import DemoTestCase


def _counts():
    return (
        Division.objects.count(),
        Agency.objects.count(),
        CatalogItem.objects.count(),
        get_user_model().objects.count(),
        Record.objects.count(),
        Record.history.count(),
        Attachment.objects.count(),
        list(IndexCounter.objects.order_by("pk").values_list("last", flat=True)),
        SearchDocument.objects.count(),
        AuditEntry.objects.count(),
    )


class DemoTests(DemoTestCase):
    def test_demo_twice_creates_no_duplicates(self):
        first = self.first_output
        assert "admin 的初始密码" in first
        # The records clerk has no password: nothing about it is printed.
        assert "demo_clerk" not in first and "records" in first
        counts = _counts()
        second = self.demo()
        assert _counts() == counts
        assert "初始密码" not in second and "没有新增" in second

    def test_demo_content(self):
        zone = Division.objects.get(code="990171")
        assert [d.level for d in zone.ancestors()] == ["national", "province", "city"]
        assert zone.subtree().filter(level="township").count() == 2
        assert zone.subtree().filter(level="village").count() == 2
        published = Q(items__status=ItemStatus.PUBLISHED, items__is_guideline=False)
        per_domain = Domain.objects.filter(is_standard=True).annotate(
            n=Count("items", filter=published)
        )
        assert per_domain.count() == 26
        assert all(d.n >= 3 for d in per_domain), [(d.code, d.n) for d in per_domain if d.n < 3]
        edu = CatalogItem.objects.filter(is_guideline=True, domain__code="compulsory_education")
        assert set(edu.values_list("level1", flat=True)) == {
            "政策文件",
            "教育概况",
            "民办学校信息",
            "财务信息",
            "招生管理",
            "学生管理",
            "教师管理",
            "重要政策执行情况",
            "教育督导公开",
            "校园安全",
        }
        assert CatalogItem.objects.filter(status=ItemStatus.SUBMITTED).exists()
        assert GuidelineExclusion.objects.exists()

    def test_demo_comparison_view_data(self):
        mzj = Agency.objects.get(code="990171-mzj")
        comparison = {c.domain.code: c for c in compare_with_guideline(mzj)}
        social = comparison["social_assistance"]
        assert social.count("adapted") + social.count("adopted") >= 4
        assert social.count("excluded") == 1
        assert social.own_only  # real rows added as the agency's own items

    def test_demo_reset_starts_over(self):
        items, records = CatalogItem.objects.count(), Record.objects.count()
        numbers = set(Record.objects.values_list("index_number", flat=True))
        self.demo("--reset")
        assert CatalogItem.objects.count() == items
        assert Record.objects.count() == records
        # Numbered afresh from 1, as on a first load.
        assert set(Record.objects.values_list("index_number", flat=True)) == numbers

    def test_demo_reset_tells_the_change_feed_and_leaves_no_stale_search_entries(self):
        from gongkai.channels.models import ChangeEvent

        gone_items = set(
            CatalogItem.objects.filter(status=ItemStatus.PUBLISHED, is_guideline=False).values_list(
                "pk", flat=True
            )
        )
        gone_records = set(Record.objects.filter(status="published").values_list("pk", flat=True))
        last = ChangeEvent.objects.order_by("-id").values_list("id", flat=True).first()
        reset()  # what `demo --reset` runs before loading again
        retired = ChangeEvent.objects.filter(id__gt=last, action="retired")
        assert set(retired.filter(kind="item").values_list("object_id", flat=True)) == gone_items
        assert (
            set(retired.filter(kind="record").values_list("object_id", flat=True)) == gone_records
        )
        # no search document is left for what was removed
        item_docs = set(
            SearchDocument.objects.filter(doc_type="item").values_list("object_id", flat=True)
        )
        assert item_docs <= set(CatalogItem.objects.values_list("pk", flat=True))
        record_docs = set(
            SearchDocument.objects.filter(doc_type="record").values_list("object_id", flat=True)
        )
        assert record_docs <= set(Record.objects.values_list("pk", flat=True))
