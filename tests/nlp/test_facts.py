from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.config import ROOT
from nlp.factcheck import match_facts
from nlp.facts import FactBase, load_facts
from nlp.text import normalize


@pytest.fixture(scope="module")
def facts() -> FactBase:
    return load_facts(ROOT / "data" / "facts")


def differs(facts: FactBase, text: str) -> set[str]:
    return {
        s.detail["differs"]
        for s in match_facts(facts, normalize(text))
        if s.kind == "fact_mismatch"
    }


def test_correct_reference_matches_nothing(facts: FactBase) -> None:
    assert differs(facts, "Nghị quyết số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị") == set()
    assert (
        differs(facts, "Nghị quyết 06-NQ/TU ngày 30/01/2026 của Ban Chấp hành Đảng bộ tỉnh")
        == set()
    )


def test_wrong_date_issuer_and_number(facts: FactBase) -> None:
    assert differs(facts, "Nghị quyết 57-NQ/TW ngày 12/5/2023 của Quốc hội") == {"date", "issuer"}
    assert differs(facts, "nghi quyet 57-NQ/TU") == {"number"}


def test_a_date_in_the_next_sentence_is_not_the_documents(facts: FactBase) -> None:
    """Probe T: "… Nghị quyết 57-NQ/TW của Bộ Chính trị. Ngày 06/4/2026, Ban Tuyên giáo ban hành
    Hướng dẫn …" dates the guidance."""
    assert "date" not in differs(
        facts, "nhằm cụ thể hóa Nghị quyết 57-NQ/TW của Bộ Chính trị. Ngày 06/4/2026, Ban ban hành"
    )
    assert "date" in differs(facts, "Nghị quyết 57-NQ/TW của Bộ Chính trị ngày 06/4/2026")


def test_target_figures(facts: FactBase) -> None:
    assert differs(facts, "Ninh Bình phải đứng số 1 cả nước về DTI") == {"figure"}
    assert differs(facts, "vào nhóm 10 tỉnh dẫn đầu về chuyển đổi số (DTI)") == set()


def test_known_false_claim_levels(facts: FactBase) -> None:
    text = normalize("Nghe nói không cài VNeID bị phạt 5 triệu đồng đấy")
    found = [s for s in match_facts(facts, text) if s.kind == "known_false_claim"]
    assert found
    assert found[0].detail["fact_id"] == "vneid-fine"
    assert found[0].detail["level"] == "confirmed"
    assert text[found[0].start : found[0].end] == found[0].evidence


def test_fact_base_can_be_a_single_file(tmp_path: Path) -> None:
    (tmp_path / "f.yaml").write_text('version: "x"\nfalse_claims: []\n', encoding="utf-8")
    assert load_facts(tmp_path / "f.yaml").version == "x"


def test_every_fact_finding_names_its_source(facts: FactBase) -> None:
    # a reviewer's fact card says where the official text comes from: the document a target
    # belongs to, the record a document's facts come from, the source of a correction
    text = normalize(
        "Nghị quyết 06-NQ/TU ngày 12/5/2025 đặt mục tiêu chỉ số DTI đứng đầu cả nước. "
        "Nghe nói không cài VNeID bị phạt 5 triệu đồng."
    )
    sources = {
        (s.detail or {}).get("differs"): (s.detail or {}).get("source")
        for s in match_facts(facts, text, meaning=False)
        if s.detail
    }
    assert sources["figure"] == "Nghị quyết số 06-NQ/TU ngày 30/1/2026"
    assert sources["date"] == "seed"
    assert sources["obligation"] == "seed"


def claim_ids(facts: FactBase, text: str) -> set[str]:
    """Known false claims matched as evidence (word or meaning matches with a weight)."""
    return {
        s.detail["fact_id"]
        for s in match_facts(facts, normalize(text))
        if s.kind in ("known_false_claim", "similar_claim") and s.weight > 0
    }


