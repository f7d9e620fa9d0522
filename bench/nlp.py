"""Benchmark `duluan predict`'s code path against underthesea word segmentation on the same texts.

Prints items/s for both and their ratio, model load time and peak memory (RSS).
Texts (--n, default 20,000): posts — the project's seed texts with light variations — mixed with
news articles — VNTC dev articles read in place from ``shared/data/vntc/dev.csv`` (the repo's
sibling ``shared/`` or ``$DULUAN_SHARED``; never copied) — in the share ``--articles`` (default
0.5; posts only when the corpus is absent, said in the output).

    .venv/bin/python bench/nlp.py [--n 20000] [--batch 256] [--articles 0.5]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import random
import resource
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.analyze import Analyzer  # noqa: E402
from nlp.text import segment  # noqa: E402

SUFFIXES = [
    "",
    " mọi người ơi",
    " 😀",
    " !!!",
    " (chia sẻ)",
    " ko biết có đúng ko",
    " #chuyendoiso",
]


def _articles() -> list[str]:
    shared = Path(os.environ.get("DULUAN_SHARED", ROOT.parent / "shared"))
    path = shared / "data" / "vntc" / "dev.csv"
    if not path.is_file():
        return []
    csv.field_size_limit(10_000_000)
    with path.open(encoding="utf-8", newline="") as fh:
        return [row["text"] for row in csv.DictReader(fh) if row.get("text")]


def _texts(n: int, share: float) -> tuple[list[str], int]:
    base = [
        json.loads(line)["text"]
        for line in (ROOT / "data/seed/seed.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    articles = _articles() if share > 0 else []
    rng = random.Random(0)
    out, n_articles = [], 0
    for _ in range(n):
        if articles and rng.random() < share:
            out.append(rng.choice(articles))
            n_articles += 1
        else:
            out.append(rng.choice(base) + rng.choice(SUFFIXES))
    return out, n_articles


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--articles", type=float, default=0.5)
    args = parser.parse_args()
    texts, n_articles = _texts(args.n, args.articles)

    started = time.perf_counter()
    analyzer = Analyzer.load(ROOT / "models", ROOT / "data" / "facts")
    load_s = time.perf_counter() - started

    started = time.perf_counter()
    for i in range(0, len(texts), args.batch):
        analyzer.analyze(texts[i : i + args.batch])
    predict_s = time.perf_counter() - started

    started = time.perf_counter()
    for t in texts:
        segment(t)
    segment_s = time.perf_counter() - started

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"texts: {len(texts)} (mean {sum(map(len, texts)) / len(texts):.0f} chars; "
        f"{n_articles} VNTC dev articles{'' if n_articles else ' — corpus not found: posts only'}), "
        f"batch {args.batch}"
    )
    print(f"model load:                    {load_s:.2f} s")
    print(
        f"predict path:                  {len(texts) / predict_s:,.0f} items/s ({predict_s:.1f} s)"
    )
    print(
        f"underthesea word_tokenize:     {len(texts) / segment_s:,.0f} items/s ({segment_s:.1f} s)"
    )
    print(f"ratio predict time / segment time: {predict_s / segment_s:.2f} (target <= 1.0)")
    print(f"peak memory (max RSS):         {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
