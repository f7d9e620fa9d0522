from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest

from collector.parse import ParseError, html_to_text, parse

FEEDS = Path(__file__).parent.parent / "data" / "feeds"
VNEXPRESS = Path(__file__).resolve().parents[3] / "shared" / "data" / "rss-vnexpress-2017"
NOW = datetime(2026, 11, 27, tzinfo=UTC)


def test_rss_entries_are_clean_text_with_utc_dates() -> None:
    feed = parse((FEEDS / "basic.rss").read_bytes(), {}, NOW)
    first = feed.entries[0]
    assert first.title == "Chuyển đổi số ở xã & thôn"
    assert first.text == "Người dân học kỹ năng số."
    assert "alert" not in first.text
    assert "onerror" not in first.text
    assert first.published_at == datetime(2026, 11, 23, 1, 15, tzinfo=UTC)
    assert feed.skipped == 1  # the entry with neither title nor text


def test_future_dates_are_dropped() -> None:
    feed = parse((FEEDS / "basic.rss").read_bytes(), {}, NOW)
    future = [e for e in feed.entries if e.title == "Tin từ tương lai"][0]
    assert future.published_at is None


def test_atom_relative_links_resolve_against_the_feed_url() -> None:
    feed = parse(
        (FEEDS / "relative.atom").read_bytes(), {}, NOW, url="https://atom.example/feed.xml"
    )
    assert feed.entries[0].url == "https://atom.example/bai/1"


@pytest.mark.parametrize("name", ["page.html", "empty.xml"])
def test_non_feeds_raise_parse_error(name: str) -> None:
    with pytest.raises(ParseError):
        parse((FEEDS / name).read_bytes(), {"content-type": "text/html"}, NOW)


def test_truncated_xml_with_entries_is_usable() -> None:
    body = (FEEDS / "basic.rss").read_bytes()[:900]
    feed = parse(body, {}, NOW)
    assert feed.entries  # bozo, but what came through is kept


def test_html_to_text_drops_scripts_and_decodes_entities() -> None:
    assert html_to_text("<div>a &amp; b<style>x{}</style><iframe>y</iframe></div>") == "a & b"


@pytest.mark.skipif(
    not VNEXPRESS.is_dir(), reason=f"shared VnExpress fixtures absent at {VNEXPRESS}"
)
@pytest.mark.parametrize(
    "name", ["vnexpress_tin-moi-nhat_2017-07-26.xml", "vnexpress_tin-moi-nhat_2017-08-30.xml"]
)
def test_real_vnexpress_feeds(name: str) -> None:
    feed = parse((VNEXPRESS / name).read_bytes(), {"content-type": "application/rss+xml"}, NOW)
    assert len(feed.entries) == 25
    for e in feed.entries:
        assert e.url
        assert e.url.startswith("http")
        assert e.published_at
        assert e.published_at.year == 2017
        assert "<" not in e.text
        assert e.title
