"""The import service and `gongkai import-catalog`, end to end on real files.

Every format imports the sample rows with the nine elements right; a broken or hostile
file leaves the database exactly as it was; re-importing updates as new versions.
"""

import io
import json
import shutil
import subprocess

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import CommandError, call_command

from gongkai.catalog import services
from gongkai.catalog.exchange.importer import apply_import, import_catalog, plan_import
from gongkai.catalog.exchange.model import ExchangeError
from gongkai.catalog.models import CatalogItem, ItemStatus
from gongkai.core.models import AuditEntry
from tests.catalog.exchange import builders

SAMPLE = builders.sample_rows()


def _real_rows(domain: str, limit: int = 6) -> list[dict]:
    """Real published rows of one domain, in the builders' row shape."""
    rows, locality = [], None
    for r in builders.load_samples():
        if r["domain"] != domain or not r["level2"] or not r["channels"]:
            continue
        locality = locality or r["locality"]  # one published catalog, not a mix
        if r["locality"] != locality:
            continue
        audience = {"both": ["全社会", "特定群体"], None: ["全社会"]}.get(
            r["audience"], [r["audience"]]
        )
        rows.append(
            {
                "level1": r["level1"] or "",
                "level2": r["level2"],
                "content": r["content"] or "",
                "basis": r["basis"] or "",
                "time_limit": r["time_limit"] or "",
                "subject": r["subject"] or "",
                "channels": r["channels"],
                "audience": audience,
                "mode": [r["mode"] or "主动"],
                "levels": r["levels"] or ["县级"],
            }
        )
    return rows[:limit]


def _snapshot():
    return (
        list(CatalogItem.objects.order_by("pk").values_list("pk", "level2", "status", "content")),
        CatalogItem.history.count(),
        AuditEntry.objects.count(),
    )


def _item(agency, level2):
    return CatalogItem.objects.get(agency=agency, level2=level2)


def _check_first_sample(item):
    assert item.domain.code == "social_assistance"
    assert item.level1 == "最低生活保障" and item.level2 == "政策法规文件"
    assert "各地配套政策法规文件" in item.content
    assert "社会救助暂行办法" in item.basis
    assert item.time_limit_text == "信息形成或者变更之日起20个工作日内"
    assert item.time_limit_kind == "period"
    assert item.subject_text.startswith("县民政局")
    assert item.channels == ["website", "reading_point", "service_center"]
    assert item.audience == ["public"] and item.mode == ["proactive"]
    assert item.levels == ["county", "township"]
    assert item.status == ItemStatus.SUBMITTED


def _import(path, zone, people, **kw):
    return import_catalog(path, zone["mzj"], people["admin"], **kw)


# --- every format -------------------------------------------------------------------


def test_xlsx_standard_template(tmp_path, zone, people):
    path = builders.build_xlsx(
        tmp_path / "c.xlsx", {"Sheet1": SAMPLE}, title_row="社会救助领域基层政务公开标准目录"
    )
    plan = _import(path, zone, people)
    assert plan.as_dict()["created"] == 3 and plan.problems == []
    _check_first_sample(_item(zone["mzj"], "政策法规文件"))
    second = _item(zone["mzj"], "办理服务")
    assert second.channels == ["website", "new_media", "notice_board", "other"]
    assert "管理部门网站" in second.channels_other
    third = _item(zone["mzj"], "救助结果")  # traditional → simplified
    assert third.content.startswith("救助对象姓名")
    assert third.audience == ["specific"] and third.mode == ["on_request"]
    assert third.levels == ["township"] and third.time_limit_kind == "periodic"


def test_workbook_with_one_domain_per_sheet(tmp_path, zone, people):
    path = builders.build_xlsx(
        tmp_path / "c.xlsx",
        {
            "社会救助": SAMPLE[:1],
            "5.养老服务": [dict(SAMPLE[1], level1="养老服务", level2="养老机构名录")],
        },
    )
    _import(path, zone, people)
    assert _item(zone["mzj"], "政策法规文件").domain.code == "social_assistance"
    assert _item(zone["mzj"], "养老机构名录").domain.code == "elderly_care"


