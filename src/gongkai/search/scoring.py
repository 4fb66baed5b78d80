"""Scoring a window of candidate documents in Python (SQLite backend).

FTS5's bm25 starts by counting, for each phrase, every row that holds it: for a term
found in most of a million documents that alone is 20–35 ms, however few rows are then
ranked. When only the newest RANK_WINDOW matches of a very frequent query are ranked
(services._tiers), this scores them from their stored token columns instead: the same
column weights as the FTS5 rank (title 10, elements 4, title characters 2; the body,
weight 1 and the longest column, is left out to keep the fetch small), BM25's
term-frequency saturation and length normalisation, no IDF (every candidate matches
every query group, so IDF would scale all of them alike).
"""

from __future__ import annotations

from dataclasses import dataclass

SCORED_COLUMNS = ("title_tokens", "elements_tokens", "chars")
WEIGHTS = (10.0, 4.0, 2.0)  # as RANK_WEIGHTS in backends/sqlite.py
AVERAGE_LENGTH = (8.0, 60.0, 15.0)  # typical token counts per column
CHARS = 2  # the position of the chars column
K1, B = 1.2, 0.75


@dataclass(frozen=True)
class ScoreTerms:
    words: tuple[str, ...]  # tokens matched in the token columns
    chars: tuple[str, ...]  # single characters matched in the chars column

    @classmethod
    def of(cls, words, chars) -> ScoreTerms:
        """Terms padded with spaces once, for counting whole tokens (see score)."""
        return cls(tuple(f" {t} " for t in sorted(words)), tuple(f" {t} " for t in sorted(chars)))


def score(columns, terms: ScoreTerms) -> float:
    """The weighted BM25-style score of one document's token columns.

    Term frequencies are substring counts of " term " in the space-padded column (C
    speed, no split); a token repeated back to back counts once, which ranking by
    saturated frequency hardly notices."""
    total = 0.0
    for i, text in enumerate(columns):
        wanted = terms.chars if i == CHARS else terms.words
        if not text or not wanted:
            continue
        padded = f" {text} "
        norm = K1 * (1 - B + B * (text.count(" ") + 1) / AVERAGE_LENGTH[i])
        weight = WEIGHTS[i] * (K1 + 1)
        for term in wanted:
            tf = padded.count(term)
            if tf:
                total += weight * tf / (tf + norm)
    return total
