"""SourceTable → RowData/Problems (pure Python, no database)."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.catalog.domains import STANDARD_DOMAINS
from gongkai.catalog.exchange.model import ELEMENT_KEYS, RowData, SourceTable, TableParse
from gongkai.catalog.exchange.normalize import DomainMatcher
from gongkai.catalog.exchange.parse import parse_table

ROOT = Path(__file__).resolve().parents[3]
SAMPLES = ROOT / "tests" / "data" / "catalog_samples.jsonl"

MATCHER = DomainMatcher([(d.code, d.name, d.aliases) for d in STANDARD_DOMAINS])

TITLE = "社会救助领域基层政务公开标准目录"
TOP = [
    "序号",
    "公开事项",
    "",
    "公开内容（要素）",
    "公开依据",
    "公开时限",
    "公开主体",
    "公开渠道和载体",
    "公开对象",
    "",
    "公开方式",
    "",
    "公开层级",
    "",
]
SUB = ["", "一级事项", "二级事项", "", "", "", "", "", "全社会", "特定群体", "主动", "依申请"]
SUB += ["县级", "乡级"]
CHECKLIST = (
    "■政府网站\n□政府公报\n■两微一端\n□发布会/听证会\n□广播电视\n□纸质媒体\n□公开查阅点\n"
    "□政务服务中心\n□便民服务站\n□入户/现场\n□社区/企事业单位/村公示栏（电子屏）\n□精准推送\n□其他"
)


def row(
    seq="1",
    level1="政策文件",
    level2="法规文件",
    content="《社会救助暂行办法》",
    basis="《政府信息公开条例》",
    limit="信息形成或者变更之日起20个工作日内",
    subject="县民政局",
    channels="■政府网站 □政府公报",
    ticks=("√", "", "√", "", "√", ""),
) -> list[str]:
    return [seq, level1, level2, content, basis, limit, subject, channels, *ticks]


def table(
    rows: list[list[str]],
    name: str = "Sheet1",
    titles: tuple[str, ...] = (),
    first: int = 1,
    merged: tuple = (),
) -> SourceTable:
    width = max(len(r) for r in rows)
    rows = [list(r) + [""] * (width - len(r)) for r in rows]
    numbers = list(range(first, first + len(rows)))
    return SourceTable(name, rows, numbers, list(titles), list(merged))


def standard(*data: list[str], title: str = TITLE, **kw) -> SourceTable:
    head = [[title] + [""] * (len(TOP) - 1)] if title else []
    return table([*head, TOP, SUB, *data], **kw)


def parse(t: SourceTable, domain: str | None = None) -> TableParse:
    return parse_table(t, MATCHER, domain)


def only_row(result: TableParse) -> RowData:
    assert result.problems == []
    assert len(result.rows) == 1
    return result.rows[0]


# ----------------------------------------------------------------------- the template


def test_standard_template():
    result = parse(standard(row(), row("2", "", "审核信息", ticks=("", "√", "", "√", "", "√"))))
    assert result.problems == []
    assert result.domain == "social_assistance"
    assert result.columns == {
        "level1": "一级事项",
        "level2": "二级事项",
        "content": "公开内容（要素）",
        "basis": "公开依据",
        "time_limit_text": "公开时限",
        "subject_text": "公开主体",
        "channels": "公开渠道和载体",
        "audience": "公开对象",
        "mode": "公开方式",
        "levels": "公开层级",
    }
    first, second = result.rows
    assert first.row == 4 and first.table == "Sheet1" and first.domain == "social_assistance"
    assert first.elements == {
        "code": "",
        "level1": "政策文件",
        "level2": "法规文件",
        "level3": "",
        "content": "《社会救助暂行办法》",
        "basis": "《政府信息公开条例》",
        "time_limit_text": "信息形成或者变更之日起20个工作日内",
        "subject_text": "县民政局",
        "channels": ["website"],
        "channels_other": "",
        "audience": ["public"],
        "audience_note": "",
        "mode": ["proactive"],
        "levels": ["county"],
    }
    assert tuple(first.elements) == ELEMENT_KEYS
    # 一级事项 carried down; the other ticks.
    assert second.elements["level1"] == "政策文件"
    assert second.elements["audience"] == ["specific"]
    assert second.elements["mode"] == ["on_request"]
    assert second.elements["levels"] == ["township"]
    assert first.original["二级事项"] == "法规文件"
    assert first.original["全社会"] == "√"


def test_elements_have_exactly_the_element_keys_and_fresh_lists():
    result = parse(standard(row(), row("2", level2="另一项")))
    for r in result.rows:
        assert tuple(r.elements) == ELEMENT_KEYS
        for key in ("channels", "audience", "mode", "levels"):
            assert isinstance(r.elements[key], list)
    a, b = result.rows
    a.elements["channels"].append("x")
    a.elements["audience"].append("x")
    assert b.elements["channels"] == ["website"]
    assert b.elements["audience"] == ["public"]


# ------------------------------------------------------------------------ header variants


def _columns_of(top, sub, data) -> TableParse:
    rows = [top] + ([sub] if sub else []) + [data]
    return parse(table(rows, name="社会救助"))


@pytest.mark.parametrize(
    ("top", "sub", "data", "expected"),
    [
        # 特定群众, 依申请公开, 乡、村级 (rangtang).
        (
            ["序号", "公开事项", "", "公开内容", "公开依据", "公开时限", "公开主体"]
            + ["公开渠道和载体", "公开对象", "", "公开方式", "", "公开层级", ""],
            ["", "一级事项", "二级事项", "", "", "", "", "", "全社会", "特定群众", "主动"]
            + ["依申请公开", "县级", "乡、村级"],
            ["1", "a", "b", "c", "d", "e", "f", "■政府网站", "", "√", "", "√", "", "√"],
            {
                "audience": ["specific"],
                "mode": ["on_request"],
                "levels": ["township", "village"],
            },
        ),
        # 市级/县级/乡级 (ahshangpin).
        (
            ["序号", "一级事项", "二级事项", "公开内容", "公开依据", "公开时限", "公开主体"]
            + ["公开渠道", "公开对象", "", "公开方式", "", "公开层级", "", ""],
            ["", "", "", "", "", "", "", "", "全社会", "特定群体", "主动", "依申请"]
            + ["市级", "县级", "乡级"],
            ["1", "a", "b", "c", "d", "e", "f", "政府网站", "√", "", "√", "", "√", "√", ""],
            {"levels": ["city", "county"]},
        ),
        # 市级/镇（街）级 (youhaodoor).
        (
            ["序号", "公开事项", "", "公开内容（要素）", "公开依据", "公开时限", "责任主体"]
            + ["公开渠道和载体", "公开对象", "", "公开方式", "", "公开层级", ""],
            ["", "一级事项", "二级事项", "", "", "", "", "", "全社会", "特定群体", "主动"]
            + ["依申请", "市级", "镇（街）级"],
            ["1", "a", "b", "c", "d", "e", "f", "■政府网站", "√", "", "√", "", "", "√"],
            {"levels": ["township"], "subject_text": "f"},
        ),
        # 州级县级/乡、村级 (xjwqx).
        (
            ["序号", "公开事项", "", "公开内容", "公开依据", "公开时限", "公开主体"]
            + ["公开渠道和载体", "公开对象", "", "公开方式", "", "公开层级", ""],
            ["", "一级事项", "二级事项", "", "", "", "", "", "全社会", "特定群体", "主动"]
            + ["依申请", "州级县级", "乡、村级"],
            ["1", "a", "b", "c", "d", "e", "f", "■政府网站", "√", "", "√", "", "√", ""],
            {"levels": ["city", "county"]},
        ),
        # 三级事项 and 五公开 (sanmen, Zhejiang).
        (
            ["序号", "公开事项", "", "", "公开内容", "公开依据", "公开时限", "公开主体"]
            + ["公开渠道和载体", "公开对象", "", "公开方式", "", "公开层级", "", "五公开"],
            ["", "一级事项", "二级事项", "三级事项", "", "", "", "", "", "全社会", "特定群体"]
            + ["主动", "依申请", "县级", "乡级", ""],
            ["1", "a", "b", "b3", "c", "d", "e", "f", "■政府网站", "√", "", "√", "", "√"]
            + ["", "决策"],
            {"level3": "b3", "content": "c", "levels": ["county"]},
        ),
        # No 一级事项; a numeric code without a header of its own (锡林浩特's 0505).
        (
            ["序号", "", "二级事项", "公开内容", "公开依据", "公开时限", "公开主体", "公开渠道"]
            + ["公开对象", "", "公开方式", "", "公开层级", ""],
            ["", "", "", "", "", "", "", "", "全社会", "特定群体", "主动", "依申请", "县级"]
            + ["乡级"],
            ["1", "0505", "b", "c", "d", "e", "f", "政府网站", "√", "", "√", "", "√", ""],
            {"code": "0505", "level1": "", "level2": "b"},
        ),
        # 事项编码 with its own header, 事项名称/公开要素/依据/时限/责任单位/公开载体.
        (
            ["事项编码", "事项类别", "事项名称", "公开要素", "依据", "时限", "责任单位", "公开载体"]
            + ["全社会", "特定群体", "主动", "依申请", "县级", "乡级"],
            None,
            ["A-01", "a", "b", "c", "d", "e", "f", "政府网站", "√", "", "√", "", "√", ""],
            {"code": "A-01", "level1": "a", "level2": "b", "content": "c", "basis": "d"},
        ),
        # 编码, 公开事项名称, 公开渠道及载体, 公开单位.
        (
            ["编码", "公开事项名称", "公开内容", "公开依据", "公开时限", "公开单位"]
            + ["公开渠道及载体"],
            None,
            ["0101", "b", "c", "d", "e", "f", "政府网站、两微一端"],
            {"code": "0101", "level2": "b", "subject_text": "f"},
        ),
        # Free text in single 公开对象 / 公开方式 / 公开层级 columns.
        (
            ["序号", "一级事项", "二级事项", "公开内容", "公开依据", "公开时限", "公开主体"]
            + ["公开渠道", "公开对象", "公开方式", "公开层级"],
            None,
            ["1", "a", "b", "c", "d", "e", "f", "政府网站", "全社会、特定群体", "主动、依申请"]
            + ["县级、乡级"],
            {
                "audience": ["public", "specific"],
                "mode": ["proactive", "on_request"],
                "levels": ["county", "township"],
            },
        ),
        (
            ["序号", "一级事项", "二级事项", "公开内容", "公开依据", "公开时限", "公开主体"]
            + ["公开渠道", "公开对象", "公开方式", "公开层级"],
            None,
            ["1", "a", "b", "c", "d", "e", "f", "政府网站", "特定群众", "依申请", "县、乡、村"],
            {
                "audience": ["specific"],
                "mode": ["on_request"],
                "levels": ["county", "township", "village"],
            },
        ),
        (
            ["序号", "一级事项", "二级事项", "公开内容", "公开依据", "公开时限", "公开主体"]
            + ["公开渠道", "公开对象", "公开方式", "公开层级"],
            None,
            ["1", "a", "b", "c", "d", "e", "f", "政府网站", "全社会", "主动", "镇（街）级"],
            {"audience": ["public"], "mode": ["proactive"], "levels": ["township"]},
        ),
        # Only 公开事项 (no 二级事项): it names the items.
        (
            ["序号", "公开事项", "公开内容", "公开依据", "公开时限", "公开主体", "公开渠道"],
            None,
            ["1", "低保审批", "c", "d", "e", "f", "政府网站"],
            {"level1": "", "level2": "低保审批"},
        ),
        # Headers with line breaks, spaces and traditional characters.
        (
            ["序 号", "一級\n事項", "二級事項", "公開內容\n（要素）", "公開\n依據", "公開時限"]
            + ["公開主體", "公開渠道\n和載體"],
            None,
            ["1", "a", "b", "c", "d", "e", "f", "■政府網站"],
            {"level1": "a", "content": "c", "channels": ["website"]},
        ),
    ],
)
def test_header_variants(top, sub, data, expected):
    result = _columns_of(top, sub, data)
    assert result.problems == []
    assert len(result.rows) == 1
    elements = result.rows[0].elements
    for key, value in expected.items():
        assert elements[key] == value, key


def test_ignored_columns_are_listed_and_kept_in_original():
    top = ["序号", "一级事项", "二级事项", "公开内容", "公开依据", "公开时限", "公开主体"]
    top += ["公开渠道", "备注", "联系电话", "五公开"]
    data = ["1", "a", "b", "c", "d", "e", "f", "政府网站", "按季度更新", "12345", "结果"]
    result = _columns_of(top, None, data)
    assert result.ignored_columns == ["备注", "联系电话", "五公开"]
    r = only_row(result)
    assert r.original["备注"] == "按季度更新"
    assert r.original["联系电话"] == "12345"
    assert "备注" not in result.columns.values()


def test_docx_style_header_repeats_merged_texts():
    """python-docx repeats a merged cell's text in every grid cell it covers."""
    top = ["序号", "公开事项", "公开事项", "公开内容", "公开依据", "公开时限", "公开主体"]
    top += [
        "公开渠道和载体",
        "公开对象",
        "公开对象",
        "公开方式",
        "公开方式",
        "公开层级",
        "公开层级",
    ]
    sub = ["序号", "一级事项", "二级事项", "公开内容", "公开依据", "公开时限", "公开主体"]
    sub += ["公开渠道和载体", "全社会", "特定群体", "主动", "依申请", "县级", "乡级"]
    data = ["1", "a", "b", "c", "d", "e", "f", "■政府网站", "√", "", "", "√", "", "√"]
    r = only_row(_columns_of(top, sub, data))
    assert r.elements["level1"] == "a"
    assert r.elements["mode"] == ["on_request"]
    assert r.elements["levels"] == ["township"]


