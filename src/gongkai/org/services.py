"""Setting up divisions and agencies in bulk: `gongkai import-orgs FILE`.

The file has one row per division or agency (columns type, code, name, kind,
parent, division — or the Chinese headers 类型, 代码, 名称, 类别, 上级, 所属区划).
Every row is checked first; a file with any error writes nothing. Re-importing the
same file changes nothing (idempotent); a changed name or parent is updated.
"""

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from gongkai.core import audit
from gongkai.core.tables import read_table

from .models import LEVEL_PREFIX_LENGTH, Agency, AgencyKind, Division, DivisionLevel, code_prefix

HEADERS = {
    "type": ("type", "类型"),
    "code": ("code", "代码", "编码"),
    "name": ("name", "名称"),
    "kind": ("kind", "类别", "层级"),
    "parent": ("parent", "上级", "上级代码"),
    "division": ("division", "所属区划", "区划代码"),
}
TYPE_WORDS = {
    "division": "division",
    "区划": "division",
    "agency": "agency",
    "机关": "agency",
    "单位": "agency",
}
DIVISION_KINDS = (
    {c.value: c.value for c in DivisionLevel}
    | {c.label: c.value for c in DivisionLevel}
    | {
        "省": "province",
        "市": "city",
        "县": "county",
        "区县": "county",
        "乡镇": "township",
        "街道": "township",
        "村": "village",
        "社区": "village",
    }
)
AGENCY_KINDS = (
    {c.value: c.value for c in AgencyKind}
    | {c.label: c.value for c in AgencyKind}
    | {
        "部门": "department",
        "乡镇": "township",
        "街道": "township",
        "村居委会": "committee",
        "村委会": "committee",
        "居委会": "committee",
    }
)


@dataclass
class RowError:
    row: int
    column: str
    value: str
    message: str

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
        }


@dataclass
class OrgImportReport:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def as_dict(self) -> dict:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [e.as_dict() for e in self.errors],
        }


def _map_headers(header: list[str]) -> dict[str, int]:
    found = {}
    for index, text in enumerate(header):
        key = text.strip().lower()
        for name, variants in HEADERS.items():
            if key in variants and name not in found:
                found[name] = index
    return found


