"""Claim-level misinformation: a flag is its strongest passage's, wherever it sits."""

from __future__ import annotations

from core.config import Settings
from nlp.claims import CLAIM_WINDOW, claim_windows

# the review threshold in service: what reaches it is queued for a reviewer
QUEUED = Settings().review_risk_threshold

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


def test_a_window_never_crosses_a_paragraph() -> None:
    """A post quoted in an article is scored apart from the article's sentences around it."""
    text = NEWS.strip() + "\n" + SCAM + "\n" + NEWS.strip()
    windows = [text[a:b] for a, b in claim_windows(text)]
    assert SCAM in windows
    assert all("\n" not in w for w in windows)


def test_a_scam_keeps_its_flag_and_its_evidence_inside_a_long_article(analyzer) -> None:  # type: ignore[no-untyped-def]
    alone = analyzer.analyze([SCAM])[0]
    assert alone["misinfo"] == "scam"
    padded = NEWS * 10 + SCAM + " " + NEWS * 10
    result = analyzer.analyze([padded])[0]
    assert result["misinfo"] == "scam"
    claim = next(r for r in result["reasons"] if r["kind"] == "claim")
    assert SCAM[:40] in claim["evidence"]
    assert result["risk"] >= 0.5


def test_a_scam_that_opens_like_a_warning_keeps_its_flag_in_its_own_paragraph(analyzer) -> None:  # type: ignore[no-untyped-def]
    """A warning word inside a passage does not exclude it: the classifier weighs it, as in a
    short text (an impersonated "Cảnh báo" opening a phishing message)."""
    scam = (
        "[VNeID] Cảnh báo: tài khoản định danh của bạn sắp hết hạn. Gia hạn miễn phí tại "
        "vneid-giahan.click, nhập mật khẩu và mã OTP để tiếp tục sử dụng."
    )
    assert analyzer.analyze([scam])[0]["misinfo"] == "scam"
    result = analyzer.analyze([NEWS * 8 + "\n" + scam + "\n" + NEWS * 8])[0]
    assert result["misinfo"] == "scam"
    assert result["risk"] >= 0.5


def test_a_fact_check_inside_a_long_article_is_not_flagged(analyzer) -> None:  # type: ignore[no-untyped-def]
    factcheck = (
        'Thông tin "từ tháng sau ai không cài VNeID sẽ bị phạt 5 triệu đồng" là sai sự thật: '
        "không có văn bản nào quy định mức phạt này, cơ quan chức năng đã bác bỏ."
    )
    result = analyzer.analyze([NEWS * 8 + "\n" + factcheck + "\n" + NEWS * 8])[0]
    assert result["misinfo"] == "none"
    assert result["risk"] < 0.5


def test_plain_long_news_is_not_flagged_by_its_passages(analyzer) -> None:  # type: ignore[no-untyped-def]
    result = analyzer.analyze([NEWS * 20])[0]
    assert result["misinfo"] == "none"
    assert not any(r["kind"] == "claim" for r in result["reasons"])


def test_a_flag_needs_evidence_a_reviewer_can_check(analyzer) -> None:  # type: ignore[no-untyped-def]
    """The model's score alone is no flag: with no cue, link, fact difference or known false
    claim the label is none and the risk stays under the review threshold; with a checkable
    claim the same kind of text is flagged and its reasons carry the evidence."""
    from nlp.analyze import UNSUPPORTED_RISK

    vague = analyzer.analyze(
        [
            "Nghị quyết 57 cho phép các tập đoàn công nghệ nước ngoài toàn quyền sử dụng dữ liệu "
            "y tế của dân mà không cần hỏi ý kiến"
        ]
    )[0]
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


def test_a_warning_that_names_the_fake_link_is_no_scam(analyzer) -> None:  # type: ignore[no-untyped-def]
    """Warning context is scoped to its sentence: the link a warning names is not evidence of a
    scam, an alert header ("Cảnh báo:", "Vietcombank lưu ý:") scopes nothing, and a stray
    warning word in another sentence leaves a scam's evidence alone."""
    from nlp.claims import unwarned
    from nlp.signals import detect
    from nlp.text import normalize

    warning = "Cảnh báo: trang vneid-giahan.click là giả mạo, định danh không có hạn để gia hạn."
    assert analyzer.analyze([warning])[0]["misinfo"] == "none"
    text = normalize(warning)
    assert unwarned(detect(text), text) == []
    for scam in (
        "CẢNH BÁO: tài khoản của bạn bị khóa, đăng nhập vcb-xacthuc.com để mở khóa ngay",
        "Vietcombank lưu ý: điểm thưởng hết hạn sau 24 giờ, truy cập vietcombanks.cfd để đổi quà",
        "Tài khoản của bạn bị khóa, đăng nhập vcb-xacthuc.com để mở khóa. Lưu ý không chia sẻ.",
    ):
        text = normalize(scam)
        assert unwarned(detect(text), text), scam