@pytest.mark.parametrize(
    "text",
    [
        "Thủ tướng chủ trì hội nghị triển khai chuyển đổi số theo Nghị quyết 57.",
        "Sáng nay Thủ tướng chủ trì hội nghị toàn quốc quán triệt, triển khai Nghị quyết 57.",
        "Chính phủ ban hành Nghị quyết 03/NQ-CP về chương trình hành động thực hiện Nghị quyết 57.",
        "Nghị quyết 57 do Bộ Chính trị ban hành năm 2024.",
        # the issuer of the document named between them, not of the first
        "Nghị quyết 06-NQ/TU cụ thể hóa Nghị quyết 57-NQ/TW của Bộ Chính trị.",
        # another kind of document named between: the project's issuer (probe M)
        "Nhiều người nhầm Nghị quyết 06 với Đề án 06, vốn là đề án của Chính phủ.",
    ],
)
def test_an_authority_beside_a_document_is_not_its_issuer(facts: FactBase, text: str) -> None:
    """Naming an authority near a document is not saying it issued it: no issuer mismatch, and
    the issuer claim ("Nghị quyết 57 do Quốc hội ban hành") is not matched by words or meaning."""
    assert "issuer" not in differs(facts, text)
    assert "nq57-quoc-hoi" not in claim_ids(facts, text)


@pytest.mark.parametrize(
    "text",
    [
        "Nghị quyết 57 do Quốc hội ban hành năm 2023.",
        "Nghị quyết 57 của Thủ tướng bắt người dân đóng phí.",
        "Quốc hội vừa thông qua Nghị quyết 57 về chuyển đổi số.",
        "năm 2023 qh ra nghị quyết 57 rồi",
        "Nghị quyết 57, Chính phủ đã ban hành từ năm ngoái.",
        "Nghị quyết 06-NQ/TU ngày 30/01/2026 của Quốc hội về chuyển đổi số.",
    ],
)
def test_a_wrong_issuer_is_still_found(facts: FactBase, text: str) -> None:
    assert "issuer" in differs(facts, text)


_TITLE_06 = (
    "Nghị quyết 06-NQ/TU về đột phá phát triển khoa học, công nghệ, đổi mới sáng tạo và chuyển"
    " đổi số của Ninh Bình"
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # past the full title, the rest of the sentence says who issued it and when (probe I)
        (f"{_TITLE_06} được Thủ tướng Chính phủ ký ban hành ngày 06/4/2026.", {"date", "issuer"}),
        (f"{_TITLE_06} được Tỉnh ủy ban hành ngày 30/01/2026.", set()),
        # a date that is not the issuing one, another document's issuer and date
        (f"{_TITLE_06} được triển khai từ ngày 15/3/2026, Thủ tướng dự hội nghị.", set()),
        (
            f"{_TITLE_06}, cụ thể hóa Nghị quyết 57-NQ/TW ban hành ngày 22/12/2024 của Bộ Chính trị.",
            set(),
        ),
    ],
)
def test_a_full_title_does_not_hide_the_issuer_and_date(
    facts: FactBase, text: str, expected: set[str]
) -> None:
    assert differs(facts, text) == expected


def test_5g_causes_cancer_is_a_known_false_claim(facts: FactBase) -> None:
    for text in ("5G gây ung thư", "Nghe nói sóng 5G gây ung thư cho trẻ em", "5G gay ung thu"):
        assert "5g-health" in claim_ids(facts, text), text
    card = next(c for c in facts.false_claims if c["id"] == "5g-health")
    assert "WHO" in card["source"]
    assert "ICNIRP" in card["source"]
    # denying it is not the claim
    assert "5g-health" not in claim_ids(facts, "5G không gây ung thư, theo WHO.")


# --- the fact base's shape ---------------------------------------------------------------------

_CLAIM = {
    "id": "fc-x",
    "claim": "Người dân phải nộp phí 500.000 đồng để kích hoạt định danh điện tử",
    "variants": ["nộp phí kích hoạt VNeID"],
    "correction": "Kích hoạt tài khoản định danh điện tử là miễn phí.",
    "differs": "fee",
    "source": "Bộ Công an",
}


