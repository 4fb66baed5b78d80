"""`gongkai demo`: a zone-like setup with guideline catalogs, published items and the
records published under them (records.py).

Idempotent: every object is looked up by its natural key first, so a second run
creates nothing. `reset` removes the demo zone's catalog data and starts over.
"""

import json
import secrets
from dataclasses import dataclass, field
from importlib import resources

from django.contrib.auth import get_user_model
from django.db import transaction

from gongkai.catalog import services as catalog
from gongkai.catalog.models import CatalogItem, Domain, GuidelineExclusion, ItemStatus
from gongkai.catalog.reference import ensure_standard_domains
from gongkai.org.models import Agency, AgencyKind, Division, Membership, Role

from .zone import AGENCIES, DIVISIONS, NATION

ITEMS_PER_DOMAIN_FROM_GUIDELINE = 4


@dataclass
class DemoReport:
    created: dict[str, int] = field(default_factory=dict)
    passwords: dict[str, str] = field(default_factory=dict)

    def add(self, what: str, n: int = 1) -> None:
        if n:
            self.created[what] = self.created.get(what, 0) + n


def load_json(name: str) -> list[dict]:
    text = resources.files("gongkai.catalog").joinpath("data", name).read_text("utf-8")
    return json.loads(text)


def _national_code(issuer: str) -> str:
    return "national-" + str(abs(hash_text(issuer)))[:8]


def hash_text(text: str) -> int:
    # A stable (unsalted) hash so codes are the same on every run and machine.
    value = 0
    for ch in text:
        value = (value * 131 + ord(ch)) % 1_000_000_007
    return value


@transaction.atomic
def reset() -> None:
    """Remove catalog content and demo organisations (the audit log is kept).

    The change feed is append-only: the published items and records that go are
    announced as "retired" first (subscribers drop them; the feed reads them as
    withdrawn), and their search documents go with them."""
    from gongkai.channels.outbox import record_changes_bulk
    from gongkai.disclosure.models import Record, RecordStatus
    from gongkai.search.indexing import unindex_items

    from .records import reset_records

    zone_codes = [a[0] for a in AGENCIES]
    items = CatalogItem.objects.filter(agency__code__in=zone_codes) | CatalogItem.objects.filter(
        agency__kind=AgencyKind.NATIONAL
    )
    published = Record.objects.filter(
        agency__code__in=zone_codes, status=RecordStatus.PUBLISHED
    ).select_related("agency", "item__domain")
    record_changes_bulk("record", published, "retired")
    public_items = items.filter(status=ItemStatus.PUBLISHED, is_guideline=False)
    record_changes_bulk("item", public_items.select_related("agency", "domain"), "retired")
    unindex_items(list(items.values_list("id", flat=True)))
    reset_records()  # records first: they hold on to their catalog items
    CatalogItem.history.filter(id__in=list(items.values_list("id", flat=True))).delete()
    GuidelineExclusion.objects.filter(agency__code__in=zone_codes).delete()
    # Adopted items first (they point at guideline items), then the guidelines.
    CatalogItem.objects.filter(agency__code__in=zone_codes).delete()
    CatalogItem.objects.filter(agency__kind=AgencyKind.NATIONAL).delete()
    Membership.objects.filter(agency__code__in=zone_codes).delete()
    Membership.objects.filter(division__code__in=[d[0] for d in DIVISIONS]).delete()
    get_user_model().objects.filter(username__in=["editor", "reviewer"]).delete()


def _user(report: DemoReport, username: str, **extra):
    User = get_user_model()
    user = User.objects.filter(username=username).first()
    if user is None:
        password = secrets.token_urlsafe(12)
        user = User(username=username, is_staff=True, **extra)
        user.set_password(password)
        user.save()
        report.passwords[username] = password
        report.add("users")
    return user


def load_demo() -> DemoReport:
    report = DemoReport()
    with transaction.atomic():
        _domains(report)
        _orgs(report)
        admin = _user(report, "admin", is_superuser=True, first_name="系统管理员")
        editor = _user(report, "editor", first_name="民政局编辑")
        reviewer = _user(report, "reviewer", first_name="民政局审核员")
        mzj = Agency.objects.get(code="990171-mzj")
        for user, role in ((editor, Role.EDITOR), (reviewer, Role.REVIEWER)):
            _, made = Membership.objects.get_or_create(user=user, role=role, agency=mzj)
            if made:
                report.add("memberships")
        guidelines = _guidelines(report, admin)
        _zone_items(report, admin, guidelines)
        _workflow_examples(report, admin, editor)
        from .records import load_records

        load_records(report, admin, editor, reviewer)
        from .column import load_column

        load_column(report, admin)
        # End with a searchable index (search/indexing.py).
        from gongkai.search.indexing import reindex_all

        reindex_all()
    return report


def _domains(report: DemoReport) -> None:
    report.add("domains", ensure_standard_domains(Domain))


def _orgs(report: DemoReport) -> None:
    for code, name, level, parent in [NATION, *DIVISIONS]:
        _, made = Division.objects.get_or_create(
            code=code, defaults={"name": name, "level": level, "parent_id": parent}
        )
        if made:
            report.add("divisions")
    for order, (code, name, kind, division, _) in enumerate(AGENCIES, start=1):
        _, made = Agency.objects.get_or_create(
            code=code,
            defaults={
                "name": name,
                "kind": kind,
                "division_id": division,
                "sort_order": order,
                "short_name": name.replace("示范经济开发区", ""),
            },
        )
        if made:
            report.add("agencies")