def test_a_text_labelled_none_is_not_queued_on_the_model_alone(analyzer) -> None:  # type: ignore[no-untyped-def]
    """A risk near the review threshold needs evidence as much as a flag does: a text the model
    labels none by a narrow margin, with no cue behind its scam score, keeps that score scaled
    down (a carrier's promotion); with a cue (a link outside the official list) it counts, and
    a text the queue takes is shown with the class its risk comes from, never as "none"."""
    from nlp.analyze import UNSUPPORTED_RISK
    from nlp.claims import prepare

    scores = {"none": 0.52, "scam": 0.48, "distortion": 0.0}
    rel = {"relevant": 0.1, "irrelevant": 0.9}
    sent = {"negative": 0.1, "neutral": 0.8, "positive": 0.1}
    plain = prepare(
        "Gói cước mới: 3GB mỗi ngày, đăng ký trên ứng dụng của nhà mạng.", analyzer.facts
    )
    result = analyzer._result(plain, rel, sent, scores)
    assert result["misinfo"] == "none"
    assert result["risk"] == round(0.48 * UNSUPPORTED_RISK, 4)
    linked = prepare("Gói cước mới: 3GB mỗi ngày, đăng ký tại goicuoc-moi.xyz/dk", analyzer.facts)
    result = analyzer._result(linked, rel, sent, scores)
    assert result["misinfo"] == "scam"
    assert result["risk"] == 0.48
    below = {"none": 0.7, "scam": 0.3, "distortion": 0.0}
    result = analyzer._result(linked, rel, sent, below)  # not queued: its label stays
    assert (result["misinfo"], result["risk"]) == ("none", 0.3)


# A known false claim (data/facts: vneid-eavesdrop) said in new words, with no cue: the encoder
# confirms it and the sentence states a consequence ("bị thu âm").
REPEATED = "VNeID bi nghe len nguoi dung, noi gi cung bi thu am gui ve"


def test_a_repeated_known_false_claim_is_queued_on_its_match(analyzer) -> None:  # type: ignore[no-untyped-def]
    result = analyzer.analyze([REPEATED])[0]
    assert result["misinfo"] == "distortion"
    assert result["risk"] >= QUEUED
    match = next(r for r in result["reasons"] if r["kind"] == "known_false_claim")
    assert match["fact"]["method"] == "meaning"
    assert match["fact"]["official"]  # the correction a reviewer checks it against
    # the flag stands on the match (and any cue), never on the model's n-gram alone: the model
    # may agree and add its own reason, after the evidence
    evidence = [r for r in result["reasons"] if r["weight"] > 0 and r["kind"] != "model"]
    assert evidence
    kinds = [r["kind"] for r in result["reasons"]]
    assert "model" not in kinds or kinds.index("model") > kinds.index("known_false_claim")
    # and it keeps it inside a long article, even one that warns about something else in
    # another paragraph (a refutation or a warning counts in the claim's own paragraph)
    warning = "Cảnh báo: trời sắp mưa to, bà con lưu ý phòng tránh."
    five_g = "Sóng 5G phát ra từ trạm làm người dân quanh đó bị ung thư."  # the model: none
    for padded in (
        NEWS * 10 + "\n" + REPEATED + "\n" + NEWS * 10,
        NEWS * 10 + "\n" + five_g + "\n" + NEWS * 10,
        warning + "\n" + NEWS * 10 + "\n" + five_g + "\n" + NEWS * 10,
    ):
        result = analyzer.analyze([padded])[0]
        assert result["misinfo"] == "distortion"
        assert result["risk"] >= QUEUED


def test_the_same_topic_refuted_warned_or_praised_is_not_queued(analyzer) -> None:  # type: ignore[no-untyped-def]
    for text in (
        "Thông tin VNeID nghe lén người dùng, thu âm gửi đi là sai, ứng dụng không có quyền đó.",
        "Cảnh giác: có trang giả mạo VNeID, đừng tin lời đồn ứng dụng thu âm người dùng.",
        "VNeID giờ dùng tiện lắm, làm giấy tờ nhanh hơn hẳn.",
    ):
        result = analyzer.analyze([text])[0]
        assert result["misinfo"] == "none" or result["risk"] < QUEUED, (text, result["reasons"])


def _queued(analyzer, text: str) -> bool:  # type: ignore[no-untyped-def]
    result = analyzer.analyze([text])[0]
    return bool(result["misinfo"] != "none" and result["risk"] >= QUEUED)


def test_asking_reporting_denying_or_refuting_a_claim_is_not_repeating_it(analyzer) -> None:  # type: ignore[no-untyped-def]
    for text in (
        # a question
        "Có phải chưa cài VNeID thì từ tháng sau bị dừng trả lương hưu không?",
        # others' words, reported
        "Nhiều người truyền tai nhau rằng VNeID nghe lén, thu âm mọi câu nói trong nhà.",
        # denied
        "VNeID không nghe lén và không thu âm người dùng.",
        # the rumour in one sentence, its verdict in the next
        "Có bài đăng nói VNeID bị nghe lén, thu âm gửi về. Thông tin này là sai.",
        # "không có chuyện" typed with its diacritics is a refutation ("chuyện", not "chuyển")
        "Không có chuyện VNeID nghe lén rồi thu âm gửi về máy chủ.",
    ):
        assert not _queued(analyzer, text), text


def test_a_repeated_claim_is_read_in_teencode_and_in_the_claims_own_words(analyzer) -> None:  # type: ignore[no-untyped-def]
    from core.config import ROOT
    from nlp.facts import load_facts

    claim = next(
        c for c in load_facts(ROOT / "data" / "facts").false_claims if c["id"] == "vneid-eavesdrop"
    )
    assert _queued(analyzer, claim["claim"])  # its own wording (a word match and a meaning match)
    # "ko dc nhận" (không được nhận) is the consequence, read after teencode expansion
    assert _queued(analyzer, "cac cu chua cai vneid thi tu thang toi ko dc nhan luong huu nha")
    assert _queued(analyzer, "ko cai vneid la ko dc nhan luong huu tu thang sau nha cac cu")


