"""Real corpora for training defaults: licences enforced, read in place, weighted."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from nlp.corpora import corpus_card, load_corpus
from nlp.pipeline import CLASSIFIERS
from nlp.train import DataError, Dataset, train
from tests.conftest import SHARED


def test_research_only_and_unknown_corpora_are_refused() -> None:
    for name in ("uit-vsfc", "vihsd", "baomoi-tc201805", "sms-smishing-ie403", "vfnd"):
        with pytest.raises(DataError, match="research-only"):
            load_corpus(name, "relevance", SHARED)
    with pytest.raises(DataError, match="unknown corpus"):
        load_corpus("nope", "relevance", SHARED)
    with pytest.raises(DataError, match="no topic labels"):
        load_corpus("vihos", "topic", SHARED)


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
    assert tuple(CLASSIFIERS["relevance"]) == ("off_topic", "relevant")


def test_real_corpora_give_misinfo_negatives() -> None:
    """News of every topic and real comments, rude ones included, are all ``none``."""
    for name, path in (("vntc", "vntc/train.csv"), ("vihos", "vihos/span/train.csv")):
        if not (SHARED / "data" / path).is_file():
            pytest.skip(f"{path} absent under {SHARED} (set DULUAN_SHARED to the shared/ folder)")
        data = load_corpus(name, "misinfo", SHARED)
        assert set(data.labels) == {"none"}
        assert len(data.texts) > 8_000
        assert data.weight < 1.0
        card = corpus_card(data)
        assert card is not None
        assert card["licence"].startswith("MIT")


def test_real_comments_are_off_topic_for_relevance_and_vocabulary_for_sentiment() -> None:
    """ViHOS comments teach relevance that a social comment's style is not the domain; for
    sentiment they have no labels and weigh 0."""
    if not (SHARED / "data" / "vihos" / "span" / "train.csv").is_file():
        pytest.skip(f"ViHOS absent under {SHARED} (set DULUAN_SHARED to the shared/ folder)")
    rel = load_corpus("vihos", "relevance", SHARED)
    assert set(rel.labels) == {"off_topic"}
    assert rel.weight == 0.2
    assert rel.in_balance is False  # one class: it adds to off_topic, the seed's balance stays
    sent = load_corpus("vihos", "sentiment", SHARED)
    assert sent.weight == 0.0
    assert sent.texts == rel.texts


def test_a_one_class_corpus_adds_to_its_class_without_changing_the_balance() -> None:
    from sklearn.utils.class_weight import compute_class_weight

    from nlp.train import balanced_weights

    labels = ["none"] * 6 + ["scam"] * 2 + ["distortion"] * 2
    classes = np.array(["distortion", "none", "scam"])
    sk = dict(
        zip(classes, compute_class_weight("balanced", classes=classes, y=labels), strict=True)
    )
    plain = balanced_weights(labels, [1.0] * len(labels))
    assert plain == pytest.approx([sk[label] for label in labels])  # = class_weight="balanced"
    news = ["none"] * 1000
    more = balanced_weights(
        [*labels, *news], [1.0] * len(labels) + [0.05] * 1000, [False] * len(labels) + [True] * 1000
    )
    assert more[: len(labels)] == pytest.approx(plain)  # the seed's rows keep their weight
    assert more[-1] == pytest.approx(0.05 * plain[0])  # a news row: 0.05 of a seed none row
    inside = balanced_weights([*labels, *news], [1.0] * len(labels) + [0.05] * 1000)
    # in the balance, news would shrink the seed's negatives against the flags many-fold
    assert inside[0] / inside[6] < plain[0] / plain[6] / 5
    with pytest.raises(DataError, match="every class"):
        balanced_weights(["none", "scam"], [1.0, 1.0], [False, True])


def test_corpus_rows_of_one_class_stay_out_of_the_balance() -> None:
    if not (SHARED / "data" / "vntc" / "train.csv").is_file():
        pytest.skip(f"VNTC absent under {SHARED} (set DULUAN_SHARED to the shared/ folder)")
    assert load_corpus("vntc", "relevance", SHARED).in_balance
    assert not load_corpus("vntc", "misinfo", SHARED).in_balance


def test_the_model_card_comparison_reports_reliability() -> None:
    """ECE and bins of each classifier's scores on the evaluation rows (nlp.retrain.scores)."""
    from core.config import ROOT
    from nlp import registry
    from nlp.facts import load_facts
    from nlp.retrain import scores

    facts = load_facts(ROOT / "data" / "facts")
    rows = [
        {"text": "Cung cấp mã OTP tại vcb-xacminh.top để nhận hỗ trợ", "label": "scam"},
        {"text": "Đội bóng của xã thắng 2-1 trong trận chung kết.", "label": "none"},
        {"text": "Cổng dịch vụ công chậm quá, nộp hồ sơ cả buổi vẫn lỗi.", "label": "none"},
    ]
    rows = [{**r, "category": None, "origin": "check"} for r in rows]
    for task in ("misinfo", "relevance", "sentiment"):
        version = registry.current_version(ROOT / "models", task)
        assert version is not None
        pipeline = registry.load(ROOT / "models", task, version)[0]
        labelled = rows if task == "misinfo" else [{**r, "label": "x"} for r in rows]
        rel = scores(pipeline, labelled, task, facts)["reliability"]
        assert 0.0 <= rel["ece"] <= 1.0
        assert sum(b["n"] for b in rel["bins"]) == len(rows)


def test_rows_of_weight_zero_shape_the_features_only() -> None:
    """An unlabelled corpus (sentiment from VNTC) joins the vocabulary, so the classifiers share
    one feature step, but is never learnt from nor scored in the hold-out."""
    from core.config import ROOT
    from nlp.facts import load_facts

    facts = load_facts(ROOT / "data" / "facts")
    texts = [f"dịch vụ rất tốt hài lòng {i}" for i in range(10)] + [
        f"dịch vụ quá tệ bực mình {i}" for i in range(10)
    ]
    labels = ["positive"] * 10 + ["negative"] * 10
    news = [f"trận bóng đá tối qua kết thúc {i}" for i in range(40)]
    data = Dataset(
        texts + news,
        labels + ["neutral"] * 40,
        "t",
        "x",
        row_weights=[1.0] * 20 + [0.0] * 40,
        outside_balance=[False] * 20 + [True] * 40,
    )
    result = train(data, "sentiment", facts, C=1.0)
    holdout = result.metadata["evaluation"]["holdout"]
    assert holdout["rows"] < 20  # only the labelled rows of the 20 % split were scored
    assert "neutral" not in {c for c, s in holdout["per_class"].items() if s["support"]}
    word = dict(result.pipeline.named_steps["features"].transformer_list)["word"]
    assert "tran" in word.vocabulary_  # the unlabelled rows shaped the (folded) features
    assert result.pipeline.predict(["dịch vụ rất tốt hài lòng"])[0] == "positive"