def _write(tmp_path: Path, body: object) -> Path:
    import yaml

    path = tmp_path / "facts.yaml"
    path.write_text(yaml.safe_dump(body, allow_unicode=True), encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("entry", "says"),
    [
        ({k: v for k, v in _CLAIM.items() if k != "correction"}, "missing 'correction'"),
        ({**_CLAIM, "variants": "một chuỗi"}, "'variants' must be a list of texts"),
        ({**_CLAIM, "claim": 12}, "'claim' must be a text"),
        ("chỉ một dòng chữ", "false_claims[0] must be a mapping"),
    ],
)
def test_an_entry_without_its_shape_is_refused_by_name(
    tmp_path: Path, entry: object, says: str
) -> None:
    from nlp.facts import FactsError

    with pytest.raises(FactsError) as caught:
        load_facts(_write(tmp_path, {"version": "t", "false_claims": [entry]}))
    message = str(caught.value)
    assert message.startswith(f"{tmp_path / 'facts.yaml'}: false_claims[0]")
    assert says in message


def test_a_document_number_must_be_a_whole_number(tmp_path: Path) -> None:
    from nlp.facts import FactsError

    shipped = load_facts(ROOT / "data" / "facts")
    document = {**shipped.documents[0], "number": "57"}
    with pytest.raises(FactsError, match=r"documents\[0\] \(.+\): 'number' must be a whole number"):
        load_facts(_write(tmp_path, {"documents": [document]}))


def test_a_file_that_is_not_yaml_or_not_a_mapping_is_refused(tmp_path: Path) -> None:
    from nlp.facts import FactsError

    path = tmp_path / "facts.yaml"
    path.write_text("false_claims: [unclosed", encoding="utf-8")
    with pytest.raises(FactsError, match="not YAML"):
        load_facts(path)
    path.write_text("- a\n- b\n", encoding="utf-8")
    with pytest.raises(FactsError, match="a mapping of lists"):
        load_facts(path)


def test_the_shipped_base_has_its_shape(facts: FactBase) -> None:
    assert len(facts.false_claims) >= 40
    assert all(isinstance(d["number"], int) for d in facts.documents)
    assert all(c["correction"] and c["source"] for c in facts.false_claims)


_scalars = st.one_of(st.none(), st.booleans(), st.integers(), st.text(max_size=8))
_values = st.recursive(
    _scalars,
    lambda inner: (
        st.lists(inner, max_size=3) | st.dictionaries(st.text(max_size=6), inner, max_size=4)
    ),
    max_leaves=10,
)


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.one_of(
            _values,
            st.fixed_dictionaries({k: st.one_of(st.just(v), _values) for k, v in _CLAIM.items()}),
        ),
        max_size=3,
    )
)
def test_any_false_claims_list_is_used_or_refused_with_a_facts_error(entries: list[object]) -> None:
    """Whatever a hand-edited file holds, the check either refuses it with ``FactsError`` or
    lets through entries the matcher can read (never a KeyError or TypeError later)."""
    from nlp.facts import FactsError, _check_entries, word_grams

    try:
        _check_entries(Path("facts.yaml"), "false_claims", entries)
    except FactsError:
        return
    for entry in entries:
        assert isinstance(entry, dict)
        for wording in [entry["claim"], *entry.get("variants", [])]:
            word_grams(wording.lower())
        assert isinstance(entry["correction"], str)
        assert isinstance(entry["id"], str)