def test_please_note_opens_a_rumour_as_often_as_a_warning(analyzer) -> None:  # type: ignore[no-untyped-def]
    assert _queued(
        analyzer, "Mọi người lưu ý nhé, sóng 5G phát ra từ trạm làm người dân quanh đó bị ung thư."
    )


def test_a_question_about_a_rumour_is_no_evidence_of_spreading_it(analyzer) -> None:  # type: ignore[no-untyped-def]
    assert not _queued(analyzer, "VNeID có nghe lén và thu âm người dùng thật không?")
    assert _queued(analyzer, "VNeID nghe lén và thu âm người dùng, nói gì cũng bị gửi về.")


def test_which_sentences_ask() -> None:
    from nlp.claims import unasked
    from nlp.signals import detect
    from nlp.text import normalize

    for text, kept in (
        ("VNeID có nghe lén người dùng thật không?", False),
        ("Có phải VNeID nghe lén người dùng không", False),
        ("VNeID nghe lén người dùng. Ai biết gì không?", True),  # the claim is stated first
        ("Sự thật không ai dám nói: VNeID nghe lén người dùng.", True),
    ):
        text = normalize(text)
        claims = [s for s in unasked(detect(text), text) if s.kind == "data_sale_claim"]
        assert bool(claims) is kept, text


def test_telling_what_someone_received_or_how_to_spot_it_is_a_warning(analyzer) -> None:  # type: ignore[no-untyped-def]
    """Warnings without "cảnh báo": a message someone received, told and quoted; the signs of a
    scam listed; advice ("đừng bao giờ cho…", "nếu bác nhận được cuộc gọi…"). The same words
    addressed to the reader ("chị vừa nhận được mã OTP…") are the scam's."""
    for text in (
        "Bà ngoại tôi vừa nhận tin nhắn: 'Tài khoản của bà bị khóa, đăng nhập vcb-mokhoa.top và"
        " nhập mã OTP để mở'. Cả nhà đã báo ngân hàng.",
        "Dấu hiệu nhận biết lừa đảo: đòi mã OTP, gửi đường link lạ, yêu cầu chuyển tiền trước để"
        " nhận thưởng.",
        "Đừng bao giờ cho người lạ thuê tài khoản ngân hàng hay gửi ảnh căn cước kèm mã OTP.",
        "Nếu bác nhận được cuộc gọi tự xưng công an đòi cài app qua link thì hãy cúp máy.",
        # a fact-check that quotes the message it refutes
        "Nhiều phụ huynh nhận tin 'Con đạt học bổng 20 triệu, đóng lệ phí 500k để giải ngân'."
        " Nhà trường khẳng định không có chương trình nào như vậy.",
    ):
        assert not _queued(analyzer, text), text
    for text in (
        "Chị vừa nhận được mã OTP từ ngân hàng, chị đọc giúp em mã đó để hoàn tất hồ sơ vay nhé.",
        "Bạn vừa nhận được tin nhắn trúng thưởng 50 triệu, nộp phí hồ sơ 500k để nhận giải tại"
        " quatang-vn.top",
    ):
        assert _queued(analyzer, text), text


def test_a_fact_check_cites_the_rumour_it_quotes(analyzer) -> None:  # type: ignore[no-untyped-def]
    """In a text that refutes or warns, a quoted rumour (four words or more) is cited: its claim
    cues are no distortion evidence; the same claim unquoted, without the verdict, is."""
    from nlp.claims import uncited
    from nlp.signals import detect
    from nlp.text import normalize

    text = normalize(
        'Đang lan truyền: "Dùng Cổng dịch vụ công phải trả 15.000 đồng mỗi lần tra cứu". Sự thật:'
        " tra cứu là miễn phí."
    )
    signals = detect(text)
    claims = [s for s in signals if s.kind == "policy_claim"]
    assert claims
    assert not uncited(claims, signals, text)
    bare = normalize("Dùng Cổng dịch vụ công phải trả 15.000 đồng mỗi lần tra cứu.")
    bare_signals = detect(bare)
    assert [s for s in uncited(bare_signals, bare_signals, bare) if s.kind == "policy_claim"]
    assert not _queued(analyzer, text)


def test_a_scam_baited_with_a_known_false_claim_stays_a_scam(analyzer) -> None:  # type: ignore[no-untyped-def]
    result = analyzer.analyze(
        [
            "Ngân hàng BIDV thông báo: do chưa cập nhật sinh trắc học, tài khoản sẽ bị khóa từ"
            " ngày mai. Quý khách bấm vào bidv-sinhtrachoc.cc để cập nhật khuôn mặt và mã PIN."
        ]
    )[0]
    assert result["misinfo"] == "scam"
    assert result["risk"] >= QUEUED


