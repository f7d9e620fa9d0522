from __future__ import annotations

import unicodedata

from nlp.text import TEENCODE, expand_teencode, fold, key, normalize, segment, urls


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


# --- spam letter masks (nlp.text.unmask) -----------------------------------------------------

from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

from nlp.text import unmask  # noqa: E402

_MASKED = st.text(alphabet="abcdeghiklmnotuy 0134@!$-_~.,%kÄäøåü", max_size=60)


def test_unmask_reads_masked_spam_words() -> None:
    assert unmask(fold("KH0NG DUOC CH4P NH4N")) == "khong duoc chap nhan"
    assert unmask(fold("Ban du d!eu k!en nhan t!en")) == "ban du dieu kien nhan tien"
    assert unmask(fold("Näp dau Høi nhän t3legram")) == "nap dau hoi nhan telegram"
    assert unmask(fold("1OO% 6OOk 5O ngan 1O0tr")) == "100% 600k 50 ngan 100tr"
    assert unmask(fold("QUA-HAN-SE-KHONG")) == "qua han se khong"


def test_unmask_reads_fullwidth_mathematical_and_homoglyph_letters() -> None:
    # fullwidth, mathematical bold, Cyrillic and Greek forms of "OTP", "sms", "app", "0987"
    assert unmask(fold("Gửi mã ＯＴＰ ０９８７")) == "gui ma otp 0987"
    assert unmask(fold("mã 𝐎𝐓𝐏")) == "ma otp"
    assert unmask(fold("mã ОТР, ѕmѕ, αpp")) == "ma otp, sms, app"
    # Vietnamese letters are Latin: folded, never "read" as another letter
    assert unmask(fold("đường ơi ư")) == "duong oi u"


def test_cues_see_through_look_alike_letters() -> None:
    from nlp.signals import detect

    for text in ("Gửi mã ＯＴＰ cho em ngay", "Gửi mã ОТР cho em ngay", "Gui ma 𝐎𝐓𝐏 cho em"):
        kinds = {s.kind for s in detect(text)}
        assert "credential_request" in kinds, text
        assert "otp_mention" in kinds, text


@settings(max_examples=400, deadline=None)
@given(st.text(max_size=60))
def test_unmask_keeps_length_on_any_text(text: str) -> None:
    once = unmask(fold(text))
    assert len(once) == len(fold(text))
    assert unmask(once) == once


def test_unmask_leaves_ordinary_numbers_and_codes_alone() -> None:
    for text in ("mp3 4g covid-19 a1 b2b iphone15", "ho tro 100.000 dong", "4.0", "ma 0123", "5o"):
        assert unmask(text) == text.replace("5o", "50")


@settings(max_examples=400, deadline=None)
@given(_MASKED)
def test_unmask_keeps_length_and_is_idempotent(text: str) -> None:
    once = unmask(text)
    assert len(once) == len(text)  # spans found on it map back to the text
    assert unmask(once) == once


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet="abcdeghiklmnopqrstuvxy ,.?", max_size=80))
def test_unmask_changes_nothing_without_masks(text: str) -> None:
    assert unmask(text) == text


@given(
    st.lists(
        st.one_of(
            st.sampled_from(sorted(TEENCODE)),
            st.text(alphabet="abcdk0-/_ .,", min_size=1, max_size=6),
        ),
        max_size=12,
    )
)
def test_teencode_is_expanded_word_by_word(parts: list[str]) -> None:
    """The short-form regex replaces exactly the whole words of TEENCODE (as _WORD_RE delimits
    words): the same as looking every word up."""
    from nlp.text import _WORD_RE

    text = " ".join(parts)
    by_word = _WORD_RE.sub(lambda m: TEENCODE.get(m.group(0), m.group(0)), text)
    assert expand_teencode(text) == by_word