def test_domain_override(tmp_path, zone, people):
    path = builders.build_xlsx(tmp_path / "c.xlsx", {"Sheet1": SAMPLE[:1]})
    plan = plan_import(path, zone["mzj"])
    assert any("领域" in p.message for p in plan.problems)
    _import(path, zone, people, domain="elderly_care")
    assert _item(zone["mzj"], "政策法规文件").domain.code == "elderly_care"


def test_docx_tables(tmp_path, zone, people):
    path = builders.build_docx(
        tmp_path / "c.docx",
        [
            ("社会救助领域基层政务公开标准目录", SAMPLE),
            (
                "义务教育领域基层政务公开标准目录",
                [dict(SAMPLE[1], level1="招生管理", level2="招生计划")],
            ),
        ],
    )
    plan = _import(path, zone, people)
    assert plan.as_dict()["created"] == 4, plan.problems
    _check_first_sample(_item(zone["mzj"], "政策法规文件"))
    assert _item(zone["mzj"], "招生计划").domain.code == "compulsory_education"


def test_html_saved_page(tmp_path, zone, people):
    path = builders.build_html(tmp_path / "c.html", SAMPLE, "社会救助领域基层政务公开标准目录")
    plan = _import(path, zone, people)
    assert plan.as_dict()["created"] == 3, plan.problems
    _check_first_sample(_item(zone["mzj"], "政策法规文件"))


def test_csv_gb18030(tmp_path, zone, people):
    path = builders.build_csv(tmp_path / "c.csv", SAMPLE, encoding="gb18030")
    plan = _import(path, zone, people, domain="social_assistance")
    assert plan.as_dict()["created"] == 3, plan.problems
    _check_first_sample(_item(zone["mzj"], "政策法规文件"))


@pytest.mark.parametrize("domain", ["救灾", "城市综合执法", "市政服务", "安全生产", "养老服务"])
def test_real_rows_in_xlsx(tmp_path, zone, people, domain):
    rows = _real_rows(domain)
    path = builders.build_xlsx(tmp_path / "c.xlsx", {domain: rows})
    plan = _import(path, zone, people)
    assert plan.problems == [] and plan.as_dict()["created"] == len(rows)
    for row in rows:
        item = CatalogItem.objects.get(
            agency=zone["mzj"], level2=row["level2"], level1=row["level1"]
        )
        assert item.domain.name == domain
        assert item.time_limit_text == row["time_limit"]


def test_own_json_round_trip(tmp_path, zone, people, elements):
    from gongkai.catalog.exchange.exporter import export_items

    domain = CatalogItem._meta.get_field("domain").related_model.objects.get(
        code="social_assistance"
    )
    services.create_item(people["admin"], zone["mzj"], domain, **elements)
    out = tmp_path / "c.json"
    export_items(CatalogItem.objects.all(), "json", str(out))
    plan = import_catalog(out, zone["jyj"], people["zone_admin"])
    assert plan.as_dict()["created"] == 1
    copy = CatalogItem.objects.get(agency=zone["jyj"])
    assert copy.elements() | {"subject_agency": None} == CatalogItem.objects.get(
        agency=zone["mzj"]
    ).elements() | {"subject_agency": None}


# --- validation, dry run, skip-invalid, re-import -----------------------------------


def test_dry_run_writes_nothing(tmp_path, zone, people):
    path = builders.build_xlsx(tmp_path / "c.xlsx", {"社会救助": SAMPLE})
    before = _snapshot()
    plan = _import(path, zone, people, dry_run=True)
    assert plan.as_dict()["created"] == 3 and not plan.applied
    assert _snapshot() == before


