from __future__ import annotations

import os
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


def test_a_killed_collectors_leases_come_back_at_once(
    factory: sessionmaker[Session], settings: Settings, feed_server: str
) -> None:
    """Before: after kill -9 of a collector its leased feeds waited feed_lease_s (10 min)."""
    import socket
    import subprocess
    import sys

    gone = subprocess.Popen([sys.executable, "-c", "pass"])
    gone.wait()
    ids = _feeds(factory, feed_server, ["basic.rss", "relative.atom"])
    host = socket.gethostname()[:32]
    future = datetime.now(UTC) + timedelta(minutes=10)
    with factory() as s:
        dead, alive = s.get(Feed, ids[0]), s.get(Feed, ids[1])
        assert dead is not None
        assert alive is not None
        dead.lease_owner, dead.lease_expires_at = f"{host}:{gone.pid}:dead0001", future
        # a live process's lease (this one's parent) stays until it expires
        alive.lease_owner, alive.lease_expires_at = f"{host}:{os.getppid()}:live0001", future
        s.commit()
    with make_client(settings) as client:
        summary = collect_due(factory, client, settings)
    assert [r.feed_id for r in summary.results] == [ids[0]]
    assert summary.results[0].outcome == Outcome.ok


def test_items_a_killed_pass_left_unclustered_are_clustered_by_the_next(
    factory: sessionmaker[Session], settings: Settings, feed_server: str
) -> None:
    """Before: items stored before a kill stayed unclustered until a pass brought new items."""
    _feeds(factory, feed_server, ["basic.rss"])
    with make_client(settings) as client:
        collect_due(factory, client, settings, cluster=False)  # killed before it clustered
        with factory() as s:
            assert s.scalar(select(func.count()).where(Item.cluster_id.is_(None))) == 3
        later = datetime.now(UTC) + timedelta(hours=2)
        again = collect_due(factory, client, settings, later)
    assert again.new == 0
    with factory() as s:
        assert s.scalar(select(func.count()).where(Item.cluster_id.is_(None))) == 0


@pytest.mark.slow
def test_a_pass_fetches_every_due_feed_even_when_leases_run_out_in_its_queue(
    factory: sessionmaker[Session], settings: Settings
) -> None:
    """Before: when the leases of feeds waiting in a pass's own queue ran out, a claim could
    take only those again; the pass then thought nothing was left and skipped unclaimed feeds
    (a killed collector's survivor left one of 60 feeds unfetched)."""
    from tests.collector.feedfarm import FeedFarm

    farm = FeedFarm(feeds=80, items=1, latency_s=0.05)
    try:
        with factory() as s:
            for url in farm.urls():
                make_feed(s, url=url, name=url.rsplit("/", 1)[1])
            s.commit()
        # leases that are over at once: every claim may take the pass's own queued feeds again
        quick = settings.model_copy(update={"feed_lease_s": -1, "fetch_concurrency": 2})
        with make_client(quick) as client:
            summary = collect_due(factory, client, quick)
    finally:
        farm.close()
    assert len({r.feed_id for r in summary.results}) == 80
    with factory() as s:
        assert s.scalar(select(func.count(Feed.id)).where(Feed.last_success_at.is_(None))) == 0
