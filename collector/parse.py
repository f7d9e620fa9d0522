"""Feed bytes → ``ParsedFeed``. The only module that imports feedparser, and it is never given a URL."""

from __future__ import annotations

import html
import io
import logging
import re
import unicodedata
from collections import Counter
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from html.parser import HTMLParser
from typing import Any
from urllib.parse import urljoin, urlsplit

import feedparser

from collector.dates import parse_date
from collector.decode import decode_feed

log = logging.getLogger(__name__)

# A <guid> is kept as the feed sent it: feedparser resolves a relative one against the feed's
# URL, so it would change whenever the feed moves (or is fetched through a redirect).
feedparser.mixin._FeedParserMixin.can_be_relative_uri.discard("id")
# A description that holds an XML-escaped CDATA section ("&lt;![CDATA[…]]&gt;", a CMS that
# escaped its CDATA twice) reaches feedparser's sanitiser as "<![CDATA[…]]>" inside the HTML,
# and it drops the whole text. The markers alone are removed; what they wrapped stays.
_ESCAPED_CDATA = re.compile(rb"&lt;!\[CDATA\[(.*?)\]\]&gt;", re.S)

# Numeric character references XML cannot hold (NUL and other C0 controls, lone surrogates,
# beyond U+10FFFF): feedparser raises on a surrogate and loses the whole feed. Each becomes
# U+FFFD; the rest of the entry and the other entries stay.
_CHARREF = re.compile(rb"&#([xX][0-9a-fA-F]{1,8}|[0-9]{1,10});")


def _storable_charref(m: re.Match[bytes]) -> bytes:
    raw = m.group(1)
    code = int(raw[1:], 16) if raw[:1] in b"xX" else int(raw)
    bad = (code < 0x20 and code not in (0x9, 0xA, 0xD)) or 0xD800 <= code <= 0xDFFF
    return b"&#xFFFD;" if bad or code > 0x10FFFF or code in (0xFFFE, 0xFFFF) else m.group(0)


# Survivable bozo exceptions: the content is usable although the declaration was wrong.
_SURVIVABLE = (feedparser.CharacterEncodingOverride, feedparser.NonXMLContentType)
_FUTURE_SLACK = timedelta(days=1)


class ParseError(Exception):
    """The body is not a usable feed."""


@dataclass(frozen=True)
class ParsedEntry:
    guid: str | None
    url: str | None
    title: str
    text: str
    author: str | None
    published_at: datetime | None
    future_date: bool = False
    date_note: str | None = None  # why ``published_at`` is empty (collector.dates), if it is


@dataclass(frozen=True)
class ParsedFeed:
    title: str
    entries: list[ParsedEntry] = field(default_factory=list)
    skipped: int = 0
    ttl_s: float | None = None
    # Problems that did not stop the parse (bytes replaced, a contradicted charset…), one line each.
    warnings: tuple[str, ...] = ()


class _TextExtractor(HTMLParser):
    _DROP = {"script", "style", "iframe", "noscript", "template", "svg", "object"}
    _BLOCK = {
        "p",
        "div",
        "br",
        "li",
        "tr",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "blockquote",
        "section",
    }

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in self._DROP:
            self._skip += 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in self._DROP and self._skip:
            self._skip -= 1
        elif tag in self._BLOCK:
            self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if not self._skip:
            self.parts.append(data)


def html_to_text(markup: str) -> str:
    """Visible NFC text of an HTML fragment: scripts and styles dropped, entities decoded."""
    return unicodedata.normalize("NFC", _html_to_text(markup))


def _html_to_text(markup: str) -> str:
    if "<" not in markup and "&" not in markup:
        return re.sub(r"[ \t]+", " ", markup).strip()
    extractor = _TextExtractor()
    try:
        extractor.feed(markup)
        extractor.close()
    except Exception:  # noqa: BLE001 - malformed markup: fall back to stripping tags
        return re.sub(r"\s+", " ", html.unescape(re.sub(r"<[^>]*>", " ", markup))).strip()
    text = "".join(extractor.parts)
    lines = [re.sub(r"[ \t\r\f\v]+", " ", line).strip() for line in text.split("\n")]
    return "\n".join(line for line in lines if line)


