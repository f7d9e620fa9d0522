"""The hostile-feed corpus: every case through the real HTTP path, never a crash, never garbage."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from collector.fetch import make_client
from collector.run import Outcome, collect_due
from core.config import Settings
from core.tables import Feed, Item
from tests.collector import hostile
from tests.factories import make_feed


@pytest.fixture(scope="module")
def hostile_url() -> Iterator[str]:
    server = hostile.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_corpus_has_at_least_25_kinds() -> None:
    assert len(hostile.CASES) >= 25
    assert len({c.name for c in hostile.CASES}) == len(hostile.CASES)


@pytest.mark.slow
def test_every_hostile_feed_gets_its_expected_outcome(
    factory: sessionmaker[Session], settings: Settings, hostile_url: str
) -> None:
    settings = settings.model_copy(
        update={
            "max_feed_bytes": 4_000_000,
            "http_total_timeout_s": 1.5,
            "http_read_timeout_s": 1.0,
            "fetch_concurrency": 8,
        }
    )
    with factory() as s:
        kinds = {"youtube": "social", "mastodon": "social", "reddit": "social"}
        ids = {
            c.name: make_feed(
                s, url=f"{hostile_url}/{c.name}", name=c.name, kind=kinds.get(c.name, "news")
            ).id
            for c in hostile.CASES
        }
        s.commit()
    now = datetime.now(UTC)
    with make_client(settings) as client:
        summary = collect_due(factory, client, settings, now)
    results = {r.feed_id: r for r in summary.results}
    assert set(results) == set(ids.values())
    problems = []
    with factory() as s:
        for case in hostile.CASES:
            r = results[ids[case.name]]
            items = s.scalars(
                select(Item).where(Item.feed_id == ids[case.name]).order_by(Item.id)
            ).all()
            if r.outcome != case.outcome:
                problems.append(f"{case.name}: {r.outcome} ({r.error}), expected {case.outcome}")
                continue
            if case.outcome in (Outcome.soft_error, Outcome.hard_error):
                if items or case.error_has not in (r.error or ""):
                    problems.append(f"{case.name}: error {r.error!r}, {len(items)} items stored")
                continue
            if case.new is not None and len(items) != case.new:
                problems.append(f"{case.name}: {len(items)} items, expected {case.new}")
            for i in items:  # never garbage: text without markup, titles or text present
                if "<script" in i.text or "onerror" in i.text or not (i.title or i.text):
                    problems.append(f"{case.name}: garbage item {i.title!r}")
            if case.check:
                try:
                    case.check(items)
                except AssertionError as exc:
                    problems.append(f"{case.name}: {exc}")
        feed = s.get(Feed, ids["rate-limited"])
        assert feed.next_check_at >= now + timedelta(seconds=7200)
        far = s.get(Feed, ids["unavailable-date"])
        assert far.next_check_at <= now + timedelta(
            seconds=settings.max_interval_s + 1
        )  # capped at a day
    assert not problems, "\n".join(problems)


def test_full_text_is_extracted_when_a_feed_carries_only_summaries(
    factory: sessionmaker[Session], settings: Settings, hostile_url: str
) -> None:
    with factory() as s:
        make_feed(s, url=f"{hostile_url}/short-summaries", name="tóm tắt", extract_full_text=True)
        s.commit()
    with make_client(settings) as client:
        summary = collect_due(factory, client, settings)
    assert [r.outcome for r in summary.results] == [Outcome.ok]
    with factory() as s:
        long, empty = s.scalars(select(Item).order_by(Item.id)).all()
    assert long.text.count("tổ công nghệ số cộng đồng hướng dẫn") == 6
    assert "Trang chủ" not in long.text
    assert "track()" not in long.text
    assert empty.text == "Tóm tắt ngắn thứ hai."  # extraction found too little: the summary stays
