"""The review card says what a person needs: "Tin nói / Sự thật" with the fact's source, each
reason once, one block per fact, a header naming the suspicion and the counter-evidence, and
highlights only where a finding is."""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser
from types import SimpleNamespace
from typing import Any

from api.web import card
from api.web.pages.cards import item_view as _item_view
from api.web.pages.respond import templates

CORRECTION = (
    "Nghị quyết 57-NQ/TW và Nghị quyết 06-NQ/TU không quy định bất kỳ khoản phí chuyển đổi số "
    "nào đối với người dân."
)
CLAIM = "Nghị quyết 57 bắt buộc mỗi hộ dân phải nộp phí chuyển đổi số hằng năm."
CLAIM_2 = "Mỗi hộ gia đình phải đóng phí chuyển đổi số theo nghị quyết."


def _false_claim(sentence: str, start: int, level: str = "rất giống") -> dict[str, Any]:
    """A known-false-claim reason as ``nlp.analyze`` stores it."""
    return {
        "kind": "known_false_claim",
        "evidence": sentence,
        "message": f"Trùng với tin sai đã được đính chính ({level}): {CORRECTION}",
        "weight": 0.9,
        "start": start,
        "end": start + len(sentence),
        "fact": {
            "fact_id": "fee-digital-transformation",
            "official": CORRECTION,
            "in_text": sentence,
            "differs": "obligation",
            "source": "seed",
        },
    }


def _view(title: str, text: str, reasons: list[dict[str, Any]], misinfo: str = "distortion"):  # type: ignore[no-untyped-def]
    item = SimpleNamespace(id=7, title=title, text=text, url=None)
    analysis = SimpleNamespace(misinfo=misinfo, reasons=reasons)
    return _item_view(item, analysis)  # type: ignore[arg-type]


def _render(view: dict[str, Any], *names: str) -> str:
    return "".join(templates.get_template(n).render(card=view) for n in names)


