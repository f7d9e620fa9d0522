"""core.legacy: TCVN3 / VNI text is detected and converted to NFC; nothing else is touched.

The encoders below are written independently of the module, from the same published charts
(TCVN 5712:1993 table VN3, the VNI-Windows font chart), so that a wrong code on either side
shows up as a failed round trip.
"""

from __future__ import annotations

import json
import os
import random
import re
import string
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from core.legacy import LEGACY_ENCODINGS, convert_legacy, detect_legacy, from_legacy

# --- the charts, test side --------------------------------------------------------------------

# Each Vietnamese vowel letter: bare, sắc, huyền, hỏi, ngã, nặng.
UNICODE_ROWS = {
    "a": "aáàảãạ",
    "ă": "ăắằẳẵặ",
    "â": "âấầẩẫậ",
    "e": "eéèẻẽẹ",
    "ê": "êếềểễệ",
    "i": "iíìỉĩị",
    "o": "oóòỏõọ",
    "ô": "ôốồổỗộ",
    "ơ": "ơớờởỡợ",
    "u": "uúùủũụ",
    "ư": "ưứừửữự",
    "y": "yýỳỷỹỵ",
}
TONE_NAMES = ("", "ACUTE ACCENT", "GRAVE ACCENT", "HOOK ABOVE", "TILDE", "DOT BELOW")

# TCVN3 (VN3), same column order; the bare a e i o u y are ASCII.
TCVN3_ROWS = {
    "a": "a\xb8\xb5\xb6\xb7\xb9",
    "ă": "\xa8\xbe\xbb\xbc\xbd\xc6",
    "â": "\xa9\xca\xc7\xc8\xc9\xcb",
    "e": "e\xd0\xcc\xce\xcf\xd1",
    "ê": "\xaa\xd5\xd2\xd3\xd4\xd6",
    "i": "i\xdd\xd7\xd8\xdc\xde",
    "o": "o\xe3\xdf\xe1\xe2\xe4",
    "ô": "\xab\xe8\xe5\xe6\xe7\xe9",
    "ơ": "\xac\xed\xea\xeb\xec\xee",
    "u": "u\xf3\xef\xf1\xf2\xf4",
    "ư": "\xad\xf8\xf5\xf6\xf7\xf9",
    "y": "y\xfd\xfa\xfb\xfc\xfe",
}
TCVN3_OTHER = {
    "đ": "\xae",
    "Ă": "\xa1",
    "Â": "\xa2",
    "Ê": "\xa3",
    "Ô": "\xa4",
    "Ơ": "\xa5",
    "Ư": "\xa6",
    "Đ": "\xa7",
}

# VNI-Windows, same column order, lowercase; a capital is the Latin-1 uppercase of the whole
# sequence (capital base letter, capital mark).
VNI_ROWS = {
    "a": ("a", "aù", "aø", "aû", "aõ", "aï"),
    "ă": ("aê", "aé", "aè", "aú", "aü", "aë"),
    "â": ("aâ", "aá", "aà", "aå", "aã", "aä"),
    "e": ("e", "eù", "eø", "eû", "eõ", "eï"),
    "ê": ("eâ", "eá", "eà", "eå", "eã", "eä"),
    "i": ("i", "í", "ì", "æ", "ó", "ò"),
    "o": ("o", "où", "oø", "oû", "oõ", "oï"),
    "ô": ("oâ", "oá", "oà", "oå", "oã", "oä"),
    "ơ": ("ô", "ôù", "ôø", "ôû", "ôõ", "ôï"),
    "u": ("u", "uù", "uø", "uû", "uõ", "uï"),
    "ư": ("ö", "öù", "öø", "öû", "öõ", "öï"),
    "y": ("y", "yù", "yø", "yû", "yõ", "î"),
}

TO_TCVN3 = {
    u: t for row in UNICODE_ROWS for u, t in zip(UNICODE_ROWS[row], TCVN3_ROWS[row], strict=True)
}
TO_TCVN3.update(TCVN3_OTHER)
TO_VNI = {
    u: v for row in UNICODE_ROWS for u, v in zip(UNICODE_ROWS[row], VNI_ROWS[row], strict=True)
}
TO_VNI["đ"] = "ñ"

ALL_LETTERS = [c for row in UNICODE_ROWS.values() for c in row if not c.isascii()] + ["đ"]