def test_after_a_verdict_the_facts_are_the_correction(analyzer) -> None:  # type: ignore[no-untyped-def]
    """Evidence after a refutation in the same paragraph is the correction's (its figures,
    issuers and rules), not a claim; a conspiracy cue after it is still one; a rumour with a
    verdict in another paragraph keeps its evidence."""
    from nlp.claims import uncorrected
    from nlp.signals import detect
    from nlp.text import normalize

    text = normalize(
        "sai r ban oi. ngan hang ko co quyen tu tru tien trong tk cua ban de nop phat dau."
    )
    found = detect(text)
    assert any(s.kind == "refutation" for s in found)
    assert not [s for s in uncorrected(found, text) if s.kind == "policy_claim"]
    plotted = normalize("Báo chí bác bỏ tin đó. Nhưng sự thật bị che giấu là dữ liệu đã bị bán.")
    assert [s.kind for s in uncorrected(detect(plotted), plotted) if s.kind == "hidden_truth"]
    other = normalize("Tin này là sai.\nTừ 1/1 ai chưa cài VNeID sẽ bị phạt 2 triệu đồng.")
    assert [s for s in uncorrected(detect(other), other) if s.kind == "policy_claim"]
    assert not _queued(
        analyzer,
        "Hỏi: Có phải Nghị quyết 57 do Quốc hội ban hành năm 2025?\nĐáp: Không. Nghị quyết"
        " 57-NQ/TW do Bộ Chính trị ban hành ngày 22/12/2024.",
    )


def test_a_reported_rumour_and_an_authoritys_warning_are_not_claims(analyzer) -> None:  # type: ignore[no-untyped-def]
    from nlp.claims import unasked
    from nlp.signals import detect
    from nlp.text import normalize

    text = normalize("Nhóm Zalo khu phố đang truyền nhau tin từ 1/1 ai chưa cài VNeID sẽ bị phạt.")
    assert not [s for s in unasked(detect(text), text) if s.kind == "policy_claim"]
    # "Công an tỉnh cảnh báo:" is a warning, not an alert header ("Cảnh báo:" alone is one)
    assert not _queued(
        analyzer,
        "Công an tỉnh cảnh báo: các đối tượng gửi tin nhắn kèm đường link vneid-gov.com.vn, yêu"
        " cầu nhập mật khẩu và mã OTP.",
    )


def test_a_code_mentioned_is_no_evidence_asking_for_it_is(analyzer) -> None:  # type: ignore[no-untyped-def]
    """A genuine one-time-code message mentions its code as a phishing one does: the mention
    weighs, it is no evidence alone (``nlp.analyze.CONTEXT_ONLY``); asking for the code is."""
    genuine, phishing = analyzer.analyze(
        [
            "Mã OTP Shopee của bạn là 604218",
            "Vui lòng gửi lại mã OTP vừa nhận qua tin nhắn này để hoàn tất nâng cấp SIM 5G.",
        ]
    )
    assert genuine["misinfo"] == "none"
    assert genuine["risk"] < QUEUED
    assert phishing["misinfo"] == "scam"
    assert any(r["kind"] == "credential_request" for r in phishing["reasons"])


def test_a_sum_is_no_department(analyzer) -> None:  # type: ignore[no-untyped-def]
    """Without accents "so" is "số" as often as "sở": "số tiền … trừ vào" states no rule."""
    (airtime,) = analyzer.analyze(
        [
            "Soan A gui 1357 de duoc ung 15000d vao tai khoan Airtime. So tien da ung se duoc "
            "tru vao tai khoan chinh khi Quy khach nap the."
        ]
    )
    assert not any(r["kind"] == "policy_claim" for r in airtime["reasons"])


def test_an_answer_to_a_report_reports_it() -> None:
    from nlp.factcheck import asks_or_reports

    assert asks_or_reports(
        "truoc thong tin du lieu sinh trac hoc bi chuyen cho cong ty nuoc ngoai, ngan hang cho biet"
    )
    assert not asks_or_reports("du lieu sinh trac hoc bi chuyen cho cong ty nuoc ngoai.")


def test_a_loss_told_after_the_fact_marks_its_paragraph() -> None:
    """A scam threatens a loss to come; a victim's account or a news report tells one that
    happened (``nlp.claims.narrated_loss``), paragraph by paragraph."""
    from nlp.claims import narrated_loss

    told = "Tôi bấm vào link rồi nhập mã OTP.\nNăm phút sau tài khoản bị rút 38 triệu."
    assert narrated_loss(told) == [(34, len(told))]
    assert narrated_loss("Nhập mã OTP ngay, kẻo tài khoản sẽ bị khóa và mất trắng.") == []
    assert narrated_loss("bà ấy đã trình báo công an") == [(0, 26)]


def test_a_victims_account_that_retells_the_request_is_no_scam(analyzer) -> None:  # type: ignore[no-untyped-def]
    steps = "Hôm qua vào trang hoanthue-vn.com nhập số tài khoản và mã OTP để nhận hoàn thuế."
    assert _queued(analyzer, steps + " Mười phút sau thì xong.")
    assert not _queued(analyzer, steps + " Mười phút sau tài khoản bị rút 20 triệu.")


def test_a_fact_check_quoting_a_known_rumour_before_its_verdict_is_none(analyzer) -> None:  # type: ignore[no-untyped-def]
    """A known false claim quoted in one paragraph, refuted in the next, is no repeated claim
    (``repeated_claim`` leaves quotations in a text that refutes); asserted, it is one."""
    rumour = "Theo Nghị quyết 06 của tỉnh thì mỗi hộ phải góp 500 nghìn vào quỹ chuyển đổi số."
    checked = (
        f"Nhiều nhóm Zalo chuyển tiếp tin có nội dung: '{rumour}'\n"
        "Qua xác minh, văn bản trên là giả, số hiệu không tồn tại."
    )
    (quoted,) = analyzer.analyze([checked])
    (asserted,) = analyzer.analyze([rumour])
    assert quoted["misinfo"] == "none", quoted
    assert quoted["risk"] < QUEUED, quoted
    assert asserted["misinfo"] == "distortion", asserted
    assert asserted["risk"] >= QUEUED, asserted


