"""Real corpora for training defaults: licences enforced, read in place, weighted."""

from __future__ import annotations

from collections import Counter

import pytest

from nlp.corpora import corpus_card, load_corpus
from nlp.pipeline import TASKS
from nlp.train import DataError, Dataset, train
from tests.conftest import SHARED


def test_research_only_and_unknown_corpora_are_refused() -> None:
    for name in ("uit-vsfc", "vihsd", "baomoi-tc201805", "sms-smishing-ie403", "vfnd"):
        with pytest.raises(DataError, match="research-only"):
            load_corpus(name, "relevance", SHARED)
    with pytest.raises(DataError, match="unknown corpus"):
        load_corpus("nope", "relevance", SHARED)
    with pytest.raises(DataError, match="no sentiment labels"):
        load_corpus("vntc", "sentiment", SHARED)


def test_vntc_gives_relevance_rows_with_snippets_and_a_card() -> None:
    if not (SHARED / "data" / "vntc" / "train.csv").is_file():
        pytest.skip(f"VNTC absent under {SHARED} (set DULUAN_SHARED to the shared/ folder)")
    data = load_corpus("vntc", "relevance", SHARED)
    counts = Counter(data.labels)
    assert set(counts) == {"relevant", "off_topic"}
    # 2 of 10 topics relevant, each article with up to two snippets of the same label.
    assert 0.15 < counts["relevant"] / len(data.labels) < 0.25
    assert len(data.texts) > 25_000
    assert min(len(t) for t in data.texts) < 100  # short snippets: length is no cue
    assert data.weight == 0.2
    card = corpus_card(data)
    assert card is not None
    assert card["licence"].startswith("MIT")
    assert card["rows"] == len(data.texts)


def test_row_weights_reach_the_classifier() -> None:
    from core.config import ROOT
    from nlp.facts import load_facts

    texts = [f"khoa học công nghệ {i}" for i in range(20)] + [
        f"bóng đá thể thao {i}" for i in range(20)
    ]
    labels = ["relevant"] * 20 + ["off_topic"] * 20
    facts = load_facts(ROOT / "data" / "facts")
    even = train(Dataset(texts, labels, "t", "x"), "relevance", facts, C=1.0)
    heavy = train(
        Dataset(texts, labels, "t", "x", row_weights=[5.0] * 20 + [1.0] * 20),
        "relevance",
        facts,
        C=1.0,
    )
    assert even.metadata["data"]["weighted"] is False
    assert heavy.metadata["data"]["weighted"] is True
    # The weights change the fit (the same rows unweighted give other coefficients).
    import numpy as np

    coef_even = even.pipeline.named_steps["clf"].coef_
    coef_heavy = heavy.pipeline.named_steps["clf"].coef_
    assert not np.allclose(coef_even, coef_heavy)
    assert tuple(TASKS["relevance"]) == ("off_topic", "relevant")
