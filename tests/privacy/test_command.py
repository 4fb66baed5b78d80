import io
import json
import os
import subprocess
import sys

import pytest
from django.core.management import call_command

from .files import make_pdf

ID = "330106198507123410"

pytestmark = pytest.mark.django_db


def run(*args) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command("screen", *args, stdout=out, stderr=err)
        code = 0
    except SystemExit as exc:
        code = int(exc.code)
    return code, out.getvalue(), err.getvalue()


def test_findings_are_printed_as_json_and_exit_1(tmp_path):
    path = tmp_path / "公示.txt"
    path.write_text(f"申请人身份证号{ID}，手机13705710001。本件为内部资料。", "utf-8")
    code, out, _ = run(str(path))
    assert code == 1
    report = json.loads(out)
    assert report["count"] == 3
    assert [f["kind"] for f in report["findings"]] == ["id_card", "mobile", "sensitive_word"]
    assert report["findings"][0]["masked"] == "330106********3410"
    assert ID not in out and "13705710001" not in out  # the report never leaks the numbers
    assert "身份证" in out  # Chinese as is (ensure_ascii=False)


def test_clean_file_exits_0(tmp_path):
    path = tmp_path / "通知.txt"
    path.write_text("示政发〔2026〕3号 咨询电话0571-87654321，2026年3月15日。", "utf-8")
    code, out, _ = run(str(path))
    assert code == 0 and json.loads(out) == {"findings": [], "count": 0}


def test_pdf_attachment_is_extracted(tmp_path):
    path = tmp_path / "公示.pdf"
    path.write_bytes(make_pdf(["救助公示", f"身份证号：{ID}"]))
    code, out, _ = run(str(path))
    report = json.loads(out)
    assert code == 1 and report["findings"][0]["line"] == 2
    assert report["findings"][0]["source"] == "公示.pdf"


def test_unreadable_files_exit_2_with_a_chinese_message(tmp_path):
    code, out, err = run(str(tmp_path / "没有这个文件.pdf"))
    assert code == 2 and out == "" and "无法读取文件" in err
    broken = tmp_path / "坏.pdf"
    broken.write_bytes(b"%PDF-1.7\nbroken")
    code, _, err = run(str(broken))
    assert code == 2 and "已损坏" in err


def test_stdin_through_the_real_command(tmp_path):
    # A fresh data dir with no migrated database: the shipped word list still applies.
    env = {
        **os.environ,
        "GONGKAI_DATA_DIR": str(tmp_path),
        "DJANGO_SETTINGS_MODULE": "gongkai.settings",
    }
    env.pop("GONGKAI_DATABASE_URL", None)
    text = f"机密\n联系人手机：13705710001，身份证{ID}"
    proc = subprocess.run(
        [sys.executable, "-m", "gongkai", "screen", "-"],
        input=text.encode(),
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert proc.returncode == 1, proc.stderr.decode()
    report = json.loads(proc.stdout)
    assert report["count"] == 3
    assert {f["source"] for f in report["findings"]} == {"标准输入"}
    clean = subprocess.run(
        [sys.executable, "-m", "gongkai", "screen", "-"],
        input="国办发〔2019〕15号".encode(),
        capture_output=True,
        env=env,
        timeout=120,
    )
    assert clean.returncode == 0 and json.loads(clean.stdout)["count"] == 0
