from __future__ import annotations

import io
import unicodedata

import feedparser
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from collector.decode import (
    decode_bytes,
    decode_feed,
    detect_encoding,
    prefer_vietnamese,
    vietnamese_letters,
)
from tests.conftest import cp1258, shared_case

UTF8_HEADERS = {"content-type": "application/xml; charset=utf-8"}
VI = "Bộ Khoa học và Công nghệ ra mắt nền tảng dữ liệu mở; người dân được hưởng lợi"
RSS = (
    '<?xml version="1.0" encoding="{enc}"?>\n'
    '<rss version="2.0"><channel><title>Test</title><link>http://127.0.0.1/</link>'
    "<description>x</description><item><title>{title}</title><guid>g1</guid></item>"
    "</channel></rss>\n"
)


def case_file(name: str) -> bytes:
    return shared_case(name).read_bytes()


def parse(body: bytes) -> feedparser.FeedParserDict:
    return feedparser.parse(io.BytesIO(body), response_headers=UTF8_HEADERS)


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# --- the case files ----------------------------------------------------------------------------


def test_c02b_declaration_after_a_newline_is_honoured() -> None:
    raw = case_file("www/c02b-leading-newline-1258.xml")
    expected = nfc(raw.decode("cp1258"))
    result = decode_feed(raw, "application/rss+xml")
    assert result.encoding == "cp1258"
    assert result.body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    d = parse(result.body)
    assert not d.bozo
    assert d.feed.title == "Báo thử – dòng trống đầu tệp"
    assert d.entries[0].title == "Bộ Khoa học và Công nghệ ra mắt nền tảng dữ liệu mở"
    assert d.entries[0].title in expected
    assert "khởi nghiệp sáng tạo tra cứu dữ liệu miễn phí" in d.entries[0].summary


def test_c03_only_the_damaged_character_is_replaced() -> None:
    raw = case_file("www/c03-utf8-one-bad-byte.xml")
    result = decode_feed(raw, "application/rss+xml; charset=utf-8")
    assert result.encoding == "utf-8"
    assert result.note == "2 invalid UTF-8 bytes replaced"
    d = parse(result.body)
    assert d.feed.title == "Diễn đàn bình luận"
    first, second = d.entries
    assert first.title == "Ứng dụng VNeID cập nhật tính năng mới"
    assert first.summary == (
        "Người dùng có thể tích hợp giấy phép lái xe vào ứng dụng định danh điện tử."
    )
    assert second.title == "Bình luận của bạn đọc"
    assert second.summary == "Tôi thấy dịch vụ công nhanh hơn trước \ufffd nhiều."


# --- the same kinds, without the case files ----------------------------------------------------


def test_whitespace_and_bom_before_the_declaration() -> None:
    raw = b"\r\n \t" + cp1258(RSS.format(enc="windows-1258", title=VI))
    result = decode_feed(raw)
    assert (result.encoding, result.note) == ("cp1258", None)
    assert parse(result.body).entries[0].title == VI
    bom = b"\n" + b"\xef\xbb\xbf" + RSS.format(enc="utf-8", title=VI).encode()
    result = decode_feed(bom)
    assert result.body.startswith(b"<?xml")
    assert parse(result.body).entries[0].title == VI


def test_few_bad_bytes_in_a_large_utf8_body_stay_utf8() -> None:
    good = (VI + " ") * 200  # ~ 5,000 multi-byte characters
    raw = RSS.format(enc="utf-8", title=good).encode()
    damaged = raw.replace("người".encode(), b"ng\xff\xfei", 30)  # 30 damaged words: 0.6%
    result = decode_feed(damaged, "text/xml; charset=UTF-8")
    assert result.encoding == "utf-8"
    assert result.note == "60 invalid UTF-8 bytes replaced"
    title = parse(result.body).entries[0].title
    assert title.count("\ufffd") == 60
    assert title.count("Bộ Khoa học") == 200


