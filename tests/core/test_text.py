"""The one text key (core.text): examples, and properties under the forms real text arrives in."""

from __future__ import annotations

import unicodedata

from hypothesis import given, settings
from hypothesis import strategies as st

from collector.cluster import shingles
from core.text import clean, clean_report, content_digest, fold, key, search_key

# Real Vietnamese words (each one syllable), from the project's own demo and seed wording.
WORDS = [
    "chuyển",
    "đổi",
    "số",
    "hòa",
    "mạng",
    "hóa",
    "đơn",
    "thủy",
    "lợi",
    "khỏe",
    "mạnh",
    "người",
    "dân",
    "được",
    "hoàn",
    "thuế",
    "đường",
    "link",
    "cung",
    "cấp",
    "mã",
    "nhận",
    "tiền",
    "ngay",
    "trong",
    "hôm",
    "nay",
    "hỗ",
    "trợ",
    "miễn",
    "phí",
    "điện",
    "tử",
    "nghị",
    "quyết",
    "khoa",
    "học",
    "công",
    "nghệ",
    "đổi",
    "mới",
    "sáng",
    "tạo",
    "ứng",
    "dụng",
    "dịch",
    "vụ",
    "công",
    "trực",
    "tuyến",
    "tiện",
    "lợi",
    "nhanh",
    "chóng",
    "hài",
    "lòng",
    "cảnh",
    "báo",
    "lừa",
    "đảo",
    "tài",
    "khoản",
    "ngân",
    "hàng",
    "quý",
    "khách",
    "thông",
    "báo",
    "cơ",
    "quan",
    "bảo",
    "mật",
    "dữ",
    "liệu",
    "cá",
    "nhân",
    "giường",
    "khuỷu",
    "xoáy",
    "hoài",
    "toán",
    "huỳnh",
    "quốc",
    "giữ",
    "gìn",
    "ủy",
    "ban",
    "tòa",
    "soạn",
    "thuở",
    "xưa",
    "khuya",
    "Đà",
    "Nẵng",
    "Khánh",
    "Hòa",
    "Thủy",
    "Triều",
    "Việt",
    "Nam",
    "VNeID",
    "OTP",
    "57-NQ/TW",
    "2030",
    "10.000",
]
INVISIBLE = ["\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad"]
SPACES = ["\u00a0", "\u2009", "\u202f", "\u3000", "  ", "\t"]
# Tone moved to the other vowel of "oa/oe/uy" (the other style), or misplaced by hand.
RETONE = {
    "hòa": "hoà",
    "hóa": "hoá",
    "khỏe": "khoẻ",
    "thủy": "thuỷ",
    "Hòa": "Hoà",
    "Thủy": "Thuỷ",
    "ủy": "uỷ",
    "tòa": "toà",
    "được": "đựơc",
    "người": "ngừơi",
    "bảo": "baỏ",
    "giường": "giừơng",
    "hoài": "hòai",
}

sentences = st.lists(st.sampled_from(WORDS), min_size=1, max_size=25).map(" ".join)


@st.composite
def variants(draw: st.DrawFn) -> tuple[str, str]:
    """A sentence and the same sentence as it may arrive: invisible characters inside words,
    other spaces, decomposed, tone marks in the other placement or misplaced, ð for đ."""
    words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=25))
    out = []
    for w in words:
        if draw(st.booleans()):
            w = RETONE.get(w, w)
        if len(w) > 1 and draw(st.booleans()):
            at = draw(st.integers(1, len(w) - 1))
            w = w[:at] + draw(st.sampled_from(INVISIBLE)) + w[at:]
        if draw(st.booleans()):
            w = w.replace("đ", "ð").replace("Đ", "Ð")
        out.append(w)
    glue = [draw(st.sampled_from([" ", *SPACES])) for _ in out]
    text = "".join(g + w for g, w in zip(glue, out, strict=True))
    if draw(st.booleans()):
        text = unicodedata.normalize("NFD", text)
    return " ".join(words), text


def test_examples() -> None:
    assert clean("Chuyển đổi số hoà nhập") == "Chuyển đổi số hòa nhập"
    assert clean("Ðảm baỏ chất lựơng phòng thí nghịêm") == "Đảm bảo chất lượng phòng thí nghiệm"
    assert clean("Th\u200bông b\u00adáo\u00a0mới\u2060") == "Thông báo mới"
    assert clean("café résumé naïve Noël") == "café résumé naïve Noël"  # not Vietnamese: as is
    assert clean("a\x00b\x1fc\x7f") == "abc"  # control characters (PostgreSQL refuses NUL)
    assert clean("x\ud800y") == "x\ufffdy"  # a lone surrogate cannot be stored as UTF-8
    assert clean("🤦\u200d♀️ ok") == "🤦\u200d♀️ ok"  # a joiner between emoji builds one pictogram
    assert clean("đoạn 1\r\n\r\n  đoạn 2 ") == "đoạn 1\nđoạn 2"
    assert clean("") == ""
    assert clean(" \u200b\u00a0") == ""
    assert key("Ðà Nẵng  HOÀ") == "da nang hoa"
    assert fold("Đường") == "duong"


@settings(max_examples=300, deadline=None)
@given(variants())
def test_every_form_has_the_same_key_digest_shingles_and_search_hits(pair: tuple[str, str]) -> None:
    original, arrived = pair
    assert clean(arrived) == clean(original)
    assert key(arrived) == key(original)
    assert content_digest("", arrived) == content_digest("", original)
    assert content_digest(arrived, "") == content_digest(original, "")
    assert shingles("", arrived) == shingles("", original)
    stored = search_key("", arrived)
    for word in original.split():
        assert key(word) in stored  # a search for any word, typed either way, finds it
        assert key(fold(word)) in stored


@settings(max_examples=300, deadline=None)
@given(st.text())
def test_clean_is_idempotent_and_never_leaves_invisible_or_control_characters(text: str) -> None:
    once = clean(text)
    assert clean(once) == once
    assert unicodedata.is_normalized("NFC", once)
    assert not any(c in once for c in "\x00\u200b\u200c\u2060\ufeff\u00ad")
    assert all(c == "\n" or unicodedata.category(c) != "Cc" for c in once)
    once.encode("utf-8")  # no lone surrogates left


@settings(max_examples=200, deadline=None)
@given(sentences)
def test_clean_leaves_well_formed_text_as_it_is(text: str) -> None:
    assert clean(text) == text
    assert clean_report(text).legacy_encoding is None


def test_texts_with_and_without_diacritics_differ_in_digest_but_share_the_key() -> None:
    a, b = "Khánh Hòa số hóa hồ sơ y tế", "Khanh Hoa so hoa ho so y te"
    assert content_digest("", a) != content_digest("", b)
    assert key(a) == key(b)


@settings(max_examples=40, deadline=None)
@given(variants())
def test_every_form_predicts_as_its_clean_form(analyzer, pair: tuple[str, str]) -> None:  # type: ignore[no-untyped-def]
    """The models read the key: relevance, sentiment, misinformation, risk and reasons match."""
    original, arrived = pair
    assert analyzer.analyze([arrived]) == analyzer.analyze([original])
