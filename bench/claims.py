"""Known false claims matched by meaning (``nlp/meaning.py``) against matching by shared words.

For each evaluation set (``data/eval/claims_dev.jsonl``, on which the thresholds were chosen, and
``data/eval/claims_test.jsonl``, never tuned on) prints, for the sentence encoder and for the
word matcher it adds to (``nlp/factcheck.py``, word 1–2-gram overlap):

* paraphrase recall: rows of kind ``paraphrase`` whose own claim is matched (suggested level and
  confirmed level), and how many matched a wrong claim;
* false matches: the share of rows of each other kind (``true_statement``, ``factcheck``,
  ``criticism``, ``unrelated``) that match any claim (a fact-check is expected to match its rumour
  here: ``nlp.analyze`` keeps it out of the queue through its refutation cue; the figure shows how
  often that guard is needed);
* what the predict path (``nlp.analyze``) flags and queues, per kind: the figure the product's
  users see (a paraphrase should be queued as a distortion, nothing else should);
* with ``--sweep``, recall and false-match rate at other thresholds (dev only: choose there).

Real text: ``--news N`` also runs the matcher on N VNTC dev articles (``shared/data/vntc``; read
in place, never copied) and prints how many articles match any claim, the share of their sentences
that pass the cheap filter and the time per article.

    .venv/bin/python bench/claims.py [--sweep] [--news 500]
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import sys
import time
from collections import Counter
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from core.config import Settings  # noqa: E402
from nlp import meaning  # noqa: E402
from nlp.analyze import Analyzer  # noqa: E402
from nlp.factcheck import _check_claims, match_facts  # noqa: E402
from nlp.facts import load_facts  # noqa: E402
from nlp.signals import detect  # noqa: E402
from nlp.text import fold, normalize  # noqa: E402

KINDS = ("true_statement", "factcheck", "criticism", "unrelated")


def _rows(name: str) -> list[dict]:
    path = ROOT / "data" / "eval" / name
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line]


def _sims(index: meaning.ClaimIndex, text: str) -> dict[str, float]:
    """Best cosine per claim over the candidate sentences (no threshold)."""
    spans = index.candidates(text)
    if not spans:
        return {}
    sims = meaning.embed([text[a:b] for a, b in spans]) @ index.vectors.T
    best: dict[str, float] = {}
    for j, cid in enumerate(index.claim_ids):
        best[cid] = max(best.get(cid, 0.0), float(sims[:, j].max()))
    return best


def _evidence(facts, text: str) -> tuple[set[str], set[str]]:
    """Claims matched as evidence (weight > 0: ``known_false_claim`` by words or meaning, a
    confirmed ``similar_claim``) and as a hint only (weight 0) by the serving path:
    ``match_facts`` with the text's cues."""
    found = match_facts(facts, text, detect(text))
    return (
        {s.detail["fact_id"] for s in found if s.weight > 0 and s.detail and "fact_id" in s.detail},
        {s.detail["fact_id"] for s in found if s.weight == 0 and s.detail},
    )


def _report_serving(rows: list[dict], found: list[tuple[set[str], set[str]]]) -> None:
    para = [(r, f) for r, f in zip(rows, found, strict=True) if r["kind"] == "paraphrase"]
    ev = sum(r["claim_id"] in f[0] for r, f in para)
    hint = sum(r["claim_id"] in f[0] | f[1] for r, f in para)
    print(
        f"  serving path (match_facts + cues): paraphrase as evidence {ev}/{len(para)} = "
        f"{ev / len(para):.2f}, as evidence or hint {hint}/{len(para)} = {hint / len(para):.2f}"
    )
    for kind in KINDS:
        chosen = [f for r, f in zip(rows, found, strict=True) if r["kind"] == kind]
        e = sum(bool(f[0]) for f in chosen)
        h = sum(bool(f[1]) and not f[0] for f in chosen)
        print(
            f"      {kind:15} evidence {e}/{len(chosen)} = {e / max(1, len(chosen)):.2f}, hint only {h}"
        )


def _report_flags(rows: list[dict], results: list[dict]) -> None:
    """What ``duluan predict`` does with each row: flagged (distortion or scam) and queued (risk
    at least the default review threshold), per kind."""
    threshold = Settings().review_risk_threshold
    print(f"  predict path (nlp.analyze, review threshold {threshold}): flagged and queued")
    for kind in ("paraphrase", *KINDS):
        chosen = [x for r, x in zip(rows, results, strict=True) if r["kind"] == kind]
        n = sum(x["misinfo"] != "none" and x["risk"] >= threshold for x in chosen)
        print(f"      {kind:15} {n}/{len(chosen)} = {n / max(1, len(chosen)):.2f}")


