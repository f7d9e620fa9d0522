from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from collector.fetch import FetchError, FetchPolicy, fetch, make_client
from collector.run import Outcome, collect_due
from core.config import Settings
from core.tables import Feed, Item
from tests.factories import make_feed


def _feeds(factory: sessionmaker[Session], base: str, names: list[str]) -> list[int]:
    with factory() as s:
        ids = [make_feed(s, url=f"{base}/{n}", name=n).id for n in names]
        s.commit()
    return ids


def test_collect_stores_items_once_and_then_gets_not_modified(
    factory: sessionmaker[Session], settings: Settings, feed_server: str
) -> None:
    _feeds(factory, feed_server, ["basic.rss", "relative.atom"])
    with make_client(settings) as client:
        first = collect_due(factory, client, settings)
        first.results.sort(key=lambda r: r.feed_id)
        assert [r.outcome for r in first.results] == [Outcome.ok, Outcome.ok]
        # basic.rss: 4 usable entries, two with the same content → 3 new, 1 duplicate; Atom: 1.
        assert [(r.new, r.duplicate) for r in first.results] == [(3, 1), (1, 0)]
        later = datetime.now(UTC) + timedelta(hours=2)
        second = collect_due(factory, client, settings, later)
        second.results.sort(key=lambda r: r.feed_id)
    assert [r.outcome for r in second.results] == [Outcome.not_modified, Outcome.not_modified]
    with factory() as s:
        assert s.scalar(select(func.count(Item.id))) == first.new
        atom = s.scalar(select(Item).where(Item.title == "Bài một"))
        assert atom.url == f"{feed_server}/bai/1"
        feed = s.scalar(select(Feed).where(Feed.name == "basic.rss"))
        assert feed.last_modified
        assert feed.error_count == 0
        assert feed.next_check_at > later


def test_errors_are_recorded_on_the_feed_and_backed_off(
    factory: sessionmaker[Session], settings: Settings, feed_server: str
) -> None:
    _feeds(factory, feed_server, ["missing.xml", "page.html"])
    now = datetime.now(UTC)
    with make_client(settings) as client:
        summary = collect_due(factory, client, settings, now)
    outcomes = {r.url.rsplit("/", 1)[1]: r.outcome for r in summary.results}
    assert outcomes == {"missing.xml": Outcome.soft_error, "page.html": Outcome.hard_error}
    with factory() as s:
        for feed in s.scalars(select(Feed)):
            assert feed.error_count == 1
            assert feed.last_error
            assert feed.next_check_at > now + timedelta(minutes=25)  # the poll interval, ±10 %
        assert s.scalar(select(func.count(Item.id))) == 0


def test_fetch_refuses_bodies_over_the_cap(settings: Settings, feed_server: str) -> None:
    with make_client(settings) as client, pytest.raises(FetchError, match="cap"):
        fetch(
            client, f"{feed_server}/basic.rss", FetchPolicy.from_settings(settings, max_bytes=100)
        )


def test_fetch_refuses_non_http_schemes(settings: Settings) -> None:
    with make_client(settings) as client, pytest.raises(FetchError, match="only http"):
        fetch(client, "file:///etc/passwd", FetchPolicy.from_settings(settings))
