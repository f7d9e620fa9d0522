"""Bytes of unknown or misdeclared encoding → text (feeds for feedparser; imported CSV files).

Real feeds and exports get their encoding wrong in a few recurring ways: whitespace before the XML
declaration (so parsers ignore it), a handful of stray bytes in a UTF-8 body, a declaration that
contradicts the bytes, Vietnamese text in windows-1258 (whose tone marks are combining characters).
``decode_feed`` turns such a body into UTF-8 XML that feedparser reads right; ``decode_bytes`` is the
part without the XML, shared with the importer.

Rules, in order:

1. A byte-order mark (UTF-8, UTF-16, UTF-32; after leading ASCII whitespace too) wins; so do the
   zero-byte patterns of BOM-less UTF-16/32.
2. Valid UTF-8 containing multi-byte sequences is UTF-8 whatever is declared; pure ASCII is read
   as the first ASCII-compatible declaration says (it makes no difference).
3. UTF-8 with a few invalid sequences (``_mostly_utf8``: at least one valid multi-byte sequence,
   and invalid runs at most 1% of the non-ASCII sequences, or at most 20 and at most a tenth of
   the valid multi-byte ones) is UTF-8 with only the damaged characters replaced by U+FFFD and a
   note counting the bad bytes. A few bad bytes never send the whole body to another charset.
4. Otherwise the declarations are tried in order (HTTP charset, then the XML declaration); the
   first that is ASCII-compatible, not UTF-8, and decodes every byte is used (ISO-8859-1 is read
   as windows-1252, as browsers do). A Western declaration (ISO-8859-1, windows-1252,
   ISO-8859-15) whose bytes read as Vietnamese in windows-1258 (at least
   ``MIN_VIETNAMESE_SHARE`` of the letters are Vietnamese-only) is read as windows-1258.
5. Otherwise ``detect_encoding``: charset_normalizer's candidates; among single-byte ones (and
   windows-1258, always compared with Latin guesses) the reading with more Vietnamese letters
   after NFC wins (``prefer_vietnamese``). Nothing detected: UTF-8 with replacement, and a note.

Every declaration that contradicts what was used is named in the note. windows-1258 text is
NFC-normalised: its tone marks are combining characters by construction.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import charset_normalizer

from core.legacy import is_syllable

# Rule 3: how damaged a UTF-8 body may be and still be read as UTF-8.
MAX_BAD_SHARE = 0.01  # invalid sequences / non-ASCII sequences
MAX_BAD_FEW = 20  # ... or this many, if they are at most a tenth of the valid multi-byte ones
# Rule 4: a Western declaration is overridden by windows-1258 only if the windows-1258 reading has
# at least this share of Vietnamese-only letters among its letters (Western languages: < 1%).
MIN_VIETNAMESE_SHARE = 0.05
# Detector candidates compared for the Vietnamese preference.
MAX_CANDIDATES = 8
# Fewer non-ASCII bytes than this do not make a multi-byte guess (Big5, Shift-JIS…) certain.
MIN_MULTIBYTE_EVIDENCE = 32

_VIETNAMESE = frozenset("ăâđêôơưĂÂĐÊÔƠƯ") | frozenset(map(chr, range(0x1EA0, 0x1EFA)))
# Letters that windows-1258 gives and Western code pages cannot (â ê ô are in both).
_VIETNAMESE_ONLY = _VIETNAMESE - frozenset("âêôÂÊÔ")
_WESTERN = frozenset({"cp1252", "iso8859-1", "iso8859-15"})
# Latin code pages a detector confuses with windows-1258.
_LATIN = _WESTERN | {"cp1250", "cp1254", "cp1257", "iso8859-2", "iso8859-9", "mac-roman"}
# Codecs Python knows that are not charsets a document may declare.
_REFUSED = frozenset(
    {"idna", "punycode", "unicode-escape", "raw-unicode-escape", "utf-7", "undefined", "mbcs"}
)
_BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_XML_WS = b" \t\r\n"
_XML_DECL_BYTES = re.compile(rb"<\?xml\s[^>]{0,500}?\?>")
_ENCODING_ATTR_BYTES = re.compile(rb"\sencoding\s*=\s*([\"'])([A-Za-z][A-Za-z0-9._:-]{0,60})\1")
_XML_DECL = re.compile(r"<\?xml(\s[^>]*?)?\?>")
_ENCODING_ATTR = re.compile(r"(\sencoding\s*=\s*)([\"'])[^\"']*\2")
_VERSION_ATTR = re.compile(r"(\sversion\s*=\s*([\"'])[^\"']*\2)")
_CHARSET_PARAM = re.compile(r"charset\s*=\s*[\"']?([^\"';,\s]+)", re.IGNORECASE)
_BAD_RUN = re.compile("[\udc80-\udcff]+")
_NON_ASCII = re.compile("[^\x00-\x7f]")
_SAMPLE = 200_000  # characters scored for the Vietnamese preference
# C0 controls other than tab, LF, VT, FF, CR: text holds none, or a stray few.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")
_UTF8 = "utf-8"


@dataclass(frozen=True)
class DecodedBody:
    """A feed body ready for feedparser.

    ``body``: UTF-8 XML without leading whitespace or BOM whose XML declaration (if it has one, or
    one added when it starts with ``<``) says ``encoding="utf-8"``; ``encoding``: the Python codec
    the bytes were read as (e.g. ``"utf-8"``, ``"cp1258"``); ``note``: plain English for the feed's
    health, ``None`` when the body was clean and correctly declared.
    """

    body: bytes
    encoding: str
    note: str | None


@dataclass(frozen=True)
class DecodedText:
    """Text from bytes, read as the Python codec ``encoding``; ``note`` says what was wrong, if
    anything. ``encoding`` is ``None`` when the bytes look like no text: then ``text`` is UTF-8
    with replacement characters. ``ambiguous`` is true when a detected encoding was chosen among
    readings that were equally likely. ``candidates``: what detection compared (codec names, most
    likely first), empty when no detection was needed."""

    text: str
    encoding: str | None
    note: str | None
    candidates: tuple[str, ...] = ()
    ambiguous: bool = False


@dataclass(frozen=True)
class Detection:
    """What ``detect_encoding`` found: the chosen codec and its text (``None``, ``None`` when the
    bytes look like no text), the candidates compared, and whether two different readings were
    equally likely (``ambiguous``; the first in detector order was chosen)."""

    encoding: str | None
    text: str | None
    candidates: tuple[str, ...]
    ambiguous: bool = False


@dataclass(frozen=True)
class _Utf8Damage:
    multibyte: int  # valid multi-byte sequences
    bad_bytes: int
    bad_runs: int  # runs of adjacent invalid bytes (≈ damaged characters)


def vietnamese_letters(text: str) -> int:
    """How many Vietnamese letters ``text`` holds after NFC: U+1EA0–U+1EF9 and ăâđêôơư, capitals."""
    return sum(
        1 for ch in _NON_ASCII.findall(unicodedata.normalize("NFC", text)) if ch in _VIETNAMESE
    )


def looks_binary(text: str) -> bool:
    """True when decoded ``text`` holds a NUL or more than 1% of other C0 control characters."""
    return "\x00" in text or len(_CONTROL.findall(text)) * 100 > len(text)


def charset_label(codec: str) -> str:
    """The name people know a Python codec by: ``cp1258`` → ``windows-1258``."""
    name = codecs.lookup(codec).name
    if name.startswith("cp125"):
        return "windows-" + name[2:]
    return {"iso8859-1": "ISO-8859-1", "iso8859-15": "ISO-8859-15"}.get(name, name)


def resolve_codec(label: str) -> str | None:
    """Python's codec name for a charset label (``"Windows-1258"`` → ``"cp1258"``), or ``None`` for
    an unknown label or one that is not a document charset (``rot13``, ``idna``, ``utf-7``…)."""
    try:
        info = codecs.lookup(label.strip().strip("\"'"))
    except (LookupError, ValueError):
        return None
    if not getattr(info, "_is_text_encoding", True) or info.name in _REFUSED:
        return None
    return info.name


@lru_cache(maxsize=64)
def _single_byte(codec: str) -> bool:
    """True when every byte decodes on its own (charmap codecs), whatever its neighbours."""
    every = bytes(range(256))
    try:
        together = every.decode(codec, "replace")
        apart = "".join(bytes([b]).decode(codec, "replace") for b in every)
    except (LookupError, ValueError, TypeError):
        return False
    return together == apart


@lru_cache(maxsize=64)
def _ascii_compatible(codec: str) -> bool:
    probe = "<?xml version=\"1.0\" encoding='x'?>\n<rss>az AZ 09 &amp;</rss>"
    try:
        return probe.encode("ascii").decode(codec) == probe
    except (LookupError, ValueError, TypeError):
        return False


def _utf8_family(codec: str) -> bool:
    return codec in (_UTF8, "utf-8-sig")


def _utf8_damage(data: bytes) -> _Utf8Damage:
    try:
        text = data.decode(_UTF8)
    except UnicodeDecodeError:
        text = data.decode(_UTF8, "surrogateescape")  # each invalid byte → U+DC80..U+DCFF
    runs = _BAD_RUN.findall(text)
    bad = sum(map(len, runs))
    non_ascii = len(text) - len(text.encode("ascii", "ignore"))
    return _Utf8Damage(multibyte=non_ascii - bad, bad_bytes=bad, bad_runs=len(runs))


def _mostly_utf8(d: _Utf8Damage) -> bool:
    if d.multibyte == 0:
        return False
    if d.bad_runs <= MAX_BAD_SHARE * (d.multibyte + d.bad_runs):
        return True
    return d.bad_runs <= MAX_BAD_FEW and d.bad_runs * 10 <= d.multibyte


def _bom(data: bytes) -> tuple[str, bytes] | None:
    for candidate in (data, data.lstrip(_XML_WS)):
        for mark, codec in _BOMS:
            if candidate.startswith(mark):
                return codec, candidate[len(mark) :]
    return None


def _wide_without_bom(data: bytes) -> str | None:
    """UTF-16/32 without a BOM, told by where the zero bytes of ASCII characters fall."""
    sample = data[:512]
    if len(sample) < 8:
        return None
    n4 = len(sample) // 4 * 4
    by4 = [sum(1 for i in range(k, n4, 4) if sample[i] == 0) / (n4 // 4) for k in range(4)]
    if by4[1] > 0.9 and by4[2] > 0.9 and by4[3] > 0.9 and by4[0] < 0.1:
        return "utf-32-le"
    if by4[0] > 0.9 and by4[1] > 0.9 and by4[2] > 0.9 and by4[3] < 0.1:
        return "utf-32-be"
    n2 = len(sample) // 2 * 2
    even = sum(1 for i in range(0, n2, 2) if sample[i] == 0) / (n2 // 2)
    odd = sum(1 for i in range(1, n2, 2) if sample[i] == 0) / (n2 // 2)
    if odd > 0.4 and even < 0.05:
        return "utf-16-le"
    if even > 0.4 and odd < 0.05:
        return "utf-16-be"
    return None


def _reading(data: bytes, codec: str) -> str | None:
    try:
        text = data.decode(codec)
    except (UnicodeDecodeError, LookupError, ValueError, TypeError):
        return None
    return unicodedata.normalize("NFC", text) if codec == "cp1258" else text


def _vietnamese_score(text: str) -> int:
    """Vietnamese letters minus combining marks left over after NFC (marks on no vowel)."""
    nfc = unicodedata.normalize("NFC", text[:_SAMPLE])
    return sum(
        1 if ch in _VIETNAMESE else -1 if unicodedata.combining(ch) else 0
        for ch in _NON_ASCII.findall(nfc)
    )


_MARKUP = re.compile(r"<[^>]*>|&[#\w]+;|\bhttps?://\S+")
_WORDS = re.compile(r"[^\W\d_]+")


def _reads_as_vietnamese(text_1258: str) -> bool:
    text_1258 = text_1258[:_SAMPLE]
    letters = sum(1 for ch in text_1258 if ch.isalpha())
    vi_only = sum(1 for ch in text_1258 if ch in _VIETNAMESE_ONLY)
    strays = sum(1 for ch in text_1258 if unicodedata.combining(ch))
    if letters > 0 and vi_only >= MIN_VIETNAMESE_SHARE * letters and strays * 10 <= vi_only:
        return True
    # Markup, links and ASCII words dilute the letters of a feed of short titles: judge the
    # words that have a non-ASCII letter instead — in a windows-1258 reading of Vietnamese
    # most are Vietnamese syllables; in one of Portuguese or French ("năo", "crčme") few are.
    words = [
        w
        for w in _WORDS.findall(_MARKUP.sub(" ", unicodedata.normalize("NFC", text_1258)))
        if not w.isascii()
    ]
    valid = sum(1 for w in words if is_syllable(w))
    return len(words) >= 5 and valid >= 0.7 * len(words) and strays * 10 <= max(vi_only, 1)


def prefer_vietnamese(readings: Sequence[tuple[str, str]]) -> tuple[list[int], bool]:
    """Rank readings [(codec, text)]: their indices, the most Vietnamese letters after NFC (less
    any combining marks left unattached) first, ties in the given order; and whether a reading
    with a *different* text scored the same as the first while it holds Vietnamese letters (an
    ambiguous choice)."""
    scores = [_vietnamese_score(text) for _, text in readings]
    order = sorted(range(len(readings)), key=lambda i: (-scores[i], i))
    if not order:
        return order, False
    best = order[0]
    best_text = unicodedata.normalize("NFC", readings[best][1])
    ambiguous = vietnamese_letters(best_text) > 0 and any(
        scores[i] == scores[best] and unicodedata.normalize("NFC", readings[i][1]) != best_text
        for i in order[1:]
    )
    return order, ambiguous


def detect_encoding(data: bytes, exclude: Iterable[str] = ()) -> Detection:
    """Detect the encoding of ``data`` with charset_normalizer, preferring among single-byte
    candidates the reading with more Vietnamese letters (``prefer_vietnamese``). Codecs in
    ``exclude`` and UTF-16/32 guesses (found by BOM or zero bytes before this is called) are not
    considered. A multi-byte guess (Big5, Shift-JIS…) from fewer than ``MIN_MULTIBYTE_EVIDENCE``
    non-ASCII bytes is ranked with the single-byte readings, and is ambiguous unless one reading
    has two Vietnamese letters more. Never raises; ``encoding=None`` means the bytes look like no
    text. ``candidates`` are ranked, the chosen one first."""
    excluded = {resolve_codec(c) or c for c in exclude}
    try:
        matches = list(charset_normalizer.from_bytes(data))
    except Exception:  # noqa: BLE001 - a detector failure is "nothing detected"
        matches = []
    readings: list[tuple[str, str]] = []
    for match in matches:
        codec = resolve_codec(match.encoding)
        if codec is None or codec in excluded or codec.startswith(("utf-16", "utf-32")):
            continue
        if any(codec == c for c, _ in readings):
            continue
        text = _reading(data, codec)
        if text is None or looks_binary(text):
            continue
        readings.append((codec, text))
        if len(readings) >= MAX_CANDIDATES:
            break
    # Short Vietnamese texts may get only Western guesses: windows-1258 is always compared with them.
    seen = {codec for codec, _ in readings}
    thin = len(data.translate(None, bytes(range(128)))) < MIN_MULTIBYTE_EVIDENCE
    if (seen & _LATIN or (readings and thin)) and "cp1258" not in seen | excluded:
        text = _reading(data, "cp1258")
        if text is not None and not looks_binary(text):
            readings.append(("cp1258", text))
    if not readings:
        return Detection(None, None, ())
    if not _single_byte(readings[0][0]) and not thin:
        return Detection(readings[0][0], readings[0][1], tuple(c for c, _ in readings))
    if not _single_byte(readings[0][0]):  # thin evidence for a multi-byte guess
        order, _ = prefer_vietnamese(readings)
        scores = [vietnamese_letters(readings[i][1]) for i in order]
        ambiguous = len({readings[i][1] for i in order}) > 1 and (
            len(scores) < 2 or scores[0] < scores[1] + 2
        )
    else:
        readings = [r for r in readings if _single_byte(r[0])]
        order, ambiguous = prefer_vietnamese(readings)
    codec, text = readings[order[0]]
    if codec in _LATIN and codec not in ("cp1252", "cp1258") and _reading(data, "cp1252") == text:
        codec = "cp1252"  # the same text: name the code page people know
    ranked = (codec, *(readings[i][0] for i in order[1:]))
    return Detection(codec, text, ranked, ambiguous)


def _declared(content_type: str | None, head: bytes) -> list[tuple[str, str, str | None]]:
    """[(where, label, codec or None)] for the HTTP charset and the XML declaration, in that order."""
    found: list[tuple[str, str, str | None]] = []
    if content_type:
        param = _CHARSET_PARAM.search(content_type)
        if param:
            found.append(("HTTP", param.group(1)[:60], resolve_codec(param.group(1))))
    decl = _XML_DECL_BYTES.match(head)
    if decl:
        attr = _ENCODING_ATTR_BYTES.search(decl.group(0))
        if attr:
            label = attr.group(2).decode("ascii")
            found.append(("XML", label, resolve_codec(label)))
    return found


def _same_charset(a: str | None, b: str) -> bool:
    if a is None:
        return False
    family = {"utf-8-sig": _UTF8, "utf-16-le": "utf-16", "utf-16-be": "utf-16"}
    family |= {"utf-32-le": "utf-32", "utf-32-be": "utf-32", "iso8859-1": "cp1252"}
    return family.get(a, a) == family.get(b, b)


def _mismatch(declared: Sequence[tuple[str, str, str | None]], used: str, what: str) -> list[str]:
    return [
        f"declared {label} but the bytes are {what}"
        for _, label, codec in declared
        if not _same_charset(codec, used)
    ]


def decode_bytes(data: bytes, declared: Sequence[tuple[str, str, str | None]] = ()) -> DecodedText:
    """Text of ``data`` under the rules of this module. ``declared`` is [(where, label, codec or
    None)] in order of precedence (for a feed: HTTP charset, XML declaration). Never raises: see
    ``DecodedText`` for what an undecidable encoding gives."""
    notes: list[str] = []
    bom = _bom(data)
    wide = None if bom else _wide_without_bom(data)
    if bom or wide:
        codec, rest = bom if bom else (wide or "", data)
        text = rest.decode(codec, "replace")
        bad = text.count("\ufffd") - rest.decode(codec, "ignore").count("\ufffd")
        where = "the byte-order mark says" if bom else "its zero bytes say"
        notes += [
            f"declared {label} but {where} {codec}"
            for _, label, declared_codec in declared
            if not _same_charset(declared_codec, codec)
        ]
        if bad:
            notes.append(f"{bad} invalid {codec} sequences replaced")
        return DecodedText(text, codec, _join(notes))
    for _, label, known in declared:
        if known is None:
            notes.append(f"declared encoding {label!r} is unknown or not a charset; ignored")
    usable = [d for d in declared if d[2] is not None]
    damage = _utf8_damage(data)
    if damage.bad_bytes == 0:
        if damage.multibyte:
            notes += _mismatch(usable, _UTF8, "utf-8")
            return DecodedText(data.decode(_UTF8), _UTF8, _join(notes))
        # Pure ASCII: any ASCII-compatible declaration reads it the same.
        ok = [d[2] for d in usable if d[2] and _ascii_compatible(d[2])]
        notes += [
            f"declared {label} but the bytes are ascii"
            for _, label, known in usable
            if known and not _ascii_compatible(known)
        ]
        return DecodedText(data.decode("ascii"), ok[0] if ok else _UTF8, _join(notes))
    utf8_declared = bool(usable) and _utf8_family(usable[0][2] or "")
    if _mostly_utf8(damage):
        notes += _mismatch(usable, _UTF8, "utf-8")
        notes.append(f"{damage.bad_bytes} invalid UTF-8 byte{_s(damage.bad_bytes)} replaced")
        return DecodedText(data.decode(_UTF8, "replace"), _UTF8, _join(notes))
    tried: list[str] = []
    for _, label, known in usable:
        codec = known or _UTF8
        if _utf8_family(codec) or not _ascii_compatible(codec):
            tried.append(label)
            continue
        # As browsers do: ISO-8859-1 is read as its superset windows-1252 (curly quotes, €).
        use = "cp1252" if codec == "iso8859-1" else codec
        reading = _reading(data, use)
        if reading is None and use != codec:
            use, reading = codec, _reading(data, codec)
        if reading is None:
            tried.append(label)
            continue
        if use in _WESTERN:
            vietnamese = _reading(data, "cp1258")
            if vietnamese is not None and _reads_as_vietnamese(vietnamese):
                notes += [f"declared {lab} but the text reads as windows-1258" for lab in tried]
                notes.append(f"declared {label} but the text reads as windows-1258")
                return DecodedText(vietnamese, "cp1258", _join(notes))
        notes += [f"declared {lab} but the bytes are not {lab}" for lab in tried]
        return DecodedText(reading, use, _join(notes))
    found = detect_encoding(data)
    if tried:
        what = f"declared {' and '.join(dict.fromkeys(tried))} but the bytes are not that"
        notes.append(
            what + f" ({_bytes(damage.bad_bytes)} invalid in UTF-8)" if utf8_declared else what
        )
    if found.encoding is None or found.text is None:
        notes.append("encoding not recognised; read as UTF-8 with invalid bytes replaced")
        return DecodedText(data.decode(_UTF8, "replace"), None, _join(notes), found.candidates)
    others = [c for c in found.candidates if c != found.encoding]
    also = f" (also possible: {', '.join(others[:3])})" if found.ambiguous and others else ""
    verb = "read as" if usable else "no encoding declared; read as"
    notes.append(f"{verb} {found.encoding} (detected){also}")
    return DecodedText(found.text, found.encoding, _join(notes), found.candidates, found.ambiguous)


def _s(n: int) -> str:
    return "" if n == 1 else "s"


def _bytes(n: int) -> str:
    return f"{n} byte{_s(n)}"


def _join(notes: Iterable[str]) -> str | None:
    return "; ".join(dict.fromkeys(notes)) or None


def _utf8_declaration(text: str) -> str:
    """``text`` without leading whitespace/BOM, its XML declaration saying encoding="utf-8"."""
    text = text.lstrip("\ufeff \t\r\n")
    decl = _XML_DECL.match(text)
    if decl is None:
        if text.startswith("<"):
            return '<?xml version="1.0" encoding="utf-8"?>\n' + text
        return text
    attrs = decl.group(1) or ""
    if _ENCODING_ATTR.search(attrs):
        attrs = _ENCODING_ATTR.sub(r'\1"utf-8"', attrs, count=1)
    elif _VERSION_ATTR.search(attrs):
        attrs = _VERSION_ATTR.sub(r'\1 encoding="utf-8"', attrs, count=1)
    else:
        attrs = ' version="1.0" encoding="utf-8"' + attrs
    return f"<?xml{attrs}?>" + text[decl.end() :]


def decode_feed(body: bytes, content_type: str | None = None) -> DecodedBody:
    """Feed bytes (and the HTTP ``Content-Type``, if any) → ``DecodedBody`` whose ``body`` is UTF-8
    with a matching declaration. Give feedparser that body with ``charset=utf-8`` in the content
    type (the original HTTP charset would override the new declaration). Never raises: bytes that
    look like no text come back as UTF-8 with replacement characters and a note."""
    head = body.lstrip(_XML_WS)
    head = head[len(codecs.BOM_UTF8) :] if head.startswith(codecs.BOM_UTF8) else head
    declared = _declared(content_type, head.lstrip(_XML_WS)[:1024])
    decoded = decode_bytes(body, declared)
    text = _utf8_declaration(decoded.text)
    return DecodedBody(
        body=text.encode(_UTF8, "replace"),
        encoding=decoded.encoding or _UTF8,
        note=decoded.note,
    )
