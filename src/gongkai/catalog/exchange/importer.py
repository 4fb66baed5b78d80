"""The import service: a file → a plan (created / updated / unchanged / problems) → items.

`plan_import` only reads: it parses every table, matches rows to the agency's items
by (domain, 一级事项, 二级事项, 三级事项), and lists every problem with its row and
column. `apply_import` writes the plan in one transaction: new items (submitted for
review, or published with `publish` by an administrator), changed items as new
versions, unchanged rows untouched. A plan with problems writes nothing unless
`skip_invalid` is given, in which case the bad rows are skipped and listed.

New items and their history rows are inserted in bulk (exchange/bulk.py), so a
100,000-row catalog imports in seconds; the audit log gets one entry per import with
the counts and the file's hash.
"""

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from simple_history.utils import bulk_update_with_history

from gongkai.core import audit
from gongkai.org.models import Agency, AgencyKind, Role
from gongkai.org.permissions import EDIT_ROLES, require_role

from ..models import CatalogItem, Domain, ItemStatus
from ..timelimits import parse_time_limit
from ..vocabularies import AUDIENCES, CHANNELS, LEVELS, MODES
from .bulk import insert_items_with_history
from .model import ELEMENT_KEYS, ExchangeError, Problem, RowData
from .normalize import DomainMatcher
from .parse import parse_table
from .readers import read_tables
from .safety import Limits, check_file, sniff

LIST_KEYS = ("channels", "audience", "mode", "levels")
VOCABULARIES = {"channels": CHANNELS, "audience": AUDIENCES, "mode": MODES, "levels": LEVELS}
TEXT_LIMITS = {
    "code": 32,
    "level1": 200,
    "level2": 200,
    "level3": 200,
    "time_limit_text": 500,
    "subject_text": 300,
    "channels_other": 500,
    "audience_note": 200,
}
BATCH = 2000


@dataclass
class PlannedRow:
    data: RowData
    action: str  # create | update | unchanged | skip
    item_id: int | None = None
    changes: dict[str, tuple] = field(default_factory=dict)


@dataclass
class ImportPlan:
    agency: Agency
    file_name: str
    sha256: str
    rows: list[PlannedRow] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    applied: bool = False
    timings: dict[str, float] = field(default_factory=dict)  # seconds per phase (bench/)
    # Not errors: what the reader could not use ("表格：列名、列名"), shown with the preview.
    notices: list[str] = field(default_factory=list)

    def count(self, action: str) -> int:
        return sum(1 for r in self.rows if r.action == action)

    @property
    def has_errors(self) -> bool:
        return bool(self.problems)

    def as_dict(self) -> dict:
        return {
            "created": self.count("create"),
            "updated": self.count("update"),
            "unchanged": self.count("unchanged"),
            "skipped": self.count("skip"),
            "errors": [p.as_dict() for p in self.problems],
        }


def domain_matcher() -> DomainMatcher:
    return DomainMatcher([(d.code, d.name, tuple(d.aliases or ())) for d in Domain.objects.all()])


def _key(domain: str | None, e: dict) -> tuple:
    return (domain, e["level1"].strip(), e["level2"].strip(), e["level3"].strip())


def _item_key(item: CatalogItem) -> tuple:
    return (item.domain.code, item.level1.strip(), item.level2.strip(), item.level3.strip())


def _read_rows(
    path: Path, domain: str | None, limits: Limits, notices: list[str] | None = None
) -> tuple[list[RowData], list[Problem]]:
    """All rows of all tables in the file, and every problem found; `notices` receives a
    line per table with unrecognised columns that hold data (their text is not read)."""
    if not path.is_file():
        raise ExchangeError(f"找不到文件：{path.name}")
    kind = sniff(path)
    if kind == "json":
        check_file(path, limits)
        return _read_own_json(path, domain)
    matcher = domain_matcher()
    rows: list[RowData] = []
    problems: list[Problem] = []
    tables = read_tables(path, limits, kind=kind)
    if not tables:
        raise ExchangeError("文件中没有找到表格。")
    for table in tables:
        parsed = parse_table(table, matcher, domain)
        rows.extend(parsed.rows)
        problems.extend(parsed.problems)
        if parsed.unread_columns and notices is not None:
            where = f"{table.name}：" if table.name else ""
            notices.append(f"{where}未识别的列“{'”“'.join(parsed.unread_columns)}”，其内容未导入")
    return rows, problems


