"""Vietnamese text for the models: the one text key, teencode, URLs, word segmentation.

Normalisation is :func:`core.text.clean`, the same key the collector, the importer, the clusters
and search use. The only module that imports underthesea; only ``word_tokenize`` is used (its
model ships inside the wheel).
``underthesea.classify``/``sentiment``/``lang_detect`` download models at run time and are never called.
"""

from __future__ import annotations

import functools
import re
import unicodedata

from confusable_homoglyphs import categories as confusable_categories
from confusable_homoglyphs import confusables
from underthesea import word_tokenize

# Re-exported: every package folds and cleans text one way.
from core.text import clean as clean
from core.text import fold as fold

_SPACE_RE = re.compile(r"\s+")
_WORD_RE = re.compile(r"(?<![\w/-])\w+(?![\w/-])", re.UNICODE)
_TLDS = (
    r"(?:com|net|org|vn|xyz|top|vip|online|club|live|cc|info|biz|site|shop|link|click|ly|me|io|co|"
    r"app|pro|icu|buzz|fun|tk|ml|ga|cf|gq|pw|sbs|cfd|asia|"
    # the other odd TLDs of ``nlp.links.ODD_TLDS`` and a few common new ones ("meta-business-
    # support.help/verify", probe U)
    # (lower case only: "roi.Win luon", "muc 2.Help desk" are sentences run together)
    r"(?-i:work|rest|cyou|monster|lol|help|support|bond|win|loan|bid|quest|email|services|website|"
    r"store|space|tech|cloud|today|life|world))"
)
_LABEL = r"[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?"
_URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    # Bare host names as scams write them ("bit.ly/abc", "vneid-gov.xyz/xt"), for common TLDs only.
    # (only where a token starts, not after each of its dots: a run of 100,000 "1.0" stays linear)
    rf"|\b(?<![\w.-])(?:{_LABEL}\.)+{_TLDS}"
    r"\b(?:/[^\s<>\"']*)?"
    # a bare IP address with a path or a port ("103.45.67.89/xacthuc"; a version "4.0.1.2" has none)
    r"|\b(?<![\w.-])(?:\d{1,3}\.){3}\d{1,3}(?::\d{2,5})?/[^\s<>\"']*",
    re.IGNORECASE,
)
# A link written so that it is not clickable, to get past filters, for the reader to type:
# "vcb-xacthuc . com", "vcb-xacthuc[.]com", "vcb-xacthuc(.)com", "vcb-xacthuc chấm com",
# "dichvucong [dot] gov [dot] vn", "vcb-xacthuc / com" — a dot in brackets, a dot or a slash
# between spaces before the top-level domain, or the word for a dot.
# Only top-level domains that are no Vietnamese word when written without accents ("co" is
# "có", "me" "mẹ", "ly" "ly"), and for the spelt-out dot only the commonest.
_DEFANG = r"(?:\s*[\[({]\s*(?:\.|dot|cham|chấm)\s*[\])}]\s*|\s+\.\s+|\s+(?:dot|chấm|cham)\s+)"
_DEFANGED_RE = re.compile(
    # (at most four labels: a run of "a . a . a …" stays linear)
    rf"\b(?<![\w.-])(?:{_LABEL}(?:\.|{_DEFANG})){{0,3}}{_LABEL}(?:"
    r"(?:\s*[\[({]\s*(?:\.|dot|cham|chấm)\s*[\])}]\s*|\s+[./]\s+)"
    r"(?:com|net|org|vn|xyz|top|vip|online|club|live|info|biz|site|shop|click|icu|buzz|tk|pw|sbs|"
    r"cfd|asia)"
    r"|\s+(?:dot|chấm|cham)\s+(?:com|net|org|vn))\b(?![\w-]|\.\w)",
    re.IGNORECASE,
)
_DEFANG_RE = re.compile(_DEFANG, re.IGNORECASE)
_SPACED_SLASH = re.compile(r"\s+/\s+")
# what any link written apart holds (one quick scan: most texts hold none)
_DEFANG_HINT = re.compile(
    r"[\[({]\s*(?:\.|dot|cham|chấm)|\s[./]\s|\s(?:dot|chấm|cham)\s", re.IGNORECASE
)
# Letters of other scripts that a look-alike host may borrow (Greek, Cyrillic, fullwidth forms):
# only a text with one of them is searched again on its Latin reading (:func:`latin_letter`).
_OTHER_SCRIPT_RE = re.compile(
    r"[\u0370-\u03ff\u0400-\u052f\uff01-\uff5e\U0001d400-\U0001d7ff\u3002\uff61\u2024\u00b7\u2010\u2011]"
)
# ... and the dots and hyphens other scripts write ("vcb-xacthuc。com", "．", "․", "·", "－"), read as
# "." and "-" in that reading (one character each: spans map back)
_DOT_LIKE = str.maketrans(
    {
        "\u3002": ".",
        "\uff0e": ".",
        "\uff61": ".",
        "\u2024": ".",
        "\u00b7": ".",
        "\uff0d": "-",
        "\u2010": "-",
        "\u2011": "-",
    }
)

