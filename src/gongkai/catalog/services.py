"""Catalog workflows: create, edit, the review transitions, adoption of guideline items.

Every function here checks permissions itself (views, admin, API and commands are
thin), changes data in one transaction, and writes the audit log.
"""

from dataclasses import dataclass, field
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q, QuerySet
from django.utils import timezone

from gongkai.core import audit
from gongkai.org.models import Agency
from gongkai.org.permissions import EDIT_ROLES, VIEW_ROLES, agencies_for, require_role

from .models import CatalogItem, Domain, GuidelineExclusion, ItemStatus
from .vocabularies import ELEMENT_FIELDS
from .workflow import TRANSITIONS

# What editors may set: the domain, ordering, the nine elements and their extras.
EDITABLE_FIELDS = ("domain", "sort_order", "basis_documents", "subject_agency", *ELEMENT_FIELDS)


def public_items() -> QuerySet[CatalogItem]:
    """What anyone may see: published items of agencies' catalogs (not guidelines)."""
    return CatalogItem.objects.filter(status=ItemStatus.PUBLISHED, is_guideline=False)


def visible_items(user) -> QuerySet[CatalogItem]:
    """Published items and guidelines, plus every item of the agencies in the user's scope."""
    scope = agencies_for(user, VIEW_ROLES)
    return CatalogItem.objects.filter(Q(status=ItemStatus.PUBLISHED) | Q(agency__in=scope))


def can_view(user, item: CatalogItem) -> bool:
    if item.status == ItemStatus.PUBLISHED:
        return True
    return agencies_for(user, VIEW_ROLES).filter(pk=item.agency_id).exists()


def _check_editable(user, item: CatalogItem) -> None:
    require_role(user, item.agency, EDIT_ROLES, "编辑该目录事项")
    if item.status not in (ItemStatus.DRAFT,):
        raise ValidationError(f"“{item.get_status_display()}”状态的事项不能直接修改，请先撤回。")


def _validate(item: CatalogItem) -> None:
    item.full_clean(exclude=["agency", "domain", "guideline", "subject_agency"])


@transaction.atomic
def create_item(user, agency: Agency, domain: Domain, **elements: Any) -> CatalogItem:
    require_role(user, agency, EDIT_ROLES, "新建目录事项")
    unknown = set(elements) - set(EDITABLE_FIELDS) - {"guideline"}
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    item = CatalogItem(agency=agency, domain=domain, created_by=_user(user), **elements)
    _validate(item)
    item._history_user = _user(user)
    item.save()
    audit.record(user, "catalog.create", item, after=item.elements(), agency_code=agency.code)
    return item


