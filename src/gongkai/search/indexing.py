"""Building search documents from published catalog items.

`index_items(ids)` brings the index in line with the items' current state: published,
non-guideline items get a (fresh) document, every other id loses its document, so the
catalog services can call it after any status change. Token columns are analysed here
in Python; the engine index follows by trigger (migration 0002).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.db import transaction

from .analysis import add_words, analyze, characters
from .models import SearchDocument

ITEM = "item"
BATCH = 1000


def _join(tokens: list[str]) -> str:
    return " ".join(tokens)


def document_for(item) -> SearchDocument:
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
    return SearchDocument(
        doc_type=ITEM,
        object_id=item.pk,
        title=title[:500],
        body="\n".join(p for p in (item.content, item.basis) if p),
        url=item.get_absolute_url(),
        domain_code=item.domain.code,
        agency_code=item.agency.code,
        division_prefix=division.prefix if division else "",
        levels=_codes(item.levels),
        audience=_codes(item.audience),
        mode=_codes(item.mode),
        year=item.published_at.year if item.published_at else None,
        published_at=item.published_at,
        title_tokens=_join(analyze(" ".join(p for p in (item.level1, item.level2, item.level3)))),
        elements_tokens=_join(analyze("\n".join(p for p in elements if p))),
        body_tokens=_join(analyze("\n".join(p for p in body if p))),
        chars=_join(characters(title)),
    )


def _codes(values) -> str:
    values = list(values or [])
    return "," + ",".join(values) + "," if values else ""


def _public(ids):
    from gongkai.catalog.services import public_items

    return public_items().filter(pk__in=ids).select_related("domain", "agency__division")


@transaction.atomic
def index_items(ids: Iterable[int]) -> int:
    """(Re)index these items; ids that are not public are removed from the index."""
    ids = list(dict.fromkeys(ids))
    done = 0
    for start in range(0, len(ids), BATCH):
        chunk = ids[start : start + BATCH]
        unindex_items(chunk)
        docs = [document_for(item) for item in _public(chunk)]
        SearchDocument.objects.bulk_create(docs, batch_size=BATCH)
        done += len(docs)
    return done


def unindex_items(ids: Iterable[int]) -> int:
    ids = list(ids)
    n = 0
    for start in range(0, len(ids), BATCH):
        n += SearchDocument.objects.filter(
            doc_type=ITEM, object_id__in=ids[start : start + BATCH]
        ).delete()[0]
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
    with transaction.atomic():
        SearchDocument.objects.filter(doc_type=ITEM).delete()
        ids = list(qs.order_by("pk").values_list("pk", flat=True))
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            docs = [document_for(item) for item in _public(chunk)]
            SearchDocument.objects.bulk_create(docs, batch_size=BATCH)
            total += len(docs)
            if progress:
                progress(len(chunk))
    return total
