from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from core.config import ROOT
from nlp.analyze import RELEVANCE_THRESHOLD
from nlp.evaluate import balanced_threshold, evaluate_file, figures


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


def test_balanced_threshold_by_hand() -> None:
    scores = [0.9, 0.8, 0.6, 0.45, 0.3, 0.2]
    truth = [True, True, False, True, False, False]
    # t in (0.45, 0.6]: P 1.0 R 2/3; t in (0.3, 0.45]: P 0.75 R 1.0 — min 0.75 wins
    t, p, r = balanced_threshold(scores, truth, grid=(0.4, 0.5, 0.7))  # type: ignore[misc]
    assert (t, p, r) == (0.4, 0.75, 1.0)
    assert balanced_threshold(scores, [False] * 6) is None
    assert balanced_threshold([0.1], [True], grid=(0.5,)) is None


@given(
    st.lists(st.tuples(st.floats(0, 1), st.booleans()), min_size=1, max_size=40),
)
def test_balanced_threshold_is_the_best_of_its_grid(pairs: list[tuple[float, bool]]) -> None:
    scores, truth = [s for s, _ in pairs], [y for _, y in pairs]
    grid = (0.2, 0.35, 0.5, 0.65, 0.8)
    found = balanced_threshold(scores, truth, grid)
    best = 0.0
    for t in grid:
        called = [y for s, y in pairs if s >= t]
        if called and any(truth):
            hits = sum(called)
            best = max(best, min(hits / len(called), hits / sum(truth)))
    if found is None:
        assert not any(truth) or not any(s >= min(grid) for s in scores)
    else:
        assert min(found[1], found[2]) == pytest.approx(best, abs=1e-4)


@pytest.mark.slow
def test_relevance_threshold_is_the_rule_on_real_news(analyzer) -> None:  # type: ignore[no-untyped-def]
    """``RELEVANCE_THRESHOLD`` is what its rule picks on VNTC dev for the shipped relevance model:
    retraining relevance without recomputing it fails here."""
    import csv

    from tests.conftest import SHARED

    path = SHARED / "data" / "vntc" / "dev.csv"
    if not path.is_file():
        pytest.skip(f"{path} is absent (set DULUAN_SHARED to the shared/ folder)")
    with path.open(encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    results = analyzer.analyze([r["text"] for r in rows])
    truth = [r["label"] in {"Khoa hoc", "Vi tinh"} for r in rows]
    found = balanced_threshold([res["relevance"] for res in results], truth)
    assert found is not None
    assert found[0] == RELEVANCE_THRESHOLD
    assert min(found[1], found[2]) >= 0.85
