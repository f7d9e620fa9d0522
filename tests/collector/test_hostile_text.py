"""Found by trying to break the text key, feeds and imports: each kind is a test."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from collector.decode import decode_feed
from collector.importer import import_file
from collector.parse import parse
from collector.store import NewItem, save_items
from core.tables import Item
from core.text import clean, content_digest, key
from tests.conftest import cp1258
from tests.factories import make_feed


def _rss(items: str, encoding: str = "utf-8") -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?><rss version="2.0"><channel><title>T</title>'
        f"{items}</channel></rss>"
    )


def test_one_unstorable_id_or_link_costs_only_itself(session: Session, tmp_path: Path) -> None:
    """NUL, lone surrogates and over-long values in ids and links (PostgreSQL refuses NUL and
    values over the column size) are cleaned or dropped; no row is lost for them."""
    rows = [
        {"id": "a\u0000b", "text": "Bài một về chuyển đổi số"},
        {"id": "s\ud800", "text": "Bài hai về chuyển đổi số"},
        {"id": "x" * 1500, "text": "Bài ba về chuyển đổi số"},
        {"id": "p4", "url": "https://ex.vn/\u0000n", "text": "Bài bốn về chuyển đổi số"},
        {"id": "p5", "url": "https://ex.vn/" + "k" * 3000, "text": "Bài năm về chuyển đổi số"},
        {"id": "p6", "text": "Bài sáu về chuyển đổi số"},
    ]
    path = tmp_path / "posts.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=True) for r in rows), encoding="utf-8")
    stats = import_file(session, path, default_source="Nhóm \u0000 E")
    assert (stats.new, stats.errors) == (6, [])
    ids = set(session.scalars(select(Item.external_id)))
    assert {"ab", "s", None, "p4", "p5", "p6"} == ids
    assert session.scalar(select(Item.url).where(Item.external_id == "p5")) is None


def test_a_surrogate_character_reference_spoils_one_character_not_the_feed() -> None:
    body = _rss(
        "<item><title>Tin một</title><guid>1</guid></item>"
        "<item><title>Tin hai &#xD800; &#0; lỗi</title><guid>2</guid></item>"
        "<item><title>Tin ba</title><guid>3</guid></item>"
    ).encode()
    titles = [e.title for e in parse(body).entries]
    assert titles == ["Tin một", "Tin hai \ufffd \ufffd lỗi", "Tin ba"]


def test_a_reused_guid_is_another_article_and_an_edit_with_a_new_slug_is_an_edit(
    session: Session,
) -> None:
    feed = make_feed(session)
    storm = "Bão số 9 đổ bộ miền Trung, hàng nghìn hộ dân phải sơ tán khẩn cấp trong đêm nay."
    first = NewItem("F", "Bão số 9", storm, "https://ex.vn/bao-so-9", "1")
    save_items(session, feed, [first])
    other = NewItem(
        "F",
        "Cảnh báo lừa đảo",
        "Ngân hàng cảnh báo tin nhắn giả mạo.",
        "https://ex.vn/lua-dao",
        "1",
    )
    stats = save_items(session, feed, [other])
    assert (stats.new, stats.updated) == (1, 0)
    stored = session.scalar(select(Item).where(Item.title == "Cảnh báo lừa đảo"))
    assert stored.external_id is None
    assert stored.notes == [{"code": "guid_reused", "detail": "1"}]
    # The same article, headline and slug edited: an edit.
    edited = NewItem("F", "Bão số 9 mạnh lên", storm, "https://ex.vn/bao-so-9-manh-len", "1")
    assert save_items(session, feed, [edited]).updated == 1
    item = session.scalar(select(Item).where(Item.external_id == "1"))
    assert item.title == "Bão số 9 mạnh lên"
    assert item.title_history[0]["title"] == "Bão số 9"


def test_a_feed_of_short_windows_1258_titles_declared_latin_1_is_read_as_vietnamese() -> None:
    titles = [
        "Mua bình giữ nhiệt nóng lạnh",
        "Tỉnh ra mắt cổng dịch vụ công mới",
        "Người dân được hỗ trợ cài đặt ứng dụng",
        "Hội nghị chuyển đổi số cấp huyện",
        "Thủ tục đăng ký khai sinh trực tuyến",
        "Trường học dùng sổ liên lạc điện tử",
    ]
    items = "".join(
        f"<item><title>{t}</title><link>https://ex.vn/bai-{n}.html</link><guid>https://ex.vn/"
        f"bai-{n}.html</guid><pubDate>Fri, 27 Nov 2026 08:15:00 +0700</pubDate></item>"
        for n, t in enumerate(titles)
    )
    body = cp1258(_rss(items, "ISO-8859-1"))
    decoded = decode_feed(body, "application/rss+xml; charset=iso-8859-1")
    assert decoded.encoding == "cp1258"
    assert decoded.note
    assert [e.title for e in parse(body, {"content-type": "application/rss+xml"}).entries] == titles


def test_feed_dates_that_are_not_dates_are_not_stored() -> None:
    body = _rss(
        "<item><title>Tin một</title><guid>1</guid><pubDate>Mon, 01 Jan 0001 00:00:00 GMT</pubDate></item>"
        "<item><title>Tin hai</title><guid>2</guid><pubDate>2026-11-27T08:15:00+99:99</pubDate></item>"
    ).encode()
    entries = parse(body).entries
    assert [e.published_at for e in entries] == [None, None]
    assert all(e.date_note for e in entries)


def test_long_fields_are_cut_and_one_column_files_keep_their_commas(
    session: Session, tmp_path: Path
) -> None:
    big = tmp_path / "big.csv"
    big.write_text('id,text\n1,"' + "chuyển đổi số " * 20_000 + '"\n2,ngắn\n', encoding="utf-8")
    stats = import_file(session, big, default_source="X")
    assert (stats.new, stats.errors) == (2, [])
    one = tmp_path / "one.csv"
    one.write_text("text\nMột dòng, có phẩy, vẫn là một bài\n", encoding="utf-8")
    import_file(session, one, default_source="X")
    assert session.scalar(select(Item.text).where(Item.text.like("Một dòng%"))) == (
        "Một dòng, có phẩy, vẫn là một bài"
    )


def test_text_key_edge_cases() -> None:
    # An invisible character between a letter and its mark: still one composed letter.
    assert clean("Tho\u200b\u0302ng ba\u00ad\u0301o") == "Thông báo"
    # Marks on consonants, two different tones, non-syllables: left as they are.
    for word in ("ñu", "hóà", "Xêút", "où", "Trưòng"):
        assert clean(word) == word
    # The key folds every script and compatibility form, and is stable.
    for text in ("ΑΘΗΝΑ", "ＴＨÔＮＧ", "𝐓𝐡𝐨̂𝐧𝐠", "pho\u0323\u0300ng"):
        assert key(key(text)) == key(text)
    assert key("ＴＨÔＮＧ 𝐓𝐡𝐨̂𝐧𝐠") == "thong thong"
    # Emoji count in the digest; punctuation and variation selectors do not.
    assert content_digest("", "tốt 👍") != content_digest("", "tốt 👎")
    assert content_digest("", "👍") != content_digest("", "❤️")
    assert content_digest("", "❤️ tin!") == content_digest("", "❤ tin")
