"""The serving feature step gives scikit-learn's matrix, entry for entry."""

from __future__ import annotations

import json
from functools import cache

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.pipeline import FeatureUnion

from core.config import ROOT
from nlp import features, registry
from nlp.features import FeatureStep
from nlp.pipeline import build_pipeline, model_input
from nlp.text import normalize


@cache
def _union() -> FeatureUnion:
    version = registry.current_version(ROOT / "models", "misinfo")
    assert version is not None
    pipeline, _ = registry.load(ROOT / "models", "misinfo", version)
    union: FeatureUnion = pipeline.named_steps["features"]
    return union


def _same(texts: list[str], step: FeatureStep | None = None) -> None:
    union = _union()
    step = step or FeatureStep(union)
    fast, slow = step.transform(texts), union.transform(texts)
    assert fast.shape == slow.shape
    assert fast.dtype == slow.dtype
    assert (fast != slow).nnz == 0
    assert np.array_equal(fast.indptr, slow.indptr)


def test_the_shipped_models_use_the_cached_path() -> None:
    assert FeatureStep(_union())._parts is not None


def test_the_seed_gives_scikit_learns_matrix() -> None:
    seed = [
        json.loads(line)["text"]
        for line in (ROOT / "data/seed/seed.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    _same([model_input(normalize(t)) for t in seed])


# letters with and without diacritics, digits, punctuation, every kind of white space
_CHARS = st.sampled_from(
    list("aăâbdđeêioôơuưyáàảãạếềểễệ ĐÁzZ09.,!?/-_") + [" ", "\t", "\n", "\u00a0", "\u2003", "\x1c"]
)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.text(alphabet=_CHARS, max_size=60), min_size=1, max_size=6))
def test_any_text_gives_scikit_learns_matrix(texts: list[str]) -> None:
    _same(texts)


def test_the_word_cache_is_emptied_when_full(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(features, "MAX_CACHED_WORDS", 3)
    step = FeatureStep(_union())
    texts = ["mot hai ba bon nam sau bay tam", "mot mot hai", "chin muoi"]
    _same(texts, step)
    assert step._parts is not None
    assert len(step._parts[0]._columns) <= 3


def test_a_union_it_cannot_reproduce_is_left_to_scikit_learn() -> None:
    pipeline = build_pipeline()
    union = pipeline.named_steps["features"]
    union.set_params(transformer_weights={"char": 2.0, "word": 1.0})
    texts = ["chuyen doi so", "nop phi 500 nghin", "khong co gi"]
    union.fit(texts)
    step = FeatureStep(union)
    assert step._parts is None
    assert (step.transform(texts) != union.transform(texts)).nnz == 0
