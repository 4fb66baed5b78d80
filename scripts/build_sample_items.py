"""One-off: normalise the 80 development rows into demo catalog items.

Kept as the record of how ``src/gongkai/catalog/data/sample_items.json`` was made.

Usage (from the repository root)::

    python scripts/build_sample_items.py ../shared/data [OUTPUT]

It reads ``catalog_samples.jsonl`` from the given folder and writes the JSON list
(default: ``src/gongkai/catalog/data/sample_items.json``).

Rules:

* domain names → domain codes (``gongkai.catalog.domains``);
* channel strings → channel codes (``gongkai.catalog.vocabularies``), with the spelling
  drift of real catalogs (政府服务中心, 新闻发布会, 报刊, 广播/电视, …). A URL after
  政府网站 gives ``website`` and the URL goes to ``channels_other``; a named site of a
  government (东城街道政府网(URL)) gives ``website`` and keeps its text; platforms outside
  the template (招标投标公共服务平台, 管理部门网站, 法律服务网, …) give ``other`` with
  the text; named notice boards (被征收范围内公告栏, 文化站…公示栏) give ``notice_board``
  and keep their text. Several texts are joined by "；";
* where a normalised field is null it is taken from ``raw`` only when the excerpt shows
  it unambiguously: ticked boxes (■) for channels, including a ticked box cut off
  mid-word when the prefix fits only one template label (■便民 → 便民服务站). The √
  columns (公开对象/方式/层级) are never decoded from ``raw``: their empty cells collapse,
  so a √ cannot be placed in a column; defaults apply instead: audience ["public"],
  mode ["proactive"], levels ["county"];
* other null text fields become ""; a dash used as 二级事项 ("—", "─") becomes "".
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))

from gongkai.catalog.domains import STANDARD_DOMAINS  # noqa: E402
from gongkai.catalog.vocabularies import CHANNEL_ALIASES, CHANNELS  # noqa: E402

DEFAULT_OUTPUT = ROOT / "src" / "gongkai" / "catalog" / "data" / "sample_items.json"

DOMAIN_CODES = {d.name: d.code for d in STANDARD_DOMAINS}
AUDIENCE = {"全社会": ["public"], "特定群体": ["specific"], "both": ["public", "specific"]}
MODE = {"主动": ["proactive"], "依申请": ["on_request"]}
LEVEL = {
    "省级": "province",
    "市级": "city",
    "县级": "county",
    "乡级": "township",
    "村级": "village",
}
CHANNEL_ORDER = [code for code, _ in CHANNELS]
DASHES = {"—", "─", "-", "－", "——"}

URL_RE = re.compile(r"https?://[^\s()（）]+")


def _plain(text: str) -> str:
    """Comparable form of a channel label: half-width brackets, no spaces or boxes."""
    text = text.replace("（", "(").replace("）", ")").replace("、", "/")
    return re.sub(r"[\s■□]", "", text)


LABELS: dict[str, str] = {_plain(label): code for code, label in CHANNELS}
LABELS.update({_plain(alias): code for alias, code in CHANNEL_ALIASES.items()})
# Drift seen in these rows and not yet in the shared alias table.
LABELS.update(
    {
        _plain("入户/现场宣传"): "on_site",
        _plain("人户/现场"): "on_site",  # OCR slip in one source
        _plain("发布会听证会"): "press_hearing",
    }
)
# Named boards that are the template's 社区/村公示栏 (the text is kept in channels_other).
NOTICE_BOARDS = ("公示栏", "公告栏", "公开栏")


def map_channel(text: str) -> tuple[list[str], list[str]]:
    """One channel string → (codes, free texts for channels_other)."""
    text = text.strip()
    plain = _plain(text)
    if not plain:
        return [], []
    if plain in LABELS:
        return [LABELS[plain]], []
    url = URL_RE.search(text)
    if url:
        before = _plain(text[: url.start()]).rstrip("(")
        if before in ("", "政府网站"):
            return ["website"], [url.group(0)]
        if before.endswith(("政府网", "政府网站")):
            return ["website"], [text]
    if plain.startswith("其他") and len(plain) > 2:  # "其他法律服务网" = the 其他 box + its text
        return ["other"], [plain[2:]]
    if plain.endswith(NOTICE_BOARDS):
        return ["notice_board"], [text]
    if "/" in plain and all(part in LABELS for part in plain.split("/")):
        return [LABELS[part] for part in plain.split("/")], []
    if "/" in plain:  # "政府网站/财政部门网站公开": split and map each part
        codes: list[str] = []
        texts: list[str] = []
        for part in plain.split("/"):
            c, t = map_channel(part.removesuffix("公开"))
            codes += c
            texts += t
        return codes, texts
    return ["other"], [text]


def channels_from_raw(raw: str) -> list[str]:
    """Ticked boxes (■) in the excerpt, including one cut off mid-label."""
    found = []
    for token in re.findall(r"■\s*([^\s■□|]+)", raw):
        plain = _plain(token)
        if plain in LABELS:
            found.append(plain)
            continue
        full = {label for label in LABELS if label.startswith(plain)} if len(plain) >= 2 else set()
        if len({LABELS[label] for label in full}) == 1:
            found.append(sorted(full)[0])
    return found


def normalise_channels(values: list[str]) -> tuple[list[str], str]:
    codes: list[str] = []
    texts: list[str] = []
    for value in values:
        c, t = map_channel(value)
        codes += c
        texts += [x for x in t if x not in texts]
    ordered = [code for code in CHANNEL_ORDER if code in codes]
    return ordered, "；".join(texts)


def text(value) -> str:
    return value.strip() if isinstance(value, str) else ""


def convert(row: dict) -> dict:
    channel_values = (
        row["channels"] if row["channels"] is not None else channels_from_raw(row["raw"])
    )
    channels, channels_other = normalise_channels(channel_values)
    level2 = text(row["level2"])
    if level2 in DASHES:
        level2 = ""
    return {
        "source_id": row["id"],
        "domain": DOMAIN_CODES[row["domain"]],
        "locality": row["locality"],
        "level1": text(row["level1"]),
        "level2": level2,
        "content": text(row["content"]),
        "basis": text(row["basis"]),
        "time_limit": text(row["time_limit"]),
        "subject": text(row["subject"]),
        "channels": channels,
        "channels_other": channels_other,
        "audience": AUDIENCE[row["audience"]] if row["audience"] else ["public"],
        "mode": MODE[row["mode"]] if row["mode"] else ["proactive"],
        "levels": [LEVEL[x] for x in row["levels"]] if row["levels"] else ["county"],
    }


def main(argv: list[str]) -> int:
    if len(argv) < 2:
        print(__doc__)
        return 2
    source = Path(argv[1]) / "catalog_samples.jsonl"
    output = Path(argv[2]) if len(argv) > 2 else DEFAULT_OUTPUT
    rows = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line]
    items = [convert(row) for row in rows]
    output.parent.mkdir(parents=True, exist_ok=True)
    output.write_text(json.dumps(items, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"{len(items)} items → {output}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
