"""Benchmark: search speed over generated catalog text (default 1,000,000 documents).

For each query: the search API through Django (URL routing, ninja, the search service
with its count, facets, ranking and snippets — no HTTP), the raw engine query (one
ranked top-20 MATCH on FTS5 / tsvector @@ with ts_rank, the analysed query given), and a
LIKE scan (count + newest 20 of title/body containing the text). Also the index build
time. Prints one JSON line for the database in use.

The LIKE baseline scans a plain table of the same documents (id, title, body,
published_at and its index: what a site without a search engine keeps and scans), so it
does not move
with our own table's layout — the documents table carries token columns, and on
PostgreSQL keeps title and body in TOAST (migration 0006), which made a LIKE over it
2–3× slower. That scan is reported too (`like_search_table_*`).

    .venv/bin/python bench/search_speed.py [--docs 1000000]
    GONGKAI_DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres \
        .venv/bin/python bench/search_speed.py     # runs in a throw-away test database

Targets (issue 4): p95 ≤ 50 ms on SQLite, API ≤ 2× the raw engine, ≥ 100× faster than LIKE.
"""

import argparse
import datetime as dt
import json
import os
import shutil
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
sys.path.insert(0, str(ROOT / "bench"))

QUERIES = [
    "公开",  # very frequent
    "信息",
    "政策文件",
    "最低生活保障",
    "低保",  # synonym
    "公租房",
    "社保",
    "耕地地力保护",  # rare-ish
    "救助 名单",  # two words
    "申请条件 材料",
    "房",  # one character
    "危改",  # unknown to the segmenter
    "东湖街道 临时救助",
    "义务教育招生",
    "环评",
]


def setup_django(data_dir: str, reuse: bool = False):
    os.environ["GONGKAI_DATA_DIR"] = data_dir
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "gongkai.settings")
    import django
    from django.core.management import call_command
    from django.db import connection

    django.setup()
    if reuse:
        return connection
    if connection.vendor == "postgresql":
        # Its own database name: another bench must not clobber a kept one.
        connection.settings_dict.setdefault("TEST", {})["NAME"] = "gongkai_bench_search_speed"
        connection.creation.create_test_db(verbosity=0, autoclobber=True, keepdb=False)
    else:
        call_command("migrate", verbosity=0)
    return connection


def load(n: int, connection) -> float:
    """Analyse and insert n documents; returns the build time (analysis + index).

    One transaction; the engine index is suspended during the load and built once at
    the end (backend.bulk_load: FTS5 'rebuild' / CREATE INDEX … USING GIN)."""
    from django.db import transaction
    from search_corpus import documents

    from gongkai.core.bulk import insert_rows
    from gongkai.search.analysis import analyze, characters
    from gongkai.search.backends import get_backend
    from gongkai.search.models import SearchDocument

    fields = [f for f in SearchDocument._meta.concrete_fields if f.column != "id"]
    columns = [f.column for f in fields]
    table = SearchDocument._meta.db_table
    start = time.perf_counter()
    when = dt.datetime(2026, 1, 1, tzinfo=dt.UTC)
    batch: list[list] = []
    phases = {"analysis_s": 0.0, "insert_s": 0.0}

    def flush():
        t = time.perf_counter()
        insert_rows(table, columns, batch)  # executemany on SQLite, COPY on PostgreSQL
        batch.clear()
        phases["insert_s"] += time.perf_counter() - t

    with transaction.atomic(), get_backend().bulk_load():
        for i, doc in enumerate(documents(n)):
            t = time.perf_counter()
            values = {
                "doc_type": "item",
                "object_id": i + 1,
                "title": doc["title"],
                "body": doc["elements"] + "。" + doc["body"],
                "url": f"/items/{i + 1}/",
                "domain_code": doc["domain"],
                "agency_code": f"a{i % 40}",
                "division_prefix": "990171",
                "levels": ",county,",
                "audience": ",public,",
                "mode": ",proactive,",
                "year": doc["year"],
                "published_at": connection.ops.adapt_datetimefield_value(
                    when + dt.timedelta(minutes=i)
                ),
                "title_tokens": " ".join(analyze(doc["title"])),
                "elements_tokens": " ".join(analyze(doc["elements"])),
                "body_tokens": " ".join(analyze(doc["body"])),
                "chars": " ".join(characters(doc["title"])),
            }
            batch.append([values[c] for c in columns])
            phases["analysis_s"] += time.perf_counter() - t
            if len(batch) >= 5000:
                flush()
        if batch:
            flush()
        t = time.perf_counter()
    phases["engine_index_s"] = time.perf_counter() - t  # rebuild / CREATE INDEX, commit
    t = time.perf_counter()
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
            cursor.execute("ANALYZE")
    else:
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_searchdocument")
    phases["optimize_s"] = time.perf_counter() - t
    LOAD_PHASES.update({k: round(v, 1) for k, v in phases.items()})
    return time.perf_counter() - start


PLAIN = "bench_like_documents"