def test_the_items_listed_after_a_warning_are_warned() -> None:
    """A warning sentence ending in ":" scopes the list of devices that follows it, item by item
    (``unwarned``); the same item after a plain line is evidence."""
    from nlp.claims import unwarned
    from nlp.signals import detect

    item = "Một là, gọi điện yêu cầu chuyển tiền vào tài khoản tạm giữ."
    listed = "Các đối tượng thường dùng các thủ đoạn sau:\n" + item
    plain = "Thông báo của cơ quan điều tra:\n" + item
    assert not [s for s in unwarned(detect(listed), listed) if s.kind == "personal_account"]
    assert [s for s in unwarned(detect(plain), plain) if s.kind == "personal_account"]


def test_a_story_told_over_paragraphs_retells_its_scam(analyzer) -> None:  # type: ignore[no-untyped-def]
    """A report over paragraphs, one near the request telling the loss and one sentence near it
    warning, retells the scam's request: no evidence of a scam (``unwarned``). The same request
    without the loss, or without the warning, stays a scam."""
    request = (
        "Tin nhắn ghi: quý khách được hoàn thuế 3 triệu, cài ứng dụng tại hoanthue-gdt.info và"
        " nhập mã OTP để nhận tiền."
    )
    loss = "Anh Đ. làm theo và bị chiếm đoạt 196 triệu đồng."
    warning = "Công an xã khuyến cáo người dân cảnh giác."
    assert not _queued(analyzer, "\n".join(["Vụ việc ở xã Yên Mô", request, loss, warning]))
    assert _queued(analyzer, "\n".join(["Thông báo hoàn thuế", request, warning]))
    assert _queued(analyzer, "\n".join(["Thông báo hoàn thuế", request, "Hạn cuối hôm nay.", loss]))


def test_a_rule_without_its_issuer_is_evidence_only_when_the_model_is_sure(analyzer) -> None:  # type: ignore[no-untyped-def]
    """``rule_statement`` backs a distortion the misinfo model gives at least
    ``RULE_CONFIDENCE``; with less it is no evidence, and it never backs a scam."""
    from nlp.analyze import RULE_CONFIDENCE

    sure, unsure = analyzer.analyze(
        [
            # (the models of the seventh session give "…, nghe mà sợ." 0.55: below the bar)
            "Người đi chợ không quét mã QR là bị phạt 2 triệu, chia sẻ cho mọi người biết.",
            "App ngân hàng bắt xác thực khuôn mặt mà camera điện thoại cũ không nhận.",
        ]
    )
    assert sure["misinfo_scores"]["distortion"] >= RULE_CONFIDENCE
    assert sure["misinfo"] == "distortion"
    # the rule is the only evidence: no issuer is named
    assert "rule_statement" in {r["kind"] for r in sure["reasons"]}
    assert "policy_claim" not in {r["kind"] for r in sure["reasons"]}
    assert sure["risk"] >= QUEUED
    assert unsure["misinfo"] == "none"
    assert unsure["risk"] < QUEUED
    assert not any(r["kind"] == "rule_statement" for r in unsure["reasons"])


def test_a_document_said_to_state_something_is_evidence_only_when_the_model_is_sure(
    analyzer,
) -> None:  # type: ignore[no-untyped-def]
    """``document_content`` ("Nghị quyết 06 ghi rõ …") backs a distortion the misinfo model is
    sure of, as ``rule_statement`` does (probe M); a true quote of a resolution stays none."""
    from nlp.analyze import DISTORTION_ONLY, RULE_CONFIDENCE

    claim, quote = analyzer.analyze(
        [
            "Nghị quyết 06 ghi rõ mỗi xã được cấp 10 tỷ để mua máy tính cho dân",
            "Nghị quyết 57 nêu rõ khoa học, công nghệ là đột phá quan trọng hàng đầu.",
        ]
    )
    assert claim["misinfo_scores"]["distortion"] >= RULE_CONFIDENCE
    assert claim["misinfo"] == "distortion"
    assert claim["risk"] >= QUEUED
    # its evidence is the weak kind only (a figure, "10 tỷ", is one too)
    evidence = {r["kind"] for r in claim["reasons"]} - {"model", "similar_claim"}
    assert "document_content" in evidence
    assert evidence <= DISTORTION_ONLY
    assert quote["misinfo"] == "none"
    assert quote["risk"] < QUEUED


def test_a_misstated_resolution_is_queued_on_its_finding(analyzer) -> None:  # type: ignore[no-untyped-def]
    """A resolution's issuer and date stated wrong past its full title is a distortion a reviewer
    checks against the fact base, whatever the model's score (probe I); the same facts refuted,
    asked about or stated right are not."""
    title = (
        "Nghị quyết 06-NQ/TU về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và"
        " chuyển đổi số của Ninh Bình"
    )
    wrong = analyzer.analyze(
        [f"{title} được Thủ tướng Chính phủ ký ban hành ngày 06/4/2026, áp dụng riêng cho tỉnh."]
    )[0]
    assert wrong["misinfo"] == "distortion"
    assert wrong["risk"] >= QUEUED
    assert {r["fact"]["differs"] for r in wrong["reasons"] if r["kind"] == "fact_mismatch"} == {
        "date",
        "issuer",
    }
    for text in (
        f"Có tin {title} được Thủ tướng ký ban hành ngày 06/4/2026. Thông tin này là sai.",
        f"{title} có phải được Thủ tướng ký ban hành ngày 06/4/2026 không?",
        f"{title} được Tỉnh ủy ban hành ngày 30/01/2026.",
    ):
        result = analyzer.analyze([text])[0]
        assert result["risk"] < QUEUED, (text, result["reasons"])