def test_channel_tick_columns_under_the_channel_group():
    top = ["序号", "一级事项", "二级事项", "公开内容", "公开依据", "公开时限", "公开主体"]
    top += ["公开渠道和载体", "", "", "", "公开对象", ""]
    sub = ["", "", "", "", "", "", "", "政府网站", "两微一端", "公开查阅点", "其他", "全社会"]
    sub += ["特定群体"]
    data = ["1", "a", "b", "c", "d", "e", "f", "√", "", "√", "法律服务网", "√", ""]
    result = _columns_of(top, sub, data)
    r = only_row(result)
    assert r.elements["channels"] == ["website", "reading_point", "other"]
    assert r.elements["channels_other"] == "法律服务网"
    assert result.columns["channels"] == "公开渠道和载体"


def test_url_column_is_a_website_channel():
    top = ["序号", "一级事项", "二级事项", "公开内容", "公开依据", "公开时限", "公开主体"]
    top += ["公开渠道和载体", "网址"]
    data = ["1", "a", "b", "c", "d", "e", "f", "■两微一端", "http://dgsfj.dg.gov.cn/"]
    r = only_row(_columns_of(top, None, data))
    assert r.elements["channels"] == ["website", "new_media"]
    assert r.elements["channels_other"] == "http://dgsfj.dg.gov.cn/"


