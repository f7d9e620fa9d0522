"""Benchmark `duluan predict`'s code path against underthesea word segmentation on the same texts.

Prints items/s for both and their ratio, model load time and peak memory (RSS).
Texts: the project's seed and demo texts, with light variations, repeated to --n (default 20,000).

    .venv/bin/python bench/nlp.py [--n 20000] [--batch 256]
"""

from __future__ import annotations

import argparse
import json
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


def _texts(n: int) -> list[str]:
    base = [
        json.loads(line)["text"]
        for line in (ROOT / "data/seed/seed.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    rng = random.Random(0)
    return [rng.choice(base) + rng.choice(SUFFIXES) for _ in range(n)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=256)
    args = parser.parse_args()
    texts = _texts(args.n)

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
        f"texts: {len(texts)} (mean {sum(map(len, texts)) / len(texts):.0f} chars), batch {args.batch}"
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
