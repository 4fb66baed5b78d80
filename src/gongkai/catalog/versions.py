"""Readable differences between two versions of a catalog item."""

import difflib
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .models import CatalogItem
from .vocabularies import ELEMENT_FIELDS

# The status and every element except the item code, in the catalog's order.
DIFF_FIELDS = ("status", *(f for f in ELEMENT_FIELDS if f != "code"))


@dataclass
class FieldChange:
    field: str
    label: str
    old: str
    new: str

    @property
    def inline_html(self) -> SafeString:
        """Character-level diff: deletions in <del>, insertions in <ins> (escaped)."""
        out = []
        matcher = difflib.SequenceMatcher(a=self.old, b=self.new, autojunk=False)
        for op, a0, a1, b0, b1 in matcher.get_opcodes():
            if op == "equal":
                out.append(escape(self.old[a0:a1]))
            if op in ("delete", "replace"):
                out.append(f"<del>{escape(self.old[a0:a1])}</del>")
            if op in ("insert", "replace"):
                out.append(f"<ins>{escape(self.new[b0:b1])}</ins>")
        return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


def _text(record, name: str) -> str:
    value = getattr(record, name)
    field = CatalogItem._meta.get_field(name)
    if hasattr(field, "labels"):
        return "、".join(field.labels(value or []))
    if field.choices:
        return dict(field.choices).get(value, value or "")
    return "" if value is None else str(value)


def diff(older, newer) -> list[FieldChange]:
    """Field-by-field changes from `older` to `newer` (historical records or items)."""
    changes = []
    for name in DIFF_FIELDS:
        old, new = _text(older, name), _text(newer, name)
        if old != new:
            label = str(CatalogItem._meta.get_field(name).verbose_name)
            changes.append(FieldChange(name, label, old, new))
    return changes
