"""Search documents for published records (doc_type "record").

Mirrors search/indexing.py's `document_values` for items: the same analysis, the same
weighting (title > elements > body). The record's facets come from its catalog item
(domain, levels, audience, mode) and its agency; the year is the year of publication.
The disclosure services call `index_records` on publication and `unindex_records` on
withdrawal — not signals — as search/indexing.py does for items.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils import timezone

from gongkai.core.fields import encode
from gongkai.search.analysis import analyze, analyze_parts, characters
from gongkai.search.indexing import insert_documents
from gongkai.search.models import SearchDocument

RECORD = "record"
# Attachments add their text to the body tokens, up to this much each (snippets never
# show it; it only makes the record findable by words inside its documents).
ATTACHMENT_TEXT_LIMIT = 20_000
BODY_LIMIT = 100_000


def document_values(record) -> dict:
    """The SearchDocument fields of a published record."""
    item = record.item
    agency = record.agency
    division = agency.division if agency.division_id else None
    body = record.body_text()[:BODY_LIMIT]
    elements = [
        record.doc_number,
        record.issuer,
        record.index_number or "",
        record.topic_label(),
        " ".join(record.category_labels()),
        str(item),
    ]
    attachments = [
        f"{a.original_name}\n{a.extracted_text[:ATTACHMENT_TEXT_LIMIT]}"
        for a in record.attachments.all()
    ]
    published = record.published_at
    year = record.published_on.year if record.published_on else None
    if year is None and published:
        year = timezone.localdate(published).year
    return {
        "doc_type": RECORD,
        "object_id": record.pk,
        "title": record.title[:500],
        "body": body,
        "url": record.get_absolute_url(),
        "domain_code": item.domain.code,
        "agency_code": agency.code,
        "division_prefix": division.prefix if division else "",
        "levels": encode(item.levels),
        "audience": encode(item.audience),
        "mode": encode(item.mode),
        "year": year,
        "published_at": published,
        "title_tokens": " ".join(analyze(record.title)),
        "elements_tokens": " ".join(analyze_parts(elements)),  # issuer, topic… repeat
        "body_tokens": " ".join(analyze("\n".join([body, *attachments]))),
        "chars": " ".join(characters(record.title)),
    }


def _published(ids):
    from .models import Record, RecordStatus

    return (
        Record.objects.filter(pk__in=ids, status=RecordStatus.PUBLISHED)
        .select_related("item__domain", "agency__division")
        .prefetch_related("attachments")
    )


@transaction.atomic
def index_records(ids: Iterable[int]) -> int:
    """(Re)index these records; ids that are not published lose their document."""
    ids = list(dict.fromkeys(ids))
    unindex_records(ids)
    docs = [document_values(record) for record in _published(ids)]
    insert_documents(docs)
    return len(docs)


def unindex_records(ids: Iterable[int]) -> int:
    ids = list(ids)
    if not ids:
        return 0
    return SearchDocument.objects.filter(doc_type=RECORD, object_id__in=ids).delete()[0]


@transaction.atomic
def reindex_records() -> int:
    """Rebuild every record document (for `gongkai reindex` and the demo)."""
    from .models import Record, RecordStatus

    SearchDocument.objects.filter(doc_type=RECORD).delete()
    ids = list(Record.objects.filter(status=RecordStatus.PUBLISHED).values_list("pk", flat=True))
    for start in range(0, len(ids), 500):
        insert_documents([document_values(r) for r in _published(ids[start : start + 500])])
    return len(ids)
