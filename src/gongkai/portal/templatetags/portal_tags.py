"""Display helpers for the portal templates (no database access of their own).

The catalog template prints every choice of a multi-choice element and ticks the chosen
ones (■政府网站 □政府公报 …); these helpers turn an item's code sets into that shape.
"""

import html
import re

from django import template
from django.utils.safestring import mark_safe

from gongkai.catalog.vocabularies import AUDIENCES, CHANNELS, LEVELS, MODES
from gongkai.org.models import AgencyKind

register = template.Library()

VOCABULARIES = {"audience": AUDIENCES, "mode": MODES, "levels": LEVELS, "channels": CHANNELS}


@register.filter
def channel_marks(item) -> list[dict]:
    """All 13 template channels in template order, each ticked or not.

    The 其他 entry carries ``channels_other`` as its text.  A ``channels_other`` without the
    其他 tick (e.g. the website's address as written) is kept too, as ``note`` of the entry.
    """
    chosen = set(item.channels or ())
    marks = []
    for code, label in CHANNELS:
        mark = {"code": code, "label": label, "on": code in chosen, "text": ""}
        if code == "other" and item.channels_other:
            mark["text"] = item.channels_other
        marks.append(mark)
    return marks


@register.filter
def choice_marks(codes, vocabulary: str) -> list[dict]:
    """Every choice of a vocabulary ("audience", "mode", "levels") with ``on`` per choice."""
    chosen = set(codes or ())
    return [
        {"code": code, "label": label, "on": code in chosen}
        for code, label in VOCABULARIES[vocabulary]
    ]


@register.filter
def vocab_label(code: str, vocabulary: str) -> str:
    return dict(VOCABULARIES[vocabulary]).get(code, code)


@register.simple_tag
def elided_pages(page_obj, on_each_side: int = 2, on_ends: int = 1) -> list:
    """Page numbers around the current one, with the paginator's ELLIPSIS in the gaps."""
    return list(
        page_obj.paginator.get_elided_page_range(
            page_obj.number, on_each_side=on_each_side, on_ends=on_ends
        )
    )


@register.filter
def group_by_kind(agencies) -> list[tuple[str, list]]:
    """Agencies grouped by kind, in the order of AgencyKind; empty kinds left out."""
    groups: dict[str, list] = {kind: [] for kind in AgencyKind.values}
    for agency in agencies:
        groups.setdefault(agency.kind, []).append(agency)
    labels = dict(AgencyKind.choices)
    return [(labels.get(kind, kind), members) for kind, members in groups.items() if members]


_MARK_SPLIT = re.compile(r"(</?mark>)")


@register.filter
def safe_snippet(snippet) -> str:
    """A search snippet as safe HTML: escaped text and balanced <mark>…</mark>, nothing else.

    The engine sends escaped text with <mark> tags; this does not trust that. Every piece
    between the exact tags ``<mark>`` and ``</mark>`` is unescaped and escaped again (so
    entities survive and any raw ``<``, ``>``, ``"`` or ``&`` is neutralised); any other
    tag, ``<mark class=…>`` included, ends up as visible text. Unbalanced marks are dropped
    or closed.
    """
    out: list[str] = []
    open_mark = False
    for part in _MARK_SPLIT.split(str(snippet or "")):
        if part == "<mark>":
            if not open_mark:
                out.append(part)
                open_mark = True
        elif part == "</mark>":
            if open_mark:
                out.append(part)
                open_mark = False
        elif part:
            out.append(html.escape(html.unescape(part), quote=True))
    if open_mark:
        out.append("</mark>")
    return mark_safe("".join(out))  # noqa: S308 - built above from escaped text and <mark>
