"""How the shipped scam flag does on real Vietnamese SMS (UIT IE403 corpus, research-only).

The corpus is read from ``../shared/data/sms-smishing-ie403/sms.csv`` (never copied into the repo,
never trained on: its licence allows internal benchmarks only). Its label 1 is "smishing /
malicious", broader than our "scam" (it also covers gambling, loan and forged-document spam);
its label 0 includes genuine OTPs, bank notices and scam *warnings* — what the flag must spare.

Prints, per origin (``inbox``: messages received on phones; ``public_report``: scams people posted
publicly, hand-transcribed) and overall:

* recall: the share of label-1 messages the service would put before a reviewer (risk at or above
  the review threshold) and the share it labels ``scam``;
* false-positive rate: the share of label-0 messages it would queue, with the warnings among them
  counted apart (label 0 and a warning phrase such as "không cung cấp" / "cảnh báo").

    .venv/bin/python bench/smishing.py [--csv PATH] [--threshold T] [--show 10] [--models DIR]
"""

from __future__ import annotations

import argparse
import csv
import re
import sys
import time
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.analyze import Analyzer  # noqa: E402
from nlp.text import fold  # noqa: E402

DEFAULT_CSV = ROOT.parent / "shared" / "data" / "sms-smishing-ie403" / "sms.csv"
# Label-0 messages that warn about scams: the hard negatives (matched on accent-folded text).
WARNING = re.compile(r"khong (cung cap|yeu cau|chia se)|canh bao|tuyet doi khong|gia mao", re.I)


def _rate(hits: int, n: int) -> str:
    return f"{hits / n:6.1%} ({hits}/{n})" if n else "     — (0/0)"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--csv", type=Path, default=DEFAULT_CSV)
    parser.add_argument(
        "--threshold", type=float, default=None, help="review risk threshold (default: the setting)"
    )
    parser.add_argument("--show", type=int, default=10, help="print this many of each mistake")
    parser.add_argument("--models", type=Path, default=ROOT / "models", help="models folder")
    args = parser.parse_args()
    if args.threshold is None:
        from core.config import Settings

        args.threshold = Settings().review_risk_threshold
    if not args.csv.is_file():
        sys.exit(f"{args.csv} not found: this benchmark reads the shared IE403 SMS corpus")
    with args.csv.open(encoding="utf-8", newline="") as fh:
        rows = list(csv.DictReader(fh))

    analyzer = Analyzer.load(args.models, ROOT / "data" / "facts")
    started = time.perf_counter()
    results = []
    for i in range(0, len(rows), 256):
        results.extend(analyzer.analyze([r["text"] for r in rows[i : i + 256]]))
    seconds = time.perf_counter() - started

    print(f"{len(rows)} SMS, analysed in {seconds:.1f} s; review threshold {args.threshold}")
    print(f"models: {', '.join(f'{k} {v}' for k, v in analyzer.versions.items())}")
    tally: Counter[tuple[str, str]] = Counter()
    missed, false_alarms = [], []
    for row, res in zip(rows, results, strict=True):
        queued = res["risk"] >= args.threshold
        scam = res["misinfo"] == "scam"
        for origin in (row["origin"], "all"):
            if row["label"] == "1":
                tally[origin, "pos"] += 1
                tally[origin, "pos_queued"] += queued
                tally[origin, "pos_scam"] += scam
            else:
                warning = bool(WARNING.search(fold(row["text"])))
                tally[origin, "neg"] += 1
                tally[origin, "neg_queued"] += queued
                tally[origin, "warn"] += warning
                tally[origin, "warn_queued"] += queued and warning
        if row["label"] == "1" and not queued:
            missed.append((res["risk"], row))
        if row["label"] == "0" and queued:
            false_alarms.append((res["risk"], row))

    print()
    print(
        f"{'origin':<14} {'recall (queued)':>20} {'labelled scam':>20} {'FPR (queued)':>20}"
        f" {'warnings queued':>18}"
    )
    for origin in ("inbox", "public_report", "all"):
        print(
            f"{origin:<14} {_rate(tally[origin, 'pos_queued'], tally[origin, 'pos']):>20}"
            f" {_rate(tally[origin, 'pos_scam'], tally[origin, 'pos']):>20}"
            f" {_rate(tally[origin, 'neg_queued'], tally[origin, 'neg']):>20}"
            f" {_rate(tally[origin, 'warn_queued'], tally[origin, 'warn']):>18}"
        )
    print("\nby review threshold (DULUAN_REVIEW_RISK_THRESHOLD):")
    print(f"{'threshold':>10} {'recall':>8} {'FPR':>8} {'FPR inbox':>10}")
    for cut in (0.4, 0.5, 0.6, 0.7, 0.8, 0.9):
        pos = [
            res["risk"] >= cut
            for row, res in zip(rows, results, strict=True)
            if row["label"] == "1"
        ]
        neg = [
            (res["risk"] >= cut, row["origin"])
            for row, res in zip(rows, results, strict=True)
            if row["label"] == "0"
        ]
        inbox = [q for q, origin in neg if origin == "inbox"]
        print(
            f"{cut:>10.1f} {sum(pos) / len(pos):>8.1%} {sum(q for q, _ in neg) / len(neg):>8.1%}"
            f" {sum(inbox) / max(len(inbox), 1):>10.1%}"
        )
    for title, cases in (
        ("missed (label 1, not queued)", missed),
        ("false alarms (label 0, queued)", false_alarms),
    ):
        if args.show and cases:
            print(f"\n{title}, first {min(args.show, len(cases))} of {len(cases)}:")
            for risk, row in sorted(cases, key=lambda c: c[1]["id"])[: args.show]:
                print(f"  {row['id']:<12} risk {risk:.2f}  {row['text'][:110]!r}")


if __name__ == "__main__":
    main()