def test_bad_rows_block_everything_or_are_skipped(tmp_path, zone, people):
    bad = dict(SAMPLE[1], level2="")
    rows = [SAMPLE[0], bad, SAMPLE[2], dict(SAMPLE[0])]  # missing name + duplicate
    path = builders.build_xlsx(tmp_path / "c.xlsx", {"社会救助": rows})
    before = _snapshot()
    plan = _import(path, zone, people)
    assert len(plan.problems) == 2 and not plan.applied
    messages = " ".join(p.message for p in plan.problems)
    assert "二级事项不能为空" in messages and "重复" in messages
    assert all(p.row > 0 and p.column for p in plan.problems)
    assert _snapshot() == before
    with pytest.raises(ValidationError):
        apply_import(plan, people["admin"])

    plan = _import(path, zone, people, skip_invalid=True)
    assert plan.as_dict()["created"] == 2 and plan.as_dict()["skipped"] == 2


def test_reimport_updates_changed_rows_as_new_versions(tmp_path, zone, people):
    path = builders.build_xlsx(tmp_path / "c.xlsx", {"社会救助": SAMPLE})
    _import(path, zone, people, publish=True)
    item = _item(zone["mzj"], "政策法规文件")
    assert item.status == ItemStatus.PUBLISHED
    versions_before = item.history.count()

    changed = [dict(SAMPLE[0], time_limit="制定或获取信息之日起10个工作日内"), *SAMPLE[1:]]
    path = builders.build_xlsx(tmp_path / "c2.xlsx", {"社会救助": changed})
    plan = _import(path, zone, people)
    assert (plan.count("create"), plan.count("update"), plan.count("unchanged")) == (0, 1, 2)
    item.refresh_from_db()
    assert item.time_limit_text == "制定或获取信息之日起10个工作日内"
    assert item.status == ItemStatus.SUBMITTED  # a changed item goes back through review
    assert item.history.count() == versions_before + 1
    other = _item(zone["mzj"], "办理服务")
    assert other.status == ItemStatus.PUBLISHED and other.history.count() == 1


def test_publish_needs_an_administrator_and_is_audited(tmp_path, zone, people):
    path = builders.build_xlsx(tmp_path / "c.xlsx", {"社会救助": SAMPLE})
    plan = plan_import(path, zone["mzj"])
    with pytest.raises(PermissionDenied):
        apply_import(plan, people["editor"], publish=True)
    with pytest.raises(PermissionDenied):
        apply_import(plan, people["other_editor"])
    apply_import(plan, people["admin"], publish=True)
    entry = AuditEntry.objects.get(action="catalog.import_publish")
    assert entry.after["created"] == 3 and "直接发布" in entry.note
    assert len(entry.after["sha256"]) == 64


# --- hostile and broken files -------------------------------------------------------

