from __future__ import annotations

import unicodedata

from nlp.text import expand_teencode, fold, key, normalize, segment, urls


def test_normalize_nfd_input_and_old_tone_marks() -> None:
    nfd = unicodedata.normalize("NFD", "Chuyển đổi số hoà nhập")
    assert normalize(nfd) == "Chuyển đổi số hòa nhập"
    assert normalize(normalize(nfd)) == normalize(nfd)


def test_normalize_keeps_punctuation_spacing_and_handles_empty() -> None:
    assert (
        normalize("Nghị quyết 57-NQ/TW, ngày 22/12/2024!!")
        == "Nghị quyết 57-NQ/TW, ngày 22/12/2024!!"
    )
    assert normalize("") == ""
    assert normalize("  \u200b ") == ""
    assert normalize("  a\n\tb  ") == "a\nb"  # one line break per paragraph is kept
    assert normalize("a \r\n\r\n  b\u00a0\u00a0c") == "a\nb c"


def test_emoji_and_mixed_language_survive() -> None:
    assert normalize("App VNeID ok lắm 😀 =))") == "App VNeID ok lắm 😀 =))"


def test_fold_keeps_length_so_spans_map_back() -> None:
    text = normalize("Đừng cung cấp mã OTP cho ĐỐI TƯỢNG lạ 😀")
    folded = fold(text)
    assert len(folded) == len(text)
    assert folded == "dung cung cap ma otp cho doi tuong la 😀"


def test_teencode_and_key() -> None:
    assert expand_teencode("ko dc dau mn") == "khong duoc dau moi nguoi"
    assert expand_teencode("57-nq/tw") == "57-nq/tw"  # parts of a document number are not words
    assert key("Mình ko đc nộp hồ sơ") == key("minh khong duoc nop ho so")


def test_urls_trim_trailing_punctuation() -> None:
    assert urls("Vào http://a.xyz/b. Xong") == [(4, 18, "http://a.xyz/b")]


def test_segment_joins_syllables() -> None:
    assert segment("Chuyển đổi số là nhiệm vụ") == "Chuyển_đổi số là nhiệm_vụ"
    assert segment("") == ""