def test_csv_export_layout_with_domain_column():
    """Gongkai's own CSV export: one header row, a 领域 column, 其他渠道, 特定群体说明."""
    header = ["领域", "编制单位", "序号", "事项编码", "一级事项", "二级事项", "三级事项"]
    header += ["公开内容", "公开依据", "公开时限", "公开主体", "公开渠道和载体", "其他渠道"]
    header += ["全社会", "特定群体", "特定群体说明", "主动", "依申请"]
    header += ["省级", "市级", "县级", "乡级", "村级"]
    rows = [
        header,
        ["社会救助", "民政局", "1", "0101", "a", "b", "", "c", "d", "e", "f"]
        + ["政府网站、其他", "法律服务网", "√", "√", "低保对象", "√", "", "", "", "√", "", ""],
        ["义务教育", "教育局", "1", "", "a", "b", "", "c", "d", "e", "f"]
        + ["政府网站", "", "√", "", "", "√", "", "", "", "", "√", ""],
    ]
    result = parse(table(rows, name="catalog.csv"))
    assert result.problems == []
    a, b = result.rows
    assert a.domain == "social_assistance" and b.domain == "compulsory_education"
    assert a.elements["code"] == "0101"
    assert a.elements["channels"] == ["website", "other"]
    assert a.elements["channels_other"] == "法律服务网"
    assert a.elements["audience"] == ["public", "specific"]
    assert a.elements["audience_note"] == "低保对象"
    assert a.elements["levels"] == ["county"]
    assert b.elements["levels"] == ["township"]
    assert "编制单位" in result.ignored_columns


