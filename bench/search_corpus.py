"""Realistic generated catalog text for the search benchmarks.

Titles and contents are recombined from the real catalog rows shipped with the
project (tests/data/catalog_samples.jsonl and the guideline catalogs), with localities,
years and numbering, so term frequencies look like a real province's catalogs: some
words (公开, 信息, 政策) are in a large share of documents, most are rare.
"""

import json
import random
import re
from collections.abc import Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PLACES = [
    "东湖",
    "西山",
    "南岗",
    "北塘",
    "青龙",
    "白沙",
    "金桥",
    "高新",
    "临江",
    "云溪",
    "石门",
    "桃源",
    "柳营",
    "新华",
    "长乐",
    "永安",
    "红旗",
    "太平",
    "龙泉",
    "凤凰",
]
UNITS = ["街道", "镇", "乡", "社区", "村", "开发区", "县", "区"]
_SPLIT = re.compile(r"[、，,；;。\s（）()《》“”]+")


def _phrases() -> tuple[list[str], list[str], list[str], list[str]]:
    level1, level2, content_words, basis = set(), set(), set(), set()
    samples = ROOT / "tests" / "data" / "catalog_samples.jsonl"
    for line in samples.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        level1.add(row.get("level1") or "")
        level2.add(row.get("level2") or "")
        for w in _SPLIT.split(row.get("content") or ""):
            if 2 <= len(w) <= 16:
                content_words.add(w)
        if row.get("basis"):
            basis.add(row["basis"][:80])
    guidelines = ROOT / "src" / "gongkai" / "catalog" / "data" / "guidelines.json"
    for entry in json.loads(guidelines.read_text(encoding="utf-8")):
        for row in entry["items"]:
            level1.add(row["level1"])
            level2.add(row["level2"])
            basis.add(row["basis"][:80])
            for w in _SPLIT.split(row["content"]):
                if 2 <= len(w) <= 16:
                    content_words.add(w)
    return (
        sorted(w for w in level1 if w),
        sorted(w for w in level2 if w),
        sorted(content_words),
        sorted(basis),
    )


def documents(n: int, seed: int = 11) -> Iterator[dict]:
    """n documents: {"title", "elements", "body", "domain", "year"}."""
    rnd = random.Random(seed)
    level1, level2, words, basis = _phrases()
    domains = [f"d{i:02d}" for i in range(26)]
    for i in range(n):
        place = rnd.choice(PLACES) + rnd.choice(UNITS)
        title = f"{rnd.choice(level1)} {place}{rnd.choice(level2)}"
        content = "、".join(rnd.sample(words, k=min(len(words), rnd.randint(3, 9))))
        elements = f"{content}；{rnd.choice(basis)}；信息形成或者变更之日起20个工作日内"
        body = f"{place}{rnd.choice(level2)}（第{i}号）。" + "，".join(
            rnd.sample(words, k=min(len(words), rnd.randint(5, 15)))
        )
        yield {
            "title": title,
            "elements": elements,
            "body": body,
            "domain": rnd.choice(domains),
            "year": rnd.choice([2023, 2024, 2025, 2026]),
        }
