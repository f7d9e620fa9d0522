"""Store entries idempotently: one item per canonical URL, per content digest and per feed GUID.

Every title and text passes through the one text key (:func:`core.text.clean`) before its
digest is taken, so the same story in another byte form (NFD, zero-width characters, old tone
placement, ``ð`` for ``đ``, TCVN3…) is a duplicate, not a second story.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit, urlunsplit

from courlan.clean import clean_query
from sqlalchemy import insert, select, update
from sqlalchemy.exc import DataError, IntegrityError, ProgrammingError
from sqlalchemy.orm import Session

from collector.cluster import shingles
from core.db import utcnow
from core.tables import Feed, FeedKind, Item
from core.text import clean_report, content_digest, search_key

log = logging.getLogger(__name__)

MAX_TITLE = 1000
MAX_HISTORY = 20
MAX_GUID = 1024  # item.external_id
MAX_URL = 2048  # item.url, item.canonical_url
_UNSTORABLE = re.compile("[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# How alike two bodies must be (Jaccard of word 3-grams) for a reused GUID to be an edit.
SAME_STORY = 0.5


def _identifier(value: str | None, limit: int) -> str | None:
    """A GUID or URL as it can be stored: control characters, NUL and lone surrogates removed,
    surrounding space trimmed; None when empty or longer than ``limit`` (a value cut short would
    name something else)."""
    if not value:
        return None
    value = _UNSTORABLE.sub("", value).strip()
    return value if value and len(value) <= limit else None


# What one row's data can make the database refuse: a duplicate key, a value it cannot hold
# (too long, out of range, a NUL on PostgreSQL) or one the driver cannot bind. Anything else — a
# lock timeout, a lost connection — is not the row's fault: it fails the feed's transaction,
# whose entries are fetched again at the next pass, instead of being skipped as "refused"
# (which would lose them).
_ROW_FAULTS = (IntegrityError, DataError, ProgrammingError)


@dataclass(frozen=True)
class NewItem:
    """What the collector and the importer hand to ``save_items``."""

    source: str
    title: str
    text: str
    url: str | None = None
    external_id: str | None = None
    author: str | None = None
    published_at: datetime | None = None
    # What ingest had to assume or repair, e.g. {"code": "date_unreadable", "detail": "27/11"}.
    notes: tuple[dict[str, str], ...] = ()


@dataclass
class SaveStats:
    new: int = 0
    duplicate: int = 0
    updated: int = 0  # known GUIDs whose headline was edited at the source
    # Positions in ``items`` of the entries that could not be stored (the database refused the
    # row, or preparing it failed); each is logged with its cause, the others are stored.
    refused: list[int] = field(default_factory=list)


def canonical_url(url: str | None) -> str | None:
    """The URL that identifies an article: lower-case scheme and host, no default port, no
    tracking parameters (courlan's maintained list: utm_*, fbclid, gclid, ref, source…), the
    query sorted, no fragment (kept only for "#!"/"#/" client-side routes), no trailing slash.

    Returns None for anything that is not an absolute http(s) URL with a host, or whose
    canonical form is longer than ``MAX_URL`` (2,048) characters (it could not be stored).
    """
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    host = parts.hostname.lower()
    if ":" in host:
        host = f"[{host}]"  # IPv6 literal
    netloc = f"{host}:{port}" if port and port not in {80, 443} else host
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/")
    fragment = parts.fragment if parts.fragment[:1] in {"!", "/"} else ""
    canonical = urlunsplit((parts.scheme.lower(), netloc, path, clean_query(parts.query), fragment))
    return canonical if len(canonical) <= MAX_URL else None  # "http://h?q" gains a "/"


content_hash = content_digest  # the collector's name for the one digest (core.text)


@dataclass(frozen=True)
class _Row:
    index: int  # position in save_items' ``items``
    new: NewItem  # title and text already cleaned
    url: str | None
    digest: str
    guid: str | None
    notes: tuple[dict[str, str], ...]


def _cleaned(new: NewItem) -> tuple[NewItem, tuple[dict[str, str], ...]]:
    """``new`` with its title and text through the one text key, and the notes that adds."""
    title, text = clean_report(new.title), clean_report(new.text)
    notes = list(new.notes)
    legacy = title.legacy_encoding or text.legacy_encoding
    if legacy:
        notes.append({"code": "legacy_encoding", "detail": legacy})
    source = clean_report(new.source).text[:200] or "?"
    author = clean_report(new.author).text if new.author else None
    external_id = _identifier(new.external_id, MAX_GUID)
    url = _identifier(new.url, MAX_URL)
    cleaned = NewItem(
        source=source,
        title=title.text[:MAX_TITLE],
        text=text.text,
        url=url,
        external_id=external_id,
        author=author,
        published_at=new.published_at,
        notes=tuple(notes),
    )
    return cleaned, tuple(notes)


_Known = tuple[
    int, str, str, str | None, list[Any] | None
]  # id, title, text, canonical URL, history


def _known(
    session: Session, feed: Feed | None, rows: list[_Row]
) -> tuple[set[str], set[str], dict[str, _Known]]:
    """Digests and canonical URLs of ``rows`` stored already, and (this feed's) known GUIDs
    with their item's id, title and title history."""
    digests = [r.digest for r in rows]
    urls = [r.url for r in rows if r.url]
    hashes = set(session.scalars(select(Item.content_hash).where(Item.content_hash.in_(digests))))
    known_urls: set[str] = set()
    if urls:
        stored = session.scalars(select(Item.canonical_url).where(Item.canonical_url.in_(urls)))
        known_urls = {url for url in stored if url is not None}
    guids: dict[str, _Known] = {}
    wanted = [r.guid for r in rows if r.guid]
    if feed is not None and wanted:
        for item_id, guid, title, text, url, history in session.execute(
            select(
                Item.id,
                Item.external_id,
                Item.title,
                Item.text,
                Item.canonical_url,
                Item.title_history,
            ).where(Item.feed_id == feed.id, Item.external_id.in_(wanted))
        ):
            guids[guid] = (item_id, title, text, url, history)
    return hashes, known_urls, guids


def _same_story(r: _Row, known: _Known) -> bool:
    """Whether an entry under a known GUID is that item again (maybe edited; the link may change
    with the headline), not another article the feed gave the same GUID: the same link, or a
    body mostly the same (Jaccard of word 3-grams ≥ ``SAME_STORY``)."""
    _, _, text, url, _ = known
    if r.url and r.url == url:
        return True
    a, b = shingles("", r.new.text), shingles("", text)
    if not a or not b:
        return a == b
    return len(a & b) / len(a | b) >= SAME_STORY


def _edit_title(session: Session, r: _Row, known: _Known, now: datetime) -> bool:
    """A known GUID whose headline changed: store the new title, keep the old in the history."""
    item_id, old_title, _, _, history = known
    if not r.new.title or r.new.title == old_title:
        return False
    entry = {"title": old_title, "replaced_at": now.isoformat()}
    result = session.execute(
        update(Item)
        # an item whose text retention blanked (core.retention) stays blank: it is known
        .where(Item.id == item_id, Item.purged_at.is_(None))
        .values(
            title=r.new.title,
            title_history=[*(history or []), entry][-MAX_HISTORY:],
            search_text=search_key(f"{r.new.title}\n{old_title}", r.new.text),
        )
        .execution_options(synchronize_session=False)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]


def save_items(
    session: Session, feed: Feed | None, items: list[NewItem], chunk: int = 500
) -> SaveStats:
    """Insert the items not stored yet; flushes, never commits.

    Titles and texts are cleaned first (:func:`core.text.clean`). An item is known when its
    feed already has its GUID, or any item has its canonical URL or content digest. An entry
    the database refuses (or that fails to be prepared) costs only itself: it is logged and its
    position in ``items`` listed in ``SaveStats.refused``; the others are stored. A known
    GUID whose headline was edited at the source gets the new title; the first one stays in
    ``item.title_history`` (and in search). A byline is kept only for news feeds: duluan keeps
    no record of social authors. Lookups and inserts go by chunks; a chunk that races another
    collector is retried row by row.
    """
    stats = SaveStats()
    seen: set[str] = set()
    keep_author = feed is not None and feed.kind == FeedKind.news
    rows: list[_Row] = []
    for index, raw in enumerate(items):
        try:
            new, notes = _cleaned(raw)
            url = canonical_url(new.url)
            digest = content_digest(new.title, new.text)
        except Exception:  # noqa: BLE001 - one entry's bug must not cost the others
            log.exception("entry %d (%r) could not be prepared; skipped", index, raw.url)
            stats.refused.append(index)
            continue
        guid = new.external_id if new.external_id and feed is not None else None
        keys = [k for k in (digest, url and "u:" + url, guid and "g:" + guid) if k]
        if any(k in seen for k in keys):
            stats.duplicate += 1
            continue
        seen.update(keys)
        rows.append(_Row(index, new, url, digest, guid, notes))
    now = utcnow()
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        hashes, urls, guids = _known(session, feed, part)
        fresh = []
        for r in part:
            if r.guid in guids and _same_story(r, guids[r.guid]):
                try:
                    with session.begin_nested():
                        stats.updated += _edit_title(session, r, guids[r.guid], now)
                except _ROW_FAULTS as exc:
                    _refused(stats, r, exc)
                    continue
                stats.duplicate += 1
            elif r.digest in hashes or r.url in urls:
                stats.duplicate += 1
            elif r.guid in guids:
                # Another article under a GUID the feed used before: kept, without the GUID.
                note = {"code": "guid_reused", "detail": r.guid or ""}
                fresh.append(replace(r, guid=None, notes=(*r.notes, note)))
            else:
                fresh.append(r)
        values = [_values(feed, r, keep_author, now) for r in fresh]
        try:
            with session.begin_nested():
                if values:
                    session.execute(insert(Item), values)
            stats.new += len(values)
        except _ROW_FAULTS:
            # Another collector stored some of them meanwhile, or the database refuses one of
            # them: go row by row, so that only the row at fault is lost.
            for r, v in zip(fresh, values, strict=True):
                try:
                    with session.begin_nested():
                        session.execute(insert(Item), [v])
                    stats.new += 1
                except IntegrityError:
                    stats.duplicate += 1
                except _ROW_FAULTS as exc:
                    _refused(stats, r, exc)
    stats.refused.sort()
    return stats


def _refused(stats: SaveStats, r: _Row, exc: Exception) -> None:
    """Count a row the database refused; its cause (with the SQL) goes to the log only."""
    log.warning(
        "entry %d (%s) refused by the database, skipped: %s",
        r.index,
        r.new.url or r.new.external_id or r.digest[:12],
        exc,
    )
    stats.refused.append(r.index)


def _values(feed: Feed | None, r: _Row, keep_author: bool, now: datetime) -> dict[str, object]:
    new = r.new
    return {
        "feed_id": feed.id if feed else None,
        "source": new.source[:200],
        "external_id": r.guid if feed is not None else new.external_id,
        "url": new.url if r.url else None,
        "canonical_url": r.url,
        "title": new.title,
        "text": new.text,
        "author": new.author[:200] if keep_author and new.author else None,
        "language": "vi",
        "content_hash": r.digest,
        "search_text": search_key(new.title, new.text),
        "published_at": new.published_at,
        "fetched_at": now,
        "notes": list(r.notes) or None,
    }
