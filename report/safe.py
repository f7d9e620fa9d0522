"""Feed text made safe for each report format.

Titles, excerpts, source names and feed errors come from the feeds: they may hold control
characters (which Word's XML cannot carry), HTML, Markdown syntax, links of any scheme and
spreadsheet formulas. Every report renders them through these functions, so no content can make a
format fail or carry something that runs; an empty value (None, NaN, NaT, "") shows as a dash.
"""

from __future__ import annotations

import re
from typing import Any

import pandas as pd
from linkify_it import LinkifyIt

EMPTY = "—"
# Not allowed in XML 1.0 (lxml, hence python-docx, refuses them) or meaningless in a document:
# C0 controls other than tab, line feed and carriage return; DEL and the C1 controls; lone
# surrogates (which cannot even be encoded as UTF-8); the non-characters U+FFFE and U+FFFF.
_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# A spreadsheet reads a cell that starts with one of these as a formula (OWASP "CSV injection";
# the full-width forms are read as their ASCII counterparts by some spreadsheets).
_FORMULA_LEADS = frozenset("=+-@\uff1d\uff0b\uff0d\uff20")
_CONTROL_LEADS = frozenset("\t\r\n")
# Markdown: a token a renderer could turn into a link — a URI (any scheme), a www. address or an
# e-mail address (linked as mailto:). ``line`` has defanged web and e-mail addresses already;
# what is left of them (``hxxps://…``) is shown as a code span.
_LINKISH = re.compile(
    r"(?<![\w.+-])(?:[A-Za-z][A-Za-z0-9+.-]*:(?=\S)|www\.)\S+|\S*://\S*"
    r"|[\w.+-]+@[\w-]+(?:\.[\w-]+)+"
)
_WEB = re.compile(r"(?:https?://|www\.)[^\s@]+", re.IGNORECASE)
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]~|!#])")
_SPECIAL = re.compile(r"[\\`*_\[\]~|!#&<>]")
_HTML_SPECIAL = {"&": "&amp;", "<": "&lt;", ">": "&gt;"}
# What a renderer would make a link of: linkify-it (markdown-it's linkifier: schemes, www.,
# e-mail addresses, host names under known top-level domains, IP addresses), and any lower-case
# ASCII host name whatever its top-level domain ("vneid-gov.top/login"); not "TP.HCM" or "v.v.".
_LINKIFY = LinkifyIt(options={"fuzzy_ip": True})
_HOST = re.compile(r"(?<![\w.@-])(?:[A-Za-z0-9-]+\.)+[a-z]{2,63}(?![\w-])")
_FANG_SCHEME = re.compile(r"^(h)tt(ps?)|^(f)t(p)", re.IGNORECASE)


def is_blank(value: object) -> bool:
    """True for None, NaN, NaT, ``pd.NA`` and strings of whitespace only."""
    if value is None:
        return True
    if isinstance(value, str):
        return not value.strip()
    try:
        return bool(pd.api.types.is_scalar(value) and pd.isna(value))
    except (TypeError, ValueError):
        return False


def plain(value: object, empty: str = EMPTY) -> str:
    """``value`` as text any document can hold: ``empty`` when blank, else ``str(value)`` without
    the characters of ``_ILLEGAL`` (tab and line breaks kept). Never raises."""
    if is_blank(value):
        return empty
    return _ILLEGAL.sub("", str(value))


def _defang_token(token: str) -> str:
    """``https://bad.example/a`` → ``hxxps://bad[.]example/a[.]`` style: http(s)/ftp schemes
    lose their t's, every dot becomes ``[.]`` and every ``@`` becomes ``[@]``."""
    token = _FANG_SCHEME.sub(
        lambda m: f"{m[1]}xx{m[2]}" if m[1] else f"{m[3]}x{m[4]}", token, count=1
    )
    return token.replace(".", "[.]").replace("@", "[@]")