def _when(entry: dict[str, Any], now: datetime) -> tuple[datetime | None, bool, str | None]:
    """The entry's UTC time, whether it was dropped for lying in the future, and a note when
    the date could not be read unambiguously (the item then keeps its fetch time).

    The raw string is read by :func:`collector.dates.parse_date` alone (a zone-less time is
    Vietnam time). feedparser's own parse is never used: it takes a zone-less time for UTC and
    accepts years and offsets that are not dates.
    """
    for field_name in ("published", "updated", "created"):
        raw = entry.get(field_name)
        if not raw:
            continue
        found = parse_date(str(raw), now)
        if found.when is not None:
            return found.when, False, None
        future = bool(found.note and found.note.startswith("date in the future"))
        return None, future, found.note
    return None, False, None


def _entry(entry: dict[str, Any], now: datetime, base: str | None) -> ParsedEntry | None:
    title = html_to_text(entry.get("title", "") or "")
    content = ""
    for c in entry.get("content") or []:
        if len(c.get("value", "")) > len(content):
            content = c.get("value", "")
    summary = entry.get("summary", "") or ""
    text = html_to_text(content if len(content) > len(summary) else summary)
    url = entry.get("link") or None
    if url and base and not urlsplit(url).scheme:
        url = urljoin(base, url)
    if url and urlsplit(url).scheme not in {"http", "https"}:
        url = None  # javascript:, data:, mailto: … are never stored as links
    if not title and not text:
        return None
    published_at, future, date_note = _when(entry, now)
    guid = str(entry.get("id"))[:1024] if entry.get("id") else None
    author = entry.get("author") or None
    return ParsedEntry(guid, url, title[:1000], text, author, published_at, future, date_note)


def parse(
    body: bytes,
    headers: dict[str, str] | None = None,
    now: datetime | None = None,
    url: str | None = None,
    max_entries: int = 10_000,
) -> ParsedFeed:
    """Parse feed bytes (RSS 0.9x/1.0/2.0, Atom); raise ``ParseError`` when nothing usable is there."""
    now = now or datetime.now(UTC)
    if not body.strip():
        raise ParseError("empty body")
    response_headers = {k.lower(): v for k, v in (headers or {}).items()}
    if url:
        # The base for relative links (Atom feeds often carry href="/path").
        response_headers.setdefault("content-location", url)
    # The charset is ours to decide (BOM, header, declaration, the bytes themselves): feedparser
    # ignores a declaration behind leading whitespace and re-reads a whole UTF-8 feed as
    # windows-1252 for one bad byte. It gets UTF-8 and is told so.
    decoded = decode_feed(body, response_headers.get("content-type"))
    body = decoded.body
    response_headers["content-type"] = "application/xml; charset=utf-8"
    if b"&#" in body:
        body = _CHARREF.sub(_storable_charref, body)
    if b"&lt;![CDATA[" in body:
        body = _ESCAPED_CDATA.sub(rb"\1", body)
    d = feedparser.parse(io.BytesIO(body), response_headers=response_headers)
    if d.get("bozo") and not isinstance(d.get("bozo_exception"), _SURVIVABLE) and not d.entries:
        raise ParseError(f"not a feed: {d.get('bozo_exception')!s:.200}")
    if not d.get("version") and not d.entries:
        raise ParseError("not a feed: no RSS or Atom elements")
    entries, skipped = [], 0
    for raw in d.entries[:max_entries]:
        try:
            parsed = _entry(raw, now, url)
        except (AttributeError, TypeError, ValueError, OverflowError) as exc:
            log.warning("skipping a malformed entry: %s", exc)
            parsed = None
        if parsed is None:
            skipped += 1
        else:
            entries.append(parsed)
    if d.entries and not entries:
        raise ParseError("no usable entries")
    skipped += max(0, len(d.entries) - max_entries)
    # A GUID shared by several entries identifies none of them (reader does the same).
    counts = Counter(e.guid for e in entries if e.guid)
    entries = [e if not e.guid or counts[e.guid] == 1 else replace(e, guid=None) for e in entries]
    title = html_to_text(d.feed.get("title", "") or "")
    warnings = (decoded.note,) if decoded.note else ()
    return ParsedFeed(title, entries, skipped, _ttl(d.feed.get("ttl")), warnings)


def _ttl(value: object) -> float | None:
    """RSS <ttl> is in minutes."""
    try:
        minutes = float(str(value).strip())
    except (TypeError, ValueError):
        return None
    return minutes * 60 if minutes > 0 else None