@transaction.atomic
def update_item(user, item: CatalogItem, **changes: Any) -> CatalogItem:
    item = CatalogItem.objects.select_for_update().get(pk=item.pk)
    _check_editable(user, item)
    unknown = set(changes) - set(EDITABLE_FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {sorted(unknown)}")
    before = item.elements()
    for name, value in changes.items():
        setattr(item, name, value)
    _validate(item)
    if item.elements() == before and "domain" not in changes:
        return item
    item._history_user = _user(user)
    item.save()
    audit.record(
        user,
        "catalog.update",
        item,
        before=before,
        after=item.elements(),
        agency_code=item.agency.code,
    )
    return item


@transaction.atomic
def transition(user, item: CatalogItem, name: str, note: str = "") -> CatalogItem:
    """Apply one workflow transition — the only place an item's status changes."""
    spec = TRANSITIONS.get(name)
    if spec is None:
        raise ValidationError(f"未知的操作：{name}")
    item = CatalogItem.objects.select_for_update().select_related("agency").get(pk=item.pk)
    require_role(user, item.agency, spec.roles, spec.label)
    if item.status not in spec.source:
        raise ValidationError(f"“{item.get_status_display()}”状态的事项不能{spec.label}。")
    if spec.needs_note and not note.strip():
        raise ValidationError(f"{spec.label}需要填写理由。")
    if name == "approve" and item.submitted_by_id and item.submitted_by_id == _uid(user):
        raise PermissionDenied("审核人不能审核自己提交的事项，请由另一位审核人审核。")
    if name == "submit" and not item.level2.strip():
        raise ValidationError("二级事项名称不能为空。")

    before_status = item.status
    now = timezone.now()
    item.status = spec.target
    if name == "submit":
        item.submitted_by, item.submitted_at = _user(user), now
    elif name == "approve":
        item.reviewed_by, item.published_at, item.review_note = _user(user), now, note
    elif name == "reject":
        item.reviewed_by, item.review_note = _user(user), note
    elif name == "retire":
        item.retired_at, item.review_note = now, note
    item._history_user = _user(user)
    item._change_reason = f"{spec.label}{('：' + note) if note else ''}"
    item.save()
    _sync_search(item)  # approve → indexed; revise/retire/… → removed from the index
    _sync_channels(item, before_status)
    audit.record(
        user,
        f"catalog.{name}",
        item,
        before={"status": before_status},
        after={"status": item.status},
        note=note,
        agency_code=item.agency.code,
    )
    return item


@transaction.atomic
def publish_directly(user, item: CatalogItem, note: str) -> CatalogItem:
    """Administrator's migration path (e.g. loading an already-published catalog).

    Not a shortcut for daily work: it requires the admin role and is audited as such.
    """
    from gongkai.org.models import Role

    require_role(user, item.agency, (Role.ADMIN,), "直接发布")
    item.status = ItemStatus.PUBLISHED
    item.published_at = timezone.now()
    item.reviewed_by = _user(user)
    item._history_user = _user(user)
    item._change_reason = f"管理员直接发布：{note}"
    item.save()
    _sync_search(item)
    _sync_channels(item, "")
    audit.record(
        user,
        "catalog.publish_directly",
        item,
        after={"status": item.status},
        note=note,
        agency_code=item.agency.code,
    )
    return item


# --- guideline adoption (领取) -------------------------------------------------


@transaction.atomic
def adopt_guideline_item(
    user, agency: Agency, guideline_item: CatalogItem, **overrides: Any
) -> CatalogItem:
    """Create the agency's own item from a guideline item, keeping the link."""
    if not guideline_item.is_guideline:
        raise ValidationError("只能领取标准指引中的事项。")
    elements = {k: getattr(guideline_item, k) for k in EDITABLE_FIELDS if k != "subject_agency"}
    elements["subject_agency"] = agency
    elements.update(overrides)
    GuidelineExclusion.objects.filter(agency=agency, guideline_item=guideline_item).delete()
    return create_item(user, agency, elements.pop("domain"), guideline=guideline_item, **elements)


@transaction.atomic
def exclude_guideline_item(
    user, agency: Agency, guideline_item: CatalogItem, reason: str
) -> GuidelineExclusion:
    require_role(user, agency, EDIT_ROLES, "填报不纳入理由")
    if not reason.strip():
        raise ValidationError("请说明不纳入的理由。")
    exclusion, _ = GuidelineExclusion.objects.update_or_create(
        agency=agency,
        guideline_item=guideline_item,
        defaults={"reason": reason.strip(), "created_by": _user(user)},
    )
    audit.record(user, "catalog.exclude_guideline", exclusion, note=reason, agency_code=agency.code)
    return exclusion


COMPARED_FIELDS = {
    "level1": "一级事项",
    "level2": "二级事项",
    "content": "公开内容",
    "basis": "公开依据",
    "time_limit_text": "公开时限",
    "channels": "公开渠道和载体",
    "audience": "公开对象",
    "mode": "公开方式",
    "levels": "公开层级",
}


@dataclass
class ComparisonRow:
    guideline_item: CatalogItem
    state: str  # adopted | adapted | excluded | pending
    own_items: list[CatalogItem] = field(default_factory=list)
    differences: list[tuple[str, Any, Any]] = field(default_factory=list)
    reason: str = ""

    @property
    def state_label(self) -> str:
        return {
            "adopted": "已领取",
            "adapted": "已领取（有调整）",
            "excluded": "未纳入",
            "pending": "待处理",
        }[self.state]


@dataclass
class DomainComparison:
    domain: Domain
    rows: list[ComparisonRow]
    own_only: list[CatalogItem]

    def count(self, state: str) -> int:
        return sum(1 for r in self.rows if r.state == state)

    @property
    def summary(self) -> dict[str, int]:
        return {s: self.count(s) for s in ("adopted", "adapted", "excluded", "pending")}


def compare_with_guideline(
    agency: Agency, domain: Domain | None = None, level: str | None = None
) -> list[DomainComparison]:
    """Per domain: which guideline items the agency adopted, adapted, left out, or has not
    decided on yet, and which of its items are its own additions."""
    guidelines = (
        CatalogItem.objects.filter(is_guideline=True)
        .exclude(status=ItemStatus.RETIRED)
        .select_related("domain")
    )
    own = CatalogItem.objects.filter(agency=agency, is_guideline=False).exclude(
        status=ItemStatus.RETIRED
    )
    if domain is not None:
        guidelines, own = guidelines.filter(domain=domain), own.filter(domain=domain)
    if level:
        guidelines, own = guidelines.filter(levels__has=level), own.filter(levels__has=level)
    exclusions = {
        e.guideline_item_id: e.reason for e in GuidelineExclusion.objects.filter(agency=agency)
    }
    own_by_guideline: dict[int, list[CatalogItem]] = {}
    own_only: dict[int, list[CatalogItem]] = {}
    for item in own.select_related("domain"):
        if item.guideline_id:
            own_by_guideline.setdefault(item.guideline_id, []).append(item)
        else:
            own_only.setdefault(item.domain_id, []).append(item)

    result: dict[int, DomainComparison] = {}
    for g in guidelines:
        comp = result.setdefault(g.domain_id, DomainComparison(g.domain, [], []))
        adopted = own_by_guideline.get(g.pk, [])
        if adopted:
            diffs = [
                (label, getattr(g, f), getattr(a, f))
                for a in adopted
                for f, label in COMPARED_FIELDS.items()
                if _norm(getattr(g, f)) != _norm(getattr(a, f))
            ]
            state = "adapted" if diffs else "adopted"
            comp.rows.append(ComparisonRow(g, state, adopted, diffs))
        elif g.pk in exclusions:
            comp.rows.append(ComparisonRow(g, "excluded", reason=exclusions[g.pk]))
        else:
            comp.rows.append(ComparisonRow(g, "pending"))
    for domain_id, items in own_only.items():
        if domain_id in result:
            result[domain_id].own_only = items
        else:
            result[domain_id] = DomainComparison(items[0].domain, [], items)
    return sorted(result.values(), key=lambda c: (c.domain.sort_order, c.domain.code))


def _norm(value: Any) -> Any:
    if isinstance(value, list):
        return sorted(value)
    return (value or "").strip() if isinstance(value, str) else value


def _sync_search(item: CatalogItem) -> None:
    """Bring the search index in line with the item's status (search/indexing.py)."""
    from gongkai.search.indexing import index_items

    index_items([item.pk])


def _sync_channels(item: CatalogItem, before_status: str) -> None:
    """Tell the same-source channels (feeds, change feed, webhooks; channels/outbox.py)
    when what the public sees changed: published → created/updated, left → retired."""
    from gongkai.channels.outbox import PUBLISHED, RETIRED, record_change

    if item.status == ItemStatus.PUBLISHED:
        record_change("item", item, PUBLISHED)
    elif before_status == ItemStatus.PUBLISHED:
        record_change("item", item, RETIRED)


def _user(user):
    return user if getattr(user, "is_authenticated", False) else None


def _uid(user):
    return user.pk if getattr(user, "is_authenticated", False) else None
