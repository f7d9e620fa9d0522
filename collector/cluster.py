"""Near-duplicate clusters: MinHash LSH over word shingles of the normalised text.

An item whose estimated Jaccard similarity to the first item of a recent cluster reaches the
threshold joins that cluster (leader clustering); the cluster records its first appearance, how
many items and how many distinct sources carried it. The review queue shows one task per cluster.
Runs in one process at a time (a PostgreSQL advisory lock), so clusters are never split by races.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Sequence
from datetime import datetime, timedelta
from functools import lru_cache
from typing import Any, cast

import numpy as np
from datasketch import MinHash, MinHashLSH
from sqlalchemy import (
    BigInteger,
    Table,
    any_,
    bindparam,
    case,
    delete,
    insert,
    or_,
    select,
    text,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from core.db import utcnow
from core.tables import Cluster, ClusterBand, Item
from core.text import search_key

NUM_PERM = 64
SHINGLE = 3
SCHEME = "affine32"  # 32-bit hash values: 256 bytes per item for 64 permutations
_WORD_RE = re.compile(r"\w+", re.UNICODE)
_LOCK_ID = 0x64756C75  # "dulu"


def shingles(title: str, body: str) -> set[bytes]:
    """Word 3-grams of the text's key (:func:`core.text.search_key`: cleaned, accent-folded),
    single words for very short texts."""
    words = _WORD_RE.findall(search_key(title, body))
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


def pack_signature(title: str, body: str) -> bytes:
    """The stored form of :func:`signature` (``NUM_PERM`` 32-bit values, 256 bytes)."""
    return _pack(signature(title, body))


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

    def add(self, key: str, m: MinHash | np.ndarray) -> None:
        """Add a leader's signature: a MinHash or its ``NUM_PERM`` hash values."""
        if len(self.keys) == len(self.matrix):
            self.matrix = np.concatenate([self.matrix, np.zeros_like(self.matrix)])
        self.rows[key] = len(self.keys)
        self.matrix[len(self.keys)] = m.hashvalues if isinstance(m, MinHash) else m
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


# Items clustered per round trip: what waits is read this many at a time (keyset order), so memory
# does not grow with the number of items waiting (an import of a million rows, a collector that
# was down for a day).
CHUNK = 2_000


def cluster_pending(
    session: Session,
    *,
    threshold: float = 0.7,
    window_days: int = 14,
    now: datetime | None = None,
    chunk: int = CHUNK,
) -> int:
    """Give every item without a cluster one (its own or an earlier near-duplicate's); flushes.
    Returns the number of items clustered.

    Works on rows, not ORM objects, and writes with bulk statements, ``chunk`` items at a time
    in id order: a collection pass or an import can bring hundreds of thousands of items. The
    leaders of the last ``window_days`` are found through ``cluster_band`` (their LSH band keys;
    rows older than the window are deleted here), so a pass reads the signatures of the clusters
    its items may join and of its own new leaders, not of every recent cluster. Item objects
    already in the session are expired.
    """
    now = now or utcnow()
    session.flush()
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _LOCK_ID})
    waiting = (
        select(Item.id, Item.title, Item.text, Item.published_at, Item.fetched_at, Item.source)
        .where(Item.cluster_id.is_(None), Item.purged_at.is_(None))  # no text: no signature
        .order_by(Item.id)
        .limit(chunk)
    )
    pending = session.execute(waiting).all()
    if not pending:
        return 0
    # Leader clustering: only each cluster's first item is indexed, so a story carried by
    # thousands of items costs one candidate per query, not thousands. The index of earlier
    # leaders is the cluster_band table (looked up per chunk); this pass's new leaders are also
    # kept in memory, for the items after them in the same chunk.
    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    bands = _Bands(lsh)
    since = now - timedelta(days=window_days)
    session.execute(delete(ClusterBand).where(ClusterBand.seen_at < since))
    if (
        session.scalar(select(ClusterBand.key).where(ClusterBand.scheme == bands.scheme).limit(1))
        is None
    ):
        _index_leaders(session, bands, since)
    leaders = _Leaders()
    cluster_of: dict[str, int] = {}  # "n<leader item id>" -> its new cluster's id
    done = 0
    while pending:
        _assign(session, pending, lsh, bands, leaders, cluster_of, threshold)
        done += len(pending)
        pending = session.execute(waiting.where(Item.id > pending[-1][0])).all()
    session.expire_all()
    return done


# Core, not ORM, inserts: a leader has eight band rows, and the ORM's bulk path costs
# several times more a row.
_BAND_TABLE = cast(Table, ClusterBand.__table__)