def test_a_scam_shows_no_hint_of_a_false_narrative(analyzer) -> None:  # type: ignore[no-untyped-def]
    """A ``similar_claim`` hint is a reason for a distortion or an unflagged text, not for a scam:
    a fresh user read "cùng chủ đề với tin sai" on a phishing text as noise."""
    from nlp.claims import Prepared
    from nlp.signals import Signal

    text = "Truy cập vneid-capnhat.com và nhập mã OTP để giữ tài khoản."
    hint = Signal("similar_claim", 0, 10, text[:10], "Có thể cùng chủ đề với tin sai", 0.0)
    prep = Prepared(text, [hint], text)
    scores = {"distortion": 0.01, "scam": 0.97}
    kinds = lambda label: {r["kind"] for r in analyzer._reasons(prep, label, scores)}  # noqa: E731
    assert "similar_claim" not in kinds("scam")
    assert "similar_claim" in kinds("distortion")
    assert "similar_claim" in kinds("none")


def test_a_score_without_evidence_stays_below_the_review_threshold() -> None:
    """``UNSUPPORTED_RISK`` scales a score without evidence below the default review threshold
    for any score, rounded as risks are: nothing is queued on the model's score alone."""
    from nlp.analyze import UNSUPPORTED_RISK

    assert round(1.0 * UNSUPPORTED_RISK, 4) < Settings.model_fields["review_risk_threshold"].default


def test_a_text_repeating_a_cue_gives_a_few_reasons_of_each_kind(analyzer) -> None:  # type: ignore[no-untyped-def]
    """A hostile text repeating one cue thousands of times is analysed (a hostile-input trial
    found it took minutes, comparing each cue with each) and gives at most
    ``MAX_REASONS_PER_KIND`` reasons of each kind, the first ones, not a result of megabytes."""
    from collections import Counter

    from nlp.analyze import MAX_REASONS_PER_KIND

    result = analyzer.analyze(["mã OTP " * 3000 + "vcb-xacthuc.com " * 500])[0]
    kinds = Counter(r["kind"] for r in result["reasons"])
    assert kinds["otp_mention"] == MAX_REASONS_PER_KIND
    assert max(kinds.values()) <= MAX_REASONS_PER_KIND
    starts = [r["start"] for r in result["reasons"] if r["kind"] == "otp_mention"]
    assert starts == sorted(starts)
    assert starts[0] < 10


def test_a_verdict_that_the_message_is_a_fraud_covers_the_post(analyzer) -> None:  # type: ignore[no-untyped-def]
    """Probe R (issue 12): a message quoted, then the writer's verdict; a guide of signs over
    several lines. No queue; the same message without the verdict is queued."""
    message = (
        "[Dien Luc] Ho gia dinh quy khach con no tien dien thang 4 so tien 1.284.000d. He thong se "
        "ngung cap dien vao 19h hom nay. Thanh toan ngay tai evn-thanhtoan.cc de duoc gia han."
    )
    verdict = "\n--- Tin nhắn trên nhà em vừa nhận được. Là tin lừa đảo đấy, cả nhà để ý nhé."
    guide = (
        "5 dấu hiệu nhận biết cuộc gọi lừa đảo:\n1. Người gọi xưng là cán bộ xã.\n"
        "2. Gửi đường link có tên miền na ná như dichvucong-gov.com.\n"
        "3. Yêu cầu cài ứng dụng ngoài kho, bật quyền trợ năng.\n4. Đòi đọc mã OTP."
    )
    alone, told, listed = analyzer.analyze([message, message + verdict, guide])
    assert alone["risk"] >= QUEUED
    assert told["risk"] < QUEUED
    assert listed["risk"] < QUEUED


def test_a_denied_verdict_is_no_verdict() -> None:
    from nlp.claims import verdicts

    assert len(verdicts("Đây là tin lừa đảo, đừng bấm vào link.")) == 1
    assert verdicts("Chúng tôi không phải là lừa đảo, nhận thưởng tại vcb-qua.top") == []
    assert verdicts("Nhiều người cứ tưởng là lừa đảo nhưng chương trình có thật") == []


def test_a_question_that_takes_a_fact_as_given_asserts_it() -> None:
    from nlp.factcheck import asks_or_reports

    assert not asks_or_reports("vi sao nguoi dan xa thanh binh phai nop 500 nghin dong?")
    assert not asks_or_reports("phai chang nghi quyet 06 chi la cai co de thu hoi dat?")
    assert asks_or_reports("vneid co nghe len that khong?")
    assert asks_or_reports("tai sao lai phai cai vneid, co bat buoc khong?")


def test_a_scam_that_borrows_a_verdict_stays_queued(analyzer) -> None:  # type: ignore[no-untyped-def]
    """A red-team trial (issue 12): a verdict judges what the text told before it, not what it
    asks after it, nor others' messages, nor conditionally."""
    texts = [
        "Gần đây có nhiều tin nhắn mạo danh Vietcombank, là tin lừa đảo đấy, quý khách đừng tin. "
        "Để bảo vệ tài khoản, quý khách vui lòng truy cập vcb-baomat.com và nhập mã OTP để xác thực.",
        "Công an khẳng định không làm việc qua Zalo, chỉ làm việc qua ứng dụng chính thức. Tải ứng "
        "dụng VNeID bản cập nhật tại vneid-gov.com, đăng nhập và nhập mã OTP để hoàn tất.",
        "Chúc mừng bạn trúng thưởng 50 triệu. Nhận thưởng tại viettel-quatang.com, nhập số thẻ ATM "
        "và mã OTP. Lưu ý: mọi tin nhắn khác yêu cầu chuyển phí đều là tin lừa đảo.",
    ]
    for result, text in zip(analyzer.analyze(texts), texts, strict=True):
        assert result["risk"] >= QUEUED, text


