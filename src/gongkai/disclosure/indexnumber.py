"""Index numbers (索引号) of published records.

Format: ``{agency code}-{year}-{sequence}``, e.g. ``T-MZJ-2026-00017`` — the agency's code
(统一社会信用代码 or its local code), the year of publication, and a sequence per agency and
year, zero-padded to five digits (it simply grows a digit past 99999). Numbers are given out
at publication, never to drafts, so the sequence has no holes from abandoned drafts; a
record that is withdrawn and published again keeps its number.

Allocation locks the agency's counter row for the year (SELECT … FOR UPDATE on PostgreSQL;
on SQLite the write transaction is already exclusive — settings use BEGIN IMMEDIATE), and
the unique constraint on Record.index_number is the last line of defence.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from gongkai.org.models import Agency

from .models import IndexCounter

WIDTH = 5


def format_index_number(agency_code: str, year: int, sequence: int) -> str:
    return f"{agency_code}-{year}-{sequence:0{WIDTH}d}"


@transaction.atomic
def allocate(agency: Agency, year: int) -> str:
    """The next index number of `agency` in `year` (call inside the publishing transaction)."""
    from .models import Record

    counter = _locked_counter(agency, year)
    while True:  # skip numbers taken outside the counter (e.g. records loaded with theirs)
        counter.last += 1
        number = format_index_number(agency.code, year, counter.last)
        if not Record.objects.filter(index_number=number).exists():
            break
    counter.save(update_fields=["last"])
    return number


def _locked_counter(agency: Agency, year: int) -> IndexCounter:
    qs = IndexCounter.objects.select_for_update()
    counter = qs.filter(agency=agency, year=year).first()
    if counter is not None:
        return counter
    try:
        with transaction.atomic():  # a savepoint: a concurrent first allocation may win
            IndexCounter.objects.create(agency=agency, year=year, last=0)
    except IntegrityError:
        pass
    return qs.get(agency=agency, year=year)
