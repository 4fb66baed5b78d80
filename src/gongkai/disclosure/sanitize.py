"""Rich text of records: an allow-list sanitiser (nh3, the Rust ammonia binding) and the
plain text the privacy screen and the search index read.

Only structure survives: paragraphs, headings, emphasis, lists, tables, links and images
(this site's own; another site's image becomes a link to it).
No ``style``/``class``/event attributes, no scripts, no ``javascript:``/``data:`` URLs —
the portal's Content-Security-Policy forbids inline style and script anyway, so nothing of
value is lost.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

import nh3
from lxml import html as lxml_html

ALLOWED_TAGS = {
    "p", "br", "hr", "div", "span", "blockquote", "pre", "code",
    "h2", "h3", "h4", "h5", "h6",
    "strong", "b", "em", "i", "u", "s", "sub", "sup",
    "ul", "ol", "li",
    "table", "caption", "colgroup", "col", "thead", "tbody", "tfoot", "tr", "th", "td",
    "a", "img",
}  # fmt: skip
ALLOWED_ATTRIBUTES = {
    # No title (nor lang) on any element — nh3 allows both everywhere unless "*" says
    # otherwise: hidden text the reader barely sees, where personal data would slip past.
    "*": set(),
    "a": {"href"},
    "img": {"src", "alt", "width", "height"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "col": {"span"},
    "colgroup": {"span"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto"}

# Elements after which the plain text gets a line break (so words of adjacent cells and
# paragraphs do not run together, and the screen's line numbers mean something).
BLOCK_TAGS = {
    "p", "div", "br", "hr", "li", "tr", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre",
    "table", "caption", "thead", "tbody", "tfoot",
}  # fmt: skip
CELL_TAGS = {"td", "th"}
_SPACES = re.compile(r"[ \u3000\xa0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")


def sanitize_html(value: str | None) -> str:
    """The body as stored: allow-listed tags and attributes, safe URL schemes only;
    images from other sites become links to them (see _external_images_as_links)."""
    if not value:
        return ""
    cleaned = nh3.clean(
        value,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        url_schemes=URL_SCHEMES,
        link_rel="noopener noreferrer",
        strip_comments=True,
    ).strip()
    return _external_images_as_links(cleaned) if "<img" in cleaned else cleaned


def _is_own(src: str) -> bool:
    """An image address on this site: a path, or under GONGKAI_SITE_URL."""
    from django.conf import settings

    site = (getattr(settings, "GONGKAI_SITE_URL", "") or "").rstrip("/")
    if site and (src == site or src.startswith(site + "/")):
        return True
    return src.startswith("/") and not src.startswith("//")


def _external_images_as_links(cleaned: str) -> str:
    """The portal's Content-Security-Policy shows images from this site only, so an
    image pasted from another site would be a broken box; it becomes a link to the
    image instead ("图片：alt"), which the reader can still open. Own images, and
    images without an address, stay as they are."""
    root = lxml_html.fragment_fromstring(cleaned, create_parent="div")
    changed = False
    for img in list(root.iter("img")):
        src = (img.get("src") or "").strip()
        if not src or _is_own(src):
            continue
        link = lxml_html.Element("a", href=src, rel="noopener noreferrer")
        link.text = "图片：" + ((img.get("alt") or "").strip() or src)
        link.tail = img.tail
        img.getparent().replace(img, link)
        changed = True
    if not changed:
        return cleaned
    inner = lxml_html.tostring(root, encoding="unicode")
    return inner[len("<div>") : -len("</div>")]


# Attribute values that survive sanitising and reach the public page (alt is read aloud and
# shown when the image fails; addresses are visible on hover and in the page source).
SCREENED_ATTRIBUTES = (("img", "alt"), ("img", "src"), ("a", "href"))


def attribute_text(value: str | None) -> str:
    """The body's surviving attribute values (img alt/src, a href), one per line, for the
    privacy screen: a number hidden there is published as much as one in the text."""
    if not value or not value.strip():
        return ""
    root = lxml_html.fragment_fromstring(value, create_parent="div")
    lines = []
    for el in root.iter("img", "a"):
        for tag, attr in SCREENED_ATTRIBUTES:
            text = el.get(attr) if el.tag == tag else None
            if text and text.strip():
                lines.append(unquote(text.strip()))
    return "\n".join(lines)


def html_to_text(value: str | None) -> str:
    """Readable plain text of a (sanitised) body: one line per block, cells tab-separated."""
    if not value or not value.strip():
        return ""
    root = lxml_html.fragment_fromstring(value, create_parent="div")
    parts: list[str] = []

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag in BLOCK_TAGS:
            parts.append("\n")
        if el.text:
            parts.append(el.text)
        for child in el:
            walk(child)
        if tag in CELL_TAGS:
            parts.append("\t")
        if tag in BLOCK_TAGS:
            parts.append("\n")
        if el.tail:
            parts.append(el.tail)

    walk(root)
    lines = (_SPACES.sub(" ", line).strip() for line in "".join(parts).split("\n"))
    return _BLANK_LINES.sub("\n", "\n".join(line for line in lines if line)).strip()