def test_domain_column_override_wins():
    rows = [["领域", "二级事项", "公开内容", "公开依据"], ["社会救助", "b", "c", "d"]]
    result = parse_table(table(rows), MATCHER, "health")
    assert [r.domain for r in result.rows] == ["health"]


def test_header_below_title_rows_and_notes():
    rows = [
        ["附件3"],
        ["生態環境領域基層政務公開標準目錄"],
        ["编制单位：示范县生态环境分局", "", "", "", "填报时间：2024年"],
        TOP,
        SUB,
        row(),
    ]
    result = parse(table(rows))
    assert result.domain == "ecology"
    assert [r.row for r in result.rows] == [6]


# ------------------------------------------------------------------------------ domains


@pytest.mark.parametrize(
    ("title", "name", "titles", "expected"),
    [
        (TITLE, "Sheet1", (), "social_assistance"),
        ("", "5.财政预决算", (), "budget"),
        ("", "Sheet1", ("Sheet1", "附件3：生態環境領域基層政務公開標準目錄"), "ecology"),
        ("国有土地上房屋征收与补偿领域基层政务公开标准目录", "Sheet1", (), "housing_expropriation"),
        ("公共法律服务领域基层政务公开标准目录", "Sheet1", (), "public_legal"),
        # The title above the header wins over the sheet name.
        ("涉农补贴领域基层政务公开标准目录", "社会救助", (), "agri_subsidies"),
    ],
)
def test_domain_from_titles(title, name, titles, expected):
    result = parse(standard(row(), title=title, name=name, titles=titles))
    assert result.problems == []
    assert result.domain == expected
    assert result.rows[0].domain == expected