def test_word_matches_of_one_sentence_keep_one_order_whatever_the_hash_seed() -> None:
    """A sentence near two known false claims by shared words (counted in set order) lists them
    by strength, then id, under every ``PYTHONHASHSEED``: a reviewer sees the same correction."""
    script = (
        "from core.config import ROOT\n"
        "from nlp.factcheck import match_facts\n"
        "from nlp.facts import load_facts\n"
        "from nlp.text import normalize\n"
        "f = load_facts(ROOT / 'data' / 'facts')\n"
        "t = normalize('Nghị quyết 57 bắt buộc mỗi hộ dân phải nộp phí chuyển đổi số hằng năm và'\n"
        "' người dân không cài VNeID sẽ bị phạt tiền theo nghị quyết về chuyển đổi số')\n"
        "print([s.detail['fact_id'] for s in match_facts(f, t, meaning=False)"
        " if s.kind == 'known_false_claim'])\n"
    )
    orders = set()
    for seed in range(6):
        env = {**os.environ, "PYTHONHASHSEED": str(seed)}
        done = subprocess.run(
            [sys.executable, "-c", script], env=env, cwd=ROOT, capture_output=True, text=True
        )
        assert done.returncode == 0, done.stderr
        orders.add(done.stdout.strip())
    assert len(orders) == 1, orders
    assert next(iter(orders)) == "['fee-digital-transformation', 'vneid-fine']", orders


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        (
            "Muốn kích hoạt tài khoản định danh điện tử mức 2 thì phải nộp tiền cho công an xã.",
            True,
        ),
        # the claim's words without its money: a true notice of the same service
        (
            "Muốn kích hoạt tài khoản định danh điện tử mức 2 thì người dân đến công an xã để"
            " được hỗ trợ.",
            False,
        ),
        ("Công an xã hỗ trợ kích hoạt tài khoản định danh điện tử mức 2 cho người dân.", False),
        # "miễn phí" (free) names no money charged
        (
            "Muốn kích hoạt tài khoản định danh điện tử mức 2 thì ra công an xã, làm miễn phí.",
            False,
        ),
    ],
)
def test_a_word_match_names_what_the_claim_turns_on(
    facts: FactBase, text: str, matched: bool
) -> None:
    """A known false claim about a fee is repeated by words only in a sentence that names money."""
    found = {
        s.detail["fact_id"]
        for s in match_facts(facts, normalize(text), meaning=False)
        if s.kind == "known_false_claim"
    }
    assert ("vneid-activation-fee" in found) is matched


@pytest.mark.parametrize(
    ("text", "matched"),
    [
        ("Phong trào bình dân học vụ số thu tiền người học, mỗi người 200 nghìn.", True),
        # the words of the variant "… thu tiền người học" without its money: the claim's other
        # variant ("… sẽ bị cắt trợ cấp") names none, so the claim's own crux is empty
        ("Phong trào Bình dân học vụ số hoàn toàn miễn phí cho người học.", False),
    ],
)
def test_a_word_match_names_what_its_wording_turns_on(
    facts: FactBase, text: str, matched: bool
) -> None:
    """A word match needs the crux of the wording it shares most words with, not only the crux
    every wording of its claim shares (probe H: a true sentence matched bdhvs-fee)."""
    found = {
        s.detail["fact_id"]
        for s in match_facts(facts, normalize(text), meaning=False)
        if s.kind == "known_false_claim"
    }
    assert ("bdhvs-fee" in found) is matched


def test_a_record_denied_is_not_stated(facts: FactBase) -> None:
    """Probe X: a commenter who says what a document is not ("không phải của Quốc hội năm 2023",
    "chứ không phải UBND tỉnh ký", "không hề đặt mục tiêu 'số 1 cả nước'") corrects; the same
    words without the denial still differ from the record."""
    assert not differs(facts, "Bạn ơi, Nghị quyết 57 không phải của Quốc hội năm 2023 đâu.")
    assert differs(facts, "Nghị quyết 57 của Quốc hội năm 2023 quy định thu phí.")
    assert not differs(
        facts,
        "Nghị quyết 06-NQ/TU không hề đặt mục tiêu 'số 1 cả nước về DTI năm 2027'.",
    )
    assert "issuer" not in differs(
        facts,
        "Nghị quyết 06-NQ/TU là của Ban Chấp hành Đảng bộ tỉnh chứ không phải UBND tỉnh ký.",
    )
    assert "issuer" in differs(facts, "Nghị quyết 06-NQ/TU do UBND tỉnh ký ban hành.")