def to_tcvn3(text: str) -> str:
    """NFC Vietnamese -> TCVN3 as read back as Latin-1; KeyError for a capital with a tone."""
    return "".join(c if c.isascii() else TO_TCVN3[c] for c in unicodedata.normalize("NFC", text))


def to_vni(text: str) -> str:
    """NFC Vietnamese -> VNI-Windows as read back as Latin-1."""
    out = []
    for c in unicodedata.normalize("NFC", text):
        if c.isascii():
            out.append(c)
        elif c in TO_VNI:
            out.append(TO_VNI[c])
        else:
            out.append(TO_VNI[c.lower()].upper())
    return "".join(out)


ENCODERS = {"tcvn3": to_tcvn3, "vni": to_vni}


def tcvn3_encodable(text: str) -> bool:
    return all(c.isascii() or c in TO_TCVN3 for c in unicodedata.normalize("NFC", text))


# --- syllables built from onsets, rhymes and tones ---------------------------------------------

ONSETS = (
    "", "b", "c", "ch", "d", "đ", "g", "gi", "h", "kh", "l", "m", "n", "ng", "nh", "ph", "qu",
    "r", "s", "t", "th", "tr", "v", "x",
)  # fmt: skip
RHYMES = (
    "a", "e", "ê", "i", "o", "ô", "ơ", "u", "ư", "ai", "ao", "au", "ay", "âu", "ây", "eo", "êu",
    "ia", "iu", "oa", "oe", "oi", "ôi", "ơi", "ua", "ui", "uy", "ưa", "ưi", "ưu", "iêu", "oai",
    "uôi", "ươi", "ươu",
    "am", "an", "ang", "anh", "ap", "at", "ac", "ach", "ăm", "ăn", "ăng", "ăp", "ăt", "ăc",
    "âm", "ân", "âng", "âp", "ât", "âc", "em", "en", "ep", "et", "êm", "ên", "ênh", "êt", "êch",
    "im", "in", "inh", "ip", "it", "ich", "om", "on", "ong", "op", "ot", "oc", "ôm", "ôn",
    "ông", "ôt", "ôc", "ơm", "ơn", "ơt", "um", "un", "ung", "up", "ut", "uc", "ưng", "ưt", "ưc",
    "iêm", "iên", "iêng", "iêt", "uôn", "uông", "uôt", "uôc", "ươn", "ương", "ươp", "ươt",
    "ươc", "oan", "oang", "oanh", "oat", "oac", "oăn", "oăt", "uân", "uât", "uyên", "uyêt",
    "uynh", "uyt",
)  # fmt: skip
TONE_MARKS = ("", "\u0301", "\u0300", "\u0309", "\u0303", "\u0323")
STOPS = ("c", "ch", "p", "t")


def spell(onset: str, rhyme: str) -> str | None:
    """onset + rhyme with Vietnamese spelling (c/k, g/gh, ng/ngh), or None if not a syllable."""
    front = rhyme[0] in "ieê"
    if onset == "c" and front:
        onset = "k"
    elif onset in ("g", "ng") and front and rhyme[0] != "i":
        onset += "h"
    elif onset == "ng" and front:
        onset = "ngh"
    if onset == "gi" and rhyme[0] == "i":
        return None
    if onset == "qu" and rhyme[0] in "uưo":
        return None
    if onset == "" and rhyme.startswith("iê"):
        return None
    return onset + rhyme


