"""The feed registry: add, change, remove, and each feed's health. Used by the CLI and the API."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from collector.guard import Allowlist, BlockedURL, check_registration
from core.audit import record
from core.db import utcnow
from core.errors import Conflict, Invalid, NotFound
from core.tables import Feed, FeedKind, Item, User

KINDS = (FeedKind.news, FeedKind.official, FeedKind.social)


class FeedNotFound(NotFound):
    """No feed has this id."""

    code = "feed_not_found"


class FeedExists(Conflict):
    """A feed with this address is already registered."""

    code = "feed_exists"


class BlockedUrl(Invalid):
    """A feed address the SSRF guard refuses (a private, local or unresolvable host)."""

    code = "blocked_url"


class BadInterval(Invalid):
    """A feed's fetch interval outside the allowed range."""

    code = "bad_interval"


class BadKind(Invalid):
    """A feed kind that is not one of ``FeedKind``."""

    code = "bad_kind"


class BadUrl(Invalid):
    """A feed address that is not http(s) or is too long."""

    code = "bad_url"


@dataclass(frozen=True)
class FeedHealth:
    feed: Feed
    items_7d: int


def _validate(url: str | None = None, kind: str | None = None, interval: int | None = None) -> None:
    if url is not None and not url.startswith(("http://", "https://")):
        raise BadUrl(
            "Chỉ thu thập được nguồn tin có địa chỉ http:// hoặc https://. "
            "(only http:// and https:// feeds can be collected)",
        )
    if url is not None and len(url) > 2048:
        raise BadUrl(
            "Địa chỉ dài quá 2.048 ký tự. (URL longer than 2,048 characters)",
        )
    if kind is not None and kind not in KINDS:
        raise BadKind(
            "Loại nguồn phải là news (báo chí), official (cổng chính thức) hoặc social (mạng xã hội). "
            "(kind must be news, official or social)",
        )
    if interval is not None and not 60 <= interval <= 7 * 86_400:
        raise BadInterval(
            "Chu kỳ lấy tin phải từ 60 giây đến 7 ngày. (poll interval must be between 60 s and 7 days)",
        )


def check_address(url: str, allowlist: Allowlist | None) -> None:
    """``DomainError`` 422 ``blocked_url`` unless the fetcher may reach ``url``'s host."""
    try:
        check_registration(url, allowlist or Allowlist())
    except BlockedURL as exc:
        raise BlockedUrl(
            f"Địa chỉ nguồn tin không được phép (mạng nội bộ). (Not a public address: {exc}.)",
        ) from exc


def add_feed(
    session: Session,
    url: str,
    name: str,
    *,
    kind: str = "news",
    interval_s: int = 1800,
    extract_full_text: bool = False,
    actor: User | None = None,
    allowlist: Allowlist | None = None,
) -> Feed:
    """Register a feed; 409 if the URL is already registered. Flushes.

    ``DomainError`` 422 ``bad_url`` for a URL that is not http(s), and ``blocked_url`` for one the
    fetcher would never reach (``collector.guard.check_registration``: a loopback or private
    address, literal or resolved, unless in ``allowlist`` — pass the one built from
    ``DULUAN_FETCH_ALLOWLIST``; ``None`` allows nothing)."""
    url = url.strip()
    _validate(url, kind, interval_s)
    check_address(url, allowlist)
    if session.scalar(select(Feed.id).where(Feed.url == url)) is not None:
        raise FeedExists(
            f"Nguồn tin này đã được đăng ký: {url} (feed already registered: {url})",
        )
    feed = Feed(
        url=url,
        name=(name.strip() or url)[:200],
        kind=kind,
        poll_interval_s=interval_s,
        extract_full_text=extract_full_text,
    )
    session.add(feed)
    session.flush()
    record(session, actor, "feed.create", "feed", feed.id, after=_state(feed))
    return feed


def _state(feed: Feed) -> dict[str, Any]:
    return {
        "url": feed.url,
        "name": feed.name,
        "kind": feed.kind,
        "enabled": feed.enabled,
        "poll_interval_s": feed.poll_interval_s,
        "extract_full_text": feed.extract_full_text,
    }


def get_feed(session: Session, feed_id: int) -> Feed:
    feed = session.get(Feed, feed_id)
    if feed is None or feed.kind == FeedKind.imported:
        raise FeedNotFound(f"Không có nguồn tin số {feed_id}. (no feed {feed_id})")
    return feed


def update_feed(
    session: Session, feed: Feed, changes: dict[str, Any], actor: User | None = None
) -> Feed:
    """Change name, kind, poll interval, extraction or enabled; re-enabling clears the error count."""
    _validate(kind=changes.get("kind"), interval=changes.get("poll_interval_s"))
    before = _state(feed)
    for key in ("name", "kind", "poll_interval_s", "extract_full_text", "enabled"):
        if changes.get(key) is not None:
            setattr(feed, key, changes[key])
    if changes.get("enabled") and not before["enabled"]:
        feed.error_count = 0
        feed.next_check_at = None
    session.flush()
    record(session, actor, "feed.update", "feed", feed.id, before=before, after=_state(feed))
    return feed


def remove_feed(session: Session, feed: Feed, actor: User | None = None) -> None:
    """Delete a feed from the registry; its items stay (their source name is kept)."""
    record(session, actor, "feed.delete", "feed", feed.id, before=_state(feed))
    session.delete(feed)
    session.flush()


def recent_counts(
    session: Session, feed_ids: list[int] | None = None, now: datetime | None = None
) -> dict[int, int]:
    """Items collected per feed in the last seven days."""
    since = (now or utcnow()) - timedelta(days=7)
    query = select(Item.feed_id, func.count(Item.id)).where(Item.fetched_at >= since)
    if feed_ids is not None:
        query = query.where(Item.feed_id.in_(feed_ids))
    rows = session.execute(query.group_by(Item.feed_id))
    return {feed_id: n for feed_id, n in rows if feed_id is not None}


def feed_health(session: Session, now: datetime | None = None) -> list[FeedHealth]:
    """Every HTTP feed with the number of items it brought in the last seven days."""
    counts = recent_counts(session, now=now)
    feeds = session.scalars(select(Feed).where(Feed.kind != FeedKind.imported).order_by(Feed.id))
    return [FeedHealth(f, counts.get(f.id, 0)) for f in feeds]