def test_declared_windows_1252_but_the_bytes_are_utf8() -> None:
    raw = RSS.format(enc="windows-1252", title=VI).encode()
    result = decode_feed(raw, "application/rss+xml; charset=ISO-8859-1")
    assert result.encoding == "utf-8"
    assert result.note is not None
    assert "declared windows-1252 but the bytes are utf-8" in result.note
    assert "declared ISO-8859-1 but the bytes are utf-8" in result.note
    assert parse(result.body).entries[0].title == VI


def test_declared_utf8_but_windows_1258_throughout() -> None:
    raw = cp1258(RSS.format(enc="utf-8", title=VI))
    result = decode_feed(raw, "text/xml; charset=utf-8")
    assert result.encoding == "cp1258"
    assert result.note is not None
    assert result.note.startswith("declared utf-8 but the bytes are not that")
    assert "read as cp1258 (detected)" in result.note
    assert parse(result.body).entries[0].title == VI


def test_declared_latin1_but_the_text_is_vietnamese_windows_1258() -> None:
    result = decode_feed(cp1258(RSS.format(enc="ISO-8859-1", title=VI)))
    assert result.encoding == "cp1258"
    assert result.note == "declared ISO-8859-1 but the text reads as windows-1258"
    assert parse(result.body).entries[0].title == VI


def test_a_western_feed_keeps_its_declaration() -> None:
    title = "Le café – « très » chère ‘bonne’ journée à l’été, São Paulo 5€"
    raw = RSS.format(enc="iso-8859-1", title=title).encode("cp1252")
    result = decode_feed(raw)
    assert (result.encoding, result.note) == ("cp1252", None)  # ISO-8859-1 read as windows-1252
    assert parse(result.body).entries[0].title == title


def test_precedence_bom_then_http_then_xml() -> None:
    text = "Министерство науки запустило платформу открытых данных"
    body = RSS.format(enc="koi8-r", title=text)
    result = decode_feed(body.encode("cp1251"), "text/xml; charset=windows-1251")
    assert (result.encoding, result.note) == ("cp1251", None)  # HTTP wins over XML
    assert parse(result.body).entries[0].title == text
    result = decode_feed(body.encode("koi8-r"), "text/xml")
    assert result.encoding == "koi8-r"  # XML declaration without an HTTP charset
    assert parse(result.body).entries[0].title == text
    with_bom = b"\xef\xbb\xbf" + RSS.format(enc="utf-8", title=VI).encode()
    result = decode_feed(with_bom, "text/xml; charset=windows-1252")
    assert result.encoding == "utf-8"  # the BOM wins
    assert result.note == "declared windows-1252 but the byte-order mark says utf-8"
    assert parse(result.body).entries[0].title == VI


def test_no_declaration_is_detected_with_the_vietnamese_preference() -> None:
    body = RSS.format(enc="x", title=VI).replace(' encoding="x"', "")
    result = decode_feed(cp1258(body))
    assert result.encoding == "cp1258"
    assert result.note == "no encoding declared; read as cp1258 (detected)"
    assert parse(result.body).entries[0].title == VI
    short = decode_feed(cp1258("<rss><channel><title>Cảnh báo</title></channel></rss>"))
    assert short.encoding == "cp1258"
    assert b"C\xe1\xba\xa3nh b\xc3\xa1o" in short.body  # "Cảnh báo" in UTF-8


@pytest.mark.parametrize("codec", ["utf-16", "utf-16-le", "utf-16-be", "utf-32"])
def test_utf16_and_utf32_with_or_without_bom(codec: str) -> None:
    raw = ("\n" + RSS.format(enc="utf-16", title=VI)).encode(codec)
    result = decode_feed(raw, "application/xml")
    assert result.encoding.startswith(codec[:6])
    assert result.body.startswith(b'<?xml version="1.0" encoding="utf-8"?>')
    assert parse(result.body).entries[0].title == VI


