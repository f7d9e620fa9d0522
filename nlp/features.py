"""The classifiers' feature step at serving time: the same matrix as scikit-learn's, built faster.

A character n-gram vectoriser (``analyzer="char_wb"``) cuts each word, padded with a space on
each side, into n-grams on its own: a word's n-grams never depend on its neighbours. Vietnamese
text is a few thousand distinct syllables repeated, so :class:`FeatureStep` looks each distinct
word's vocabulary columns up once (with scikit-learn's own n-gram code) and counts a text's columns
from that cache; the counts then go through the fitted vectoriser's own TF-IDF step. The result is
the matrix ``FeatureUnion.transform`` gives, entry for entry (``tests/nlp/test_features.py``
checks it); half of the analysis time went into building it (``bench/nlp.py``). Training keeps
scikit-learn's path: what it fits is what this reproduces.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from typing import Any

import scipy.sparse as sp
from sklearn.feature_extraction.text import TfidfVectorizer
from sklearn.pipeline import FeatureUnion

# Distinct words whose columns are kept: the cache is emptied when it grows past this (a stream
# of URLs and numbers must not grow it without bound). ~100 bytes a word.
MAX_CACHED_WORDS = 200_000
_WHITE_SPACES = re.compile(r"\s\s+")  # scikit-learn's own ``_white_spaces``


class _CharWords:
    """A fitted ``char_wb`` TF-IDF vectoriser, transforming through a per-word column cache."""

    def __init__(self, vectorizer: TfidfVectorizer) -> None:
        self.vectorizer = vectorizer
        self.vocabulary: dict[str, int] = vectorizer.vocabulary_
        self.preprocess = vectorizer.build_preprocessor()
        self._columns: dict[str, tuple[int, ...]] = {}

    def _of_word(self, word: str) -> tuple[int, ...]:
        columns = self._columns.get(word)
        if columns is None:
            vocabulary = self.vocabulary
            # scikit-learn's own n-grams of one word (it splits on whitespace first: one word)
            grams = self.vectorizer._char_wb_ngrams(word)
            columns = tuple(vocabulary[g] for g in grams if g in vocabulary)
            if len(self._columns) >= MAX_CACHED_WORDS:
                self._columns = {}
            self._columns[word] = columns
        return columns

    def transform(self, documents: Sequence[str]) -> sp.csr_matrix:
        indices: list[int] = []
        values: list[int] = []
        indptr = [0]
        for document in documents:
            text = self.preprocess(self.vectorizer.decode(document))
            counts: Counter[int] = Counter()
            for word in _WHITE_SPACES.sub(" ", text).split():
                counts.update(self._of_word(word))
            indices.extend(counts.keys())
            values.extend(counts.values())
            indptr.append(len(indices))
        counts_matrix = sp.csr_matrix(
            (values, indices, indptr),
            shape=(len(documents), len(self.vocabulary)),
            dtype=self.vectorizer.dtype,
        )
        counts_matrix.sort_indices()
        if self.vectorizer.binary:
            counts_matrix.data.fill(1)
        return self.vectorizer._tfidf.transform(counts_matrix, copy=False)


class FeatureStep:
    """``union.transform(texts)`` for a fitted ``FeatureUnion`` of TF-IDF vectorisers (the
    pipelines of ``nlp.pipeline.build_pipeline``), character n-grams counted through a per-word
    cache. A union it does not know how to reproduce exactly (weights, other transformers, a
    pandas output) is transformed by scikit-learn itself.

    ``transform`` takes model inputs (``nlp.pipeline.model_input``) and returns a CSR matrix of
    shape (len(texts), number of features). Not thread-safe for one instance's cache growth under
    free threading; under the GIL a race only recomputes a word."""

    def __init__(self, union: FeatureUnion) -> None:
        self.union = union
        self._parts: list[Any] | None = None
        exact = union.transformer_weights is None and not getattr(
            union, "_sklearn_output_config", None
        )
        parts: list[Any] = []
        for _, transformer in union.transformer_list:
            if not exact or not isinstance(transformer, TfidfVectorizer):
                exact = False
                break
            chars = transformer.analyzer == "char_wb" and not callable(transformer.preprocessor)
            parts.append(_CharWords(transformer) if chars else transformer)
        if exact:
            self._parts = parts

    def transform(self, texts: Sequence[str]) -> Any:
        """The feature matrix of ``texts`` (as ``FeatureUnion.transform``)."""
        if self._parts is None:
            return self.union.transform(texts)
        return sp.hstack([part.transform(texts) for part in self._parts]).tocsr()
