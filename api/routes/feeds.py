from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Depends, Response

from api.deps import Id, SessionDep, SettingsDep, require
from api.schemas import FeedCreate, FeedRead, FeedUpdate
from collector import feeds
from collector.guard import Allowlist
from core.permissions import Permission
from core.tables import Feed, User

router = APIRouter(prefix="/feeds", tags=["feeds"])
Admin = Annotated[User, Depends(require(Permission.feeds))]


def _read(feed: Feed, items_7d: int) -> FeedRead:
    return FeedRead(
        id=feed.id,
        url=feed.url,
        name=feed.name,
        kind=feed.kind,
        enabled=feed.enabled,
        poll_interval_s=feed.poll_interval_s,
        extract_full_text=feed.extract_full_text,
        last_success_at=feed.last_success_at,
        last_error=feed.last_error,
        last_warning=feed.last_warning,
        error_count=feed.error_count,
        next_check_at=feed.next_check_at,
        items_7d=items_7d,
    )


@router.get("", response_model=list[FeedRead])
def list_feeds(session: SessionDep, _: Admin) -> list[FeedRead]:
    """Every feed with its health."""
    return [_read(h.feed, h.items_7d) for h in feeds.feed_health(session)]


@router.post("", response_model=FeedRead, status_code=201)
def create_feed(
    body: FeedCreate, session: SessionDep, settings: SettingsDep, user: Admin
) -> FeedRead:
    """Register a feed (409 if its URL is already registered; 422 ``blocked_url`` if it points at
    a loopback or private address, literal or resolved, not in ``DULUAN_FETCH_ALLOWLIST``)."""
    feed = feeds.add_feed(
        session,
        body.url,
        body.name,
        kind=body.kind,
        interval_s=body.poll_interval_s,
        extract_full_text=body.extract_full_text,
        actor=user,
        allowlist=Allowlist.parse(settings.fetch_allowlist),
    )
    return _read(feed, 0)


@router.patch("/{feed_id}", response_model=FeedRead)
def update_feed(feed_id: Id, body: FeedUpdate, session: SessionDep, user: Admin) -> FeedRead:
    """Change a feed's name, kind, interval, extraction, or enable/disable it."""
    feed = feeds.update_feed(
        session, feeds.get_feed(session, feed_id), body.model_dump(exclude_unset=True), user
    )
    return _read(feed, feeds.recent_counts(session, [feed.id]).get(feed.id, 0))


@router.delete("/{feed_id}", status_code=204)
def delete_feed(feed_id: Id, session: SessionDep, user: Admin) -> Response:
    """Remove a feed from the registry; its items stay."""
    feeds.remove_feed(session, feeds.get_feed(session, feed_id), user)
    return Response(status_code=204)
