"""Reading tabular files (csv, xlsx, xls, ods) into rows of strings.

python-calamine reads spreadsheets (much faster than openpyxl); csv is decoded as
UTF-8 (with or without BOM) or GB18030, the encodings Chinese offices produce.
"""

import csv
import io
from pathlib import Path

SPREADSHEET_SUFFIXES = {".xlsx", ".xlsm", ".xls", ".xlsb", ".ods"}


class TableError(ValueError):
    """A file that cannot be read as a table; the message is for the user, in Chinese."""


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def read_table(path: str | Path) -> list[list[str]]:
    """All rows of the first sheet (or the CSV), each a list of trimmed strings."""
    path = Path(path)
    if not path.exists():
        raise TableError(f"找不到文件：{path}")
    suffix = path.suffix.lower()
    if suffix in SPREADSHEET_SUFFIXES:
        from python_calamine import CalamineWorkbook

        try:
            workbook = CalamineWorkbook.from_path(str(path))
            sheet = workbook.get_sheet_by_index(0)
            rows = sheet.to_python(skip_empty_area=False)
        except Exception as exc:  # calamine raises several types for corrupt files
            raise TableError(f"无法读取表格文件 {path.name}：文件已损坏或不是有效的表格。") from exc
        return [[_cell(v) for v in row] for row in rows]
    if suffix in {".csv", ".txt", ".tsv"}:
        raw = path.read_bytes()
        for encoding in ("utf-8-sig", "gb18030"):
            try:
                text = raw.decode(encoding)
                break
            except UnicodeDecodeError:
                continue
        else:
            raise TableError(f"无法识别 {path.name} 的文字编码（支持 UTF-8 和 GB18030）。")
        dialect = csv.excel_tab if suffix == ".tsv" else csv.excel
        return [[c.strip() for c in row] for row in csv.reader(io.StringIO(text), dialect)]
    raise TableError(f"不支持的文件类型：{suffix or '无扩展名'}（支持 csv、xlsx、xls）。")