def _words(html: str) -> str:
    """What a person reads: tags dropped, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def test_known_false_claim_reads_tin_noi_su_that_with_the_source() -> None:
    text = f"Tin mới. {CLAIM} Chia sẻ ngay."
    view = _view("", text, [_false_claim(CLAIM, text.index(CLAIM))])
    html = _render(view, "_reasons.html", "_facts.html")
    words = _words(html)
    assert f"Tin nói: {CLAIM}" in words
    assert f"Sự thật: {CORRECTION}" in words
    assert "Nguồn: Hướng dẫn tuyên truyền Nghị quyết 06-NQ/TU" in words
    # the reasons list names the finding once; the official text is the fact block's, not a
    # line announcing the false story followed by the fact
    reasons = _words(_render(view, "_reasons.html"))
    assert CORRECTION not in reasons
    assert "Trùng với tin sai đã được đính chính (rất giống)" in reasons
    assert ".:" not in words
    assert ". :" not in words


def test_no_stray_period_before_a_colon_in_any_reason() -> None:
    text = "Theo Nghị quyết 06-NQ/TU ngày 12/5/2025, tỉnh làm việc này."
    evidence = "06-NQ/TU ngày 12/5/2025"
    reasons = [
        {
            "kind": "fact_mismatch",
            "evidence": evidence,
            "message": "Ngày ban hành sai: 06-NQ/TU ban hành ngày 30/1/2026.",
            "weight": 0.6,
            "start": text.index(evidence),
            "fact": {
                "fact_id": "nq-06-tu",
                "official": "Số 06-NQ/TU ngày 30/1/2026 của Ban Chấp hành Đảng bộ tỉnh Ninh Bình",
                "in_text": "12/5/2025",
                "differs": "date",
                "source": "seed",
            },
        },
        {"kind": "urgency", "evidence": "ngay", "message": "Thúc ép phải làm ngay.", "weight": 0.3},
    ]
    words = _words(_render(_view("", text, reasons), "_reasons.html", "_facts.html"))
    assert not re.search(r"\.\s*:", words), words
    assert "Ngày ban hành sai: 06-NQ/TU ban hành ngày 30/1/2026" in words
    assert f"Tin nói: {text}" in words  # the item's sentence that carries the wrong date


def test_fact_without_a_stored_source_still_says_where_it_comes_from() -> None:
    reason = _false_claim(CLAIM, 0)
    del reason["fact"]["source"]
    words = _words(_render(_view("", CLAIM, [reason]), "_facts.html"))
    assert "Nguồn: cơ sở dữ kiện chính thức của hệ thống" in words


def test_two_reasons_with_the_same_text_show_once() -> None:
    text = "Nhập mã OTP ở đây, rồi gửi mã OTP cho chúng tôi."
    otp = {"kind": "otp_mention", "evidence": "mã OTP", "message": "Nhắc đến mã OTP/mật khẩu"}
    reasons = [
        {**otp, "weight": 0.3, "start": 5, "end": 11},
        {**otp, "weight": 0.3, "start": 5, "end": 11},
        {**otp, "weight": 0.3, "start": 25, "end": 31},
    ]
    html = _render(_view("", text, reasons, "scam"), "_reasons.html")
    assert html.count("Nhắc đến mã OTP/mật khẩu") == 1
    assert html.count("<q>mã OTP</q>") == 1


def test_blocks_about_the_same_fact_are_merged_with_all_their_sentences() -> None:
    text = f"{CLAIM} {CLAIM_2} Hết."
    hint = {
        **_false_claim(CLAIM_2, text.index(CLAIM_2)),
        "kind": "similar_claim",
        "weight": 0.0,
        "message": f"Có thể cùng chủ đề với tin sai đã được đính chính (cần xem lại): {CORRECTION}",
    }
    reasons = [_false_claim(CLAIM, 0), hint, _false_claim(CLAIM, 0)]
    view = _view("", text, reasons)
    assert len(view["facts"]) == 1
    assert view["facts"][0]["said"] == [CLAIM, CLAIM_2]
    assert view["facts"][0]["hint"] is False  # one confirmed finding makes the block confirmed
    html = _render(view, "_facts.html")
    assert html.count("Sự thật:") == 1
    assert html.count(CORRECTION) == 1


def test_header_names_the_suspicion() -> None:
    reasons = [{"kind": "otp_mention", "evidence": "mã OTP", "message": "OTP", "weight": 0.3}]
    scam = _words(_render(_view("", "Gửi mã OTP", reasons, "scam"), "_suspicion.html"))
    distortion = _words(_render(_view("", "Gửi mã OTP", reasons, "distortion"), "_suspicion.html"))
    assert "Máy nghi: lừa đảo" in scam
    assert "Máy nghi: xuyên tạc, sai lệch thông tin" in distortion
    assert "cảnh báo/đính chính" not in scam + distortion


def test_header_says_warning_or_refutation_and_shows_the_cues() -> None:
    text = "Công an cảnh báo: tuyệt đối không cung cấp mã OTP. Tin phải nộp phí là sai sự thật."
    reasons = [
        {
            "kind": "credential_request",
            "evidence": "cung cấp mã OTP",
            "message": "Yêu cầu cung cấp mã OTP",
            "weight": 0.8,
            "start": text.index("cung cấp"),
        },
        {
            "kind": "warning_context",
            "evidence": "cảnh báo",
            "message": "Ngữ cảnh cảnh báo",
            "weight": -0.6,
            "start": text.index("cảnh báo"),
        },
        {
            "kind": "refutation",
            "evidence": "là sai sự thật",
            "message": "Văn bản bác bỏ hoặc đính chính một thông tin sai",
            "weight": -0.6,
            "start": text.index("là sai"),
        },
    ]
    view = _view("", text, reasons, "scam")
    header = _words(_render(view, "_suspicion.html"))
    assert "Máy nghi: lừa đảo" in header
    assert "Có thể là cảnh báo/đính chính" in header
    cues = header.split("Dấu hiệu cảnh báo/đính chính trong tin:")[1]
    assert "cảnh báo" in cues
    assert "là sai sự thật" in cues
    assert "cung cấp mã OTP" not in cues
    # the cues are marked in the text too, apart from the evidence
    assert '<mark class="counter">cảnh báo</mark>' in str(view["text_html"])
    assert "<mark>cung cấp mã OTP</mark>" in str(view["text_html"])


def test_a_frequent_common_word_is_not_highlighted() -> None:
    # the model's strongest n-gram ("nhân") is a word the classifier weighed, not a finding: it
    # is in this text five times and must not be marked anywhere
    text = (
        "Nhân dịp lễ, nhân viên ngân hàng gửi tin cho khách hàng cá nhân. Xin hãy cung cấp mã "
        "OTP. Nhân dân lưu ý, nhân tiện xin nhắc lại."
    )
    reasons = [
        {
            "kind": "model",
            "evidence": "nhân",
            "message": "Mô hình đánh giá nội dung có khả năng lừa đảo (điểm 0.97)",
            "weight": 0.97,
        },
        {
            "kind": "credential_request",
            "evidence": "cung cấp mã OTP",
            "message": "Yêu cầu cung cấp mã OTP",
            "weight": 0.8,
            "start": text.index("cung cấp"),
        },
    ]
    view = _view("", text, reasons, "scam")
    html = str(view["text_html"])
    assert re.findall(r"<mark[^>]*>(.*?)</mark>", html) == ["cung cấp mã OTP"]
    # nor quoted as evidence in the reasons
    assert "<q>nhân</q>" not in _render(view, "_reasons.html")


def test_a_cue_is_marked_where_it_was_found_not_at_every_occurrence() -> None:
    title = "Mã OTP là gì"
    text = "Mã OTP giúp bảo vệ tài khoản. Hãy đọc mã OTP cho nhân viên. Mã OTP hết hạn sau 5 phút."
    full = card.analysed_text(title, text)
    start = full.index("đọc mã OTP")
    reasons = [
        {
            "kind": "credential_request",
            "evidence": "đọc mã OTP",
            "message": "Yêu cầu cung cấp mã OTP",
            "weight": 0.8,
            "start": start,
            "end": start + 10,
        },
        {
            "kind": "otp_mention",
            "evidence": "mã OTP",
            "message": "Nhắc đến mã OTP",
            "weight": 0.3,
            "start": start + 4,
        },
    ]
    view = _view(title, text, reasons, "scam")
    assert "<mark" not in str(view["title_html"])
    assert re.findall(r"<mark[^>]*>(.*?)</mark>", str(view["text_html"])) == ["đọc mã OTP"]


def test_long_text_links_to_its_flagged_passage() -> None:
    filler = "Hội nghị tổng kết năm diễn ra tại hội trường xã với đông đảo người dân. " * 12
    text = filler + CLAIM
    full = card.analysed_text("Tin", text)
    view = _view("Tin", text, [_false_claim(CLAIM, full.index(CLAIM))])
    header = _render(view, "_suspicion.html")
    assert 'href="#flagged-7"' in header
    assert "Xem đoạn bị gắn cờ" in header
    assert f'<mark id="flagged-7">{CLAIM}</mark>' in str(view["text_html"])
    # a short text is read at a glance: no link
    short = _view("Tin", CLAIM, [_false_claim(CLAIM, 5)])
    assert "flagged-7" not in _render(short, "_suspicion.html") + str(short["text_html"])


def test_highlight_stays_inert_with_its_anchor() -> None:
    hostile = '<script>x</script> nhập mã OTP <b onclick="y">'
    reasons = [
        {"kind": "otp_mention", "evidence": "mã OTP", "message": "OTP", "weight": 0.3},
        {"kind": "warning_context", "evidence": "<b", "message": "x", "weight": -0.6},
    ]
    html = str(_view("", hostile + " " * 700, reasons, "scam")["text_html"])
    elements: list[tuple[str, list[tuple[str, str | None]]]] = []

    class Elements(HTMLParser):
        def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
            elements.append((tag, attrs))

    Elements().feed(html)
    # only marks, with nothing but our class and anchor: the feed's tags are text
    assert elements == [("mark", [("id", "flagged-7")]), ("mark", [("class", "counter")])]
    assert '<mark id="flagged-7">mã OTP</mark>' in html


def test_an_unsure_hint_about_a_sentence_a_confirmed_fact_covers_is_left_out() -> None:
    text = f"{CLAIM} {CLAIM_2}"
    hint = {
        "kind": "similar_claim",
        "evidence": CLAIM,
        "message": "Có thể cùng chủ đề với tin sai đã được đính chính (cần xem lại): Khác.",
        "weight": 0.0,
        "start": 0,
        "fact": {"fact_id": "other", "official": "Khác.", "in_text": CLAIM, "source": "seed"},
    }
    other_sentence = {**hint, "evidence": CLAIM_2, "start": text.index(CLAIM_2)}
    view = _view("", text, [_false_claim(CLAIM, 0), hint])
    assert [f["official"] for f in view["facts"]] == [CORRECTION]
    assert "cần xem lại" not in _render(view, "_reasons.html")
    # a hint about a sentence nothing else explains stays, marked as unsure
    view = _view("", text, [_false_claim(CLAIM, 0), other_sentence])
    assert [f["hint"] for f in view["facts"]] == [False, True]
    assert "Máy chưa chắc" in _render(view, "_facts.html")
