"""Store entries idempotently: one item per canonical URL and per content hash."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from sqlalchemy import or_, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from core.db import utcnow
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


def save_items(session: Session, feed: Feed | None, items: list[NewItem]) -> SaveStats:
    """Insert the items not stored yet; flushes, never commits.

    An item is known when its feed already has its GUID, or any item has its canonical URL or
    content hash. A byline is kept only for news feeds: duluan keeps no record of social authors.
    """
    stats = SaveStats()
    seen: set[str] = set()
    keep_author = feed is not None and feed.kind == FeedKind.news
    for new in items:
        url = canonical_url(new.url)
        digest = content_hash(new.title, new.text)
        guid = f"guid:{new.external_id}" if new.external_id and feed is not None else None
        keys = [k for k in (digest, url, guid) if k]
        if any(k in seen for k in keys):
            stats.duplicate += 1
            continue
        seen.update(keys)
        clauses = [Item.content_hash == digest]
        if url:
            clauses.append(Item.canonical_url == url)
        if guid and feed is not None:
            clauses.append((Item.feed_id == feed.id) & (Item.external_id == new.external_id))
        if session.scalar(select(Item.id).where(or_(*clauses)).limit(1)) is not None:
            stats.duplicate += 1
            continue
        item = Item(
            feed_id=feed.id if feed else None,
            source=new.source[:200],
            external_id=new.external_id,
            url=new.url if url else None,
            canonical_url=url,
            title=new.title,
            text=new.text,
            author=new.author[:200] if keep_author and new.author else None,
            content_hash=digest,
            published_at=new.published_at,
            fetched_at=utcnow(),
        )
        try:
            with session.begin_nested():
                session.add(item)
        except IntegrityError:
            # Another collector stored it between our check and our insert.
            stats.duplicate += 1
            continue
        stats.new += 1
    return stats