class _Bands:
    """The banding of ``lsh`` (its bands and rows, which follow the threshold) as stored keys:
    one signed 64-bit BLAKE2b digest per band of the scheme, band number and hash values."""

    def __init__(self, lsh: MinHashLSH) -> None:
        self.ranges: list[tuple[int, int]] = list(lsh.hashranges)
        self.scheme = f"lsh-{lsh.b}x{lsh.r}"

    def keys(self, m: MinHash | np.ndarray) -> list[int]:
        """The band keys of a signature: a MinHash or its stored hash values."""
        values = np.asarray(m.hashvalues if isinstance(m, MinHash) else m, dtype=np.uint32)
        person = self.scheme.encode()
        return [
            int.from_bytes(
                hashlib.blake2b(
                    bytes([n]) + values[a:b].tobytes(), digest_size=8, person=person
                ).digest(),
                "big",
                signed=True,
            )
            for n, (a, b) in enumerate(self.ranges)
        ]


def _index_leaders(session: Session, bands: _Bands, since: datetime) -> int:
    """Fill ``cluster_band`` from the leaders fetched since ``since`` that have a signature (the
    first pass after the table was created, or after the threshold changed the banding): keyset
    pages of ``CHUNK`` clusters. Returns the number of leaders indexed."""
    done, last = 0, 0
    while True:
        rows = session.execute(
            select(Cluster.id, Item.minhash, Item.fetched_at)
            .join(Item, Item.id == Cluster.first_item_id)
            .where(Item.minhash.is_not(None), Item.fetched_at >= since, Cluster.id > last)
            .order_by(Cluster.id)
            .limit(CHUNK)
        ).all()
        if not rows:
            return done
        session.execute(
            insert(_BAND_TABLE),
            [
                {"key": k, "cluster_id": cid, "scheme": bands.scheme, "seen_at": at}
                for cid, raw, at in rows
                if raw is not None
                for k in bands.keys(np.frombuffer(raw, dtype=np.uint32))
            ],
        )
        done, last = done + len(rows), rows[-1][0]


def _stored_candidates(
    session: Session, keys: dict[int, list[int]], leaders: _Leaders
) -> dict[int, list[str]]:
    """``{band key: ["c<cluster id>", …]}`` for the chunk's band keys found in ``cluster_band``
    (what is left of it is inside the window), with those leaders' signatures added to ``leaders``;
    a cluster whose leader has no signature any more (purged) is left out."""
    wanted = sorted({k for ks in keys.values() for k in ks})
    found: dict[int, list[int]] = {}
    # One array parameter on PostgreSQL (``key = ANY(:keys)``: 500 keys in 4 ms where 500 bound
    # values in an IN list took 75 ms to send and plan); IN lists of ``_LOOKUP`` on SQLite.
    # By key alone (the primary key's index): the pass deleted the rows older than the window
    # before it began, and with ``seen_at`` in the condition PostgreSQL may walk the window's
    # rows by time instead.
    postgres = session.get_bind().dialect.name == "postgresql"
    step = max(len(wanted), 1) if postgres else _LOOKUP
    for start in range(0, len(wanted), step):
        part = wanted[start : start + step]
        match = (
            ClusterBand.key == any_(bindparam("band_keys", part, type_=ARRAY(BigInteger)))
            if postgres
            else ClusterBand.key.in_(part)
        )
        for key, cid in session.execute(
            select(ClusterBand.key, ClusterBand.cluster_id).where(match)
        ):
            found.setdefault(key, []).append(cid)
    need = sorted({c for cs in found.values() for c in cs if f"c{c}" not in leaders.rows})
    for start in range(0, len(need), _LOOKUP):
        for cid, raw in session.execute(
            select(Cluster.id, Item.minhash)
            .join(Item, Item.id == Cluster.first_item_id)
            .where(Cluster.id.in_(need[start : start + _LOOKUP]), Item.minhash.is_not(None))
        ):
            if raw is not None:
                leaders.add(f"c{cid}", np.frombuffer(raw, dtype=np.uint32))
    return {k: [f"c{c}" for c in cs if f"c{c}" in leaders.rows] for k, cs in found.items()}