def defang(text: str) -> str:
    """``text`` with every web address, e-mail address and host name defanged so that no
    renderer, mail client or word processor makes a link of it: ``https://bad.example/x.php``
    becomes ``hxxps://bad[.]example/x[.]php``, ``a@b.vn`` becomes ``a[@]b[.]vn``. Text without
    such a token is returned unchanged (``TP.HCM``, ``v.v.``). Never raises."""
    for _ in range(4):  # a defanged token can uncover a shorter one inside it (rare)
        spans = [(m.index, m.last_index) for m in _LINKIFY.match(text) or []]
        spans += [m.span() for m in _HOST.finditer(text)]
        if not spans:
            break
        merged: list[list[int]] = []
        for start, end in sorted(spans):
            if merged and start < merged[-1][1]:
                merged[-1][1] = max(merged[-1][1], end)
            else:
                merged.append([start, end])
        out: list[str] = []
        last = 0
        for start, end in merged:
            out += [text[last:start], _defang_token(text[start:end])]
            last = end
        out.append(text[last:])
        text = "".join(out)
    return text


def line(value: object, limit: int | None = None, empty: str = EMPTY) -> str:
    """``plain(value)`` on one line (runs of whitespace become one space), cut to ``limit``
    characters when given, then ``defang``-ed (no web or e-mail address in a report is a
    link: scam links stay readable, never clickable); ``empty`` when nothing is left."""
    text = " ".join(plain(value, "").split())
    if limit is not None:
        text = text[:limit].rstrip()
    return defang(text) or empty


def _code_span(token: str, table: bool) -> str:
    """``token`` as a Markdown code span: shown verbatim, never a link, never HTML."""
    longest = max((len(run) for run in re.findall(r"`+", token)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if token.startswith("`") or token.endswith("`") else ""
    if table:  # a GFM table splits cells at | even inside code spans, but not at \|
        token = token.replace("|", "\\|")
    return f"{fence}{pad}{token}{pad}{fence}"


def _escape(text: str) -> str:
    text = "".join(_HTML_SPECIAL.get(c, c) for c in text)
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text)


def markdown(
    value: object, limit: int | None = None, *, table: bool = False, empty: str = EMPTY
) -> str:
    """``line(value, limit)`` (defanged: no link) as Markdown inline text that renders as
    exactly that text:
    ``& < >`` become entities (no HTML), Markdown's control characters (``\\ ` * _ [ ] ~ | ! #``)
    are backslash-escaped (no emphasis, link, image or table cell boundary), and a URI whose
    scheme is not http/https, an e-mail address, or a web address holding one of those
    characters becomes a code span (shown verbatim, never linked).
    ``table=True`` for text inside a table cell. ``empty`` when blank (not escaped)."""
    text = line(value, limit, "")
    if not text:
        return empty
    out: list[str] = []
    last = 0
    for m in _LINKISH.finditer(text):
        token = m.group()
        if _WEB.fullmatch(token) and not _SPECIAL.search(token):
            continue  # a plain web address: a renderer may link it, to where it says
        out += [_escape(text[last : m.start()]), _code_span(token, table)]
        last = m.end()
    out.append(_escape(text[last:]))
    return "".join(out)


def csv_value(value: object) -> object:
    """A cell of the CSV export: strings lose the characters of ``_ILLEGAL`` and, when they start
    with a formula lead (``= + - @``, also after leading whitespace) or a tab or line break, get a
    ``'`` in front so that spreadsheets show them as text; other values are returned unchanged
    (a negative number stays a number)."""
    if not isinstance(value, str):
        return value
    text = _ILLEGAL.sub("", value)
    if text[:1] in _CONTROL_LEADS or text.lstrip()[:1] in _FORMULA_LEADS:
        return "'" + text
    return text


def csv_frame(frame: pd.DataFrame) -> pd.DataFrame:
    """``frame`` with ``csv_value`` applied to every cell of its text (non-numeric, non-date)
    columns; the same shape and column names. Blank cells stay blank."""
    out = frame.copy()
    for column in out.columns:
        series = out[column]
        if pd.api.types.is_numeric_dtype(series) or pd.api.types.is_datetime64_any_dtype(series):
            continue
        out[column] = series.map(csv_value, na_action="ignore").astype(object)
    return out


def texts(values: Any, empty: str = EMPTY) -> list[str]:
    """``line`` of each value of an iterable (names in a list, examples of a concern)."""
    return [line(v, empty=empty) for v in values]