def test_domain_override_wins():
    result = parse(standard(row()), domain="health")
    assert result.domain == "health"
    assert result.rows[0].domain == "health"


def test_unknown_domain_is_one_table_problem():
    result = parse(standard(row(), row("2", level2="x"), title="某某单位目录", name="Sheet1"))
    assert len(result.problems) == 1
    problem = result.problems[0]
    assert problem.message == "无法确定所属领域：请在表格标题中写明领域，或用 --domain 指定"
    assert problem.column == "" and problem.table == "Sheet1" and problem.row == 2
    assert [r.domain for r in result.rows] == [None, None]
    # --domain settles it.
    assert parse(standard(row(), title="某某单位目录"), domain="budget").problems == []


def test_several_tables_several_domains():
    a = parse(standard(row(), title="社会救助领域基层政务公开标准目录", name="Sheet1"))
    b = parse(standard(row(), title="", name="义务教育"))
    assert (a.domain, b.domain) == ("social_assistance", "compulsory_education")


# ----------------------------------------------------------------------------- data rows


def test_same_as_above_copies_the_cell_above():
    result = parse(
        standard(
            row(),
            row("2", "", "第二项", content="名单", basis="同上", limit="同上", subject="同 上"),
            row(
                "3",
                "",
                "第三项",
                basis="同上",
                channels="同上",
                ticks=("同上", "", "√", "", "", "√"),
            ),
        )
    )
    assert result.problems == []
    _, second, third = result.rows
    for r in (second, third):
        assert r.elements["basis"] == "《政府信息公开条例》"
    assert second.elements["time_limit_text"] == "信息形成或者变更之日起20个工作日内"
    assert second.elements["subject_text"] == "县民政局"
    assert third.elements["channels"] == ["website"]
    assert third.elements["audience"] == ["public"]
    assert second.original["公开依据"] == "同上"  # the cell as written


def test_same_as_above_in_first_row_is_empty():
    r = only_row(parse(standard(row(basis="同上"))))
    assert r.elements["basis"] == ""


def test_blank_level1_is_carried_down_until_the_next():
    result = parse(
        standard(
            row("1", "政策文件", "a"),
            row("2", "", "b"),
            row("3", "  ", "c"),
            row("4", "办事指南", "d"),
            row("5", "", "e"),
        )
    )
    assert [r.elements["level1"] for r in result.rows] == ["政策文件"] * 3 + ["办事指南"] * 2


def test_level2_is_carried_down_over_its_level3_rows():
    top = ["序号", "一级事项", "二级事项", "三级事项", "公开内容", "公开依据", "公开时限"]
    top += ["公开主体", "公开渠道"]
    rows = [
        top,
        ["1", "法治宣传", "普法", "法律知识", "c", "d", "e", "f", "政府网站"],
        ["2", "", "", "法治文化", "c", "d", "e", "f", "政府网站"],
    ]
    result = parse(table(rows, name="公共法律服务"))
    assert result.problems == []
    assert [
        (r.elements["level1"], r.elements["level2"], r.elements["level3"]) for r in result.rows
    ] == [
        ("法治宣传", "普法", "法律知识"),
        ("法治宣传", "普法", "法治文化"),
    ]


def test_merged_cells_known_to_the_reader_are_filled_down():
    rows = [[TITLE], TOP, SUB, row("1", "政策文件", "a"), row("2", "", "b", subject="")]
    # The reader reports 公开主体 (column 6) merged over the two data rows (0-based rows 3–4).
    t = table(rows, merged=((1, 1, 1, 2), (3, 6, 4, 6)))
    result = parse(t)
    assert [r.elements["subject_text"] for r in result.rows] == ["县民政局", "县民政局"]
    assert result.rows[1].original["公开主体"] == ""


