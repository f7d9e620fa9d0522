"""The polarity lexicon that adds `zzpos`/`zzneg` tokens to the classifiers' input."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from nlp.pipeline import model_input
from nlp.polarity import (
    EMOTICONS_NEGATIVE,
    EMOTICONS_POSITIVE,
    NEGATIVE,
    NEUTRAL,
    POSITIVE,
    polarity_tokens,
)
from nlp.text import fold, normalize


def tokens(text: str) -> list[str]:
    return polarity_tokens(fold(normalize(text)))


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cô giảng rất dễ hiểu", ["zzpos"]),
        ("Thầy dạy hay", ["zzpos"]),
        ("Hãy cài ứng dụng", []),
        ("Không tốt", ["zzneg"]),
        ("Chưa thật sự rõ ràng", ["zzneg"]),
        ("Không được nhiệt tình lắm", ["zzneg"]),
        ("Không tệ", ["zzpos"]),
        ("Giảng viên cần nhiệt tình hơn", ["zzneg"]),
        ("Mong cô giảng dễ hiểu hơn nữa", ["zzneg"]),
        ("Tra cứu nhanh hơn hẳn trước", ["zzpos"]),
        ("Thiếu nhiệt tình", ["zzneg", "zzneg"]),
        ("Thầy dạy đủ buổi", []),
        ("Không quá khó", ["zzpos"]),
        ("Thầy giảng hơi nhanh", ["zzneg"]),
        ("Thủ tục nhanh gọn", ["zzpos"]),
        ("Em hiểu rồi ạ", []),
        ("Phát triển kinh tế số", []),
        ("Ngân hàng yêu cầu nhập mật khẩu", []),
        ("Chấm điểm công bằng", ["zzpos"]),
        ("Em không có ý kiến", []),
        ("Cô dạy có tâm :)", ["zzpos", "zzpos"]),
        ("Mạng chập chờn quá :(", ["zzneg", "zzneg"]),
        ("cô dạy có tâm colonlove", ["zzpos", "zzpos"]),
        ("buồn colonsad", ["zzneg"]),
        ("Dịch vụ công 👍", ["zzpos"]),
        ("Chờ cả buổi 😡", ["zzneg"]),
        ("Lưu ý:đăng ký trước ngày 5", []),
        ("Giá dưới <30 nghìn", []),
        # lexicon v3: suggestions, contrast, "hay" at a clause's end, punctuation bounds
        ("Cần giảng bài chi tiết, dễ hiểu hơn", ["zzneg"]),
        ("Nên nhanh chóng đưa thiết bị vào phòng", []),
        ("Nền tảng số giúp tra cứu nhanh", ["zzpos"]),
        ("Cán bộ hướng dẫn tận tình", ["zzpos"]),
        ("Cô dạy nhiệt tình nhưng hơi nhanh", ["zzneg"]),
        ("Đôi khi đến lớp trễ, nhưng giảng rất kỹ", ["zzpos"]),
        ("Những cán bộ tận tình", ["zzpos"]),
        ("Môn này hay.", ["zzpos"]),
        ("Bài tập hay bài kiểm tra", []),
        ("Ít nhất 5 người", []),
        ("Kiến thức truyền đạt khá ít", ["zzneg"]),
        ("Không có trách nhiệm", ["zzneg"]),
        ("Trẻ em được tiêm", []),
        ("Giới thiệu kiến thức mới", []),
        ("Phản hồi nhanh các thắc mắc", ["zzpos"]),
    ],
)
def test_polarity_tokens(text: str, expected: list[str]) -> None:
    assert tokens(text) == expected


def test_the_lexicons_do_not_overlap() -> None:
    assert not set(POSITIVE) & set(NEGATIVE)
    assert not (set(POSITIVE) | set(NEGATIVE)) & set(NEUTRAL)
    assert not set(EMOTICONS_POSITIVE) & set(EMOTICONS_NEGATIVE)


@pytest.mark.parametrize("word", [w for w in POSITIVE if not w.startswith("colon")])
def test_a_negated_positive_word_is_negative(word: str) -> None:
    assert polarity_tokens(f"khong {word}")[:1] == ["zzneg"]


@given(st.text(max_size=200))
def test_tokens_are_only_polarity_tokens(text: str) -> None:
    assert set(polarity_tokens(fold(normalize(text)))) <= {"zzpos", "zzneg"}


@given(st.text(alphabet="abcdeghiklmnoqrstuvxy :()^<3😊😡", max_size=80))
def test_at_most_one_token_per_word_or_emoticon(text: str) -> None:
    folded = fold(normalize(text))
    found = polarity_tokens(folded)
    assert len(found) <= len(re.findall(r"\w+", folded)) + len(re.findall(r"[:^<😊😡]", folded))


def test_model_input_carries_the_tokens() -> None:
    assert model_input(normalize("Cô dạy dễ hiểu :)")).split()[-2:] == ["zzpos", "zzpos"]


def test_waiting_and_how_long_it_takes() -> None:
    """A fresh-user trial (issue 12): the demo's praise of a ten-minute procedure read as a
    complaint ("mất" as a loss, "chờ đợi" unscored)."""
    from core.text import fold
    from nlp.polarity import polarity_tokens

    assert polarity_tokens(fold("không phải chờ đợi như trước")) == ["zzpos"]
    assert polarity_tokens(fold("phải chờ đợi cả buổi")) == ["zzneg"]
    assert polarity_tokens(fold("chỉ mất mười phút là xong")) == []
    assert polarity_tokens(fold("không phải tốt lắm")) == ["zzneg"]