def test_declaration_is_rewritten_or_added() -> None:
    plain = decode_feed(b"<rss><channel><title>a</title></channel></rss>").body
    assert plain.startswith(b'<?xml version="1.0" encoding="utf-8"?>\n<rss>')
    no_encoding = decode_feed(b"<?xml version='1.0' standalone='yes'?><rss/>").body
    assert no_encoding == b"<?xml version='1.0' encoding=\"utf-8\" standalone='yes'?><rss/>"
    assert decode_feed(b'  {"version": "json"}').body == b'{"version": "json"}'


def test_unknown_and_non_charset_labels_are_ignored() -> None:
    result = decode_feed(RSS.format(enc="rot13", title="abc").encode(), "text/xml; charset=base64")
    assert result.encoding == "utf-8"
    assert result.note is not None
    assert "'base64' is unknown or not a charset" in result.note
    assert "'rot13' is unknown or not a charset" in result.note


def test_bytes_that_are_no_text() -> None:
    noise = bytes(range(256)) * 4
    result = decode_feed(noise, "text/xml; charset=utf-8")
    assert result.note is not None
    assert "not recognised" in result.note
    result.body.decode("utf-8")
    assert detect_encoding(b"\x00\x01\x02PK\x03\x04" + noise).encoding is None
    assert decode_bytes(noise).encoding is None


def test_vietnamese_preference() -> None:
    raw = cp1258(VI)
    readings = [("cp1252", raw.decode("cp1252")), ("cp1258", raw.decode("cp1258"))]
    assert prefer_vietnamese(readings) == ([1, 0], False)
    assert vietnamese_letters(unicodedata.normalize("NFD", "Bộ Khoa học")) == 2
    assert vietnamese_letters(raw.decode("cp1258")) == vietnamese_letters(VI) == 19
    assert detect_encoding(raw).encoding == "cp1258"


# --- properties --------------------------------------------------------------------------------

TEXT = st.text(st.characters(blacklist_categories=("Cs", "Cc")), max_size=200)


def _has_valid_multibyte_utf8(raw: bytes) -> bool:
    text = raw.decode("utf-8", "surrogateescape")
    return any(ch > "\x7f" and not "\udc80" <= ch <= "\udcff" for ch in text)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(title=TEXT, codec=st.sampled_from(["utf-8", "utf-16"]))
def test_unicode_round_trips(title: str, codec: str) -> None:
    raw = RSS.format(enc=codec, title=title).encode(codec)
    result = decode_feed(raw)
    assert nfc(result.body.decode("utf-8")) == nfc(RSS.format(enc="utf-8", title=title))


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    title=st.text(st.characters(codec="cp1258", blacklist_categories=("Cs", "Cc")), max_size=200),
    label=st.sampled_from(["windows-1258", "cp1258", "WINDOWS-1258"]),
)
def test_windows_1258_round_trips(title: str, label: str) -> None:
    raw = RSS.format(enc=label, title=title).encode("cp1258")
    # Valid multi-byte UTF-8 is read as UTF-8 whatever the declaration ("Ă©" is C3 A9 = "é").
    assume(not _has_valid_multibyte_utf8(raw))
    result = decode_feed(raw)
    assert result.encoding == "cp1258"
    assert nfc(result.body.decode("utf-8")) == nfc(RSS.format(enc="utf-8", title=title))


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    body=st.binary(max_size=1500),
    label=st.sampled_from(["utf-8", "utf-16", "windows-1258", "cp037", "rot13", "utf-7", "x"]),
    content_type=st.one_of(st.none(), st.text(max_size=60)),
    declare=st.booleans(),
)
def test_never_raises(body: bytes, label: str, content_type: str | None, declare: bool) -> None:
    if declare:
        body = f'<?xml version="1.0" encoding="{label}"?>'.encode() + body
    result = decode_feed(body, content_type)
    result.body.decode("utf-8")
    assert result.encoding
    assert result.body[:1] not in (b" ", b"\t", b"\r", b"\n")
