"""The shared feed and text cases (shared/cases/feeds-and-text), collected over local HTTP or
imported as a user would, on SQLite and PostgreSQL. Each case stands for a kind of fault."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from collector.cluster import cluster_pending
from collector.fetch import make_client
from collector.importer import import_file
from collector.run import Outcome, collect_due
from core.config import Settings
from core.items import ItemFilter, list_items
from core.tables import AuditEvent, Feed, Item
from tests.collector.casefarm import CaseServer
from tests.conftest import CASES, shared_case
from tests.factories import make_feed


@pytest.fixture(scope="module")
def cases() -> Iterator[CaseServer]:
    if not (CASES / "www").is_dir():
        pytest.skip(f"shared cases absent at {CASES} (set DULUAN_SHARED to the shared/ folder)")
    server = CaseServer(CASES / "www")
    yield server
    server.close()


def _collect(
    factory: sessionmaker[Session], settings: Settings, urls: list[str], now: datetime | None = None
) -> list[Outcome]:
    with factory() as s:
        ids = [make_feed(s, url=u, name=u.rsplit("/", 1)[1]).id for u in urls]
        s.commit()
    with make_client(settings) as client:
        summary = collect_due(factory, client, settings, now, feed_ids=ids)
    return [r.outcome for r in sorted(summary.results, key=lambda r: r.feed_id)]


def _items(factory: sessionmaker[Session]) -> list[Item]:
    with factory() as s:
        items = list(s.scalars(select(Item).order_by(Item.id)))
        s.expunge_all()
    return items


def _search(factory: sessionmaker[Session], q: str) -> set[int]:
    with factory() as s:
        rows, _ = list_items(s, ItemFilter(q=q), limit=100)
    return {item.id for item, *_ in rows}


def test_c01_escaped_cdata_becomes_the_item_text(
    factory: sessionmaker[Session], settings: Settings, cases: CaseServer
) -> None:
    assert _collect(factory, settings, [f"{cases.base}/c01-escaped-cdata.xml"]) == [Outcome.ok]
    first, second = _items(factory)
    assert first.text.startswith("Thành phố Hà Nội cho biết đã đưa thêm 120 thủ tục hành chính")
    assert "CDATA" not in first.text
    assert second.text == "Đà Nẵng cấp miễn phí chữ ký số cho 10.000 người dân."


def test_c02b_declared_encoding_after_leading_whitespace_is_honoured(
    factory: sessionmaker[Session], settings: Settings, cases: CaseServer
) -> None:
    url = f"{cases.base}/c02b-leading-newline-1258.xml"
    assert _collect(factory, settings, [url]) == [Outcome.ok]
    (item,) = _items(factory)
    assert item.title == "Bộ Khoa học và Công nghệ ra mắt nền tảng dữ liệu mở"
    assert "doanh nghiệp khởi nghiệp sáng tạo tra cứu dữ liệu miễn phí" in item.text


def test_c03_a_few_bad_bytes_replace_one_character_and_show_on_the_feed(
    factory: sessionmaker[Session], settings: Settings, cases: CaseServer
) -> None:
    url = f"{cases.base}/c03-utf8-one-bad-byte.xml"
    assert _collect(factory, settings, [url]) == [Outcome.ok]
    first, second = _items(factory)
    assert first.title == "Ứng dụng VNeID cập nhật tính năng mới"
    assert second.text == "Tôi thấy dịch vụ công nhanh hơn trước \ufffd nhiều."
    with factory() as s:
        feed = s.scalar(select(Feed))
        assert feed.last_error is None
        assert "invalid" in (feed.last_warning or "")


def test_c06_vietnamese_dates_are_right_or_empty_never_wrong(
    factory: sessionmaker[Session], settings: Settings, cases: CaseServer
) -> None:
    now = datetime(2026, 11, 28, 3, 0, tzinfo=UTC)
    assert _collect(factory, settings, [f"{cases.base}/c06-vn-dates.xml"], now) == [Outcome.ok]
    items = _items(factory)
    assert len(items) == 8
    meant = datetime(2026, 11, 27, 1, 15, tzinfo=UTC)
    for item in items:
        if item.published_at is None:
            assert item.notes
            assert item.notes[0]["code"] == "date_unreadable"
        else:
            assert item.published_at.replace(second=0) == meant, item.title
    assert sum(i.published_at is not None for i in items) == 8  # every shape is read today


def test_c17_one_article_behind_tracking_parameters_and_fragments_is_one_item(
    factory: sessionmaker[Session], settings: Settings, cases: CaseServer
) -> None:
    urls = [f"{cases.base}/c17-{x}.xml" for x in "abcd"]
    assert _collect(factory, settings, urls) == [Outcome.ok] * 4
    (item,) = _items(factory)
    assert item.canonical_url == "http://127.0.0.1:8765/bai/the-can-cuoc-xe-buyt-c17"


def test_c20_soft_hyphens_make_no_second_story(
    factory: sessionmaker[Session], settings: Settings, cases: CaseServer
) -> None:
    urls = [f"{cases.base}/c20-clean.xml", f"{cases.base}/c20-shy.xml"]
    assert _collect(factory, settings, urls) == [Outcome.ok] * 2
    items = _items(factory)
    # Different links, so both are kept; the same text: one digest … one cluster.
    assert len({i.cluster_id for i in items}) == 1
    assert "\u00ad" not in items[-1].text
    assert _search(factory, "chiếm đoạt tài khoản") == {i.id for i in items}


def test_c19_misplaced_marks_and_eth_are_one_story_found_by_search(
    session: Session, tmp_path: Path
) -> None:
    stats = import_file(
        session, shared_case("import/c19-misplaced-marks-eth.jsonl"), default_source="Nhóm C"
    )
    assert (stats.new, stats.duplicate) == (1, 1)
    (item,) = session.scalars(select(Item))
    for q in ("Đảm bảo chất lượng", "Ðảm baỏ chất lựơng", "dam bao chat luong", "phòng thí nghịêm"):
        rows, _ = list_items(session, ItemFilter(q=q))
        assert [r[0].id for r in rows] == [item.id], q


def test_equivalent_forms_dedup_or_cluster_and_are_found(session: Session) -> None:
    path = shared_case("import/equivalent-forms.jsonl")
    stats = import_file(session, path, default_source="Nhóm D")
    assert not stats.errors
    # 13 forms of each post: the accented forms are one item; the form typed without
    # diacritics is kept as its own item and joins the same cluster.
    assert (stats.new, stats.duplicate) == (4, 22)
    cluster_pending(session)
    by_text = {i.external_id: i for i in session.scalars(select(Item))}
    assert set(by_text) == {"scam:nfc", "scam:no_diacritics", "pos:nfc", "pos:no_diacritics"}
    for group in ("scam", "pos"):
        assert by_text[f"{group}:nfc"].cluster_id == by_text[f"{group}:no_diacritics"].cluster_id
    assert by_text["scam:nfc"].cluster_id != by_text["pos:nfc"].cluster_id
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    for row in rows:
        group = row["id"].split(":")[0]
        words = " ".join(row["text"].split()[:6])
        found, _ = list_items(session, ItemFilter(q=words))
        assert by_text[f"{group}:nfc"].id in {r[0].id for r in found}, row["id"]


def test_equivalent_forms_predict_as_their_nfc_form(analyzer) -> None:  # type: ignore[no-untyped-def]
    rows = [
        json.loads(line)
        for line in shared_case("import/equivalent-forms.jsonl")
        .read_text(encoding="utf-8")
        .splitlines()
    ]
    nfc = {r["id"].split(":")[0]: r["text"] for r in rows if r["id"].endswith(":nfc")}
    expected = {g: analyzer.analyze([t])[0] for g, t in nfc.items()}
    for row in rows:
        group, form = row["id"].split(":")
        got = analyzer.analyze([row["text"]])[0]
        want = expected[group]
        assert got["misinfo"] == want["misinfo"], row["id"]
        assert got["sentiment"] == want["sentiment"], row["id"]
        assert got["relevant"] == want["relevant"], row["id"]
        if form != "no_diacritics":  # the same text once cleaned: the very same result
            assert got == want, row["id"]


def test_relative_guid_is_kept_as_sent_and_an_edited_headline_keeps_the_first(
    factory: sessionmaker[Session], settings: Settings, cases: CaseServer
) -> None:
    def rss(title: str) -> bytes:
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>T</title>'
            f"<item><title>{title}</title><guid>/bai/42</guid><link>/bai/42</link>"
            "<description>Tỉnh mở thêm 30 điểm hỗ trợ cài đặt VNeID.</description>"
            "<pubDate>Fri, 27 Nov 2026 08:00:00 +0700</pubDate></item></channel></rss>"
        ).encode()

    headers = {"Content-Type": "application/rss+xml; charset=utf-8"}
    cases.routes["/edited.xml"] = (200, headers, rss("Mở 30 điểm hỗ trợ VNeID"))
    assert _collect(factory, settings, [f"{cases.base}/edited.xml"]) == [Outcome.ok]
    cases.routes["/edited.xml"] = (200, headers, rss("Mở thêm 30 điểm hỗ trợ cài VNeID"))
    later = datetime.now(UTC) + timedelta(hours=3)
    with make_client(settings) as client:
        collect_due(factory, client, settings, later)
    (item,) = _items(factory)
    assert item.external_id == "/bai/42"
    assert item.url == f"{cases.base}/bai/42"
    assert item.title == "Mở thêm 30 điểm hỗ trợ cài VNeID"
    assert [h["title"] for h in item.title_history or []] == ["Mở 30 điểm hỗ trợ VNeID"]
    assert _search(factory, "cài VNeID") == {item.id}
    assert _search(factory, "Mở 30 điểm") == {item.id}  # the first headline is still found


def test_a_permanent_redirect_moves_the_feed_audited(
    factory: sessionmaker[Session], settings: Settings, cases: CaseServer
) -> None:
    cases.routes["/old-feed.xml"] = (301, {"Location": f"{cases.base}/c01-escaped-cdata.xml"}, b"")
    cases.routes["/temp-feed.xml"] = (302, {"Location": f"{cases.base}/c20-clean.xml"}, b"")
    urls = [f"{cases.base}/old-feed.xml", f"{cases.base}/temp-feed.xml"]
    assert _collect(factory, settings, urls) == [Outcome.ok, Outcome.ok]
    with factory() as s:
        moved, temporary = s.scalars(select(Feed).order_by(Feed.id)).all()
        assert moved.url == f"{cases.base}/c01-escaped-cdata.xml"
        assert temporary.url == f"{cases.base}/temp-feed.xml"  # a 302 is not a move
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "feed.moved"))
        assert event is not None
        assert event.entity_id == moved.id
        assert event.before == {"url": urls[0]}
        assert s.scalar(select(func.count(AuditEvent.id))) == 1
