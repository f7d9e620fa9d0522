"""The parse pool is owned: opened by whoever runs collection and joined when it is done."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import psutil
import pytest
from sqlalchemy import update
from sqlalchemy.orm import Session, sessionmaker

from collector.fetch import make_client
from collector.parse import ParsedFeed, ParseError
from collector.parse_pool import ParsePool, ParsePoolClosed
from collector.run import FeedResult, Outcome, collect_due
from core.config import Settings
from core.tables import Feed
from tests.collector.conftest import parser_children
from tests.factories import make_feed

RSS = b"""<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>t</title>
<item><title>Chuyen doi so</title><link>https://example.org/a</link><description>mot</description>
</item></channel></rss>"""


def _feeds(factory: sessionmaker[Session], base: str, names: list[str]) -> None:
    with factory() as s:
        for n in names:
            make_feed(s, url=f"{base}/{n}", name=n)
        s.commit()


def _pids() -> set[int]:
    return {p.pid for p in parser_children()}


def _running(pid: int) -> bool:
    try:
        return psutil.Process(pid).status() != psutil.STATUS_ZOMBIE
    except psutil.NoSuchProcess:
        return False


def test_a_pass_joins_the_parser_processes_it_started(
    factory: sessionmaker[Session], settings: Settings, feed_server: str
) -> None:
    """Before: collect_due started a module-global pool that outlived it (and the test run)."""
    settings = settings.model_copy(update={"parse_processes": 2})
    _feeds(factory, feed_server, ["basic.rss", "relative.atom"])
    before = _pids()
    during: set[int] = set()

    def look(_result: FeedResult) -> None:
        during.update(_pids() - before)

    with make_client(settings) as client:
        summary = collect_due(factory, client, settings, on_result=look)
    assert [r.outcome for r in summary.results] == [Outcome.ok, Outcome.ok]
    assert during, "the pass parsed in no parser process: this test would prove nothing"
    assert _pids() - before == set(), "parser processes outlived the pass that started them"
    assert not [p for p in during if _running(p)], "a parser process of the pass still runs"


def test_the_owner_keeps_its_pool_for_every_pass_and_joins_it_on_exit(
    factory: sessionmaker[Session], settings: Settings, feed_server: str
) -> None:
    settings = settings.model_copy(update={"parse_processes": 1})
    _feeds(factory, feed_server, ["basic.rss"])
    before = _pids()
    with make_client(settings) as client, ParsePool(settings.parse_processes) as pool:
        assert pool.pids() == []  # started at the first parse, not before
        collect_due(factory, client, settings, parse_pool=pool)
        first = pool.pids()
        assert len(first) == 1
        later = datetime.now(UTC) + timedelta(days=1)
        with factory() as s:  # the body changes, so the second pass parses again
            s.execute(update(Feed).values(body_hash=None, etag=None, last_modified=None))
            s.commit()
        collect_due(factory, client, settings, later, parse_pool=pool)
        assert pool.pids() == first, "a pass given a pool must not start or stop processes"
        assert set(first) <= _pids()
    assert pool.closed
    assert pool.pids() == []
    assert _pids() - before == set(), "the owner's exit left parser processes running"
    with make_client(settings) as client, pytest.raises(ParsePoolClosed):
        collect_due(factory, client, settings, parse_pool=pool)


def test_the_pool_parses_as_the_thread_does_and_raises_the_same_errors() -> None:
    now = datetime(2026, 11, 30, tzinfo=UTC)
    with ParsePool(1) as pool, ParsePool(0) as inline:
        in_process = pool.parse(RSS, {}, now, "https://example.org/feed", 10)
        in_thread = inline.parse(RSS, {}, now, "https://example.org/feed", 10)
        assert isinstance(in_process, ParsedFeed)
        assert in_process == in_thread
        assert inline.pids() == []
        with pytest.raises(ParseError):
            pool.parse(b"   ", {}, now, "https://example.org/feed", 10)
        pids = pool.pids()
        assert pids
    assert pool.pids() == []
    assert not [p for p in pids if _running(p)]
    with pytest.raises(ParsePoolClosed):
        pool.parse(RSS, {}, now, "https://example.org/feed", 10)