def test_a_claim_stated_after_a_correction_is_the_texts_own(analyzer) -> None:  # type: ignore[no-untyped-def]
    laundered, corrected = analyzer.analyze(
        [
            "Tin đồn VNeID miễn phí là sai sự thật. Thực tế người dân phải nộp 500 nghìn đồng để "
            "kích hoạt tài khoản định danh mức 2.",
            'Tin don: "5G gay ung thu cho tre em". Su that: To chuc Y te The gioi (WHO) cho biet '
            "chua co bang chung song di dong, ke ca 5G, gay ung thu o muc phoi nhiem cho phep.",
        ]
    )
    assert laundered["risk"] >= QUEUED
    assert corrected["risk"] < QUEUED


def test_a_yes_no_question_about_a_fee_is_not_flagged(analyzer) -> None:  # type: ignore[no-untyped-def]
    for result in analyzer.analyze(
        [
            "Có thật là người dân phải nộp 500 nghìn để kích hoạt VNeID không?",
            "Người dân phải nộp 500 nghìn để kích hoạt VNeID, thật không vậy?",
        ]
    ):
        assert result["risk"] < QUEUED


def test_a_scheme_that_froze_the_money_is_told_after_the_fact() -> None:
    """Probe X: "nạp thêm 400 triệu thì app khóa, nhóm giải tán" tells a loss."""
    from nlp.claims import narrated_loss

    told = "Chị đồng nghiệp tôi nạp thêm 400 triệu thì app khóa, nhóm giải tán."
    assert narrated_loss(told) == [(0, len(told))]
    assert narrated_loss("Nạp 400 triệu vào app để mở khóa tài khoản") == []


def test_a_distortion_without_a_claim_but_with_a_scams_requests_is_a_scam(analyzer) -> None:  # type: ignore[no-untyped-def]
    """Probe X: a scheme that opens on others' losses and then asks for deposits was labelled a
    distortion with no claim among its evidence; a reviewer must see it as the scam it is."""
    text = (
        "Mình biết nhiều người bị lừa đầu tư online nên giờ ai cũng nghi. Nhưng app Ninh Bình "
        "Smart Invest thì khác, là dự án nằm trong danh mục khuyến khích của Nghị quyết 06 tỉnh, "
        "rút tiền về ví trong 5 phút. Mình nạp 10 triệu, 2 tuần lãi 3 triệu rồi. Ai muốn tham gia "
        "để lại số điện thoại, mình gửi mã giới thiệu."
    )
    (res,) = analyzer.analyze([text])
    assert res["misinfo"] == "scam"
    assert {r["kind"] for r in res["reasons"]} & {"money_request", "premium_or_forgery"}


def test_a_stated_hint_that_names_the_claims_crux_is_evidence(analyzer) -> None:  # type: ignore[no-untyped-def]
    """A reviewer's hint (a suggested meaning match, weight 0) counts as weak evidence for a
    distortion only in a sentence that states it and names what the claim turns on (money for
    the activation-fee claim): not "Mình đã có tài khoản định danh mức 2 rồi." (probe X), not in
    a question, not after a refutation."""
    from nlp.claims import Prepared
    from nlp.signals import Signal, detect

    def hint(text: str, sentence: str) -> Prepared:
        start = text.index(sentence)
        s = Signal(
            "similar_claim",
            start,
            start + len(sentence),
            sentence,
            "",
            0.0,
            {"fact_id": "vneid-activation-fee", "level": "suggested", "method": "meaning"},
        )
        return Prepared(text, [*detect(text), s], text)

    fee = "Công an xã thu 200 nghìn mỗi người để làm định danh mức 2."
    assert analyzer._stated_hints(hint(fee, fee), None)
    plain = "Mình đã có tài khoản định danh mức 2 rồi."
    assert not analyzer._stated_hints(hint(plain, plain), None)
    asked = "Công an xã thu 200 nghìn mỗi người để làm định danh mức 2 có đúng không?"
    assert not analyzer._stated_hints(hint(asked, asked), None)
    refuted = "Đây là tin bịa đặt. " + fee
    assert not analyzer._stated_hints(hint(refuted, fee), None)
    # outside the passage the flag comes from, a hint is not its evidence
    assert not analyzer._stated_hints(hint(fee, fee), (0, 5))


def test_a_plain_question_near_a_known_claim_is_not_queued(analyzer) -> None:  # type: ignore[no-untyped-def]
    """Probe X: the model gave a how-to question about VNeID 0.62–0.70 and the encoder put its
    second sentence near the activation-fee claim; without a fee named that is no evidence."""
    text = (
        "Cho mình hỏi muốn tích hợp giấy phép lái xe vào VNeID thì làm thế nào ạ? "
        "Mình đã có tài khoản định danh mức 2 rồi."
    )
    assert analyzer.analyze([text])[0]["risk"] < Settings().review_risk_threshold