def plain_table(connection) -> None:
    """The LIKE baseline's table: the documents' title and body, nothing else (made once;
    a --reuse run finds it)."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TABLE IF NOT EXISTS {PLAIN} AS "  # noqa: S608
            "SELECT id, title, body, published_at FROM search_searchdocument"
        )
        # Its publication-date index, as any site's article table has (the newest 20).
        cursor.execute(f"CREATE INDEX IF NOT EXISTS {PLAIN}_published ON {PLAIN} (published_at)")
        cursor.execute(f"ANALYZE {PLAIN}")


def like_scan(connection, q: str, table: str = PLAIN):
    """Count + newest 20 of the documents whose title or body contains `q`."""
    pattern = "%" + q.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
    match = "(title LIKE %s ESCAPE '\\' OR body LIKE %s ESCAPE '\\')"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {table} WHERE {match}", [pattern, pattern])  # noqa: S608
        count = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT id FROM {table} WHERE {match} ORDER BY published_at DESC LIMIT 20",  # noqa: S608
            [pattern, pattern],
        )
        return count, [row[0] for row in cursor.fetchall()]


LOAD_PHASES: dict[str, float] = {}


def timed(fn, repeat: int) -> list[float]:
    out = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        out.append((time.perf_counter() - start) * 1000)
    return out


def pct(values: list[float], p: float) -> float:
    values = sorted(values)
    return round(values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))], 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--docs", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--like-repeat", type=int, default=1)
    parser.add_argument(
        "--keep", action="store_true", help="keep the loaded database (its name is printed)"
    )
    parser.add_argument(
        "--reuse",
        metavar="DIR",
        help="query the database a --keep run left (SQLite: its data dir; PostgreSQL: "
        "point GONGKAI_DATABASE_URL at it and pass any DIR) instead of loading one",
    )
    args = parser.parse_args()

    work = args.reuse or tempfile.mkdtemp(prefix="gongkai-search-bench-")
    setup_django(work, reuse=bool(args.reuse))
    from django.db import connection as conn
    from django.db.models import Q
    from django.test import Client

    from gongkai.search import query as query_mod
    from gongkai.search.backends import get_backend
    from gongkai.search.models import SearchDocument

    build_s = None if args.reuse else load(args.docs, conn)
    if args.reuse:
        args.docs = SearchDocument.objects.count()
    plain_table(conn)
    client = Client()
    backend = get_backend()

    api, raw, like, like_table, per_query = [], [], [], [], {}
    for q in QUERIES:
        client.get("/api/v1/search", {"q": q})  # warm caches once
        a = timed(lambda q=q: client.get("/api/v1/search", {"q": q}).json(), args.repeat)
        built = query_mod.build(q)
        expr = backend.render(built, "and")

        def engine(expr=expr):
            return backend.ranked(expr, sort="relevance", limit=20, offset=0)

        r = timed(engine, args.repeat)

        def scan_search_table(q=q):
            qs = SearchDocument.objects.filter(Q(title__contains=q) | Q(body__contains=q))
            return qs.count(), list(qs.order_by("-published_at").values_list("id", flat=True)[:20])

        s = timed(lambda q=q: like_scan(conn, q), args.like_repeat)
        st = timed(scan_search_table, args.like_repeat)
        api += a
        raw += r
        like += s
        like_table += st
        per_query[q] = {
            "api_p50": pct(a, 50),
            "raw_p50": pct(r, 50),
            "like_ms": pct(s, 50),
            "like_search_table_ms": pct(st, 50),
            "total": client.get("/api/v1/search", {"q": q}).json()["total"],
        }

    result = {
        "bench": "search_speed",
        "db": conn.vendor,
        "docs": args.docs,
        "index_build_s": round(build_s, 1) if build_s is not None else None,
        "index_build_phases": LOAD_PHASES,
        "api_p50_ms": pct(api, 50),
        "api_p95_ms": pct(api, 95),
        "raw_p50_ms": pct(raw, 50),
        "raw_p95_ms": pct(raw, 95),
        "like_p50_ms": pct(like, 50),
        "like_p95_ms": pct(like, 95),
        "api_vs_raw_p50": round(pct(api, 50) / max(pct(raw, 50), 0.01), 2),
        "like_vs_api_p50": round(pct(like, 50) / max(pct(api, 50), 0.01), 1),
        "like_search_table_p50_ms": pct(like_table, 50),
        "like_search_table_vs_api_p50": round(pct(like_table, 50) / max(pct(api, 50), 0.01), 1),
        "queries": per_query,
        "targets": {"sqlite_p95_ms": 50, "api_vs_raw_max": 2.0, "like_vs_api_min": 100},
    }
    if args.keep:
        result["kept"] = conn.settings_dict["NAME"] if conn.vendor == "postgresql" else work
    print(json.dumps(result, ensure_ascii=False))
    if args.keep or args.reuse:
        return
    if conn.vendor == "postgresql":
        conn.creation.destroy_test_db(conn.settings_dict["NAME"], verbosity=0)
    shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