def tone_position(rhyme: str) -> int:
    """Index in ``rhyme`` of the vowel that carries the tone mark."""
    modified = [i for i, c in enumerate(rhyme) if c in "ăâêôơư"]
    if modified:
        return modified[-1]
    vowels = [i for i, c in enumerate(rhyme) if c in "aeiouy"]
    if rhyme[-1] not in "aeiouy" or rhyme in ("oa", "oe", "uy"):
        return vowels[-1]
    return vowels[len(vowels) // 2] if len(vowels) == 3 else vowels[0]


def build_syllables() -> list[str]:
    out = []
    for onset in ONSETS:
        for rhyme in RHYMES:
            spelled = spell(onset, rhyme)
            if spelled is None:
                continue
            head = spelled[: len(spelled) - len(rhyme)]
            pos = tone_position(rhyme)
            tones = (1, 5) if rhyme.endswith(STOPS) else range(6)
            for tone in tones:
                word = head + rhyme[: pos + 1] + TONE_MARKS[tone] + rhyme[pos + 1 :]
                out.append(unicodedata.normalize("NFC", word))
    return out


SYLLABLES = tuple(build_syllables())
LATIN1_SYLLABLES = tuple(s for s in SYLLABLES if all(ord(c) < 0x100 for c in s))


@st.composite
def vietnamese(
    draw: st.DrawFn, min_words: int = 1, pool: tuple[str, ...] = (), tcvn3: bool = False
) -> str:
    """Unicode NFC Vietnamese text of real syllables, some capitalised, with punctuation."""
    words = draw(st.lists(st.sampled_from(pool or SYLLABLES), min_size=min_words, max_size=40))
    out = []
    for i, word in enumerate(words):
        if draw(st.booleans()) and (not tcvn3 or tcvn3_encodable(word[0].upper())):
            word = word[0].upper() + word[1:]
        sep = "" if i == len(words) - 1 else draw(st.sampled_from((" ", " ", " ", ", ", ". ")))
        out.append(word + sep)
    return "".join(out)


# --- the case file ------------------------------------------------------------------------------


def shared_dir() -> Path:
    """shared/ beside the repository (or $DULUAN_SHARED), where the case files live."""
    env = os.environ.get("DULUAN_SHARED")
    return Path(env) if env else Path(__file__).resolve().parents[2].parent / "shared"


def equivalent_forms() -> dict[str, str]:
    path = shared_dir() / "cases" / "feeds-and-text" / "import" / "equivalent-forms.jsonl"
    if not path.is_file():
        pytest.skip(f"case file {path} not found (set DULUAN_SHARED to the shared/ folder)")
    rows = (json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line)
    return {row["id"]: row["text"] for row in rows}


@pytest.mark.parametrize("topic", ["scam", "pos"])
def test_tcvn3_case_lines_convert_exactly(topic: str) -> None:
    forms = equivalent_forms()
    legacy = forms[f"{topic}:tcvn3_legacy"]
    expected = unicodedata.normalize("NFC", forms[f"{topic}:nfc"])
    assert "\xad" in legacy  # "ư": the conversion must see the raw soft hyphens
    assert detect_legacy(legacy) == "tcvn3"
    assert convert_legacy(legacy, "tcvn3") == expected
    assert from_legacy(legacy) == (expected, "tcvn3")


def test_every_other_equivalent_form_is_not_legacy() -> None:
    forms = equivalent_forms()
    others = {key: text for key, text in forms.items() if not key.endswith(":tcvn3_legacy")}
    assert len(others) >= 20
    for key, text in others.items():
        assert detect_legacy(text) is None, key
        assert from_legacy(text) == (text, None), key


# --- the charts -----------------------------------------------------------------------------


def test_test_side_unicode_rows_are_the_tones_they_claim() -> None:
    marks = [unicodedata.lookup("COMBINING " + name) for name in TONE_NAMES[1:]]
    for base, row in UNICODE_ROWS.items():
        assert len(row) == 6
        for tone, letter in enumerate(row):
            decomposed = unicodedata.normalize("NFD", letter)
            assert [decomposed.count(mark) for mark in marks] == [
                int(tone == i) for i in range(1, 6)
            ]
            for mark in marks:
                decomposed = decomposed.replace(mark, "")
            assert decomposed == unicodedata.normalize("NFD", base)
    assert len(ALL_LETTERS) == len(set(ALL_LETTERS)) == 67  # 134 with the capitals


@pytest.mark.parametrize("letter", ALL_LETTERS)
def test_every_letter_converts_from_vni_in_both_cases(letter: str) -> None:
    for form in (letter, letter.upper()):
        assert convert_legacy(to_vni(form), "vni") == form
        assert convert_legacy(to_vni(form + "n"), "vni") == form + "n"


@pytest.mark.parametrize("letter", ALL_LETTERS)
def test_every_lowercase_letter_converts_from_tcvn3(letter: str) -> None:
    assert convert_legacy(to_tcvn3(letter), "tcvn3") == letter
    assert convert_legacy("x" + to_tcvn3(letter) + "x", "tcvn3") == "x" + letter + "x"


def test_tcvn3_capitals_without_tone_marks() -> None:
    for capital in "ĂÂÊÔƠƯĐ":
        assert convert_legacy(to_tcvn3(capital) + "n", "tcvn3") == capital + "n"
    # VN3 has no capitals with tone marks: they cannot be encoded at all
    with pytest.raises(KeyError):
        to_tcvn3("Ấ")


def test_tcvn3_uses_74_distinct_codes() -> None:
    codes = [code for code in TO_TCVN3.values() if not code.isascii()]
    assert len(codes) == len(set(codes)) == 74
    assert all(0xA1 <= ord(code) <= 0xFE for code in codes)


# --- hand-encoded sentences -----------------------------------------------------------------

VNI_SENTENCE = (
    "Ñaø Naüng: UÛy ban nhaân daân thaønh phoá thoâng baùo veà vieäc höôùng daãn ngöôøi daân "
    "ñaêng kyù taïm truù tröïc tuyeán, ÑAÏI HOÏC QUOÁC GIA hoã trôï."
)
VNI_EXPECTED = (
    "Đà Nẵng: Ủy ban nhân dân thành phố thông báo về việc hướng dẫn người dân "
    "đăng ký tạm trú trực tuyến, ĐẠI HỌC QUỐC GIA hỗ trợ."
)
TCVN3_SENTENCE = (
    "\xa4ng \xa7\xc6ng V\xa8n \xa2n v\xb5 b\xb5 \xa6ng Th\xde \xa3m \xeb \xa7\xb5 N\xbdng "
    "\xae\xb7 \xae\xad\xeec UBND th\xb5nh ph\xe8 c\xcap gi\xcay ch\xf8ng nh\xcbn."
)
TCVN3_EXPECTED = (
    "Ông Đặng Văn Ân và bà Ưng Thị Êm ở Đà Nẵng đã được UBND thành phố cấp giấy chứng nhận."
)


def test_vni_words() -> None:
    assert convert_legacy("Vieät Nam", "vni") == "Việt Nam"
    assert convert_legacy("Thoâng baùo", "vni") == "Thông báo"
    assert convert_legacy("ñöôïc ngöôøi Ñoàng", "vni") == "được người Đồng"


@pytest.mark.parametrize(
    ("legacy", "expected", "encoding"),
    [(VNI_SENTENCE, VNI_EXPECTED, "vni"), (TCVN3_SENTENCE, TCVN3_EXPECTED, "tcvn3")],
)
def test_hand_encoded_sentences_with_capitals(legacy: str, expected: str, encoding: str) -> None:
    assert detect_legacy(legacy) == encoding
    assert from_legacy(legacy) == (expected, encoding)
    assert ENCODERS[encoding](expected) == legacy


def test_tcvn3_word_typed_with_caps_lock_in_capitals_font() -> None:
    assert convert_legacy("TH\xabNG B\xb8O: NG\xa6\xeaI D\xa9N", "tcvn3") == "THÔNG BÁO: NGƯỜI DÂN"
    # one capital: an ordinary capitalised word
    assert convert_legacy("\xa7\xb5 N\xbdng", "tcvn3") == "Đà Nẵng"


def test_unknown_encoding_raises() -> None:
    with pytest.raises(ValueError, match="unknown legacy encoding"):
        convert_legacy("abc", "viscii")
    assert convert_legacy("Vieät", " VNI ") == "Việt"


@pytest.mark.parametrize("encoding", LEGACY_ENCODINGS)
def test_convert_keeps_ascii_and_non_latin1(encoding: str) -> None:
    text = "OTP 123456 https://example.com/a?b=c 中文 😀 – “quoted”"
    assert convert_legacy(text, encoding) == text


# --- what must never be detected ----------------------------------------------------------

NEGATIVES = [
    "",
    "Thông báo từ cơ quan thuế: quý khách được hoàn thuế.",
    unicodedata.normalize("NFD", "Thông báo từ cơ quan thuế: quý khách được hoàn thuế."),
    "Tôi là Nam, có nhà ở Hà Nội, bà tôi có cá và gà.",
    "Khánh Hoà hoàn thành số hoá, ai cũng hài lòng và khoẻ.",
    "Thong bao tu co quan thue: quy khach duoc hoan thue",
    "The quick brown fox jumps over the lazy dog.",
    "Le café crème à l'hôtel, où est Noël ? Il est là-bas, où tu sais, très près du théâtre.",
    "Noël",
    "où",
    "Größe über alles: schön für Mädchen, Bäume und Öl.",
    "El año pasado el señor Núñez comió piñata en España.",
    "«Bonjour», dit-il. « Ça va ? » — « Très bien »",
    "© 2024 Duluan. Samsung® Galaxy™ and Apple® iPhone® are registered trademarks ®.",
    "Price: £ 5, ½ cup, 20 °C, ± 3, µm, ¿qué?, ¡olé!",
    "£ ¥ ¦ « ª",
    "naïve",
    "Th«ng b¸o",
    "ngöôøi",
    "🎉🔥 Tuyệt vời quá 😍👍 #vietnam",
    "https://example.com/caf%C3%A9?q=né&r=ö&s=ñ",
    "dû tôt né thé sí más qué tú sé",
    "São Paulo, ação, não, então, irmão, coração",
    "Dansk: blåbærgrød, øl og æbler; Svenska: smörgåsbord",
]


@pytest.mark.parametrize("text", NEGATIVES)
def test_negatives_are_not_legacy(text: str) -> None:
    assert detect_legacy(text) is None
    assert from_legacy(text) == (text, None)


# --- properties ---------------------------------------------------------------------------


@given(vietnamese())
def test_unicode_vietnamese_is_never_legacy(text: str) -> None:
    assert detect_legacy(text) is None
    assert from_legacy(text) == (text, None)
    nfd = unicodedata.normalize("NFD", text)
    assert from_legacy(nfd) == (nfd, None)


@given(vietnamese(pool=LATIN1_SYLLABLES))
def test_unicode_vietnamese_with_only_latin1_letters_is_never_legacy(text: str) -> None:
    # no ơ ư ă đ or U+1Exx letter to give it away: only the syllable check can tell
    assert detect_legacy(text) is None
    assert from_legacy(text) == (text, None)


@given(vietnamese(tcvn3=True))
def test_tcvn3_round_trip(text: str) -> None:
    assert convert_legacy(to_tcvn3(text), "tcvn3") == text


@given(vietnamese())
def test_vni_round_trip(text: str) -> None:
    assert convert_legacy(to_vni(text), "vni") == text


VIETNAMESE_ALPHABET = frozenset(
    string.ascii_letters + "".join(ALL_LETTERS) + "".join(ALL_LETTERS).upper()
)


def reads_as_unicode(word: str) -> bool:
    """Could ``word`` be a Unicode Vietnamese word (only its letters, no capital mid-word)?"""
    return set(word) <= VIETNAMESE_ALPHABET and (word.islower() or word.istitle() or word.isupper())


def has_evidence(text: str, encoding: str) -> bool:
    """The legacy form of ``text`` shows itself: 3+ different words with an ASCII letter, and 30%
    of all its non-ASCII words, use characters or capitals no Unicode Vietnamese word has.

    Without that (say eight times "cú", whose TCVN3 form is the Unicode word "có") the text is
    truly ambiguous and must be left alone. Random eight-word texts have it well over 99% of
    the time (test_random_eight_word_texts_are_detected)."""
    encoded = [ENCODERS[encoding](word) for word in re.findall(r"[^\W\d_]+", text)]
    foreign = [word for word in encoded if not word.isascii()]
    clear = [word for word in foreign if not reads_as_unicode(word)]
    distinct = {word for word in clear if re.search("[A-Za-z]", word)}
    # … and a legacy code other than a letter with a diaeresis (those alone are spam's
    # decoration: test_diaeresis_decoration_is_not_legacy) …
    codes = {c for word in foreign for c in word if "\xa1" <= c <= "\xff"}
    # … and most words carry a mark, as in real text (detect_legacy's 45% rule).
    return (
        not codes <= set("äëïöüÿÄËÏÖÜ")
        and len(distinct) >= 3
        and len(clear) >= 0.3 * len(foreign)
        and len(foreign) >= 0.45 * len(encoded)
    )


@given(vietnamese(min_words=8, tcvn3=True))
def test_tcvn3_of_eight_words_is_detected(text: str) -> None:
    assume(has_evidence(text, "tcvn3"))
    assert from_legacy(to_tcvn3(text)) == (text, "tcvn3")


@given(vietnamese(min_words=8))
def test_vni_of_eight_words_is_detected(text: str) -> None:
    assume(has_evidence(text, "vni"))
    assert from_legacy(to_vni(text)) == (text, "vni")


@pytest.mark.parametrize("encoding", LEGACY_ENCODINGS)
def test_random_eight_word_texts_are_detected(encoding: str) -> None:
    rng = random.Random(20240601)
    texts = [" ".join(rng.choices(SYLLABLES, k=8)) for _ in range(2000)]
    found = [from_legacy(ENCODERS[encoding](text)) for text in texts]
    assert all(name in (encoding, None) for _, name in found)  # never the other encoding
    missed = sum(result != (text, encoding) for text, result in zip(texts, found, strict=True))
    assert missed <= 10, missed  # about 1 in 2000 in practice


@given(
    st.text(st.characters(max_codepoint=0x7E, min_codepoint=0x20), max_size=200),
    st.characters(min_codepoint=0xA1, max_codepoint=0xFF),
    st.integers(min_value=0),
)
def test_one_stray_latin1_character_is_not_legacy(text: str, char: str, where: int) -> None:
    where %= len(text) + 1
    mixed = text[:where] + char + text[where:]
    assert detect_legacy(mixed) is None


@settings(max_examples=30)
@given(st.lists(st.sampled_from(SYLLABLES), min_size=1, max_size=30))
def test_legacy_embedded_in_unicode_prose_is_left_alone(words: list[str]) -> None:
    # a real Unicode Vietnamese document quoting a few legacy words is still Unicode
    prose = " ".join(words) + " " + "người dân được hưởng lợi ích từ điều đó. " * 5
    legacy = to_tcvn3("thông báo"), to_vni("thông báo")
    text = f"{prose} {legacy[0]} {legacy[1]}"
    assert detect_legacy(text) is None


# --- speed --------------------------------------------------------------------------------


def test_100kb_is_fast() -> None:
    sentence = "Khánh Hòa hoàn thành số hóa hồ sơ y tế, người dân hài lòng và tin tưởng. "
    plain = (sentence * (100_000 // len(sentence) + 1))[:100_000]
    start = time.perf_counter()
    assert detect_legacy(plain) is None
    elapsed = time.perf_counter() - start
    assert elapsed < 0.25, elapsed  # about 5 ms on a quiet machine; generous for a busy one
    legacy = to_tcvn3(plain)
    start = time.perf_counter()
    assert from_legacy(legacy) == (plain, "tcvn3")
    assert time.perf_counter() - start < 2.0


def test_unaccented_text_with_a_few_look_alike_letters_is_not_legacy() -> None:
    """Smishing that swaps a few letters for look-alikes to dodge filters (the UIT IE403 SMS
    corpus has such messages) is Vietnamese typed without diacritics, not TCVN3: left as is."""
    for text in (
        "Co Høi nhän qua häp dan, nap dau 88k nhän 88k ngay hom nay, lien he ngay",
        "Kiem tien 500k moi ngay chi cän 20 phut, töi huong dän ban tu dau",
    ):
        assert detect_legacy(text) is None
        assert from_legacy(text) == (text, None)


@pytest.mark.parametrize(
    "text",
    [
        "chöi TLMN, X.öc-Dïa, Näp",
        "Näp län däu x3, Rüt tiën sieu töc, chöi gäme bäi",
        "NÄP ÐÂU TËNG CÖDE, RÜT NHÄNH",
    ],
)
def test_diaeresis_decoration_is_not_legacy(text: str) -> None:
    """Unaccented spam decorated with diaeresis letters ("Näp" for "Nạp") was read as TCVN3
    ("Nọp", "chửi"); its Latin-1 letters are all ä ë ï ö ü ÿ, which real legacy text never is."""
    assert detect_legacy(text) is None
    assert from_legacy(text) == (text, None)


def test_real_tcvn3_with_diaeresis_letters_still_converts() -> None:
    """A TCVN3 text keeps converting when it uses ä ö (ọ ử) beside its other codes."""
    text = "Häc sinh tr­êng nµy ®· chöa xong bµi tËp vÒ nhµ"
    assert from_legacy(text)[1] == "tcvn3"