def test_a_fee_paid_for_nothing_is_told_after_the_fact() -> None:
    """Probe D: "đóng 450 nghìn, đợi ba tuần không thấy gì, số điện thoại cũng thuê bao"."""
    from nlp.claims import narrated_loss

    told = "Bạn em đóng 450 nghìn, đợi ba tuần không thấy gì, số điện thoại cũng thuê bao luôn."
    assert narrated_loss(told) == [(0, len(told))]


def test_what_follows_a_story_or_a_verdicts_but_is_the_writers_own() -> None:
    """A second red-team trial: a live scam after a story of past losses ("… số điện thoại cũng
    thuê bao rồi. Bên em uy tín: nạp 1 triệu …") keeps its evidence; so does a claim after "nhưng"
    that follows a verdict ("… là tin nhảm, nhưng … đã bị chuyển sang máy chủ ở Thâm Quyến")."""
    from nlp.claims import narrated_loss, uncorrected, unrefuted, unwarned
    from nlp.signals import detect
    from nlp.text import normalize

    text = normalize(
        "Trang kia số điện thoại cũng thuê bao rồi. Bên em uy tín: nạp 1 triệu nhận ngay 3 "
        "triệu, chuyển khoản vào STK 0123456789."
    )
    (span,) = narrated_loss(text)
    assert span == (0, text.index("Bên") - 1)
    assert [s for s in unwarned(detect(text), text) if s.kind == "money_request"]
    claim = normalize(
        "Bộ bảo là tin nhảm, nhưng người trong ngành xác nhận dữ liệu căn cước đã bị chuyển "
        "sang máy chủ ở Thâm Quyến."
    )
    signals = detect(claim)
    assert [s for s in uncorrected(signals, claim) if s.kind == "data_sale_claim"]
    assert [s for s in unrefuted(signals, claim) if s.kind == "data_sale_claim"]
    verdict = normalize("Tin dữ liệu căn cước bị chuyển sang máy chủ ở Thâm Quyến là tin nhảm.")
    assert not [s for s in uncorrected(detect(verdict), verdict) if s.kind == "data_sale_claim"]


def test_red_team_of_the_tenth_session(analyzer) -> None:  # type: ignore[no-untyped-def]
    """A red-team trial and probe P: a rumour quoted to mock it, a question opened by "có ai
    biết", are not flagged; "Các bác biết chưa, <news>?" asserts its news; what the writer vouches
    for after refuting another rumour ("Còn cái này mới là thật nè: …") is the writer's claim; a
    resolution said to be passed by the wrong body in the passive ("được Quốc hội biểu quyết
    thông qua") is a fact difference."""
    mocked, asked, told, vouched, passive = analyzer.analyze(
        [
            "Đọc được cái tin 'Nghị quyết 57 cấm dùng tiền mặt từ 2026' mà buồn cười, ai tin được "
            "thì chịu.",
            "co ai biet binh dan hoc vu so co bat buoc thi khong, ba noi minh lo qua vi nghe noi "
            "rot la bi cat luong huu",
            "Các bác biết chưa, từ tháng sau camera AI lắp ở các ngã tư trong xã sẽ nhận diện "
            "khuôn mặt rồi tự trừ tiền phạt thẳng vào tài khoản ngân hàng của mình, không gửi "
            "giấy báo gì nữa đâu?",
            "Chuyện VNeID bị hack là bịa đặt, Bộ Công an đã lên tiếng rồi. Còn cái này mới là "
            "thật nè: từ tháng 6 ai chưa có VNeID mức 2 sẽ không được đăng ký xe máy nữa.",
            "Nghị quyết 57 được Quốc hội biểu quyết thông qua với 100% đại biểu tán thành.",
        ]
    )
    assert mocked["risk"] < QUEUED
    assert asked["risk"] < QUEUED
    for result in (told, vouched, passive):
        assert (result["misinfo"], result["risk"] >= QUEUED) == ("distortion", True), result
    assert any(r["kind"] == "fact_mismatch" for r in passive["reasons"])


def test_what_a_short_text_says_after_turning_from_a_verdict_is_scored_apart(analyzer) -> None:  # type: ignore[no-untyped-def]
    """A red-team trial: a scam offered right after refuting a rumour ("… là sai nha. Còn ai muốn
    có chứng chỉ … chuyển khoản trước") read as one text scored low (the verdict's tokens); the
    passage after the turn is scored apart. A fact-check that turns to the true rule stays none."""
    from nlp.claims import turned_passage
    from nlp.signals import detect
    from nlp.text import normalize

    text = normalize(
        "Tin đồn Bình dân học vụ số thu tiền là sai nha. Còn ai muốn có chứng chỉ Bình dân học vụ "
        "số mà không cần học thì liên hệ mình, 300k/chứng chỉ, chuyển khoản trước."
    )
    span = turned_passage(text, detect(text))
    assert span is not None
    assert text[span[0] : span[1]].startswith("Còn ai muốn")
    assert turned_passage("Còn ai muốn học thì đăng ký.", []) is None
    scam, corrected = analyzer.analyze(
        [
            text,
            "Tin VNeID thu phí 50 nghìn là sai sự thật. Còn việc xác thực sinh trắc học tài khoản "
            "ngân hàng là quy định thật của Ngân hàng Nhà nước, làm miễn phí tại quầy.",
        ]
    )
    assert (scam["misinfo"], scam["risk"] >= QUEUED) == ("scam", True), scam
    assert corrected["risk"] < QUEUED, corrected