HOSTILE = {
    "corrupt.xlsx": lambda p: builders.build_corrupt_zip(p),
    "picture.xlsx": lambda p: builders.build_png(p),
    "locked.xlsx": lambda p: builders.build_encrypted_ooxml(p),
    "empty.xlsx": lambda p: p.write_bytes(b"") or p,
    "bomb.xlsx": lambda p: builders.build_zip_bomb(p),
    "laughs.xlsx": lambda p: builders.build_billion_laughs_xlsx(p),
    "xxe.docx": lambda p: builders.build_xxe_docx(p),
    "long.xlsx": lambda p: builders.build_long_cell_xlsx(p),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_hostile_file_leaves_the_database_as_it_was(tmp_path, zone, people, name):
    path = tmp_path / name
    HOSTILE[name](path)
    before = _snapshot()
    with pytest.raises(ExchangeError) as info:
        _import(path, zone, people)
    assert any("\u4e00" <= ch <= "\u9fff" for ch in str(info.value))  # a Chinese message
    assert _snapshot() == before


def test_unrecognised_headers(tmp_path, zone, people):
    path = tmp_path / "c.csv"
    path.write_text("姓名,年龄,地址\n张三,30,某地\n李四,40,某地\n", encoding="utf-8")
    before = _snapshot()
    plan = _import(path, zone, people, domain="social_assistance")
    assert plan.problems and "表头" in plan.problems[0].message
    assert _snapshot() == before


def test_formula_cells(tmp_path, zone, people):
    path = builders.build_formula_xlsx(tmp_path / "f.xlsx")
    before = _snapshot()
    try:
        plan = _import(path, zone, people, domain="social_assistance", dry_run=True)
    except ExchangeError as exc:
        assert "公式" in str(exc)
    else:
        assert all("=" not in str(r.data.elements.get("level2", ""))[:1] for r in plan.rows)
    assert _snapshot() == before


# --- the command ---------------------------------------------------------------------


def test_command_json_and_exit_codes(tmp_path, zone, people, capsys):
    path = builders.build_xlsx(tmp_path / "c.xlsx", {"社会救助": SAMPLE})
    call_command(
        "import-catalog",
        str(path),
        "--agency",
        zone["mzj"].code,
        "--json",
        "--user",
        people["admin"].username,
    )
    out = json.loads(capsys.readouterr().out)
    assert out == {"created": 3, "updated": 0, "unchanged": 0, "skipped": 0, "errors": []}

    bad = builders.build_xlsx(tmp_path / "b.xlsx", {"社会救助": [dict(SAMPLE[0], level2="")]})
    with pytest.raises(CommandError):
        call_command(
            "import-catalog",
            str(bad),
            "--agency",
            zone["mzj"].code,
            "--json",
            "--user",
            people["admin"].username,
        )
    out = json.loads(capsys.readouterr().out)
    assert out["errors"][0]["row"] > 0 and out["errors"][0]["message"]
    for p in [tmp_path / "missing.xlsx", builders.build_png(tmp_path / "x.xlsx")]:
        with pytest.raises(CommandError):
            call_command(
                "import-catalog",
                str(p),
                "--agency",
                zone["mzj"].code,
                "--user",
                people["admin"].username,
            )
    with pytest.raises(CommandError, match="找不到机关"):
        call_command("import-catalog", str(path), "--agency", "NOPE")


# --- the back office: upload → preview → confirm -----------------------------------


def test_back_office_upload_preview_confirm(client, tmp_path, zone, people, settings):
    settings.DATA_DIR = tmp_path
    path = builders.build_xlsx(tmp_path / "c.xlsx", {"社会救助": SAMPLE})
    client.force_login(people["editor"])
    url = "/admin/catalog/catalogitem/import/"
    assert "上传并预览" in client.get(url).content.decode()
    with path.open("rb") as fh:
        page = client.post(url, {"agency": zone["mzj"].code, "file": fh}).content.decode()
    assert "将新建 <strong>3</strong> 项" in page and "政策法规文件" in page
    assert not CatalogItem.objects.exists()  # preview writes nothing
    token = client.session["catalog_import_uploads"].popitem()[0]
    assert "直接发布" not in page  # editors cannot publish directly

    # Another user cannot confirm someone else's upload.
    other = client_class_login(people["other_editor"])
    other.post(url, {"step": "confirm", "token": token, "agency": zone["mzj"].code})
    assert not CatalogItem.objects.exists()

    response = client.post(url, {"step": "confirm", "token": token, "agency": zone["mzj"].code})
    assert response.status_code == 302
    assert CatalogItem.objects.filter(agency=zone["mzj"], status="submitted").count() == 3
    assert not list((tmp_path / "imports").iterdir())  # the upload is removed


def test_back_office_upload_of_a_broken_file(client, tmp_path, zone, people, settings):
    settings.DATA_DIR = tmp_path
    path = builders.build_png(tmp_path / "c.xlsx")
    client.force_login(people["editor"])
    with path.open("rb") as fh:
        response = client.post(
            "/admin/catalog/catalogitem/import/",
            {"agency": zone["mzj"].code, "file": fh},
            follow=True,
        )
    page = response.content.decode()
    assert response.status_code == 200 and "上传并预览" in page
    assert "errornote" in page or "error" in page
    assert not list((tmp_path / "imports").iterdir())


def client_class_login(user):
    from django.test import Client

    c = Client()
    c.force_login(user)
    return c


def test_own_json_with_unknown_codes_or_wrong_format(tmp_path, zone, people):
    bad = tmp_path / "c.json"
    bad.write_text(
        json.dumps(
            {
                "format": "gongkai-catalog",
                "version": 1,
                "sheets": [
                    {
                        "domain_name": "社会救助",
                        "rows": [
                            dict.fromkeys(("level1", "level2"), "x")
                            | {"channels": ["website", "carrier_pigeon"]}
                        ],
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    plan = plan_import(bad, zone["mzj"])
    assert [(p.row, p.column, p.value) for p in plan.problems] == [
        (1, "channels", "carrier_pigeon")
    ]
    other = tmp_path / "d.json"
    other.write_text('{"hello": "world"}', encoding="utf-8")
    with pytest.raises(ExchangeError, match="gongkai-catalog"):
        plan_import(other, zone["mzj"])


@pytest.mark.skipif(not shutil.which("soffice"), reason="LibreOffice makes the .xls/.ods")
@pytest.mark.parametrize("target", ["xls", "ods"])
def test_legacy_formats_converted_by_libreoffice(tmp_path, zone, people, target):
    source = builders.build_xlsx(tmp_path / "c.xlsx", {"社会救助": SAMPLE})
    subprocess.run(
        ["soffice", "--headless", "--convert-to", target, "--outdir", str(tmp_path), str(source)],
        check=True,
        timeout=180,
        capture_output=True,
        env={"HOME": str(tmp_path), "PATH": "/usr/bin:/bin"},
    )
    plan = _import(tmp_path / f"c.{target}", zone, people)
    assert plan.problems == [] and plan.count("create") == 3
    _check_first_sample(_item(zone["mzj"], "政策法规文件"))


def test_a_national_departments_catalog_imports_as_a_guideline(tmp_path, zone, db):
    from django.contrib.auth import get_user_model

    from gongkai.catalog.services import compare_with_guideline

    root = get_user_model().objects.create_superuser("root", password="x" * 12)
    path = builders.build_xlsx(tmp_path / "g.xlsx", {"社会救助": SAMPLE})
    import_catalog(path, zone["moe"], root, publish=True)
    assert CatalogItem.objects.filter(agency=zone["moe"], is_guideline=True).count() == 3
    (comparison,) = compare_with_guideline(zone["mzj"])
    assert comparison.summary["pending"] == 3


# ------------------------------------------------------------------ section heading rows


def _sectioned(rows: list[dict]) -> list[tuple[str, list[dict]]]:
    """Rows grouped under their 一级事项, each group to follow a heading row."""
    groups: dict[str, list[dict]] = {}
    for r in rows:
        groups.setdefault(r["level1"], []).append({**r, "level1": ""})
    return list(groups.items())


def _sectioned_xlsx(path, sections, domain_heading=None):
    """The standard template with a heading row merged across the table above each
    section ("一、最低生活保障"), as published catalogs group their items."""
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.title = "Sheet1"
    width = len(builders.STANDARD_TOP)
    ws.append(["基层政务公开标准目录"])
    ws.append(builders.STANDARD_TOP)
    ws.append(builders.STANDARD_SUB)
    numerals = "一二三四五六七八九"
    merged_rows = []
    if domain_heading:
        ws.append([domain_heading])
        merged_rows.append(ws.max_row)
    n = 0
    for k, (heading, rows) in enumerate(sections):
        ws.append([f"{numerals[k]}、{heading}"])
        merged_rows.append(ws.max_row)
        for row in rows:
            n += 1
            ws.append(builders.standard_cells(row, n))
    for r in merged_rows:
        ws.merge_cells(start_row=r, start_column=1, end_row=r, end_column=width)
    for c in builders.STANDARD_HEADER_TALL:
        ws.merge_cells(start_row=2, start_column=c + 1, end_row=3, end_column=c + 1)
    for c0, c1 in builders.STANDARD_HEADER_SPANS:
        ws.merge_cells(start_row=2, start_column=c0 + 1, end_row=2, end_column=c1 + 1)
    wb.save(path)
    return path


def test_section_heading_rows_give_the_level1_of_the_rows_below(tmp_path, zone):
    rows = list({(r["level1"], r["level2"]): r for r in _real_rows("社会救助") + SAMPLE}.values())
    assert len({r["level1"] for r in rows}) >= 3
    sections = _sectioned(rows)
    path = _sectioned_xlsx(
        tmp_path / "sectioned.xlsx", sections, "社会救助领域基层政务公开标准目录"
    )
    plan = plan_import(path, zone["mzj"])
    assert plan.problems == []
    got = [(p.data.domain, p.data.elements["level1"], p.data.elements["level2"]) for p in plan.rows]
    from gongkai.catalog.exchange.normalize import to_simplified

    want = [
        ("social_assistance", to_simplified(h), to_simplified(r["level2"]))
        for h, group in sections
        for r in group
    ]
    assert got == want


def test_a_heading_naming_a_domain_sets_the_domain_of_the_rows_below(tmp_path, zone):
    """A workbook without a domain in its title or sheet name, its domains given by
    heading rows ("二、义务教育领域"): each section lands in its domain."""
    from docx import Document

    doc = Document()
    doc.add_paragraph("关于公布基层政务公开标准目录的通知")
    header = ["序号", "事项名称", "公开内容", "公开依据", "公开时限", "公开主体", "公开渠道"]
    body = [
        ["一、社会救助领域"],
        ["（一）最低生活保障"],
        [
            "1",
            "低保办理指南",
            "申请条件、材料",
            "《社会救助暂行办法》",
            "20个工作日内",
            "县民政局",
            "政府网站",
        ],
        ["二、义务教育领域"],
        ["2", "招生政策", "招生范围、时间", "《义务教育法》", "招生前", "县教育局", "政府网站"],
    ]
    table = doc.add_table(rows=1 + len(body), cols=len(header))
    for c, text in enumerate(header):
        table.cell(0, c).text = text
    for r, cells in enumerate(body, start=1):
        if len(cells) == 1:  # merged across the table, as a heading row is
            table.cell(r, 0).merge(table.cell(r, len(header) - 1)).text = cells[0]
        else:
            for c, text in enumerate(cells):
                table.cell(r, c).text = text
    path = tmp_path / "notice.docx"
    doc.save(path)
    plan = plan_import(path, zone["mzj"])
    assert plan.problems == []
    got = [(p.data.domain, p.data.elements["level1"], p.data.elements["level2"]) for p in plan.rows]
    assert got == [
        ("social_assistance", "最低生活保障", "低保办理指南"),
        ("compulsory_education", "", "招生政策"),
    ]


def test_rows_before_any_domain_heading_still_need_a_domain(tmp_path, zone):
    path = tmp_path / "c.csv"
    path.write_text(
        "序号,事项名称,公开内容,公开依据,公开时限,公开主体,公开渠道\n"
        "1,低保办理指南,条件,《社会救助暂行办法》,20个工作日内,县民政局,政府网站\n"
        "二、义务教育领域,,,,,,\n"
        "2,招生政策,招生范围,《义务教育法》,招生前,县教育局,政府网站\n",
        encoding="utf-8",
    )
    before = _snapshot()
    plan = plan_import(path, zone["mzj"])
    assert [p.message for p in plan.problems if "领域" in p.message]
    with pytest.raises(Exception):  # noqa: B017,PT011 - nothing is written either way
        apply_import(plan, None)
    assert _snapshot() == before


@pytest.mark.parametrize(
    "header",
    [
        ["序号", "事项名称", "主要内容", "法律依据", "时限要求", "责任单位", "公开途径"]
        + ["公开范围", "公开形式", "公开级别"],
        ["编号", "公开事项", "公开内容（要素）", "政策依据", "公开时间", "责任部门", "发布渠道"]
        + ["公开对象", "公开方式", "层级"],
        ["序", "项目名称", "内容", "依据", "时限", "公开责任主体", "公开载体"]
        + ["面向对象", "公开类型", "公开层级"],
    ],
)
def test_header_wordings_seen_in_published_catalogs(tmp_path, zone, header):
    """One-row headers as local governments word them: all nine elements are read."""
    path = tmp_path / "c.csv"
    row = ["1", "低保审核结果", "对象、金额", "《社会救助暂行办法》", "20个工作日内", "县民政局"]
    row += ["政府网站、公示栏", "全社会", "主动公开", "县级、乡级"]
    lines = ["社会救助领域基层政务公开标准目录", ",".join(header), ",".join(row)]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    plan = plan_import(path, zone["mzj"])
    assert plan.problems == []
    (planned,) = plan.rows
    e = planned.data.elements
    assert (e["level2"], e["content"], e["basis"]) == (
        "低保审核结果",
        "对象、金额",
        "《社会救助暂行办法》",
    )
    assert (e["time_limit_text"], e["subject_text"]) == ("20个工作日内", "县民政局")
    assert e["channels"] == ["website", "notice_board"]
    assert (e["audience"], e["mode"], e["levels"]) == (
        ["public"],
        ["proactive"],
        ["county", "township"],
    )


def _unread_csv(tmp_path, extra_header: str = "", extra_cell: str = ""):
    """A catalog CSV with a 监督电话 column the reader does not know (and `extra_…`)."""
    path = tmp_path / "c.csv"
    header = "序号,事项名称,公开内容,公开依据,公开时限,公开主体,公开渠道,公开对象,公开方式,公开层级"
    row = "1,低保审核结果,对象,《社会救助暂行办法》,20个工作日内,县民政局,政府网站,全社会,主动,县级"
    lines = ["社会救助领域基层政务公开标准目录", f"{header},监督电话{extra_header}"]
    lines.append(f"{row},12345{extra_cell}")
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def test_columns_nobody_recognised_are_reported_not_dropped_silently(tmp_path, zone, people):
    """A column whose header means nothing to the reader (监督电话 here) holds data that is
    not imported: the preview and the command say so; blank unknown columns are no news."""
    path = _unread_csv(tmp_path, ",空列", ",")
    plan = plan_import(path, zone["mzj"])
    assert plan.problems == [] and plan.count("create") == 1
    assert len(plan.notices) == 1 and "监督电话" in plan.notices[0]
    assert "空列" not in plan.notices[0]
    err = io.StringIO()
    call_command(
        "import-catalog", str(path), "--agency", zone["mzj"].code, "--dry-run",
        "--user", people["admin"].username, stderr=err, stdout=io.StringIO(),
    )  # fmt: skip
    assert "提示：" in err.getvalue() and "监督电话" in err.getvalue()


def test_back_office_preview_shows_unread_columns(client, tmp_path, zone, people, settings):
    settings.DATA_DIR = tmp_path
    path = _unread_csv(tmp_path)
    client.force_login(people["editor"])
    with path.open("rb") as fh:
        page = client.post(
            "/admin/catalog/catalogitem/import/", {"agency": zone["mzj"].code, "file": fh}
        ).content.decode()
    assert "将新建 <strong>1</strong> 项" in page
    assert "提示：" in page and "监督电话" in page and "其内容未导入" in page


def test_two_catalogs_stacked_in_one_sheet_keep_their_domains(tmp_path, zone):
    """Two domains' tables pasted one under the other: the second title row (and its
    repeated header) starts the second domain."""
    header = "序号,事项名称,公开内容,公开依据,公开时限,公开主体,公开渠道,公开对象,公开方式,公开层级"
    lines = [
        "社会救助领域基层政务公开标准目录",
        header,
        "1,低保审核结果,对象,《社会救助暂行办法》,20个工作日内,县民政局,政府网站,全社会,主动,县级",
        "义务教育领域基层政务公开标准目录",
        header,
        "1,招生政策,招生范围,《义务教育法》,招生前,县教育局,政府网站,全社会,主动,县级",
    ]
    path = tmp_path / "c.csv"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    plan = plan_import(path, zone["mzj"])
    assert plan.problems == []
    assert [(p.data.domain, p.data.elements["level2"]) for p in plan.rows] == [
        ("social_assistance", "低保审核结果"),
        ("compulsory_education", "招生政策"),
    ]
