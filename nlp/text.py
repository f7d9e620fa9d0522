"""Vietnamese text for the models: the one text key, teencode, URLs, word segmentation.

Normalisation is :func:`core.text.clean`, the same key the collector, the importer, the clusters
and search use. The only module that imports underthesea; only ``word_tokenize`` is used (its
model ships inside the wheel).
``underthesea.classify``/``sentiment``/``lang_detect`` download models at run time and are never called.
"""

from __future__ import annotations

import re

from underthesea import word_tokenize

from core.text import clean, fold  # re-exported: every package folds and cleans text one way

_SPACE_RE = re.compile(r"\s+")
_WORD_RE = re.compile(r"(?<![\w/-])\w+(?![\w/-])", re.UNICODE)
_URL_RE = re.compile(
    r"(?:https?://|www\.)[^\s<>\"']+"
    # Bare host names as scams write them ("bit.ly/abc", "vneid-gov.xyz/xt"), for common TLDs only.
    r"|\b(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+(?:com|net|org|vn|xyz|top|vip|online|club|live|cc|"
    r"info|biz|site|shop|link|click|ly|me|io|co|app|pro|icu|buzz|fun|tk|ml|ga|cf|gq|pw|sbs|cfd|asia)"
    r"\b(?:/[^\s<>\"']*)?",
    re.IGNORECASE,
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


def normalize(text: str) -> str:
    """The models' normalisation: :func:`core.text.clean` (NFC, invisible characters removed,
    legacy encodings converted, one tone placement, spaces folded); idempotent."""
    return clean(text)


def expand_teencode(folded: str) -> str:
    """Replace social-media short forms in accent-folded text by their standard words."""
    return _WORD_RE.sub(lambda m: TEENCODE.get(m.group(0), m.group(0)), folded)


def key(text: str) -> str:
    """Accent-free matching key: normalise, fold, expand teencode, collapse spaces."""
    return _SPACE_RE.sub(" ", expand_teencode(fold(normalize(text)))).strip()


def urls(text: str) -> list[tuple[int, int, str]]:
    """URLs in ``text`` as (start, end, url), trailing punctuation trimmed."""
    found = []
    for m in _URL_RE.finditer(text):
        url = m.group(0).rstrip(".,;:!?)]}»\"'")
        found.append((m.start(), m.start() + len(url), url))
    return found


def segment(text: str) -> str:
    """Word-segmented text with syllables joined by '_' (underthesea ``word_tokenize``)."""
    text = normalize(text)
    return word_tokenize(text, format="text") if text else ""
