"""Records as data: index numbers (索引号), vocabularies, categories and validity rules."""

import datetime as dt

import pytest
from django.db import IntegrityError, transaction

from gongkai.disclosure import services
from gongkai.disclosure.indexnumber import allocate, format_index_number
from gongkai.disclosure.models import IndexCounter, Record
from gongkai.disclosure.vocabularies import STATUTORY_CATEGORIES, TOPICS

from .builders import publish


def test_index_number_format():
    assert format_index_number("T-MZJ", 2026, 17) == "T-MZJ-2026-00017"
    assert format_index_number("11440300007542209X", 2027, 123456) == (
        "11440300007542209X-2027-123456"
    )


def test_sequences_are_per_agency_and_per_year(zone, db):
    mzj, jyj = zone["mzj"], zone["jyj"]
    assert [allocate(mzj, 2026) for _ in range(3)] == [
        "T-MZJ-2026-00001",
        "T-MZJ-2026-00002",
        "T-MZJ-2026-00003",
    ]
    assert allocate(jyj, 2026) == "T-JYJ-2026-00001"
    assert allocate(mzj, 2027) == "T-MZJ-2027-00001"
    assert allocate(mzj, 2026) == "T-MZJ-2026-00004"
    assert IndexCounter.objects.get(agency=mzj, year=2026).last == 4


def test_many_publications_get_distinct_consecutive_numbers(people, make_record):
    records = [make_record(title=f"公示{i}") for i in range(12)]
    for r in records:
        publish(people, r)
    numbers = sorted(Record.objects.values_list("index_number", flat=True))
    year = dt.date.today().year
    assert numbers == [f"T-MZJ-{year}-{i:05d}" for i in range(1, 13)]


def test_allocation_rolled_back_with_its_transaction_is_reused(zone, db):
    with pytest.raises(RuntimeError), transaction.atomic():
        allocate(zone["mzj"], 2026)
        raise RuntimeError("publication failed")
    assert allocate(zone["mzj"], 2026) == "T-MZJ-2026-00001"


def test_numbers_taken_outside_the_counter_are_skipped(people, make_record, zone):
    year = dt.date.today().year
    loaded = make_record(title="迁移的旧信息")
    Record.objects.filter(pk=loaded.pk).update(index_number=f"T-MZJ-{year}-00001")
    record = publish(people, make_record())
    assert record.index_number == f"T-MZJ-{year}-00002"


def test_index_numbers_are_unique_in_the_database(make_record):
    a, b = make_record(title="一"), make_record(title="二")
    Record.objects.filter(pk=a.pk).update(index_number="T-MZJ-2026-00009")
    with pytest.raises(IntegrityError), transaction.atomic():
        Record.objects.filter(pk=b.pk).update(index_number="T-MZJ-2026-00009")


def test_vocabularies():
    assert len(STATUTORY_CATEGORIES) == 15  # 条例第二十条 (一)–(十五)
    assert STATUTORY_CATEGORIES[0][1] == "行政法规、规章和规范性文件"
    assert STATUTORY_CATEGORIES[6][1] == "财政预算、决算信息"
    assert len(TOPICS) == 21 and TOPICS[0][1] == "综合政务" and TOPICS[-1][1] == "其他"
    for vocabulary in (STATUTORY_CATEGORIES, TOPICS):
        codes = [c for c, _ in vocabulary]
        assert len(set(codes)) == len(codes)


def test_records_filter_by_statutory_category(make_record):
    a = make_record(categories=["budget", "regulations"])
    make_record(categories=["livelihood"])
    assert list(Record.objects.filter(categories__has="budget")) == [a]
    assert a.category_labels() == ["财政预算、决算信息", "行政法规、规章和规范性文件"]


def test_unknown_category_is_refused(make_record):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError, match="未知的取值"):
        make_record(categories=["made_up"])


def test_records_cannot_be_filed_under_guideline_items(people, zone, elements):
    from django.core.exceptions import ValidationError

    from gongkai.catalog.models import CatalogItem, Domain

    guideline = CatalogItem.objects.create(
        agency=zone["moe"],
        domain=Domain.objects.get(code="social_assistance"),
        is_guideline=True,
        level2="指引事项",
    )
    with pytest.raises(ValidationError, match="标准指引"):
        services.create_record(
            people["zone_admin"], guideline, title="x", formed_on=dt.date(2026, 1, 5)
        )


def test_record_url(record):
    assert record.get_absolute_url().endswith(f"/{record.pk}/")


@pytest.mark.django_db(transaction=True)
def test_concurrent_allocations_never_collide(zone):
    """Several publishers at once (threads with their own connections): every number is
    given out exactly once, with no gaps."""
    import threading

    from django.db import connection, connections

    if connection.vendor == "sqlite":
        pytest.skip("the in-memory test database serialises writers already")
    agency = zone["dh"]
    numbers: list[str] = []
    errors: list[BaseException] = []
    lock = threading.Lock()

    def worker():
        try:
            for _ in range(5):
                with transaction.atomic():
                    number = allocate(agency, 2026)
                with lock:
                    numbers.append(number)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == []
    assert sorted(numbers) == [f"T-DH-2026-{i:05d}" for i in range(1, 31)]