def import_orgs(path: str | Path, user=None, dry_run: bool = False) -> OrgImportReport:
    rows = read_table(path)
    report = OrgImportReport()
    if not rows:
        report.errors.append(RowError(1, "", "", "文件是空的。"))
        return report
    columns = _map_headers(rows[0])
    missing = [n for n in ("type", "code", "name", "kind") if n not in columns]
    if missing:
        report.errors.append(
            RowError(
                1,
                "、".join(missing),
                "",
                "缺少必需的列：" + "、".join(f"{m}（{HEADERS[m][1]}）" for m in missing),
            )
        )
        return report

    def get(row: list[str], name: str) -> str:
        i = columns.get(name)
        return row[i].strip() if i is not None and i < len(row) else ""

    divisions: dict[str, tuple[int, dict]] = {}
    agencies: dict[str, tuple[int, dict]] = {}
    for number, row in enumerate(rows[1:], start=2):
        if not any(cell.strip() for cell in row):
            continue
        kind_word = TYPE_WORDS.get(get(row, "type").lower())
        code, name, kind = get(row, "code"), get(row, "name"), get(row, "kind")
        if kind_word is None:
            report.errors.append(
                RowError(
                    number, "type", get(row, "type"), "类型应为 division（区划）或 agency（机关）。"
                )
            )
            continue
        if not code:
            report.errors.append(RowError(number, "code", code, "代码不能为空。"))
            continue
        if not name:
            report.errors.append(RowError(number, "name", name, "名称不能为空。"))
        if kind_word == "division":
            level = DIVISION_KINDS.get(kind.lower() if kind.isascii() else kind)
            if level is None:
                report.errors.append(
                    RowError(
                        number,
                        "kind",
                        kind,
                        "区划类别应为 province、city、county、township、village 之一。",
                    )
                )
                continue
            if not code.isdigit() or len(code) not in (6, 9, 12):
                report.errors.append(RowError(number, "code", code, "区划代码应为6位或12位数字。"))
                continue
            if code in divisions:
                report.errors.append(
                    RowError(number, "code", code, f"区划代码与第{divisions[code][0]}行重复。")
                )
                continue
            divisions[code] = (number, {"name": name, "level": level, "parent": get(row, "parent")})
        else:
            akind = AGENCY_KINDS.get(kind.lower() if kind.isascii() else kind)
            if akind is None:
                report.errors.append(
                    RowError(
                        number,
                        "kind",
                        kind,
                        "机关类别应为 department、township、resident_office、committee 之一。",
                    )
                )
                continue
            if code in agencies:
                report.errors.append(
                    RowError(number, "code", code, f"机关代码与第{agencies[code][0]}行重复。")
                )
                continue
            agencies[code] = (
                number,
                {
                    "name": name,
                    "kind": akind,
                    "division": get(row, "division"),
                    "parent": get(row, "parent"),
                },
            )

    existing_divisions = set(Division.objects.values_list("code", flat=True))
    existing_agencies = set(Agency.objects.values_list("code", flat=True))
    for code, (number, data) in divisions.items():
        parent = data["parent"]
        if parent and parent not in divisions and parent not in existing_divisions:
            report.errors.append(RowError(number, "parent", parent, "找不到上级区划。"))
        elif parent:
            parent_level = (
                divisions[parent][1]["level"]
                if parent in divisions
                else Division.objects.get(code=parent).level
            )
            parent_prefix = code_prefix(parent.ljust(12, "0"), parent_level)
            if LEVEL_PREFIX_LENGTH[parent_level] >= LEVEL_PREFIX_LENGTH[data["level"]]:
                report.errors.append(
                    RowError(number, "kind", data["level"], "区划层级应低于上级区划。")
                )
            elif not code.ljust(12, "0").startswith(parent_prefix):
                report.errors.append(
                    RowError(number, "parent", parent, "区划代码与上级区划代码不一致。")
                )
    for number, data in agencies.values():
        div = data["division"]
        if not div:
            report.errors.append(RowError(number, "division", div, "机关必须填写所属区划。"))
        elif div not in divisions and div not in existing_divisions:
            report.errors.append(RowError(number, "division", div, "找不到所属区划。"))
        parent = data["parent"]
        if parent and parent not in agencies and parent not in existing_agencies:
            report.errors.append(RowError(number, "parent", parent, "找不到上级机关。"))
    report.errors.sort(key=lambda e: e.row)
    if report.errors:
        return report

    with transaction.atomic():
        # Parents before children: shorter significant prefixes first.
        for code, (_, data) in sorted(
            divisions.items(), key=lambda kv: LEVEL_PREFIX_LENGTH[kv[1][1]["level"]]
        ):
            values = {
                "name": data["name"],
                "level": data["level"],
                "parent_id": data["parent"] or None,
            }
            _upsert(report, Division, {"code": code}, values, user)
        for code, (_, data) in agencies.items():
            values = {"name": data["name"], "kind": data["kind"], "division_id": data["division"]}
            _upsert(report, Agency, {"code": code}, values, user)
        for code, (_, data) in agencies.items():
            parent_id = Agency.objects.get(code=data["parent"]).pk if data["parent"] else None
            Agency.objects.filter(code=code).exclude(parent_id=parent_id).update(
                parent_id=parent_id
            )
        if dry_run:
            transaction.set_rollback(True)
    return report


def _upsert(report: OrgImportReport, model, key: dict, values: dict, user) -> None:
    obj = model.objects.filter(**key).first()
    if obj is None:
        obj = model(**key, **values)
        obj.save()
        report.created += 1
        audit.record(
            user,
            f"org.import.create_{model._meta.model_name}",
            obj,
            after={k: str(v) for k, v in values.items()},
        )
        return
    before = {k: getattr(obj, k) for k in values}
    if before == values:
        report.unchanged += 1
        return
    for k, v in values.items():
        setattr(obj, k, v)
    obj.save()
    report.updated += 1
    audit.record(
        user,
        f"org.import.update_{model._meta.model_name}",
        obj,
        before={k: str(v) for k, v in before.items()},
        after={k: str(v) for k, v in values.items()},
    )