# Social-media short forms → standard words. Written for duluan (the commonest forms, unambiguous
# in our domain); keys are accent-folded lower case. Ambiguous one-letter forms (t, m, e) are left out.
TEENCODE: dict[str, str] = {
    "ko": "khong",
    "k": "khong",
    "kh": "khong",
    "khum": "khong",
    "hok": "khong",
    "hong": "khong",
    "kg": "khong",
    "kp": "khong phai",
    "dc": "duoc",
    "dk": "duoc",
    "j": "gi",
    "gj": "gi",
    "vs": "voi",
    "ms": "moi",
    "mn": "moi nguoi",
    "mng": "moi nguoi",
    "ng": "nguoi",
    "ngta": "nguoi ta",
    "r": "roi",
    "rùi": "roi",
    "rui": "roi",
    "z": "vay",
    "v": "vay",
    "bik": "biet",
    "bit": "biet",
    "bj": "bay gio",
    "bh": "bay gio",
    "h": "gio",
    "ntn": "nhu the nao",
    "trc": "truoc",
    "sd": "su dung",
    "tk": "tai khoan",
    "stk": "so tai khoan",
    "nh": "ngan hang",
    "ck": "chuyen khoan",
    "cccd": "can cuoc cong dan",
    "cmnd": "chung minh nhan dan",
    "dvc": "dich vu cong",
    "cds": "chuyen doi so",
    "khcn": "khoa hoc cong nghe",
    "dmst": "doi moi sang tao",
    "nq": "nghi quyet",
    "tw": "trung uong",
    "ubnd": "uy ban nhan dan",
    "sdt": "so dien thoai",
    "dt": "dien thoai",
    "lq": "lien quan",
    "qa": "qua",
    "wa": "qua",
    "oy": "roi",
    "ak": "a",
    "ah": "a",
    "ukm": "uh",
    "cx": "cung",
    "cg": "cung",
    "thik": "thich",
    "iu": "yeu",
    "nhìu": "nhieu",
    "nhiu": "nhieu",
    "bn": "bao nhieu",
    "ib": "nhan tin",
    "inbox": "nhan tin",
    "fb": "facebook",
    "app": "ung dung",
    "ad": "quan tri",
    "ok": "dong y",
    "oke": "dong y",
    "sp": "san pham",
    "kt": "kiem tra",
    "vnd": "dong",
}

# Only the short forms themselves, as whole words (``_WORD_RE``'s boundaries): a substitution
# callback per short form rather than per word (bench/nlp.py).
_TEENCODE_RE = re.compile(
    r"(?<![\w/-])(?:"
    + "|".join(re.escape(k) for k in sorted(TEENCODE, key=len, reverse=True))
    + r")(?![\w/-])",
    re.UNICODE,
)


def normalize(text: str) -> str:
    """The models' normalisation: :func:`core.text.clean` (NFC, invisible characters removed,
    legacy encodings converted, one tone placement, spaces folded); idempotent."""
    return clean(text)


def expand_teencode(folded: str) -> str:
    """Replace social-media short forms in accent-folded text by their standard words (a whole
    word of ``TEENCODE``, delimited as ``_WORD_RE`` delimits words)."""
    return _TEENCODE_RE.sub(lambda m: TEENCODE[m.group(0)], folded)


# Characters that spammers put in place of letters to get past filters ("KH0NG", "d!eu k!en",
# "n4p d4u", "t3legram"): read as that letter only between two letters of the same word.
_LEET = {"0": "o", "1": "i", "3": "e", "4": "a", "@": "a", "!": "i", "$": "s"}
_LEET_RE = re.compile(r"(?<=[a-z])[0134@!$](?=[a-z])")
# Words strung together with separators ("QUA-HAN-SE-KH0NG", "nap_dau"): read as spaces.
_JOINER_RE = re.compile(r"(?<=[a-z]{2})[-_~](?=[a-z]{2})")
# The reverse: a letter O for a zero inside a number ("1OO%", "6OOk", "5O NGÀN").
_O_IN_NUMBER_RE = re.compile(r"(?<![\w.,])\d[\do]*o[\do]*(?=(?:k|tr|d)?\b)")


