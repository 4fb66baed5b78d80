"""Building search documents from published catalog items.

`index_items(ids)` brings the index in line with the items' current state: published,
non-guideline items get a (fresh) document, every other id loses its document, so the
catalog services can call it after any status change. Token columns are analysed here
in Python; the engine index follows by trigger (migration 0002).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from contextlib import contextmanager

from django.db import connection, transaction

from gongkai.catalog.models import CatalogItem
from gongkai.core.bulk import insert_rows
from gongkai.core.fields import encode

from . import suggest
from .analysis import add_words, analyze, analyze_parts, characters
from .backends import get_backend
from .models import SearchDocument

ITEM = "item"
BATCH = 1000

# Other searchable types (disclosure records, …) register a rebuild function here from
# their AppConfig.ready(), so `gongkai reindex` rebuilds them without search importing
# their apps. Each returns the number of documents written.
OTHER_SOURCES: dict[str, Callable[[], int]] = {}


def register_source(doc_type: str, reindex: Callable[[], int]) -> None:
    OTHER_SOURCES[doc_type] = reindex


def _join(tokens: list[str]) -> str:
    return " ".join(tokens)


def document_values(item, *, url: str | None = None) -> dict:
    """The SearchDocument fields for a catalog item (a model instance or an ItemView).

    `url` saves a `reverse()` per item when the caller indexes many at once."""
    title = str(item)
    elements = [
        item.content,
        item.basis,
        item.time_limit_text,
        item.subject_text,
        " ".join(item.channel_labels()),
    ]
    body = [
        item.domain.name,
        item.agency.name,
        " ".join(item.audience_labels()),
        item.audience_note,
        " ".join(item.mode_labels()),
        " ".join(item.level_labels()),
        item.code,
    ]
    division = item.agency.division if item.agency_id else None
    return {
        "doc_type": ITEM,
        "object_id": item.pk,
        "title": title[:500],
        "body": "\n".join(p for p in (item.content, item.basis) if p),
        "url": url or item.get_absolute_url(),
        "domain_code": item.domain.code,
        "agency_code": item.agency.code,
        "division_prefix": division.prefix if division else "",
        "levels": encode(item.levels),
        "audience": encode(item.audience),
        "mode": encode(item.mode),
        "year": item.published_at.year if item.published_at else None,
        "published_at": item.published_at,
        "title_tokens": _join(analyze(" ".join((item.level1, item.level2, item.level3)))),
        "elements_tokens": _join(analyze_parts(elements)),
        "body_tokens": _join(analyze_parts(body)),
        "chars": _join(characters(title)),
    }


def _public(ids):
    from gongkai.catalog.services import public_items

    return public_items().filter(pk__in=ids).select_related("domain", "agency__division")


def document_for(item) -> SearchDocument:
    return SearchDocument(**document_values(item))


class ItemView:
    """A catalog item's indexed attributes without a model instance (for bulk imports,
    where the rows are already in memory); borrows CatalogItem's label methods."""

    is_guideline = False  # bulk imports of guideline catalogs are never indexed

    def __init__(self, pk: int, domain, agency, published_at, elements: dict) -> None:
        self.pk, self.domain, self.agency, self.published_at = pk, domain, agency, published_at
        self.agency_id = agency.pk
        self.__dict__.update(elements)

    __str__ = CatalogItem.__str__
    channel_labels = CatalogItem.channel_labels
    audience_labels = CatalogItem.audience_labels
    mode_labels = CatalogItem.mode_labels
    level_labels = CatalogItem.level_labels


def _document_rows(values: list[dict]) -> list[list]:
    """Documents (dicts from document_values) as rows in column order, prepared for
    the database (timestamps once each: an import's documents share one)."""
    fields = _insert_fields()
    dates: dict = {}

    def prepared(field, value):
        if value is None or field.get_internal_type() != "DateTimeField":
            return value
        if value not in dates:
            dates[value] = field.get_db_prep_save(value, connection)
        return dates[value]

    return [[prepared(f, v.get(f.attname)) for f in fields] for v in values]


def _insert_fields():
    return [f for f in SearchDocument._meta.concrete_fields if f.column != "id"]


def insert_documents(values: list[dict]) -> None:
    """Insert documents (dicts from document_values) below the ORM."""
    if values:
        columns = [f.column for f in _insert_fields()]
        insert_rows(SearchDocument._meta.db_table, columns, _document_rows(values))


@contextmanager
def _maybe_bulk(n: int):
    """Loading at least BULK_MIN documents that double the index: suspend the engine
    index and rebuild it once at the end (FTS5 'rebuild' / CREATE INDEX), which is
    much faster than indexing row by row."""
    if n >= BULK_MIN and n >= SearchDocument.objects.count():
        with get_backend().bulk_load():
            yield
    else:
        yield


BULK_MIN = 5000


@transaction.atomic
def index_new_items(views: list[ItemView]) -> int:
    """Index items just created in bulk (no documents exist for them yet)."""
    url = CatalogItem.url_formatter()
    with _maybe_bulk(len(views)):
        for start in range(0, len(views), BULK_BATCH):
            chunk = views[start : start + BULK_BATCH]
            insert_documents([document_values(v, url=url(v.pk)) for v in chunk])
    suggest.add_names(_names(views))  # new distinct names only: pinyin is the cost (suggest.py)
    return len(views)


BULK_BATCH = 20_000


@transaction.atomic
def index_items(ids: Iterable[int]) -> int:
    """(Re)index these items; ids that are not public are removed from the index."""
    ids = list(dict.fromkeys(ids))
    url = CatalogItem.url_formatter()
    done = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        unindex_items(chunk)
        items = list(_public(chunk))
        docs = [document_values(item, url=url(item.pk)) for item in items]
        insert_documents(docs)
        suggest.add_names(_names(items))
        done += len(docs)
    return done


def _names(items) -> set[str]:
    return {n for item in items for n in (item.level1, item.level2, item.level3) if n}


def unindex_items(ids: Iterable[int]) -> int:
    """Remove these items' documents; their names stop being suggested unless a
    published item still carries them."""
    ids = list(ids)
    n = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        removed = SearchDocument.objects.filter(doc_type=ITEM, object_id__in=chunk).delete()[0]
        n += removed
        if removed:
            rows = CatalogItem.objects.filter(pk__in=chunk).values_list(
                "level1", "level2", "level3"
            )
            suggest.forget_names({name for row in rows for name in row})
    return n


def reindex_all(progress: Callable[[int], None] | None = None, *, add_names: bool = False) -> int:
    """Rebuild every item document. `progress(n)` is told of each batch done.

    With `add_names`, item names from the database join this process's dictionary first
    (so a name like 特困人员救助供养 segments as a word on both sides)."""
    from gongkai.catalog.services import public_items

    qs = public_items()
    if add_names:
        names = set()
        for row in qs.values_list("level1", "level2", "level3").iterator(chunk_size=5000):
            names.update(n for n in row if n and 2 <= len(n) <= 12)
        add_words(sorted(names))
    total = 0
    url = CatalogItem.url_formatter()
    with transaction.atomic():
        SearchDocument.objects.filter(doc_type=ITEM).delete()
        ids = list(qs.order_by("pk").values_list("pk", flat=True))
        with _maybe_bulk(len(ids)):
            for start in range(0, len(ids), BATCH):
                chunk = ids[start : start + BATCH]
                docs = [document_values(item, url=url(item.pk)) for item in _public(chunk)]
                insert_documents(docs)
                total += len(docs)
                if progress:
                    progress(len(chunk))
        suggest.rebuild(qs)  # the "did you mean" names, weighted by how many items carry each
    return total
