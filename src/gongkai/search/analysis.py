"""Text analysis, the same on the index and the query side.

NFKC (full-width → half-width), traditional → simplified, lower case, then jieba
segmentation in "search" mode (rjieba, the Rust port: ~14× faster than jieba with the
same output) so that 最低生活保障 gives 最低 / 生活 / 保障 / 最低生活保障. Punctuation,
whitespace and stop words are dropped. A government dictionary (domains and their
aliases, vocabulary labels, data/dictionary.json, the synonym table's terms) is loaded
once per process; `gongkai reindex` adds item names from the database.
"""

from __future__ import annotations

import json
import re
import threading
import unicodedata
from functools import lru_cache
from pathlib import Path

from gongkai.catalog.exchange.normalize import to_simplified

DATA = Path(__file__).parent / "data"
WORD_FREQ = 200_000  # high enough for a dictionary word to win over its parts
_TOKEN = re.compile(r"[^\W_]+")

# Function words and question words that carry no meaning in a search query.
STOP_WORDS = frozenset(
    """的 了 和 与 及 或 在 是 有 为 对 把 被 等 之 其 并 也 就 都 而 着 吗 呢 吧 啊 呀 嘛
    怎么 怎样 怎么样 如何 哪里 哪儿 哪个 哪些 什么 多少 几 能 能否 可以 可否 要 需要 想 我 我们
    你 您 他 她 它 这 那 这个 那个 一下 请问 关于 办理 去 到 给 让 吧
    办 哪 谁 找 领 能领 咋 咋办 怎么办 啥 在哪 去哪 得 么 呗 该 应该 有没有 是不是 能不能
    可不可以 还 又 再 没 没有
    a an the of and or not to in on for is are""".split()  # noqa: SIM905
)

_lock = threading.Lock()


def normalize(text: str | None) -> str:
    """NFKC, traditional → simplified, lower case."""
    if not text:
        return ""
    return to_simplified(unicodedata.normalize("NFKC", str(text))).lower()


def _word_list() -> list[str]:
    from gongkai.catalog.domains import STANDARD_DOMAINS
    from gongkai.catalog.vocabularies import AUDIENCES, CHANNELS, LEVELS, MODES

    words: list[str] = json.loads((DATA / "dictionary.json").read_text("utf-8"))
    for spec in STANDARD_DOMAINS:
        words += [spec.name, *spec.aliases]
    for vocabulary in (CHANNELS, AUDIENCES, MODES, LEVELS):
        words += [label for _, label in vocabulary]
    for term, expansions in json.loads((DATA / "synonyms.json").read_text("utf-8")):
        words += [term, *expansions.split("|")]
    return words


@lru_cache(maxsize=1)
def segmenter():
    """The process-wide segmenter with the government dictionary (built on first use)."""
    import rjieba

    jieba = rjieba.Jieba()
    for word in _word_list():
        _add(jieba, word)
    return jieba


def warm() -> None:
    """Load the segmenter's and pypinyin's dictionaries now — at server start (wsgi.py) —
    rather than during a citizen's first query in each worker (~1 s together)."""
    from .suggest import term_keys

    segmenter().cut("最低生活保障", True)
    term_keys("低保")


def _add(jieba, word: str) -> None:
    for part in _TOKEN.findall(normalize(word)):
        if len(part) > 1 and not part.isascii():
            jieba.add_word(part, WORD_FREQ, None)


def add_words(words) -> int:
    """Add words (item names, synonym terms) to this process's dictionary."""
    jieba = segmenter()
    n = 0
    _analyze_cached.cache_clear()  # segmentation may change with the new words
    with _lock:
        for word in words:
            if word:
                _add(jieba, word)
                n += 1
    return n


def is_known(word: str) -> bool:
    return segmenter().has_word(word)


def _clean(tokens) -> list[str]:
    # One regex pass over the joined tokens gives the same parts as one pass per token
    # (the space separates them), at a fraction of the cost for long texts.
    return [t for t in _TOKEN.findall(" ".join(tokens)) if t not in STOP_WORDS]


def analyze(text: str | None) -> list[str]:
    """Index-side analysis: search-mode segmentation (words and their dictionary parts)."""
    text = normalize(text)
    if not text.strip():
        return []
    return _clean(_with_long_parts(segmenter().cut_for_search(text, True)))


def _with_long_parts(tokens: list[str]) -> list[str]:
    """Search mode's tokens plus, for a word of five or more characters, its dictionary
    sub-words of four or more: search mode emits only the two- and three-character
    ones, so a text segmented as 职业技能培训 would hold no 技能培训 and no 职业技能,
    and a query or synonym naming those would miss it."""
    has_word = segmenter().has_word
    extra = []
    for word in tokens:
        n = len(word)
        if n > 4:
            for size in range(4, n):
                for i in range(n - size + 1):
                    if has_word(part := word[i : i + size]):
                        extra.append(part)
    return tokens + extra if extra else tokens


@lru_cache(maxsize=50_000)
def _analyze_cached(text: str) -> tuple[str, ...]:
    return tuple(analyze(text))


def analyze_parts(parts) -> list[str]:
    """`analyze` over several texts, as if joined by line breaks (segmentation never
    crosses a line break). Parts are cached: in a catalog the basis, time limit,
    subject, labels and names repeat from item to item."""
    out: list[str] = []
    for part in parts:
        if part:
            out += _analyze_cached(part)
    return out


def query_terms(text: str | None) -> list[str]:
    """Query-side analysis: precise-mode segmentation, one entry per query term.

    Every term is a token that `analyze` also produces for the same words, since
    search mode emits the precise-mode words plus their parts.
    """
    text = normalize(text)
    if not text.strip():
        return []
    seen: dict[str, None] = {}
    for token in _clean(_joined_runs(segmenter().cut(text, False))):
        seen.setdefault(token, None)
    return list(seen)


def _joined_runs(tokens: list[str]) -> list[str]:
    """Precise mode without the HMM's guesses, which glue a stop word to its neighbour
    (我家门口的树能自己砍掉吗: 树能): a run of single characters the dictionary does not
    join becomes one term (底保, 危改, 砍掉), broken at stop words and punctuation."""
    out: list[str] = []
    run: list[str] = []
    for token in tokens:
        if len(token) == 1 and not token.isascii() and token.isalnum() and token not in STOP_WORDS:
            run.append(token)
            continue
        if run:
            out.append("".join(run))
            run = []
        out.append(token)
    if run:
        out.append("".join(run))
    return out


def characters(text: str | None) -> list[str]:
    """Single CJK characters and whole ASCII words, for one-character and unknown terms."""
    out: list[str] = []
    for part in _TOKEN.findall(normalize(text)):
        if part.isascii():
            out.append(part)
        else:
            out.extend(part)
    return out
