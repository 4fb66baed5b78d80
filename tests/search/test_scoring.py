"""The window scorer (scoring.score_all) against its definition, document by document."""

import math

from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.search.scoring import ScoreTerms, score, score_all

TOKENS = ["救助", "名单", "公开", "房", "低保", "最低生活保障", "a", "房屋"]
column = st.lists(st.sampled_from(TOKENS), max_size=12).map(" ".join)
row = st.tuples(column, column, column, column)


def reference(rows, terms: ScoreTerms) -> list[float]:
    """score() of each document with IDF over the candidates, the document frequency
    counting a term found in any column."""
    joined = ["\x00".join(f" {c} " if c else "" for c in r) for r in rows]
    idf = {}
    for term in (*terms.words, *terms.chars):
        df = sum(1 for text in joined if term in text)
        idf[term] = math.log(1 + (len(rows) - df + 0.5) / (df + 0.5))
    return [score(r, terms, idf) for r in rows]


@settings(max_examples=300, deadline=None)
@given(
    rows=st.lists(row, max_size=8),
    words=st.sets(st.sampled_from(TOKENS), max_size=4),
    chars=st.sets(st.sampled_from(["房", "a", "公"]), max_size=2),
)
def test_score_all_sums_what_score_gives_each_document(rows, words, chars):
    terms = ScoreTerms.of(words, chars)
    got = score_all(rows, terms)
    assert len(got) == len(rows)
    assert all(
        math.isclose(a, b, abs_tol=1e-9) for a, b in zip(got, reference(rows, terms), strict=True)
    )


def test_a_document_holding_more_of_the_terms_ranks_higher():
    terms = ScoreTerms.of({"低保", "名单"}, set())
    rows = [("低保 名单", "", "", ""), ("低保", "", "", ""), ("名单 公开", "", "", "")]
    scores = score_all(rows, terms)
    assert scores[0] > scores[1] > 0 and scores[0] > scores[2] > 0
