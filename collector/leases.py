"""Feed leases: which collector has a feed in hand, and until when.

Several collector processes can share one PostgreSQL database: feeds are leased with
``SELECT … FOR UPDATE SKIP LOCKED`` and a lease expiry, so no feed is fetched twice at once and
a killed collector's feeds return after ``feed_lease_s`` (or at once, when it ran on this host:
``release_dead_leases``). On SQLite the same compare-and-set lease keeps a second collector from
taking a feed in hand, but run one collector there. Every function here leaves the commit to
its caller, except ``release`` (its own short transaction).
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, and_, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from core.config import Settings
from core.tables import Feed

log = logging.getLogger(__name__)

__all__ = ["FeedJob", "claim_feeds", "new_owner", "release", "release_dead_leases"]


@dataclass(frozen=True)
class FeedJob:
    """What a worker thread needs of a leased feed (no database object crosses threads):
    its id, address, name, the validators of its last fetch (``etag``, ``last_modified``, the
    SHA-256 hex digest of its last body) and whether its entries' pages are fetched too."""

    id: int
    url: str
    name: str
    etag: str | None
    last_modified: str | None
    body_hash: str | None
    extract_full_text: bool


def new_owner() -> str:
    """A collector's lease name, ``host:pid:random`` (host cut to 32 characters, 8 hex
    digits): unique per collector pass, and it tells ``release_dead_leases`` whose it is."""
    return f"{socket.gethostname()[:32]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _alive(pid: int) -> bool:
    """Whether a process with this id runs on this machine (``os.kill(pid, 0)``)."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # it exists, owned by another user
        return True
    except (OverflowError, ValueError):
        return False
    return True


def release_dead_leases(session: Session, now: datetime) -> int:
    """Release the live leases of collectors on this host whose process is gone (a collector
    killed with -9 or lost with its machine's power): their feeds need not wait out
    ``feed_lease_s``. The owner name (``new_owner``: host, pid, random part) tells whose lease
    it is; a lease whose pid runs (or was reused) is left to expire as before. ``now`` is an
    aware UTC datetime (``core.db.utcnow``). Returns how many feeds were released; the caller
    commits. Raises nothing of its own (database errors propagate).

    Collectors that share a host name but not a process namespace (containers given the same
    host name) must not share a database: one would release the other's leases.
    """
    host = socket.gethostname()[:32]
    rows = session.execute(
        select(Feed.id, Feed.lease_owner).where(
            Feed.lease_owner.like(f"{host}:%"), Feed.lease_expires_at >= now
        )
    ).all()
    released = 0
    for feed_id, owner in rows:
        parts = (owner or "").rsplit(":", 2)
        if len(parts) != 3 or parts[0] != host or not parts[1].isdigit():
            continue
        if int(parts[1]) == os.getpid() or _alive(int(parts[1])):
            continue
        done = session.execute(
            update(Feed)
            .where(Feed.id == feed_id, Feed.lease_owner == owner)
            .values(lease_owner=None, lease_expires_at=None)
            .execution_options(synchronize_session=False)
        )
        if done.rowcount == 1:  # type: ignore[attr-defined]
            log.warning(
                "feed %s: released the lease of a collector that is gone (%s)", feed_id, owner
            )
            released += 1
    return released


def _due(now: datetime) -> ColumnElement[bool]:
    return and_(
        Feed.enabled.is_(True),
        or_(Feed.next_check_at.is_(None), Feed.next_check_at <= now),
    )


def _free(now: datetime) -> ColumnElement[bool]:
    return or_(Feed.lease_expires_at.is_(None), Feed.lease_expires_at < now)


def claim_feeds(
    session: Session,
    owner: str,
    now: datetime,
    settings: Settings,
    limit: int,
    feed_ids: list[int] | None = None,
) -> list[FeedJob]:
    """Lease up to ``limit`` due feeds (or, with ``feed_ids``, those of them that are free,
    due or not) to ``owner`` until ``now + settings.feed_lease_s`` seconds; ``now`` is an
    aware UTC datetime. Returns the feeds actually leased (another collector may have taken
    some meanwhile), in the order they fell due (random among equals); a feed whose lease ran
    out is taken again. The caller commits; database errors propagate."""
    where = Feed.id.in_(feed_ids) if feed_ids else _due(now)
    # Random order among equally due feeds spreads a batch over many hosts, so the per-host
    # politeness limits do not serialise it.
    query = (
        select(Feed.id)
        .where(where, _free(now))
        .order_by(Feed.next_check_at, func.random())
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        query = query.with_for_update(skip_locked=True)
    ids = list(session.scalars(query))
    if not ids:
        return []
    expires = now + timedelta(seconds=settings.feed_lease_s)
    session.execute(
        update(Feed)
        .where(Feed.id.in_(ids), _free(now))
        .values(lease_owner=owner, lease_expires_at=expires)
        .execution_options(synchronize_session=False)
    )
    feeds = session.scalars(
        select(Feed)
        .where(Feed.id.in_(ids), Feed.lease_owner == owner)
        .execution_options(populate_existing=True)
    ).all()
    return [
        FeedJob(f.id, f.url, f.name, f.etag, f.last_modified, f.body_hash, f.extract_full_text)
        for f in feeds
    ]


def release(factory: sessionmaker[Session], owner: str, feed_ids: list[int]) -> None:
    """Give back ``owner``'s leases of ``feed_ids`` untouched (feeds leased but never
    started), in a transaction of its own; a lease another collector holds meanwhile is left
    alone. Database errors propagate."""
    if not feed_ids:
        return
    with factory() as session:
        session.execute(
            update(Feed)
            .where(Feed.id.in_(feed_ids), Feed.lease_owner == owner)
            .values(lease_owner=None, lease_expires_at=None)
            .execution_options(synchronize_session=False)
        )
        session.commit()
