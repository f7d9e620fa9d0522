"""Near-duplicate clusters: MinHash LSH over word shingles of the normalised text.

An item whose estimated Jaccard similarity to the first item of a recent cluster reaches the
threshold joins that cluster (leader clustering); the cluster records its first appearance, how
many items and how many distinct sources carried it. The review queue shows one task per cluster.
Runs in one process at a time (a PostgreSQL advisory lock), so clusters are never split by races.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta
from functools import lru_cache

import numpy as np
from datasketch import MinHash, MinHashLSH
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from core.db import utcnow
from core.tables import Cluster, Item

NUM_PERM = 64
SHINGLE = 3
SCHEME = "affine32"  # 32-bit hash values: 256 bytes per item for 64 permutations
_WORD_RE = re.compile(r"\w+", re.UNICODE)
_LOCK_ID = 0x64756C75  # "dulu"


def _fold(text_: str) -> str:
    decomposed = unicodedata.normalize("NFD", text_.lower().replace("đ", "d"))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def shingles(title: str, body: str) -> set[bytes]:
    """Word 3-grams of the accent-folded text (single words for very short texts)."""
    words = _WORD_RE.findall(_fold(f"{title} {body}"))
    if len(words) < SHINGLE:
        return {w.encode() for w in words}
    return {" ".join(words[i : i + SHINGLE]).encode() for i in range(len(words) - SHINGLE + 1)}


@lru_cache(maxsize=1)
def _permutations() -> object:
    # Computing the permutations costs more than hashing a short text: do it once.
    return MinHash(num_perm=NUM_PERM, seed=7, scheme=SCHEME).permutations


def signature(title: str, body: str) -> MinHash:
    m = MinHash(num_perm=NUM_PERM, seed=7, permutations=_permutations(), scheme=SCHEME)
    m.update_batch(list(shingles(title, body)))
    return m


def _pack(m: MinHash) -> bytes:
    return np.asarray(m.hashvalues, dtype=np.uint32).tobytes()


def _unpack(raw: bytes) -> MinHash:
    values = np.frombuffer(raw, dtype=np.uint32)
    return MinHash(
        num_perm=NUM_PERM, seed=7, hashvalues=values, permutations=_permutations(), scheme=SCHEME
    )


class _Leaders:
    """Leader signatures as rows of one matrix, so candidates are verified in one numpy step."""

    def __init__(self) -> None:
        self.rows: dict[str, int] = {}
        self.keys: list[str] = []
        self.matrix = np.zeros((256, NUM_PERM), dtype=np.uint32)

    def add(self, key: str, m: MinHash) -> None:
        if len(self.keys) == len(self.matrix):
            self.matrix = np.concatenate([self.matrix, np.zeros_like(self.matrix)])
        self.rows[key] = len(self.keys)
        self.matrix[len(self.keys)] = m.hashvalues
        self.keys.append(key)

    def best(self, candidates: list[str], m: MinHash) -> tuple[float, str]:
        """The most similar candidate by estimated Jaccard similarity (0.0, "" when none)."""
        if not candidates:
            return 0.0, ""
        rows = np.fromiter(
            (self.rows[k] for k in candidates), dtype=np.int64, count=len(candidates)
        )
        sims = (self.matrix[rows] == np.asarray(m.hashvalues, dtype=np.uint32)).mean(axis=1)
        i = int(np.argmax(sims))
        return float(sims[i]), self.keys[rows[i]]


def cluster_pending(
    session: Session, *, threshold: float = 0.7, window_days: int = 14, now: datetime | None = None
) -> int:
    """Give every item without a cluster one (its own or an earlier near-duplicate's); flushes."""
    now = now or utcnow()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_ID})
    pending = session.scalars(select(Item).where(Item.cluster_id.is_(None)).order_by(Item.id)).all()
    if not pending:
        return 0
    # Leader clustering: only each cluster's first item is indexed, so a story carried by
    # thousands of items costs one candidate per query, not thousands.
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    since = now - timedelta(days=window_days)
    leaders = session.execute(
        select(Cluster.id, Item.minhash)
        .join(Item, Item.id == Cluster.first_item_id)
        .where(Item.minhash.is_not(None), Item.fetched_at >= since)
    ).all()
    leaders_index = _Leaders()
    clusters: dict[str, Cluster | int] = {}
    for cluster_id, raw in leaders:
        key = f"c{cluster_id}"
        m = _unpack(raw)
        leaders_index.add(key, m)
        clusters[key] = cluster_id
        lsh.insert(key, m)
    touched: list[Cluster | int] = []
    for item in pending:
        m = signature(item.title, item.text)
        item.minhash = _pack(m)
        score, key = leaders_index.best(lsh.query(m), m)
        if score >= threshold:
            target = clusters[key]
            if isinstance(target, Cluster):
                item.cluster = target
            else:
                item.cluster_id = target
        else:
            target = Cluster(
                first_seen_at=item.published_at or item.fetched_at, item_count=0, source_count=0
            )
            item.cluster = target
            key = f"n{item.id}"
            leaders_index.add(key, m)
            clusters[key] = target
            lsh.insert(key, m)
        touched.append(target)
    session.flush()
    new_clusters = {t.id: t for t in touched if isinstance(t, Cluster)}
    for item in pending:
        cluster = new_clusters.get(item.cluster_id)
        if cluster is not None and cluster.first_item_id is None:
            cluster.first_item_id = item.id
    _recount(session, {t.id if isinstance(t, Cluster) else t for t in touched})
    return len(pending)


def _recount(session: Session, cluster_ids: set[int]) -> None:
    ids = sorted(cluster_ids)
    for start in range(0, len(ids), 500):
        _recount_chunk(session, ids[start : start + 500])
    session.flush()


def _recount_chunk(session: Session, cluster_ids: list[int]) -> None:
    when = func.coalesce(Item.published_at, Item.fetched_at)
    rows = session.execute(
        select(
            Item.cluster_id,
            func.count(Item.id),
            func.count(func.distinct(Item.source)),
            func.min(when),
        )
        .where(Item.cluster_id.in_(cluster_ids))
        .group_by(Item.cluster_id)
    ).all()
    clusters = {
        c.id: c for c in session.scalars(select(Cluster).where(Cluster.id.in_(cluster_ids)))
    }
    for cluster_id, items, sources, first in rows:
        cluster = clusters[cluster_id]
        cluster.item_count, cluster.source_count = items, sources
        cluster.first_seen_at = (
            min(cluster.first_seen_at, first) if cluster.first_seen_at else first
        )