def _assign(
    session: Session,
    pending: Sequence[Any],  # rows of (id, title, text, published_at, fetched_at, source)
    lsh: MinHashLSH,
    bands: _Bands,
    leaders: _Leaders,
    cluster_of: dict[str, int],
    threshold: float,
) -> None:
    """Cluster one chunk of waiting items against the leaders — earlier ones found through
    ``cluster_band``, this pass's own in ``lsh`` — creating the clusters of its new leaders and
    indexing them; writes each item's cluster and signature and adds the chunk to its clusters'
    counts (:func:`_add_counts`)."""
    target: dict[int, str] = {}  # item id -> leader key ("c<cluster id>" or "n<leader item id>")
    packed: dict[int, bytes] = {}
    new_leaders: list[dict[str, object]] = []
    new_bands: list[tuple[str, list[int], datetime]] = []  # (leader key, band keys, fetched at)
    signatures = {row[0]: signature(row[1], row[2]) for row in pending}
    keys = {item_id: bands.keys(m) for item_id, m in signatures.items()}
    stored = _stored_candidates(session, keys, leaders)
    for item_id, _title, _body, published_at, fetched_at, _source in pending:
        m = signatures[item_id]
        packed[item_id] = _pack(m)
        candidates = {*lsh.query(m), *(c for k in keys[item_id] for c in stored.get(k, ()))}
        score, key = leaders.best(sorted(candidates), m)
        if score < threshold:
            key = f"n{item_id}"
            leaders.add(key, m)
            lsh.insert(key, m)
            new_bands.append((key, keys[item_id], fetched_at))
            new_leaders.append(
                {
                    "first_item_id": item_id,
                    "first_seen_at": published_at or fetched_at,
                    "item_count": 0,
                    "source_count": 0,
                }
            )
        target[item_id] = key
    if new_leaders:
        new_ids = session.scalars(
            insert(Cluster).returning(Cluster.id, sort_by_parameter_order=True), new_leaders
        )
        for row, cid in zip(new_leaders, new_ids, strict=True):
            cluster_of[f"n{row['first_item_id']}"] = cid
        session.execute(
            insert(_BAND_TABLE),
            [
                {"key": k, "cluster_id": cluster_of[key], "scheme": bands.scheme, "seen_at": at}
                for key, band_keys, at in new_bands
                for k in band_keys
            ],
        )
    updates: list[dict[str, Any]] = [
        {
            "id": item_id,
            "cluster_id": cluster_of.get(key) or int(key[1:]),
            "minhash": packed[item_id],
        }
        for item_id, key in target.items()
    ]
    # Counted before the chunk's own rows carry their cluster: what the query finds is older.
    _add_counts(session, pending, {u["id"]: int(u["cluster_id"]) for u in updates})
    session.execute(update(Item), updates)


# Clusters whose sources are looked up per statement (bound parameters stay well under SQLite's
# limit of 32,766 with as many sources).
_LOOKUP = 500


def _add_counts(session: Session, rows: Sequence[Any], cluster_of_item: dict[int, int]) -> None:
    """Add a chunk of newly clustered items to their clusters' ``item_count``,
    ``source_count`` (distinct ``item.source``) and ``first_seen_at`` (earliest
    ``published_at``, else ``fetched_at``), before the items' ``cluster_id`` is written.

    Incremental, so the cost follows the chunk, not the cluster: a story carried by a million
    items costs its new items and one lookup per new (cluster, source) pair in
    ``ix_item_cluster_source``, where recounting it cost a scan of the million. Correct because
    clustering runs one pass at a time (an advisory lock on PostgreSQL, the single writer on
    SQLite) and only ever adds items to clusters."""
    added: dict[int, tuple[int, set[str], datetime]] = {}
    for item_id, _title, _body, published_at, fetched_at, source in rows:
        cid = cluster_of_item[item_id]
        when = published_at or fetched_at
        n, sources, earliest = added.get(cid, (0, set(), when))
        if source is not None:
            sources.add(source)
        added[cid] = (n + 1, sources, min(earliest, when))
    ids = sorted(added)
    seen: set[tuple[int, str]] = set()
    for start in range(0, len(ids), _LOOKUP):
        part = ids[start : start + _LOOKUP]
        names = sorted(set().union(*(added[c][1] for c in part)))
        if names:
            seen.update(
                (cid, src)
                for cid, src in session.execute(
                    select(Item.cluster_id, Item.source)
                    .where(Item.cluster_id.in_(part), Item.source.in_(names))
                    .distinct()
                )
                if cid is not None
            )
    table = cast(Table, Cluster.__table__)
    first = bindparam("b_first", type_=table.c.first_seen_at.type)
    session.execute(
        table.update()
        .where(table.c.id == bindparam("b_id"))
        .values(
            item_count=table.c.item_count + bindparam("b_items"),
            source_count=table.c.source_count + bindparam("b_sources"),
            first_seen_at=case(
                (
                    or_(table.c.first_seen_at.is_(None), table.c.first_seen_at > first),
                    first,
                ),
                else_=table.c.first_seen_at,
            ),
        ),
        [
            {
                "b_id": cid,
                "b_items": n,
                "b_sources": sum((cid, s) not in seen for s in sources),
                "b_first": first_seen,
            }
            for cid, (n, sources, first_seen) in added.items()
        ],
    )