def _report(name: str, rows: list[dict], scored: list[dict[str, float]], words: list[set]) -> None:
    print(f"\n{name}: {len(rows)} rows {dict(Counter(r['kind'] for r in rows))}")
    para = [
        (r, s, w) for r, s, w in zip(rows, scored, words, strict=True) if r["kind"] == "paraphrase"
    ]
    for label, th in (("suggested", meaning.SUGGESTED), ("confirmed", meaning.CONFIRMED)):
        hit = sum(s.get(r["claim_id"], 0.0) >= th for r, s, _ in para)
        wrong = sum(
            any(v >= th for c, v in s.items() if c != r["claim_id"])
            and s.get(r["claim_id"], 0.0) < th
            for r, s, _ in para
        )
        print(
            f"  encoder {label:9} (cos >= {th:.2f}): paraphrase recall {hit}/{len(para)} "
            f"= {hit / len(para):.2f}, wrong claim only {wrong}"
        )
        for kind in KINDS:
            chosen = [s for r, s in zip(rows, scored, strict=True) if r["kind"] == kind]
            fp = sum(any(v >= th for v in s.values()) for s in chosen)
            print(f"      {kind:15} matched {fp}/{len(chosen)} = {fp / max(1, len(chosen)):.2f}")
    hit = sum(r["claim_id"] in w for r, _, w in para)
    print(
        f"  words (nlp/factcheck.py):  paraphrase recall {hit}/{len(para)} = {hit / len(para):.2f}"
    )
    for kind in KINDS:
        chosen = [w for r, w in zip(rows, words, strict=True) if r["kind"] == kind]
        fp = sum(bool(w) for w in chosen)
        print(f"      {kind:15} matched {fp}/{len(chosen)} = {fp / max(1, len(chosen)):.2f}")


def _sweep(rows: list[dict], scored: list[dict[str, float]]) -> None:
    print("\n  threshold sweep (dev): recall of paraphrases, false-match rate of the other kinds")
    for th in np.arange(0.86, 0.965, 0.01):
        para = [(r, s) for r, s in zip(rows, scored, strict=True) if r["kind"] == "paraphrase"]
        rec = sum(s.get(r["claim_id"], 0.0) >= th for r, s in para) / len(para)
        other = [s for r, s in zip(rows, scored, strict=True) if r["kind"] != "paraphrase"]
        fpr = sum(any(v >= th for v in s.values()) for s in other) / len(other)
        no_fc = [
            s
            for r, s in zip(rows, scored, strict=True)
            if r["kind"] not in ("paraphrase", "factcheck")
        ]
        fpr2 = sum(any(v >= th for v in s.values()) for s in no_fc) / len(no_fc)
        print(
            f"    {th:.2f}  recall {rec:.2f}  false matches {fpr:.2f} (without fact-checks {fpr2:.2f})"
        )


def _news(index: meaning.ClaimIndex, n: int) -> None:
    shared = Path(os.environ.get("DULUAN_SHARED", ROOT.parent / "shared"))
    path = shared / "data" / "vntc" / "dev.csv"
    if not path.is_file():
        print(f"\nnews: {path} not found (give --shared via DULUAN_SHARED); skipped")
        return
    csv.field_size_limit(10_000_000)
    with path.open(encoding="utf-8", newline="") as fh:
        texts = [normalize(r["text"]) for r in csv.DictReader(fh)][:n]
    sentences = sum(len(meaning.SENTENCE.findall(t)) for t in texts)
    candidates = sum(len(index.candidates(t)) for t in texts)
    started = time.perf_counter()
    matched = [t for t in texts if index.match(t)]
    spent = time.perf_counter() - started
    print(
        f"\nnews (VNTC dev, {len(texts)} articles): {len(matched)} match a known false claim "
        f"({len(matched) / len(texts):.1%}); {candidates}/{sentences} sentences pass the filter "
        f"({candidates / max(1, sentences):.1%}); {1000 * spent / len(texts):.1f} ms per article"
    )
    for t in matched[:5]:
        for m in index.match(t)[:1]:
            print(
                f"    {m.claim_id:28} cos {m.similarity:.3f} {m.level:9} {t[m.start : m.end][:90]!r}"
            )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sweep", action="store_true")
    parser.add_argument("--news", type=int, default=0)
    args = parser.parse_args()
    facts = load_facts(ROOT / "data" / "facts")
    started = time.perf_counter()
    index = meaning.ClaimIndex.build(facts.false_claims, ROOT / "data" / "facts")
    print(
        f"{len(facts.false_claims)} known false claims, {len(index.wordings)} wordings; "
        f"index built in {time.perf_counter() - started:.2f} s; encoder {meaning.encoder_version()}"
    )
    settings = Settings()
    analyzer = Analyzer.load(settings.models_dir, settings.data_dir / "facts")
    for name in ("claims_dev.jsonl", "claims_test.jsonl"):
        rows = _rows(name)
        texts = [normalize(r["text"]) for r in rows]
        scored = [_sims(index, t) for t in texts]
        words = [
            {s.detail["fact_id"] for s in _check_claims(facts, t, fold(t)) if s.detail}
            for t in texts
        ]
        _report(name, rows, scored, words)
        _report_serving(rows, [_evidence(facts, t) for t in texts])
        _report_flags(rows, analyzer.analyze([r["text"] for r in rows]))
        if args.sweep and name == "claims_dev.jsonl":
            _sweep(rows, scored)
    if args.news:
        _news(index, args.news)


if __name__ == "__main__":
    main()