@pytest.mark.parametrize("dash", ["—", "-", "/", "无", "─", "——"])
def test_dashes_mean_empty(dash):
    r = only_row(parse(standard(row(content=dash, basis=dash, limit=dash, channels=dash))))
    assert r.elements["content"] == ""
    assert r.elements["basis"] == ""
    assert r.elements["time_limit_text"] == ""
    assert r.elements["channels"] == []


def test_dash_in_level1_stops_the_carry():
    result = parse(standard(row("1", "政策文件", "a"), row("2", "—", "b"), row("3", "", "c")))
    assert [r.elements["level1"] for r in result.rows] == ["政策文件", "", ""]


def test_text_is_cleaned_but_keeps_line_breaks():
    r = only_row(
        parse(
            standard(
                row(
                    content="  1.机构名称；\u3000\n\n 2.开放时间\u200b  ", level2=" 审核\u00a0信息 "
                )
            )
        )
    )
    assert r.elements["content"] == "1.机构名称；\n2.开放时间"
    assert r.elements["level2"] == "审核 信息"


def test_row_numbers_come_from_the_table():
    t = standard(row(), row("2", level2="x"), title="")
    t.row_numbers = [7, 8, 10, 12]
    result = parse(t, domain="budget")
    assert [r.row for r in result.rows] == [10, 12]


def test_blank_repeated_header_and_numbered_empty_rows_are_skipped():
    empty = [""] * len(TOP)
    numbered = ["9"] + [""] * (len(TOP) - 1)
    column_numbers = [str(i) for i in range(1, len(TOP) + 1)]
    result = parse(
        standard(
            column_numbers,
            row("1", "政策文件", "a"),
            empty,
            ["   ", "\u3000", "", "\n"],
            [TITLE],  # the title repeated on a new page
            TOP,  # the table continues on the next page with its header repeated
            SUB,
            row("2", "", "b"),
            numbered,
            ["注：本目录由县政务公开办负责解释。"],
        )
    )
    assert result.problems == []
    assert [r.elements["level2"] for r in result.rows] == ["a", "b"]
    assert result.rows[1].elements["level1"] == "政策文件"


# ------------------------------------------------------------------ real (traditional) rows

PIPE_ROWS = [f"d00{n:02d}" for n in (7, 8, 9, 10, 17, 18, 19, 34, 38, 40, 42, 43, 61, 62, 64)]


def _sample_rows() -> dict[str, dict]:
    rows = (json.loads(line) for line in SAMPLES.read_text(encoding="utf-8").splitlines() if line)
    return {r["id"]: r for r in rows}


def _flat(text: str | None) -> str:
    return "".join((text or "").split())


def test_sample_rows_as_published():
    """Rows of the samples' pipe-table excerpts (traditional characters, pinyin glosses, 同上)
    give the normalised values of catalog_samples.jsonl."""
    samples = _sample_rows()
    header = ["序号", "一级事项", "二级事项", "公开内容", "公开依据", "公开时限", "公开主体"]
    header += ["公开渠道和载体"]
    data = []
    for sid in PIPE_ROWS:
        cells = [c.strip() for c in samples[sid]["raw"].split("\n")[0].split("|")]
        data.append(cells[:8])
    result = parse(table([header, *data], name="Sheet1"), domain="budget")
    assert result.problems == []
    assert len(result.rows) == len(PIPE_ROWS)
    fields = {
        "level1": "level1",
        "level2": "level2",
        "content": "content",
        "basis": "basis",
        "time_limit_text": "time_limit",
        "subject_text": "subject",
    }
    for sid, r in zip(PIPE_ROWS, result.rows, strict=True):
        sample = samples[sid]
        for key, field in fields.items():
            if sample[field] is None:
                continue
            expected = _flat(sample[field])
            if sid == "d0018" and field == "basis":
                expected = _flat(samples["d0017"]["basis"])  # 同上
            assert _flat(r.elements[key]) == expected, (sid, key)
        assert r.original["公开时限"] == samples[sid]["raw"].split("\n")[0].split("|")[5].strip()


# ------------------------------------------------------------------------------ channels