def _read_own_json(path: Path, domain: str | None) -> tuple[list[RowData], list[Problem]]:
    """Gongkai's own JSON export (format "gongkai-catalog")."""
    try:
        data = json.loads(path.read_text(encoding="utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ExchangeError(f"JSON 文件格式错误：{exc}") from exc
    if not isinstance(data, dict) or data.get("format") != "gongkai-catalog":
        raise ExchangeError("不是本系统导出的目录 JSON 文件（缺少 format: gongkai-catalog）。")
    names = {d.name: d.code for d in Domain.objects.all()}
    codes = set(names.values())
    rows, problems = [], []
    for s_index, sheet in enumerate(data.get("sheets") or [], start=1):
        if not isinstance(sheet, dict):
            raise ExchangeError(f"第{s_index}个 sheet 格式错误。")
        sheet_domain = domain or sheet.get("domain") or names.get(sheet.get("domain_name", ""))
        table = sheet.get("title") or sheet.get("domain_name") or f"sheet{s_index}"
        if sheet_domain not in codes:
            problems.append(
                Problem(0, "domain", str(sheet.get("domain_name", "")), "无法确定所属领域。", table)
            )
            continue
        for r_index, raw in enumerate(sheet.get("rows") or [], start=1):
            if not isinstance(raw, dict):
                problems.append(Problem(r_index, "", "", "行数据格式错误。", table))
                continue
            elements = {}
            for key in ELEMENT_KEYS:
                value = raw.get(key, [] if key in LIST_KEYS else "")
                if key in LIST_KEYS:
                    value = [str(v) for v in value] if isinstance(value, list) else []
                    unknown = [c for c in value if c not in KNOWN_CODES[key]]
                    if unknown:
                        problems.append(
                            Problem(r_index, key, "、".join(unknown), "无法识别的取值。", table)
                        )
                else:
                    value = "" if value is None else str(value)
                elements[key] = value
            rows.append(
                RowData(
                    r_index, table, sheet_domain, elements, {k: str(raw.get(k, "")) for k in raw}
                )
            )
    return rows, problems


KNOWN_CODES = {key: frozenset(dict(vocab)) for key, vocab in VOCABULARIES.items()}


def _validate(rows: list[RowData], problems: list[Problem]) -> None:
    """Checks the parser cannot make: lengths and duplicates in the file.

    (Vocabulary codes come from the parser's own tables; JSON rows are checked on reading.)
    """
    seen: dict[tuple, RowData] = {}
    flagged = {(p.table, p.row) for p in problems}
    for row in rows:
        e = row.elements
        if not e["level2"].strip():
            if (row.table, row.row) not in flagged:
                problems.append(Problem(row.row, "二级事项", "", "二级事项不能为空。", row.table))
            continue
        for key, limit in TEXT_LIMITS.items():
            if len(e[key]) > limit:
                problems.append(
                    Problem(
                        row.row, key, e[key][:50] + "…", f"内容过长（超过{limit}字）。", row.table
                    )
                )
        if row.domain is None:
            continue
        key = _key(row.domain, e)
        first = seen.setdefault(key, row)
        if first is not row:
            problems.append(
                Problem(
                    row.row,
                    "二级事项",
                    e["level2"],
                    f"与{first.table}第{first.row}行重复（同一领域下事项名称相同）。",
                    row.table,
                )
            )


def _compare(item: CatalogItem, elements: dict) -> dict[str, tuple]:
    changes = {}
    for key in ELEMENT_KEYS:
        old = getattr(item, key)
        new = elements[key]
        if key in LIST_KEYS:
            if list(old) != list(new):
                changes[key] = (list(old), list(new))
        elif (old or "").strip() != (new or "").strip():
            changes[key] = (old, new)
    return changes


def plan_import(
    path: str | Path,
    agency: Agency,
    *,
    domain: str | None = None,
    limits: Limits | None = None,
) -> ImportPlan:
    """Read and check a file; decide per row what an import would do. Writes nothing."""
    path = Path(path)
    limits = limits or Limits.from_settings()
    if domain and not Domain.objects.filter(code=domain).exists():
        raise ExchangeError(f"未知的领域代码：{domain}")
    digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.exists() else ""
    plan = ImportPlan(agency=agency, file_name=path.name, sha256=digest)
    rows, problems = _read_rows(path, domain, limits, plan.notices)
    _validate(rows, problems)
    plan.problems = sorted(problems, key=lambda p: (p.table, p.row))
    bad = {(p.table, p.row) for p in plan.problems}
    bad_tables = {p.table for p in plan.problems if p.row == 0 or p.column == ""}
    existing = {
        _item_key(i): i
        for i in CatalogItem.objects.filter(agency=agency, is_guideline=_is_guideline(agency))
        .select_related("domain")
        .order_by("status")  # a live item wins over a retired one with the same name
    }
    for row in rows:
        if (row.table, row.row) in bad or row.table in bad_tables or row.domain is None:
            plan.rows.append(PlannedRow(row, "skip"))
            continue
        item = existing.get(_key(row.domain, row.elements))
        if item is None:
            plan.rows.append(PlannedRow(row, "create"))
            continue
        changes = _compare(item, row.elements)
        plan.rows.append(PlannedRow(row, "update" if changes else "unchanged", item.pk, changes))
    return plan


def _is_guideline(agency: Agency) -> bool:
    """A national department's catalog is a standard guideline (标准指引)."""
    return agency.kind == AgencyKind.NATIONAL


@lru_cache(maxsize=4096)
def _parsed_limit(text: str) -> tuple[dict, str]:
    parsed = parse_time_limit(text)
    return parsed.to_dict(), parsed.kind


def _set_elements(item: CatalogItem, elements: dict) -> None:
    for key in ELEMENT_KEYS:
        setattr(item, key, elements[key])
    item.time_limit, item.time_limit_kind = _parsed_limit(item.time_limit_text)
    item.time_limit = dict(item.time_limit)


def apply_import(
    plan: ImportPlan,
    user,
    *,
    skip_invalid: bool = False,
    publish: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportPlan:
    """Write the plan. All or nothing: a plan with problems writes nothing unless
    `skip_invalid`. `publish` (administrators only) publishes at once instead of
    submitting for review, and says so in the audit log."""
    agency = plan.agency
    require_role(user, agency, EDIT_ROLES, "导入目录")
    if publish:
        require_role(user, agency, (Role.ADMIN,), "导入并直接发布")
    if plan.has_errors and not skip_invalid:
        raise ValidationError(f"文件有 {len(plan.problems)} 处错误，未导入任何数据。")
    actor = user if getattr(user, "is_authenticated", False) else None
    now = timezone.now()
    status = ItemStatus.PUBLISHED if publish else ItemStatus.SUBMITTED
    reason = "导入并直接发布" if publish else "导入，待审核"
    domains = {d.code: d for d in Domain.objects.all()}

    started = time.perf_counter()
    with transaction.atomic():
        creates = [
            (domains[p.data.domain].pk, p.data.elements) for p in plan.rows if p.action == "create"
        ]
        new_ids = insert_items_with_history(
            creates,
            constants={
                "agency_id": agency.pk,
                "is_guideline": _is_guideline(agency),
                "status": status,
                "created_by_id": actor.pk if actor else None,
                "submitted_by_id": actor.pk if actor else None,
                "submitted_at": now,
                "reviewed_by_id": actor.pk if actor and publish else None,
                "published_at": now if publish else None,
            },
            time_limit=_parsed_limit,
            when=now,
            user_id=actor.pk if actor else None,
            reason=reason,
        )
        if progress and creates:
            progress(len(creates))

        updates = [p for p in plan.rows if p.action == "update"]
        items = CatalogItem.objects.in_bulk([p.item_id for p in updates])
        if not publish:  # back to review: they leave the public site (channels/outbox.py)
            _channels_retire([i for i in items.values() if i.status == ItemStatus.PUBLISHED])
        changed = []
        for planned in updates:
            item = items[planned.item_id]
            _set_elements(item, planned.data.elements)
            item.status = status
            item.submitted_by, item.submitted_at = actor, now
            if publish:
                item.reviewed_by, item.published_at = actor, now
            item.updated_at = now
            changed.append(item)
        fields = [
            *ELEMENT_KEYS,
            "time_limit",
            "time_limit_kind",
            "status",
            "submitted_by",
            "submitted_at",
            "reviewed_by",
            "published_at",
            "updated_at",
        ]
        for start in range(0, len(changed), BATCH):
            bulk_update_with_history(
                changed[start : start + BATCH],
                CatalogItem,
                fields,
                batch_size=BATCH,
                default_user=actor,
                default_change_reason=f"{reason}（更新）",
                default_date=now,
            )
            if progress:
                progress(len(changed[start : start + BATCH]))
        plan.timings["write_s"] = time.perf_counter() - started
        started = time.perf_counter()
        # Search index (search/indexing.py): published items in, submitted ones out.
        from gongkai.search.indexing import ItemView, index_items, index_new_items, unindex_items

        if publish and not _is_guideline(agency):  # guideline catalogs are never public
            # New items are indexed from the rows in memory (no reload); updated ones
            # through the usual path, which replaces their documents.
            agency_view = Agency.objects.select_related("division").get(pk=agency.pk)
            by_pk = {d.pk: d for d in domains.values()}
            views = [
                ItemView(pk, by_pk[domain_id], agency_view, now, elements)
                for pk, (domain_id, elements) in zip(new_ids, creates, strict=True)
            ]
            index_new_items(views)
            index_items([item.pk for item in changed])
            from gongkai.channels.outbox import record_changes_bulk

            record_changes_bulk("item", views, "created")
            record_changes_bulk("item", changed, "updated")
        elif not publish:
            unindex_items([item.pk for item in changed])
        plan.timings["index_s"] = time.perf_counter() - started
        audit.record(
            user,
            "catalog.import_publish" if publish else "catalog.import",
            agency,
            after={
                **plan.as_dict(),
                "errors": len(plan.problems),
                "file": plan.file_name,
                "sha256": plan.sha256,
            },
            note=("管理员导入并直接发布（迁移已发布目录）" if publish else "导入目录，进入审核"),
            agency_code=agency.code,
        )
    plan.applied = True
    return plan


def _channels_retire(items: list[CatalogItem]) -> None:
    """Published items sent back to review are "retired" for the public channels; recorded
    before their elements change, so no unreviewed title goes out."""
    from gongkai.channels.outbox import record_changes_bulk

    record_changes_bulk("item", items, "retired")


def import_catalog(
    path: str | Path,
    agency: Agency,
    user,
    *,
    domain: str | None = None,
    dry_run: bool = False,
    skip_invalid: bool = False,
    publish: bool = False,
    progress: Callable[[int], None] | None = None,
) -> ImportPlan:
    plan = plan_import(path, agency, domain=domain)
    if dry_run or (plan.has_errors and not skip_invalid):
        return plan
    return apply_import(plan, user, skip_invalid=skip_invalid, publish=publish, progress=progress)