@functools.lru_cache(maxsize=4096)
def latin_letter(char: str) -> str:
    """The plain lower-case Latin letter or digit a non-Vietnamese look-alike stands for, else
    ``char``: an accented letter ("ä", "ø", "å", "ṱ"), a fullwidth or mathematical form ("ＯＴＰ",
    "𝐎𝐓𝐏", "０９"; NFKD), a Cyrillic or Greek homoglyph ("ОТР", "ѕmѕ", "αpp"; the Latin
    confusable of Unicode TR39's table, via ``confusable_homoglyphs``)."""
    if char.isascii() or not char.isalnum():
        return char
    base = unicodedata.normalize("NFKD", char)[0]
    if base.isascii() and base.isalnum():
        return base.lower()
    special = {"ø": "o", "ł": "l", "ß": "s", "đ": "d"}.get(char)
    if special is not None:
        return special
    if confusable_categories.alias(char) not in ("LATIN", "COMMON"):
        found = confusables.is_confusable(char, preferred_aliases=["latin"], greedy=True) or []
        for homoglyph in found[0]["homoglyphs"] if found else []:
            latin = str(homoglyph["c"])
            if len(latin) == 1 and latin.isascii() and latin.isalpha():
                return latin.lower()
    return char


def unmask(folded: str) -> str:
    """Undo the letter masks of spam in accent-folded text, keeping the length (so spans still map
    back): a digit or symbol between two letters is read as the letter it imitates (``_LEET``),
    an ``o`` inside a number as ``0``, a non-Vietnamese accented letter left by folding
    ("näp", "høi") as its base letter, and ``-``, ``_`` or ``~`` between two words as a space.
    Fullwidth and mathematical letters and digits, and Cyrillic or Greek homoglyphs of Latin
    letters, are read as those letters (:func:`latin_letter`).
    Text without digits, ``@!$-_~`` or such letters is returned unchanged; idempotent.

    Source: written for duluan from the masks seen in real spam SMS (IE403 corpus, read only as
    a benchmark)."""
    if not folded.isascii():
        folded = "".join(latin_letter(c) for c in folded)
    folded = _O_IN_NUMBER_RE.sub(lambda m: m.group(0).replace("o", "0"), folded)
    folded = _LEET_RE.sub(lambda m: _LEET[m.group(0)], folded)
    return _JOINER_RE.sub(" ", folded)


def key(text: str) -> str:
    """Accent-free matching key: normalise, fold, expand teencode, collapse spaces."""
    return _SPACE_RE.sub(" ", expand_teencode(fold(normalize(text)))).strip()


def borrows_letters(text: str) -> bool:
    """Whether ``text`` holds a letter, digit, dot or hyphen of another script or form that a
    Latin one could be taken for (Greek, Cyrillic, fullwidth, mathematical; "。", "·")."""
    return _OTHER_SCRIPT_RE.search(text) is not None


def latin_reading(text: str) -> str:
    """``text`` with each look-alike letter or digit read as its Latin one (:func:`latin_letter`,
    lower-cased) and other scripts' dots and hyphens as "." and "-"; the same length, so spans
    map back."""
    return "".join(latin_letter(c) for c in text).translate(_DOT_LIKE)


def urls(text: str) -> list[tuple[int, int, str]]:
    """URLs in ``text`` as (start, end, url) in order of ``start``, trailing punctuation trimmed.

    Besides links as written, also: links written apart so that they cannot be clicked
    ("vcb-xacthuc . com", "vcb-xacthuc[.]com", "… chấm com"), whose ``url`` is the host joined
    again ("vcb-xacthuc.com") while the span covers what is written; and links whose letters are
    borrowed from another script ("vіettel.vn" with a Cyrillic "і", "ｖｃｂ.com"), found on the
    text's Latin reading, whose ``url`` is what is written (``nlp.signals.url_signals`` names
    the host it imitates)."""
    found = []
    for m in _URL_RE.finditer(text):
        url = m.group(0).rstrip(".,;:!?)]}»\"'")
        found.append((m.start(), m.start() + len(url), url))
    taken = [(a, b) for a, b, _ in found]

    def free(a: int, b: int) -> bool:
        return not any(a < y and x < b for x, y in taken)

    for m in _DEFANGED_RE.finditer(text) if _DEFANG_HINT.search(text) else ():
        if free(m.start(), m.end()):
            found.append(
                (
                    m.start(),
                    m.end(),
                    _SPACED_SLASH.sub(".", _DEFANG_RE.sub(".", m.group(0))).lower(),
                )
            )
            taken.append((m.start(), m.end()))
    if borrows_letters(text):
        latin = latin_reading(text)
        for m in _URL_RE.finditer(latin):
            url = m.group(0).rstrip(".,;:!?)]}»\"'")
            a, b = m.start(), m.start() + len(url)
            if text[a:b] != url and free(a, b):
                found.append((a, b, text[a:b]))
                taken.append((a, b))
    return sorted(found)


def segment(text: str) -> str:
    """Word-segmented text with syllables joined by '_' (underthesea ``word_tokenize``)."""
    text = normalize(text)
    return word_tokenize(text, format="text") if text else ""