@pytest.mark.parametrize(
    ("cell", "codes", "other"),
    [
        (CHECKLIST, ["website", "new_media"], ""),
        ("■政府网站 □政府公报 ☑两微一端 口公开查阅点", ["website", "new_media"], ""),
        ("t政府网站 t两微一端", ["website", "new_media"], ""),
        ("政府网站、发布会听证会、一微一端", ["website", "new_media", "press_hearing"], ""),
        (
            "政府服务中心；社区/企事业单位、村公示栏（电子屏）",
            ["service_center", "notice_board"],
            "",
        ),
        ("广播/电视 报刊", ["broadcast", "print"], ""),
        ("其他：法律服务网", ["other"], "法律服务网"),
        ("政府网站(http://www.dg.gov.cn/)", ["website"], "http://www.dg.gov.cn/"),
        (
            "■兩微一端 ■入戶/現(xiàn)場 ■其他法律服務(wù)網(wǎng)",
            ["new_media", "on_site", "other"],
            "法律服务网",
        ),
    ],
)
def test_channel_cells(cell, codes, other):
    r = only_row(parse(standard(row(channels=cell))))
    assert r.elements["channels"] == codes
    assert r.elements["channels_other"] == other
    assert r.original["公开渠道和载体"] == cell


# ------------------------------------------------------------------------------ problems


def test_missing_level2_is_a_problem_but_the_row_is_kept():
    result = parse(standard(row(level2="")))
    assert len(result.rows) == 1
    (problem,) = result.problems
    assert (problem.row, problem.column, problem.value) == (4, "二级事项", "")
    assert problem.message == "二级事项不能为空"
    assert problem.table == "Sheet1"


def test_unreadable_tick_is_a_problem():
    result = parse(standard(row(ticks=("?", "", "√", "", "√", ""))))
    (problem,) = result.problems
    assert (problem.row, problem.column, problem.value) == (4, "全社会", "?")
    assert problem.message == "无法识别的勾选标记"


def test_text_under_specific_audience_is_its_note():
    """Sample d0050: the 特定群体 column says who the group is."""
    r = only_row(
        parse(standard(row(ticks=("√", "面向拟征收土地所在地的村集体成员", "√", "", "", ""))))
    )
    assert r.elements["audience"] == ["public", "specific"]
    assert r.elements["audience_note"] == "面向拟征收土地所在地的村集体成员"


def test_own_label_in_a_tick_column_counts_as_ticked():
    r = only_row(parse(standard(row(ticks=("全社会", "", "主动", "", "县级", "")))))
    assert (r.elements["audience"], r.elements["mode"], r.elements["levels"]) == (
        ["public"],
        ["proactive"],
        ["county"],
    )


def test_unreadable_free_text_levels_is_a_problem():
    top = ["二级事项", "公开内容", "公开依据", "公开层级", "公开方式"]
    result = parse(table([top, ["b", "c", "d", "全部", "看情况"]], name="社会救助"))
    assert sorted((p.column, p.message) for p in result.problems) == [
        ("公开层级", "无法识别的公开层级"),
        ("公开方式", "无法识别的公开方式"),
    ]


def test_unknown_channel_names_are_not_problems():
    r = only_row(parse(standard(row(channels="12345热线、信用中国网站"))))
    assert r.elements["channels"] == ["other"]
    assert r.elements["channels_other"] == "12345热线；信用中国网站"


def test_lone_channel_box_is_a_problem():
    result = parse(standard(row(channels="■政府网站 ■")))
    (problem,) = result.problems
    assert problem.column == "公开渠道和载体" and "■" in problem.message


def test_overlong_name_is_a_problem():
    name = "项" * 5001
    result = parse(standard(row(level2=name)))
    (problem,) = result.problems
    assert problem.column == "二级事项"
    assert len(problem.value) < 100
    assert "5000" in problem.message


def test_hundred_thousand_character_content_is_fine():
    r = only_row(parse(standard(row(content="内" * 100_000))))
    assert len(r.elements["content"]) == 100_000


@pytest.mark.parametrize(
    "rows",
    [
        [["姓名", "年龄", "住址"], ["张三", "30", "某地"]],
        [
            ["填表说明", "", "", ""],
            ["1. 请按模板填写。", "", "", "备注"],
            ["", "2. 不要合并", "", "x"],
        ],
        # Recognised columns, but no 二级事项 / 事项名称.
        [["公开内容", "公开依据", "公开时限", "公开主体"], ["c", "d", "e", "f"]],
        # 二级事项 and fewer than 3 recognised columns.
        [["二级事项", "联系电话", "备注"], ["b", "123", ""]],
    ],
)
def test_unrecognised_header_is_one_problem(rows):
    t = table(rows, name="说明", first=3)
    result = parse(t)
    assert result.rows == []
    (problem,) = result.problems
    assert problem.row == 3 and problem.column == ""
    assert problem.message.startswith("未能识别表头：")
    assert problem.message.endswith("请使用标准目录模板或检查表头文字。")


