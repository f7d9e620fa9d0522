"""Claim-level misinformation: a flag is its strongest passage's, wherever it sits."""

from __future__ import annotations

from nlp.analyze import CLAIM_WINDOW, claim_windows

NEWS = (
    "Đội tuyển bóng đá của tỉnh giành chiến thắng trong trận đấu tối qua trên sân nhà. "
    "Hàng nghìn cổ động viên đã đến sân để cổ vũ cho đội bóng quê hương. "
    "Huấn luyện viên cho biết đội sẽ tiếp tục tập luyện để chuẩn bị cho vòng đấu tiếp theo. "
)
SCAM = (
    "Thông báo: tài khoản của quý khách sẽ bị khóa, vui lòng cung cấp mã OTP và mật khẩu "
    "qua đường link vietcombank-xacminh.xyz để xác minh ngay lập tức."
)


def test_windows_join_whole_sentences_and_cover_the_text() -> None:
    text = (NEWS * 12).strip()
    windows = claim_windows(text)
    assert windows[0][0] == 0
    assert windows[-1][1] == len(text)
    assert all(b - a <= CLAIM_WINDOW or text[a:b].count(". ") == 0 for a, b in windows)
    assert claim_windows(NEWS) == []  # a short text is one claim


def test_a_scam_keeps_its_flag_and_its_evidence_inside_a_long_article(analyzer) -> None:  # type: ignore[no-untyped-def]
    alone = analyzer.analyze([SCAM])[0]
    assert alone["misinfo"] == "scam"
    padded = NEWS * 10 + SCAM + " " + NEWS * 10
    result = analyzer.analyze([padded])[0]
    assert result["misinfo"] == "scam"
    claim = next(r for r in result["reasons"] if r["kind"] == "claim")
    assert SCAM[:40] in claim["evidence"]
    assert result["risk"] >= 0.5


def test_plain_long_news_is_not_flagged_by_its_passages(analyzer) -> None:  # type: ignore[no-untyped-def]
    result = analyzer.analyze([NEWS * 20])[0]
    assert result["misinfo"] == "none"
    assert not any(r["kind"] == "claim" for r in result["reasons"])


def test_a_flag_needs_evidence_a_reviewer_can_check(analyzer) -> None:  # type: ignore[no-untyped-def]
    """The model's score alone is no flag: with no cue, link, fact difference or known false
    claim the label is none and the risk stays under the review threshold; with a checkable
    claim the same kind of text is flagged and its reasons carry the evidence."""
    from nlp.analyze import UNSUPPORTED_RISK

    vague = analyzer.analyze(["Nghe nói app mới sẽ lấy hết dữ liệu của mọi người đó, cẩn thận."])[0]
    assert vague["misinfo_scores"]["distortion"] > 0.5  # the model alone would flag it
    assert vague["misinfo"] == "none"
    assert vague["risk"] <= UNSUPPORTED_RISK
    claim = analyzer.analyze(
        [
            "Bộ Chính trị quyết định mỗi hộ phải nộp 2 triệu để lắp cáp quang, "
            "ai không nộp sẽ bị cắt mạng điện thoại."
        ]
    )[0]
    assert claim["misinfo"] == "distortion"
    kinds = {r["kind"] for r in claim["reasons"] if r["weight"] > 0}
    assert "policy_claim" in kinds
    assert kinds - {"model"}
