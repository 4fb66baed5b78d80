"""Plain data passed between the exchange stages (no Django imports)."""

from dataclasses import dataclass, field

from ..vocabularies import ELEMENT_FIELDS


class ExchangeError(ValueError):
    """A file that cannot be imported at all. The message is for the user, in Chinese."""


@dataclass
class SourceTable:
    """One table as found in a file: a sheet, a docx table, an HTML <table>, a CSV.

    `rows` hold the cell texts as written (merged cells: the value in the top-left cell,
    "" in the others — readers that know the merges also fill `merged`). `row_numbers`
    are what a user sees: the spreadsheet row (1-based), or the row within the table.
    `titles` are text lines just above the table (sheet name first, then title rows or
    paragraphs), used to recognise the domain.
    """

    name: str
    rows: list[list[str]]
    row_numbers: list[int]
    titles: list[str] = field(default_factory=list)
    merged: list[tuple[int, int, int, int]] = field(default_factory=list)  # r0, c0, r1, c1


@dataclass
class Problem:
    row: int
    column: str
    value: str
    message: str
    table: str = ""

    def as_dict(self) -> dict:
        return {
            "row": self.row,
            "column": self.column,
            "value": self.value,
            "message": self.message,
            "table": self.table,
        }


# Keys of RowData.elements, i.e. CatalogItem fields an import may set.
ELEMENT_KEYS = ELEMENT_FIELDS


@dataclass
class RowData:
    """One catalog row, normalised. `original` keeps every cell as written (header → text)."""

    row: int
    table: str
    domain: str | None  # a Domain code, or None when the table's domain is unknown
    elements: dict
    original: dict[str, str] = field(default_factory=dict)


@dataclass
class TableParse:
    rows: list[RowData]
    problems: list[Problem]
    columns: dict[str, str] = field(default_factory=dict)  # element key → header as written
    domain: str | None = None
    # Headers of columns the parser did not use (unknown, 五公开, 备注, a second 公开内容 …).
    ignored_columns: list[str] = field(default_factory=list)
    # Of those, the unrecognised ones that hold data: reported, as their text is not read.
    unread_columns: list[str] = field(default_factory=list)