def test_empty_table_gives_nothing():
    assert parse(table([["", ""], ["  ", ""]])) == TableParse(rows=[], problems=[])
    assert parse(SourceTable("x", [], [])) == TableParse(rows=[], problems=[])


@pytest.mark.parametrize(
    "rows",
    [
        [["首页", "政务公开"], ["信息公开目录", "标准目录"]],  # a saved page's navigation
        [["版权所有：示范县人民政府"]],
        [["二级事项", "公开内容"], ["b", "c"]],
    ],
)
def test_tables_too_narrow_for_a_catalog_are_not_read(rows):
    assert parse(table(rows)) == TableParse(rows=[], problems=[])


# ---------------------------------------------------------------------------- properties

cell_text = st.lists(
    st.sampled_from(
        list("政府网站公开内容依据时限主体渠道一二级事项同上√■□口t ,、;\n—/无")
        + list("全社会特定主动申请县乡村镇")
        + ["", "√", "同上", "■政府网站", "县级", "ab", "0505", "\u3000", "(gè)", "個", "內"]
    ),
    max_size=6,
).map("".join)
any_row = st.lists(cell_text, min_size=0, max_size=16)


@given(st.lists(any_row, max_size=12), st.text(max_size=20))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_parse_table_never_raises_on_arbitrary_tables(rows, name):
    t = SourceTable(name, rows, list(range(1, len(rows) + 1)), [name])
    result = parse(t)
    assert isinstance(result, TableParse)
    for r in result.rows:
        assert tuple(r.elements) == ELEMENT_KEYS


@given(st.lists(st.lists(st.text(max_size=30), max_size=15), max_size=8))
@settings(max_examples=200, suppress_health_check=[HealthCheck.too_slow])
def test_parse_table_never_raises_on_any_text(data):
    t = standard(*data)
    parse(t)


data_cell = st.lists(
    st.sampled_from(list("审批低保名单办理流程材料条件0123456789 \n") + ["同上", "—", "√", "■"]),
    max_size=6,
).map("".join)


@given(st.lists(st.lists(data_cell, min_size=14, max_size=14), min_size=1, max_size=15))
@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
def test_parse_table_never_loses_a_data_row(data):
    """Each non-blank data row becomes a RowData or (at least) a Problem on its row."""
    t = standard(*data)
    result = parse(t)
    seen = {r.row for r in result.rows} | {p.row for p in result.problems}
    for index, cells in enumerate(data):
        number = t.row_numbers[3 + index]
        if not "".join(cells).strip():
            continue
        only_seq = not "".join(cells[1:]).strip() and cells[0].strip().isdigit()
        column_numbers = [c.strip() for c in cells if c.strip()]
        is_number_row = (
            len(column_numbers) >= 4
            and all(v.isdigit() for v in column_numbers)
            and [int(v) for v in column_numbers]
            == list(range(int(column_numbers[0]), int(column_numbers[0]) + len(column_numbers)))
        )
        filled = {c.strip() for c in cells if c.strip()}
        heading = len(filled) == 1 and (cells[0].strip() or cells[1].strip())
        if only_seq or is_number_row or heading:
            continue  # a numbered but empty template row / a column-number row / a
            # section heading in the first or 一级事项 column (test_section_heading_rows)
        assert number in seen, cells


# --------------------------------------------------------------------------- performance


def test_parse_is_fast():
    data = []
    for i in range(20_000):
        level1 = f"一级事项{i // 20}" if i % 20 == 0 else ""
        content = f"事项名称、办理条件、申请材料、办理流程第{i}条"
        data.append(row(str(i + 1), level1, f"二级事项{i}", content=content, channels=CHECKLIST))
    t = standard(*data)
    started = time.perf_counter()
    result = parse(t)
    elapsed = time.perf_counter() - started
    assert len(result.rows) == 20_000 and result.problems == []
    assert elapsed < 4.0  # ~0.3 s on a laptop; the bound only catches a slow path
