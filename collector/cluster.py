"""Near-duplicate clusters: MinHash LSH over word shingles of the normalised text.

An item whose estimated Jaccard similarity to an earlier item of the window reaches the
threshold joins that item's cluster; the cluster records its first appearance, how many items
and how many distinct sources carried it. The review queue shows one task per cluster.
Runs in one process at a time (a PostgreSQL advisory lock), so clusters are never split by races.
"""

from __future__ import annotations

import re
import unicodedata
from datetime import datetime, timedelta

import numpy as np
from datasketch import MinHash, MinHashLSH
from sqlalchemy import func, select, text
from sqlalchemy.orm import Session

from core.db import utcnow
from core.tables import Cluster, Item

NUM_PERM = 64
SHINGLE = 3
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


def signature(title: str, body: str) -> MinHash:
    m = MinHash(num_perm=NUM_PERM, seed=7)
    m.update_batch(list(shingles(title, body)))
    return m


def _pack(m: MinHash) -> bytes:
    return np.asarray(m.hashvalues, dtype=np.uint32).tobytes()


def _unpack(raw: bytes) -> MinHash:
    return MinHash(
        num_perm=NUM_PERM, seed=7, hashvalues=np.frombuffer(raw, dtype=np.uint32).astype(np.uint64)
    )


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
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    since = now - timedelta(days=window_days)
    known = session.execute(
        select(Item.id, Item.cluster_id, Item.minhash).where(
            Item.cluster_id.is_not(None), Item.minhash.is_not(None), Item.fetched_at >= since
        )
    ).all()
    cluster_of: dict[int, int] = {}
    signatures: dict[int, MinHash] = {}
    for item_id, cluster_id, raw in known:
        m = _unpack(raw)
        lsh.insert(item_id, m)
        cluster_of[item_id], signatures[item_id] = cluster_id, m
    touched: set[int] = set()
    for item in pending:
        m = signature(item.title, item.text)
        item.minhash = _pack(m)
        matches = [i for i in lsh.query(m) if signatures[i].jaccard(m) >= threshold]
        if matches:
            item.cluster_id = cluster_of[min(matches)]
        else:
            cluster = Cluster(
                first_item_id=item.id,
                first_seen_at=item.published_at or item.fetched_at,
                item_count=0,
                source_count=0,
            )
            session.add(cluster)
            session.flush()
            item.cluster_id = cluster.id
        lsh.insert(item.id, m)
        cluster_of[item.id], signatures[item.id] = item.cluster_id, m
        touched.add(item.cluster_id)
    session.flush()
    _recount(session, touched)
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
    for cluster_id, items, sources, first in rows:
        cluster = session.get(Cluster, cluster_id)
        assert cluster is not None
        cluster.item_count, cluster.source_count = items, sources
        cluster.first_seen_at = (
            min(cluster.first_seen_at, first) if cluster.first_seen_at else first
        )
