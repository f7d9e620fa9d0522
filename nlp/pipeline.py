"""The classifiers' input text and their scikit-learn pipelines.

Vietnamese-specific work (normalisation, accent folding, teencode, cue detection) happens in
``model_input`` before the pipeline, so the stored pipeline holds only scikit-learn types and
training and serving cannot drift: both call ``model_input``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

import numpy as np
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import FeatureUnion, Pipeline

from core.vocabulary import MISINFO_CLASSES, SENTIMENTS
from nlp.links import official
from nlp.polarity import polarity_tokens
from nlp.signals import Signal
from nlp.text import expand_teencode, fold, unmask, urls

# The input scheme a model was trained on; its last part is the polarity lexicon's version
# (``nlp.polarity``): a model trained on other inputs loads with a warning (``nlp.registry``).
PREPROCESS = "fold-teencode-signals-polarity-v3"

CLASSIFIERS: dict[str, tuple[str, ...]] = {
    "relevance": ("off_topic", "relevant"),
    "sentiment": SENTIMENTS,
    "misinfo": MISINFO_CLASSES,
}

_PHONE_RE = re.compile(
    r"(?<!\d)(?:\+?84|0)(?:[\s.]?\d){8,10}(?!\d)|\b0\d{2,4}x{2,}\d*\b", re.IGNORECASE
)
_SPACE_RE = re.compile(r"\s+")


def model_input(text: str, signals: Iterable[Signal] = ()) -> str:
    """Accent-folded, teencode-expanded text with URLs and phone numbers as tokens (``zzurl`` +
    the host's labels; ``zzofficialurl`` for a host of an official domain), plus cue tokens.

    ``text`` must already be normalised (``nlp.text.normalize``).
    """
    parts, last = [], 0
    for start, end, url in urls(text):
        host = re.sub(r"^(?:https?://)?(?:www\.)?", "", url.lower()).split("/", 1)[0]
        parts.append(text[last:start])
        marker = "zzofficialurl" if official(host) is not None else "zzurl"
        parts.append(f" {marker} {host.replace('.', ' ').replace('-', ' ')} ")
        last = end
    parts.append(text[last:])
    body = _PHONE_RE.sub(" zzphone ", "".join(parts))
    body = expand_teencode(unmask(fold(body)))
    tokens = " ".join(sorted({s.token for s in signals}) + polarity_tokens(body))
    return _SPACE_RE.sub(" ", f"{body} {tokens}").strip()


# Candidate regularisation strengths; `duluan train` picks one on an inner split of the
# training part (never on the held-out part it reports).
C_GRID: tuple[float, ...] = (1.0, 4.0, 8.0, 16.0, 32.0)


def build_pipeline(
    *,
    C: float = 4.0,
    char_ngrams: tuple[int, int] = (1, 4),
    word_ngrams: tuple[int, int] = (1, 3),
    random_state: int = 42,
    class_weight: str | None = "balanced",
) -> Pipeline:
    """Character and word n-gram TF-IDF into a logistic regression, class-balanced
    (``class_weight="balanced"``: scikit-learn balances the total sample weight of each class) or,
    with ``None``, weighted only by the sample weights ``fit`` is given
    (``nlp.train.balanced_weights``)."""
    features = FeatureUnion(
        [
            (
                "char",
                TfidfVectorizer(
                    analyzer="char_wb",
                    ngram_range=char_ngrams,
                    sublinear_tf=True,
                    lowercase=False,
                    max_features=300_000,
                    dtype=np.float32,
                ),
            ),
            (
                "word",
                TfidfVectorizer(
                    token_pattern=r"\S+",
                    ngram_range=word_ngrams,
                    sublinear_tf=True,
                    lowercase=False,
                    max_features=200_000,
                    dtype=np.float32,
                ),
            ),
        ]
    )
    clf = LogisticRegression(
        C=C, max_iter=3000, class_weight=class_weight, random_state=random_state
    )
    return Pipeline([("features", features), ("clf", clf)])
