from __future__ import annotations

import pytest

from core.config import ROOT
from nlp.evaluate import evaluate_file, figures


def _res(misinfo: str, relevant: bool = True, sentiment: str = "negative") -> dict[str, object]:
    return {"misinfo": misinfo, "relevant": relevant, "sentiment": sentiment}


def test_figures_by_hand() -> None:
    rows = [
        {
            "category": "distortion",
            "misinfo": "distortion",
            "relevant": True,
            "sentiment": "negative",
            "text": "a",
        },
        {
            "category": "distortion",
            "misinfo": "distortion",
            "relevant": True,
            "sentiment": "negative",
            "text": "b",
        },
        {
            "category": "scam",
            "misinfo": "scam",
            "relevant": True,
            "sentiment": "neutral",
            "text": "c",
        },
        {
            "category": "criticism",
            "misinfo": "none",
            "relevant": True,
            "sentiment": "negative",
            "text": "d",
        },
        {
            "category": "scam_warning",
            "misinfo": "none",
            "relevant": True,
            "sentiment": "negative",
            "text": "e",
        },
        {
            "category": "off_topic",
            "misinfo": "none",
            "relevant": False,
            "sentiment": "positive",
            "text": "f",
        },
    ]
    results = [
        _res("distortion"),
        _res("none"),
        _res("scam", sentiment="neutral"),
        _res("distortion"),
        _res("none"),
        _res("none", relevant=True, sentiment="positive"),
    ]
    f = figures(rows, results)
    assert f["recall"] == {"distortion": 0.5, "scam": 1.0}
    assert f["false_positive_rate"] == {
        "criticism": 1.0,
        "scam_warning": 0.0,
        "factcheck": None,
        "legit_notice": None,
    }
    assert f["relevance_accuracy"] == round(5 / 6, 4)
    assert f["sentiment_macro_f1"] == 1.0
    assert [m["text"] for m in f["mistakes"]] == ["b", "d", "f"]


@pytest.mark.slow
def test_shipped_models_meet_the_targets_on_the_check_set(analyzer) -> None:  # type: ignore[no-untyped-def]
    """A release gate: the default models, on examples written apart from their training data."""
    f = evaluate_file(analyzer, ROOT / "data" / "eval" / "check.jsonl")
    assert f["recall"]["distortion"] >= 0.85
    assert f["recall"]["scam"] >= 0.85
    assert all(rate <= 0.05 for rate in f["false_positive_rate"].values()), f["false_positive_rate"]
    assert f["relevance_accuracy"] >= 0.90
    assert f["sentiment_macro_f1"] >= 0.75


def test_the_model_reason_quotes_words_that_say_something(analyzer) -> None:  # type: ignore[no-untyped-def]
    text = (
        "a chị nào chưa lên mức 2 thì ib em nha, em bên tổng đài hỗ trợ VNeID, chỉ cần đọc giúp "
        "em mã xác thực gửi về đt là em kích hoạt luôn, phí hỗ trợ 100k chuyển trước"
    )
    result = analyzer.analyze([text])[0]
    assert result["misinfo"] == "scam"
    (model,) = [r for r in result["reasons"] if r["kind"] == "model"]
    assert max(len(w) for w in model["evidence"].split()) > 2, model["evidence"]
    assert model["evidence"] in text


def test_reliability_bins_and_ece_by_hand() -> None:
    """ECE = Σ n_b/N · |mean score_b − observed_b|, over equal-width bins of the score."""
    from nlp.evaluate import reliability

    # Bin 0.1-0.2: scores 0.1, 0.1 (mean 0.1), one positive of two (0.5) -> gap 0.4
    # Bin 0.9-1.0: scores 0.9, 0.9 (mean 0.9), both positive (1.0)        -> gap 0.1
    rel = reliability([0.1, 0.1, 0.9, 0.9], [True, False, True, True])
    assert rel is not None
    assert rel["ece"] == round((2 * 0.4 + 2 * 0.1) / 4, 4)
    assert [(b["from"], b["n"], b["observed"]) for b in rel["bins"]] == [
        (0.1, 2, 0.5),
        (0.9, 2, 1.0),
    ]
    # Perfect calibration: scores equal to the observed rate in each bin.
    assert reliability([0.0, 0.0, 1.0, 1.0], [False, False, True, True])["ece"] == 0.0
    assert reliability([], []) is None
