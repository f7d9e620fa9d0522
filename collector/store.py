"""Store entries idempotently: one item per canonical URL and per content hash."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.db import utcnow
from core.folding import search_key
from core.tables import Feed, FeedKind, Item

# Query parameters that only track the reader (miniflux and rss-fetcher strip the same family).
_TRACKING = re.compile(
    r"^(utm_\w+|fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|yclid|_hsenc|_hsmi|ref_src|zarsrc|zalo_source)$",
    re.I,
)
_NON_WORD = re.compile(r"[\W_]+", re.UNICODE)


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


@dataclass
class SaveStats:
    new: int = 0
    duplicate: int = 0


def canonical_url(url: str | None) -> str | None:
    """Lower-case scheme and host, no fragment or tracking parameters, sorted query, no default port."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme.lower() not in {"http", "https"} or not parts.hostname:
        return None
    host = parts.hostname.lower()
    port = parts.port if parts.port and parts.port not in {80, 443} else None
    netloc = f"{host}:{port}" if port else host
    query = sorted(
        (k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not _TRACKING.match(k)
    )
    path = parts.path or "/"
    if len(path) > 1 and path.endswith("/"):
        path = path.rstrip("/")
    return urlunsplit((parts.scheme.lower(), netloc, path, urlencode(query), ""))


def content_hash(title: str, text: str) -> str:
    """SHA-256 of the NFC, lower-cased, punctuation-free title and text."""
    norm = _NON_WORD.sub(" ", unicodedata.normalize("NFC", f"{title} {text}").lower()).strip()
    return hashlib.sha256(norm.encode("utf-8")).hexdigest()


@dataclass(frozen=True)
class _Row:
    new: NewItem
    url: str | None
    digest: str
    guid: str | None


def _known(
    session: Session, feed: Feed | None, rows: list[_Row]
) -> tuple[set[str], set[str], set[str]]:
    """Hashes, canonical URLs and (this feed's) GUIDs of ``rows`` that are stored already."""
    digests = [r.digest for r in rows]
    urls = [r.url for r in rows if r.url]
    hashes = set(session.scalars(select(Item.content_hash).where(Item.content_hash.in_(digests))))
    known_urls: set[str] = set()
    if urls:
        stored = session.scalars(select(Item.canonical_url).where(Item.canonical_url.in_(urls)))
        known_urls = {url for url in stored if url is not None}
    guids: set[str] = set()
    wanted = [r.guid for r in rows if r.guid]
    if feed is not None and wanted:
        guids = set(
            session.scalars(
                select(Item.external_id).where(
                    Item.feed_id == feed.id, Item.external_id.in_(wanted)
                )
            )
        )
    return hashes, known_urls, guids


def save_items(
    session: Session, feed: Feed | None, items: list[NewItem], chunk: int = 500
) -> SaveStats:
    """Insert the items not stored yet; flushes, never commits.

    An item is known when its feed already has its GUID, or any item has its canonical URL or
    content hash. A byline is kept only for news feeds: duluan keeps no record of social authors.
    Lookups and inserts go by chunks; a chunk that races another collector is retried row by row.
    """
    stats = SaveStats()
    seen: set[str] = set()
    keep_author = feed is not None and feed.kind == FeedKind.news
    rows: list[_Row] = []
    for new in items:
        url = canonical_url(new.url)
        digest = content_hash(new.title, new.text)
        guid = new.external_id if new.external_id and feed is not None else None
        keys = [k for k in (digest, url and "u:" + url, guid and "g:" + guid) if k]
        if any(k in seen for k in keys):
            stats.duplicate += 1
            continue
        seen.update(keys)
        rows.append(_Row(new, url, digest, guid))
    now = utcnow()
    for start in range(0, len(rows), chunk):
        part = rows[start : start + chunk]
        hashes, urls, guids = _known(session, feed, part)
        fresh = [
            r for r in part if r.digest not in hashes and r.url not in urls and r.guid not in guids
        ]
        stats.duplicate += len(part) - len(fresh)
        values = [_values(feed, r, keep_author, now) for r in fresh]
        try:
            with session.begin_nested():
                if values:
                    session.execute(insert(Item), values)
            stats.new += len(values)
        except IntegrityError:
            # Another collector stored some of them meanwhile: go row by row.
            for v in values:
                try:
                    with session.begin_nested():
                        session.execute(insert(Item), [v])
                    stats.new += 1
                except IntegrityError:
                    stats.duplicate += 1
    return stats


def _values(feed: Feed | None, r: _Row, keep_author: bool, now: datetime) -> dict[str, object]:
    new = r.new
    return {
        "feed_id": feed.id if feed else None,
        "source": new.source[:200],
        "external_id": new.external_id,
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
    }
