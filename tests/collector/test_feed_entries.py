"""One bad entry costs only itself, never its feed (issue 13): control characters are stripped,
an entry the database refuses is skipped and counted in the feed's warning, and only feed-level
failures count towards disabling a feed. Served over local HTTP, stored in SQLite and
PostgreSQL."""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from cli import serve_folder
from collector import run, store
from collector.fetch import make_client
from collector.run import Outcome, collect_due
from core.config import Settings
from core.tables import Feed, Item
from tests.factories import make_feed

LONG_LINK = "https://x.vn?a=" + "x" * (2048 - 15)  # 2,048; its canonical form is 2,049


def _item(n: int, title: str, link: str, guid: str, text: str, author: str = "a@x.vn (A)") -> str:
    return (
        f"<item><title>{title}</title><link>{link}</link>"
        f"<guid isPermaLink='false'>{guid}</guid><author>{author}</author>"
        f"<description>{text}</description>"
        f"<pubDate>Mon, 23 Nov 2026 08:{n:02d}:00 +0700</pubDate></item>"
    )


FEED = (
    '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Kênh</title>'
    "<link>https://x.vn/</link>"
    + _item(1, "Bài một tốt", "https://x.vn/1", "g1", "Nội dung một")
    + _item(2, "NUL\x00 ở tiêu đề", "https://x.vn/2\x00z", "g2\x00", "Nội \x00dung hai", "b\x00")
    + _item(3, "Điều \x01\x1b khiển", "https://x.vn/3\x07", "g3\x0b", "Nội dung \x1f ba", "c\x1b")
    + _item(4, "Tham chiếu &#0; và &#x1;", "https://x.vn/4", "g4&#0;", "Bốn &#0;&#x1b;")
    + _item(5, "Đường link quá dài", LONG_LINK, "g5", "Nội dung năm")
    + _item(6, "Bài sáu tốt", "https://x.vn/6", "g6", "Nội dung sáu")
    + "</channel></rss>"
).encode()
_UNSTORABLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")


@pytest.fixture
def feed_url(tmp_path: Path) -> Iterator[str]:
    (tmp_path / "feed.rss").write_bytes(FEED)
    server = serve_folder(tmp_path)
    yield f"http://127.0.0.1:{server.server_address[1]}/feed.rss"
    server.shutdown()
    server.server_close()


def _passes(
    factory: sessionmaker[Session], settings: Settings, feed_id: int, n: int
) -> list[Outcome]:
    """``n`` collection passes of one feed, each with a changed body (so none is 'unchanged')."""
    outcomes = []
    with make_client(settings) as client:
        for k in range(n):
            with factory() as s:
                feed = s.get(Feed, feed_id)
                assert feed is not None
                feed.body_hash = feed.etag = feed.last_modified = None
                s.commit()
            when = datetime.now(UTC) + timedelta(days=k)
            summary = collect_due(factory, client, settings, when, feed_ids=[feed_id])
            outcomes += [r.outcome for r in summary.results]
    return outcomes


def test_control_characters_in_every_field_cost_nothing(
    factory: sessionmaker[Session], settings: Settings, feed_url: str
) -> None:
    with factory() as s:
        feed_id = make_feed(s, url=feed_url, name="Kênh").id
        s.commit()
    with make_client(settings) as client:
        summary = collect_due(factory, client, settings)
    assert [(r.outcome, r.new, r.refused) for r in summary.results] == [(Outcome.ok, 6, 0)]
    with factory() as s:
        feed = s.get(Feed, feed_id)
        assert feed is not None
        assert (feed.error_count, feed.last_error, feed.enabled) == (0, None, True)
        items = list(s.scalars(select(Item).order_by(Item.published_at)))
        assert [i.external_id for i in items] == ["g1", "g2", "g3", "g4\ufffd", "g5", "g6"]
        for i in items:
            for value in (i.title, i.text, i.url, i.external_id, i.author, i.source):
                assert not _UNSTORABLE.search(value or ""), (i.external_id, value)
        assert (items[1].title, items[1].url, items[1].author) == (
            "NUL ở tiêu đề",
            "https://x.vn/2z",
            "b",
        )
        assert (items[4].url, items[4].canonical_url) == (None, None)  # too long to keep


def test_an_entry_the_database_refuses_is_skipped_and_never_disables_the_feed(
    factory: sessionmaker[Session],
    settings: Settings,
    feed_url: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    real = store._values

    def refuse_g3(*args: Any) -> dict[str, object]:
        values = real(*args)
        if values["external_id"] == "g3":
            values["title"] = {"not": "bindable"}  # no driver binds a dict to a text column
        return values

    monkeypatch.setattr(store, "_values", refuse_g3)
    with factory() as s:
        feed_id = make_feed(s, url=feed_url, name="Kênh").id
        s.commit()
    with caplog.at_level(logging.WARNING, logger="collector.store"):
        outcomes = _passes(factory, settings, feed_id, settings.disable_after_errors + 1)
    assert outcomes == [Outcome.ok] * (settings.disable_after_errors + 1)
    with factory() as s:
        feed = s.get(Feed, feed_id)
        assert feed is not None
        assert (feed.enabled, feed.error_count, feed.last_error) == (True, 0, None)
        assert "1 entries could not be stored and were skipped" in (feed.last_warning or "")
        ids = set(s.scalars(select(Item.external_id)))
        assert ids == {"g1", "g2", "g4\ufffd", "g5", "g6"}
    assert "refused by the database" in caplog.text


def test_a_storing_failure_shows_a_plain_vietnamese_cause_and_logs_the_detail(
    factory: sessionmaker[Session],
    settings: Settings,
    feed_url: str,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
) -> None:
    def broken(session: Session, *args: Any, **kwargs: Any) -> Any:
        from sqlalchemy import text

        session.execute(text("SELECT no_such_column FROM item WHERE title = :t"), {"t": "bí mật"})

    monkeypatch.setattr(run, "save_items", broken)
    with factory() as s:
        feed_id = make_feed(s, url=feed_url, name="Kênh").id
        s.commit()
    with caplog.at_level(logging.ERROR, logger="collector.run"):
        outcomes = _passes(factory, settings, feed_id, 1)
    assert outcomes == [Outcome.hard_error]
    with factory() as s:
        feed = s.get(Feed, feed_id)
        assert feed is not None
        assert feed.last_error == run.STORE_FAILED
    assert "Lỗi nội bộ" in run.STORE_FAILED
    assert "SELECT" not in (feed.last_error or "")
    assert "no_such_column" in caplog.text  # the detail is in the log
