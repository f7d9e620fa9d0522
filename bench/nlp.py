"""Benchmark `duluan predict`'s code path against underthesea word segmentation on the same texts.

Prints items/s for both and their ratio (in wall time and in the process's CPU time, which a
machine shared with other work disturbs less), model load time and peak memory (RSS).
Texts (--n, default 20,000): posts mixed with news articles — VNTC dev articles — in the share
``--articles`` (default 0.5). Posts (``--posts``) are ``real`` social comments — ViHSD and ViHOS
dev, research-only/MIT, benchmark use only — or ``seed``: the project's own seed texts with light
variations (all of them on the project's topics, a third of them rumours or scams: the encoder of
``nlp/meaning.py`` runs on far more of them than on real traffic). Corpora are read in place from
the repo's sibling ``shared/`` or ``$DULUAN_SHARED`` (never copied); without them the posts are the
seed's and there are no articles, said in the output. Also prints how many sentences the sentence
encoder embedded and the time it took.

    .venv/bin/python bench/nlp.py [--n 20000] [--batch 256] [--articles 0.5] [--posts real|seed]
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
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp import meaning  # noqa: E402
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


SHARED = Path(os.environ.get("DULUAN_SHARED", ROOT.parent / "shared")) / "data"


def _column(relative: str, column: str) -> list[str]:
    path = SHARED / relative
    if not path.is_file():
        return []
    csv.field_size_limit(10_000_000)
    with path.open(encoding="utf-8", newline="") as fh:
        return [row[column] for row in csv.DictReader(fh) if row.get(column)]


def _articles() -> list[str]:
    return _column("vntc/dev.csv", "text")


def _posts(kind: str) -> tuple[list[str], str]:
    if kind == "real":
        real = _column("vihsd/dev.csv", "free_text") + _column("vihos/span/dev.csv", "content")
        if real:
            return real, "real comments (ViHSD + ViHOS dev)"
    seed = [
        json.loads(line)["text"]
        for line in (ROOT / "data/seed/seed.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    return [t + s for t in seed for s in SUFFIXES], "seed texts with variations"


def _texts(n: int, share: float, posts: str) -> tuple[list[str], int, str]:
    base, kind = _posts(posts)
    articles = _articles() if share > 0 else []
    rng = random.Random(0)
    out, n_articles = [], 0
    for _ in range(n):
        if articles and rng.random() < share:
            out.append(rng.choice(articles))
            n_articles += 1
        else:
            out.append(rng.choice(base))
    return out, n_articles, kind


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=20_000)
    parser.add_argument("--batch", type=int, default=256)
    parser.add_argument("--articles", type=float, default=0.5)
    parser.add_argument("--posts", choices=("real", "seed"), default="real")
    args = parser.parse_args()
    texts, n_articles, kind = _texts(args.n, args.articles, args.posts)
    encoded = [0, 0.0]
    embed = meaning.embed

    def counted(sentences: list[str]) -> Any:
        started = time.perf_counter()
        try:
            return embed(sentences)
        finally:
            encoded[0] += len(sentences)
            encoded[1] += time.perf_counter() - started

    meaning.embed = counted  # type: ignore[assignment]

    # segmentation first, in a process the analysis has not touched (what its caches and heap
    # do to the segmenter run after it counts against the analysis, not for it)
    started, cpu = time.perf_counter(), time.process_time()
    for t in texts:
        segment(t)
    segment_s, segment_cpu = time.perf_counter() - started, time.process_time() - cpu

    started = time.perf_counter()
    analyzer = Analyzer.load(ROOT / "models", ROOT / "data" / "facts")
    load_s = time.perf_counter() - started

    started, cpu = time.perf_counter(), time.process_time()
    for i in range(0, len(texts), args.batch):
        analyzer.analyze(texts[i : i + args.batch])
    predict_s, predict_cpu = time.perf_counter() - started, time.process_time() - cpu

    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(
        f"texts: {len(texts)} (mean {sum(map(len, texts)) / len(texts):.0f} chars; "
        f"{n_articles} VNTC dev articles{'' if n_articles else ' — corpus not found: posts only'}, "
        f"posts: {kind}), batch {args.batch}"
    )
    print(f"model load:                    {load_s:.2f} s")
    print(
        f"predict path:                  {len(texts) / predict_s:,.0f} items/s ({predict_s:.1f} s)"
    )
    print(
        f"  of which sentence encoder:   {encoded[0]:,} sentences embedded "
        f"({encoded[0] / len(texts):.3f} a text), {encoded[1]:.1f} s"
    )
    print(
        f"underthesea word_tokenize:     {len(texts) / segment_s:,.0f} items/s ({segment_s:.1f} s)"
    )
    print(f"ratio predict time / segment time: {predict_s / segment_s:.2f} (target <= 1.0)")
    # CPU time (every thread of the process) is steadier on a shared machine than wall time
    print(
        f"  in CPU time:                 {predict_cpu / segment_cpu:.2f} "
        f"(predict {predict_cpu:.1f} s, segment {segment_cpu:.1f} s)"
    )
    print(f"peak memory (max RSS):         {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