def _item_fields(row: dict) -> dict:
    return {
        "level1": row.get("level1") or "",
        "level2": row.get("level2") or "",
        "content": row.get("content") or "",
        "basis": row.get("basis") or "",
        "time_limit_text": row.get("time_limit") or "",
        "subject_text": row.get("subject") or "",
        "channels": row.get("channels") or ["website"],
        "channels_other": row.get("channels_other") or "",
        "audience": row.get("audience") or ["public"],
        "mode": row.get("mode") or ["proactive"],
        "levels": row.get("levels") or ["county"],
    }


def _guidelines(report: DemoReport, admin) -> dict[str, list[CatalogItem]]:
    """Guideline catalogs, owned by the national departments at the top of the tree."""
    out: dict[str, list[CatalogItem]] = {}
    for entry in load_json("guidelines.json"):
        domain = Domain.objects.get(code=entry["domain"])
        issuer = entry["issuer"] or domain.guideline_issuer
        agency, made = Agency.objects.get_or_create(
            code=_national_code(issuer),
            defaults={"name": issuer, "kind": AgencyKind.NATIONAL, "division_id": NATION[0]},
        )
        if made:
            report.add("agencies")
        items = []
        for order, row in enumerate(entry["items"], start=1):
            fields = _item_fields(row)
            existing = CatalogItem.objects.filter(
                agency=agency,
                domain=domain,
                is_guideline=True,
                level1=fields["level1"],
                level2=fields["level2"],
            ).first()
            if existing is None:
                item = CatalogItem(
                    agency=agency,
                    domain=domain,
                    is_guideline=True,
                    sort_order=order,
                    status=ItemStatus.PUBLISHED,
                    created_by=admin,
                    reviewed_by=admin,
                    **fields,
                )
                item._history_user = admin
                item._change_reason = "载入标准指引（演示数据）"
                item.save()
                report.add("guideline_items")
                existing = item
            items.append(existing)
        out[domain.code] = items
    return out


def _publish(admin, item: CatalogItem) -> None:
    catalog.publish_directly(admin, item, "演示数据：按已发布目录载入")


def _zone_items(report: DemoReport, admin, guidelines: dict[str, list[CatalogItem]]) -> None:
    samples_by_domain: dict[str, list[dict]] = {}
    for row in load_json("sample_items.json"):
        samples_by_domain.setdefault(row["domain"], []).append(row)
    for code, _name, kind, _division, domain_codes in AGENCIES:
        agency = Agency.objects.get(code=code)
        for domain_code in domain_codes:
            domain = Domain.objects.get(code=domain_code)
            levels = ["township"] if kind == AgencyKind.TOWNSHIP else ["county"]
            # Adopt the first guideline items (領取), adapted to this agency.
            for g in guidelines.get(domain_code, [])[:ITEMS_PER_DOMAIN_FROM_GUIDELINE]:
                if CatalogItem.objects.filter(agency=agency, guideline=g).exists():
                    continue
                item = catalog.adopt_guideline_item(
                    admin, agency, g, subject_text=agency.name, levels=levels
                )
                _publish(admin, item)
                report.add("items")
            # Real rows from published catalogs, as this agency's own items.
            if kind != AgencyKind.DEPARTMENT:
                continue
            for order, row in enumerate(samples_by_domain.get(domain_code, []), start=100):
                fields = _item_fields(row)
                if (
                    not fields["level2"]
                    or CatalogItem.objects.filter(
                        agency=agency,
                        domain=domain,
                        level2=fields["level2"],
                    ).exists()  # already there, adopted from the guideline
                ):
                    continue
                fields["subject_text"] = agency.name
                item = catalog.create_item(admin, agency, domain, sort_order=order, **fields)
                _publish(admin, item)
                report.add("items")


def _workflow_examples(report: DemoReport, admin, editor) -> None:
    """A draft, a submitted item and a stated exclusion, so the back office has work."""
    mzj = Agency.objects.get(code="990171-mzj")
    domain = Domain.objects.get(code="social_assistance")
    if not CatalogItem.objects.filter(agency=mzj, level2="临时救助对象名单").exists():
        draft = catalog.create_item(
            editor,
            mzj,
            domain,
            level1="临时救助",
            level2="临时救助对象名单",
            content="救助对象姓名、救助金额、救助时间（隐去身份证号等个人信息）",
            basis="《社会救助暂行办法》《中华人民共和国政府信息公开条例》",
            time_limit_text="信息形成或者变更之日起20个工作日内",
            subject_text=mzj.name,
            channels=["website", "notice_board"],
            audience=["public"],
            mode=["proactive"],
            levels=["county", "township"],
        )
        catalog.transition(editor, draft, "submit")
        report.add("items")
    if not CatalogItem.objects.filter(agency=mzj, level2="特困人员供养标准").exists():
        catalog.create_item(
            editor,
            mzj,
            domain,
            level1="特困人员救助供养",
            level2="特困人员供养标准",
            content="基本生活标准、照料护理标准",
            basis="《社会救助暂行办法》",
            time_limit_text="信息形成或者变更之日起20个工作日内",
            subject_text=mzj.name,
            channels=["website"],
            audience=["public"],
            mode=["proactive"],
            levels=["county"],
        )
        report.add("items")
    leftover = [
        g
        for g in CatalogItem.objects.filter(is_guideline=True, domain=domain)
        if not g.adoptions.filter(agency=mzj).exists()
    ]
    if leftover and not GuidelineExclusion.objects.filter(agency=mzj).exists():
        catalog.exclude_guideline_item(
            admin, mzj, leftover[-1], "本区该事项由市级部门统一办理，开发区不涉及。"
        )
        report.add("exclusions")
