"""Benchmark: import a generated 100,000-row catalog xlsx in the standard template.

Compares, in one run, Gongkai's whole import (read + parse + check + write items and
their history rows + index the published items for search) with the raw read of the
same file by the reader library (python-calamine), and reports peak memory. The
phases are reported apart: plan (read, parse, check), write (items and history),
index (segmentation and the engine index), commit. Prints one JSON line.

    .venv/bin/python bench/import_catalog.py [--rows 100000] [--keep]

Targets (issue 3): import ≤ 3× the raw read, under 60 s, peak RSS under 1 GB.
Runs on SQLite by default; with GONGKAI_DATABASE_URL=postgres://… it runs in a
throw-away test database on that server.
"""

import argparse
import json
import os
import random
import resource
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from gongkai.catalog.vocabularies import CHANNELS as TEMPLATE_CHANNELS  # noqa: E402

CHANNELS = [label for code, label in TEMPLATE_CHANNELS if code != "other"]
LEVEL1 = [
    "政策文件",
    "办事指南",
    "审批结果",
    "资金使用",
    "监督检查",
    "救助对象",
    "项目信息",
    "收费标准",
    "服务机构",
    "统计信息",
]
VERBS = ["申请", "审核", "发放", "备案", "公示", "变更", "注销", "检查", "评估", "补助"]
NOUNS = [
    "最低生活保障",
    "特困人员供养",
    "临时救助",
    "养老机构",
    "社会保险",
    "公共租赁住房",
    "危房改造",
    "耕地地力保护",
    "义务教育招生",
    "医疗救助",
    "就业补贴",
    "食品经营许可",
]
TIME_LIMITS = [
    "信息形成或者变更之日起20个工作日内",
    "自制作或获取该信息之日起20个工作日内公开",
    "实时公开",
    "按进展情况及时公开",
    "本级人民代表大会或其常务委员会批准后20日内",
    "行政许可、行政处罚事项应自作出行政决定之日起7个工作日内公示",
]


def generate(path: Path, rows: int, seed: int = 7) -> None:
    """The standard template: title row, two merged header rows, √ ticks, ■/□ channels."""
    import xlsxwriter

    rnd = random.Random(seed)
    wb = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    ws = wb.add_worksheet("社会救助")
    wrap = wb.add_format({"text_wrap": True, "valign": "top", "border": 1})
    ws.merge_range(0, 0, 0, 15, "社会救助领域基层政务公开标准目录")
    top = [
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
    sub = [
        "",
        "一级事项",
        "二级事项",
        "",
        "",
        "",
        "",
        "",
        "全社会",
        "特定群体",
        "主动",
        "依申请",
        "县级",
        "乡级",
    ]
    for col in (0, 3, 4, 5, 6, 7):
        ws.merge_range(1, col, 2, col, top[col])
    for col in (1, 8, 10, 12):
        ws.merge_range(1, col, 1, col + 1, top[col])
    for col, text in enumerate(sub):
        if text:
            ws.write(2, col, text)
    for i in range(rows):
        noun, verb = rnd.choice(NOUNS), rnd.choice(VERBS)
        ticked = set(rnd.sample(range(len(CHANNELS)), rnd.randint(1, 4)))
        channels = "\n".join(("■" if j in ticked else "□") + c for j, c in enumerate(CHANNELS))
        ws.write_row(
            3 + i,
            0,
            [
                i + 1,
                rnd.choice(LEVEL1) if i % 5 == 0 else "",  # merged-looking: blank carries down
                f"{noun}{verb}事项{i}",
                f"{noun}{verb}的条件、程序、材料、结果；咨询电话和监督渠道（第{i}项）",
                "《中华人民共和国政府信息公开条例》《社会救助暂行办法》",
                rnd.choice(TIME_LIMITS),
                "示范经济开发区民政局",
                channels,
                "√",
                "√" if i % 3 == 0 else "",
                "√",
                "√" if i % 7 == 0 else "",
                "√",
                "√" if i % 2 == 0 else "",
            ],
            wrap,
        )
    wb.close()


def raw_read(path: Path) -> float:
    from python_calamine import CalamineWorkbook

    start = time.perf_counter()
    wb = CalamineWorkbook.from_path(str(path))
    for name in wb.sheet_names:
        wb.get_sheet_by_name(name).to_python()
    return time.perf_counter() - start


def setup_django(data_dir: str) -> None:
    """A fresh database: an SQLite file in `data_dir`, or on PostgreSQL (when
    GONGKAI_DATABASE_URL points there) a throw-away test database."""
    os.environ["GONGKAI_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    if connection.vendor == "postgresql":
        # Its own database name: another bench must not clobber a kept one.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = "gongkai_bench_import"
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        call_command("migrate", verbosity=0)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--keep", action="store_true", help="keep the generated file")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="gongkai-bench-"))
    path = work / "catalog.xlsx"
    started = time.perf_counter()
    generate(path, args.rows)
    generate_s = time.perf_counter() - started

    setup_django(str(work))
    from django.contrib.auth import get_user_model
    from django.db import connection

    from gongkai.catalog.exchange.importer import apply_import, plan_import
    from gongkai.catalog.models import CatalogItem
    from gongkai.org.models import Agency, Division

    division = Division.objects.create(code="990171", name="示范经济开发区", level="county")
    agency = Agency.objects.create(
        code="bench-mzj", name="示范经济开发区民政局", kind="department", division=division
    )
    user = get_user_model().objects.create_superuser("bench", password="bench-password-1")

    raw_s = min(raw_read(path) for _ in range(2))  # warm cache; best of two
    start = time.perf_counter()
    plan = plan_import(path, agency)
    plan_s = time.perf_counter() - start
    apply_import(plan, user, publish=True)
    import_s = time.perf_counter() - start
    write_s = plan.timings["write_s"]
    index_s = plan.timings["index_s"]
    created = CatalogItem.objects.filter(agency=agency).count()
    history = CatalogItem.history.filter(agency=agency).count()

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    result = {
        "bench": "import_catalog",
        "db": connection.vendor,
        "rows": args.rows,
        "file_mb": round(path.stat().st_size / 1e6, 1),
        "generate_s": round(generate_s, 2),
        "raw_read_s": round(raw_s, 3),
        "plan_s": round(plan_s, 3),
        "import_s": round(import_s, 3),
        "write_s": round(write_s, 3),
        "index_s": round(index_s, 3),
        "commit_s": round(import_s - plan_s - write_s - index_s, 3),
        "ratio_import_vs_raw": round(import_s / raw_s, 2),
        "ratio_plan_vs_raw": round(plan_s / raw_s, 2),
        "ratio_import_without_search_index_vs_raw": round((import_s - index_s) / raw_s, 2),
        "items_created": created,
        "history_rows": history,
        "problems": len(plan.problems),
        "peak_rss_mb": round(peak_mb),
        "targets": {"ratio_max": 3.0, "import_s_max": 60, "peak_rss_mb_max": 1024},
    }
    result["meets_targets"] = (
        result["ratio_import_vs_raw"] <= 3.0
        and import_s < 60
        and peak_mb < 1024
        and created == args.rows
    )
    print(json.dumps(result, ensure_ascii=False))
    if connection.vendor == "postgresql":
        connection.creation.destroy_test_db(connection.settings_dict["NAME"], verbosity=0)
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
