"""Import posts exported from platforms that offer no feed (JSON Lines or CSV).

Schema, one post per line or row: ``id`` (the platform's id, optional), ``url`` (optional),
``title`` (optional), ``text`` (required unless ``title`` is given), ``published_at``
(optional; read by :func:`collector.dates.parse_date`: ISO 8601 and the shapes Vietnamese sites
use, a time without a zone is Asia/Ho_Chi_Minh) and ``source`` (the page, channel or publisher;
the file's ``--source`` default otherwise). Author fields are ignored: duluan assesses content,
not people.

Files as real exports and Excel write them are read:

* CSV: UTF-8 with or without BOM, UTF-16 with BOM (Excel's "Unicode text", tab-separated), or a
  Windows code page (windows-1258 as Excel writes it on Vietnamese Windows, windows-1252), told
  by :func:`collector.decode.decode_bytes`; separator ``,`` ``;`` tab or ``|`` (``csv.Sniffer``,
  checked against the header, which must have a ``text`` or ``title`` column). Column names are
  matched case-insensitively. A file whose encoding or header cannot be told raises
  :class:`ImportFormatError` with a one-line message. A quote left open is reported on its line and the rows it
  swallowed are read again; a stray NUL is removed (with a warning), not a reason to refuse
  the file.
* JSON Lines (``.jsonl``, ``.ndjson``, ``.json``): UTF-8, one object a line; a line that is not
  UTF-8 or not JSON (nested too deeply, a number too long) is reported with its number and
  the other lines are imported; so is a row the database refuses.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from collector.dates import parse_date
from collector.decode import charset_label, decode_bytes
from collector.store import NewItem, save_items
from core.tables import Feed, FeedKind
from core.text import clean

log = logging.getLogger(__name__)

MAX_TEXT = 100_000
# A quoted CSV field may hold line breaks, but a record over this many lines is an open quote.
MAX_RECORD_LINES = 2_000
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson", ".json"})
SEPARATORS = ",;\t|"
_ONE_COLUMN = "\x1f"  # the unit separator: never in a one-column file's text
_SNIFF_CHARS = 16_384
_HEADER_NAMES = ("text", "title")
# C0 controls other than tab and line breaks: a text file holds a few at most (a stray NUL
# costs its row nothing: the text key removes it); more than 1 % (and 16) means the bytes are
# not text.
_CONTROL = re.compile("[\x00-\x08\x0e-\x1f]")
_WIDE_BOMS = (codecs.BOM_UTF32_LE, codecs.BOM_UTF32_BE, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)

Row = tuple[int, dict[str, Any] | None, str | None]  # (line, row or None, error)


class ImportFormatError(ValueError):
    """The file as a whole cannot be read (its encoding or its header); the message is one line
    that names the file and what was found."""


@dataclass
class ImportStats:
    """``errors``: (line, why) of rows not imported; ``warnings``: (line, what) of rows imported
    with a loss (date not read, invalid bytes replaced, extra fields ignored); ``encoding``: the
    Python codec the file was read as; ``separator``: the CSV separator (None for JSON Lines)."""

    rows: int = 0
    new: int = 0
    duplicate: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    warnings: list[tuple[int, str]] = field(default_factory=list)
    encoding: str = "utf-8"
    separator: str | None = None


@dataclass
class _Read:
    rows: list[Row]
    warnings: list[tuple[int, str]]
    encoding: str
    separator: str | None = None


def _jsonl(data: bytes, name: str = "") -> _Read:
    """JSON Lines, line by line: a bad line is an error row, the others are kept."""
    if data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"[":
        raise ImportFormatError(
            f"{name or 'the file'} is one JSON array, not JSON Lines: write one object per line "
            "(e.g. `jq -c '.[]' posts.json > posts.jsonl`)"
        )
    rows: list[Row] = []
    encoding = "utf-8"
    if data.startswith(_WIDE_BOMS):  # PowerShell's `>` writes UTF-16
        decoded = decode_bytes(data)
        encoding = decoded.encoding or encoding
        data = decoded.text.encode("utf-8")
    for n, raw in enumerate(data.removeprefix(codecs.BOM_UTF8).split(b"\n"), 1):
        if not raw.strip():
            continue
        try:
            line = raw.decode("utf-8")
        except UnicodeDecodeError as exc:
            why = f"not valid UTF-8 (byte 0x{raw[exc.start]:02x} at column {exc.start + 1})"
            rows.append((n, None, why))
            continue
        try:
            row = json.loads(line)
        except json.JSONDecodeError as exc:
            rows.append((n, None, f"invalid JSON: {exc.msg} (column {exc.colno})"))
            continue
        except RecursionError:
            rows.append((n, None, "invalid JSON: nested too deeply"))
            continue
        except ValueError:  # json.loads' one other refusal: an integer over 4,300 digits
            rows.append((n, None, "invalid JSON: a number too long to read"))
            continue
        rows.append((n, row, None) if isinstance(row, dict) else (n, None, "not a JSON object"))
    return _Read(rows, [], encoding)


def _names(header_line: str, separator: str) -> list[str]:
    try:
        fields = next(csv.reader([header_line], delimiter=separator), [])
    except csv.Error:
        return []
    return [f.strip().lstrip("\ufeff").strip().lower() for f in fields]


def _separator(text: str, name: str) -> str:
    """The separator of the CSV ``text``: ``csv.Sniffer``'s guess if the header it gives has a
    ``text`` or ``title`` column, else the candidate giving such a header the most columns."""
    header_line = text.split("\n", 1)[0].rstrip("\r")
    if header_line.strip().lstrip("\ufeff").strip().lower() in _HEADER_NAMES:
        return _ONE_COLUMN  # one column ("text"): its commas are text, not separators
    if not header_line.strip():
        raise ImportFormatError(
            f"{name}: the first line is empty; it must be the header "
            "(id, url, title, text, published_at, source)"
        )
    try:
        sniffed: str | None = (
            csv.Sniffer().sniff(text[:_SNIFF_CHARS], delimiters=SEPARATORS).delimiter
        )
    except csv.Error:
        sniffed = None
    if sniffed and set(_HEADER_NAMES) & set(_names(header_line, sniffed)):
        return sniffed
    fits = [
        (len(names), -SEPARATORS.index(sep), sep)
        for sep in SEPARATORS
        if set(_HEADER_NAMES) & set(names := _names(header_line, sep))
    ]
    if fits:
        return max(fits)[2]
    tried = f"separator {_shown_sep(sniffed)} detected" if sniffed else "no separator detected"
    raise ImportFormatError(
        f"{name}: no `text` or `title` column in the header {header_line[:120]!r} "
        f"({tried}; tried , ; tab |)"
    )


def _shown_sep(sep: str | None) -> str:
    return "tab" if sep == "\t" else repr(sep)


def _decode_csv(data: bytes, name: str) -> tuple[str, str, list[tuple[int, str]]]:
    """(text, codec, warnings) of a CSV file; raises ``ImportFormatError`` when the encoding
    cannot be told or the bytes are not text."""
    if data.startswith((b"PK\x03\x04", b"\xd0\xcf\x11\xe0")):
        raise ImportFormatError(
            f"{name} is an Excel workbook, not CSV; save it as CSV UTF-8 (comma delimited)"
        )
    decoded = decode_bytes(data)
    if decoded.encoding is None or decoded.ambiguous:
        found = [charset_label(c) for c in decoded.candidates[:3]]
        looks = f"looks like {' or '.join(found)}" if found else "it does not look like text"
        raise ImportFormatError(
            f"cannot tell the encoding of {name} ({looks}); save it as CSV UTF-8"
        )
    text = decoded.text
    if len(_CONTROL.findall(text)) > max(16, len(text) // 100):
        raise ImportFormatError(
            f"{name} does not look like a text file (read as {charset_label(decoded.encoding)}, "
            "it is full of control characters); save it as CSV UTF-8"
        )
    warnings: list[tuple[int, str]] = []
    if "\x00" in text:
        for n, line in enumerate(text.split("\n"), 1):
            if nuls := line.count("\x00"):
                warnings.append((n, f"{nuls} NUL character(s) removed"))
    if decoded.encoding == "utf-8" and decoded.note:  # a few invalid bytes were replaced
        for n, raw in enumerate(data.split(b"\n"), 1):
            bad = raw.decode("utf-8", "replace").count("\ufffd") - raw.decode(
                "utf-8", "ignore"
            ).count("\ufffd")
            if bad:
                warnings.append((n, f"{bad} invalid UTF-8 byte sequence(s) replaced"))
    return text, decoded.encoding, warnings


def _closes_cleanly(lines: list[str], separator: str) -> bool:
    """Whether ``lines`` read as CSV with ``strict`` quoting raise nothing: every quote that
    opens a field closes, right before a separator or the end of the line."""
    try:
        for _ in csv.reader(lines, delimiter=separator, strict=True):
            pass
    except csv.Error:
        return False
    return True


class _Budget:
    """``lines`` from ``start`` on, ending early once ``left`` more lines have been given."""

    def __init__(self, lines: list[str], start: int) -> None:
        self.lines, self.next, self.left = lines, start, MAX_RECORD_LINES

    def __iter__(self) -> _Budget:
        return self

    def __next__(self) -> str:
        if self.next >= len(self.lines) or self.left <= 0:
            raise StopIteration
        self.left -= 1
        self.next += 1
        return self.lines[self.next - 1]


def _records(
    lines: list[str], separator: str, at: int = 1
) -> Iterator[tuple[int, list[str] | None, str | None]]:
    """The CSV records of ``lines`` (the file's physical lines, ends kept) from index ``at`` on
    (after the header), as (first line number, fields, None) or (line number, None, why).

    A record over several lines is a quoted field with line breaks, unless its quotes do not
    close cleanly (:func:`_closes_cleanly`) or it runs over ``MAX_RECORD_LINES`` lines: then a
    quote was left open and swallowed the rows after it, so its first line is reported and
    reading starts again on the next line (each such restart reads at most that many lines).
    """
    while at < len(lines):  # ``at``: index in ``lines`` where the current reader starts
        feed = _Budget(lines, at)
        reader = csv.reader(feed, delimiter=separator)
        done = 0  # lines the reader has consumed
        while True:
            first = at + done
            feed.left = MAX_RECORD_LINES
            try:
                fields = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                done = reader.line_num
                yield first + 1, None, f"unreadable CSV: {exc}"
                continue
            done = reader.line_num
            last = at + done
            if last - first > 1 and (
                last - first >= MAX_RECORD_LINES
                or not _closes_cleanly(lines[first:last], separator)
            ):
                ends = "the end of the file" if last == len(lines) else f"line {last}"
                yield (
                    first + 1,
                    None,
                    f"a quote opened on this line is not closed (the row ran on to {ends}); "
                    "this line is skipped and the lines after it are read as rows",
                )
                at = first + 1
                break
            yield first + 1, fields, None


def _csv(data: bytes, name: str) -> _Read:
    text, encoding, warnings = _decode_csv(data, name)
    csv.field_size_limit(max(csv.field_size_limit(), 16 * MAX_TEXT))  # longer fields are cut
    separator = _separator(text, name)
    lines = io.StringIO(text, newline="").readlines()
    names = [
        f.strip().lstrip("\ufeff").strip().lower()
        for f in next(csv.reader(lines[:1], delimiter=separator), [])
    ]
    rows: list[Row] = []
    for line, fields, error in _records(lines, separator):
        if fields is None:
            rows.append((line, None, error))
            continue
        if not any(f.strip() for f in fields):
            continue
        if len(fields) > len(names):
            warnings.append(
                (
                    line,
                    f"{len(fields)} fields for {len(names)} columns; the extra ones are ignored",
                )
            )
        rows.append((line, dict(zip(names, fields, strict=False)), None))
    return _Read(rows, warnings, encoding, separator)


def _read(path: Path) -> _Read:
    data = path.read_bytes()
    if path.suffix.lower() in JSONL_SUFFIXES:
        return _jsonl(data, path.name)
    return _csv(data, path.name)


def _source_feed(session: Session, source: str) -> Feed:
    url = f"import:{source}"
    feed = session.scalar(select(Feed).where(Feed.url == url))
    if feed is None:
        feed = Feed(url=url, name=source, kind=FeedKind.imported, enabled=False)
        session.add(feed)
        session.flush()
    return feed


def _quoted(value: Any) -> str:
    text = " ".join(str(value).split())
    return f"'{text}'" if len(text) <= 60 else f"'{text[:59]}…'"


def import_file(session: Session, path: Path, *, default_source: str | None = None) -> ImportStats:
    """Store the good rows of ``path`` (JSON Lines or CSV, see the module); flushes only.

    Returns ``ImportStats``: rows not imported are in ``errors`` and rows imported with a loss
    (an unreadable date: stored without one, so the fetch time is used) in ``warnings``, each
    with its line number. Raises ``ImportFormatError`` (a ``ValueError`` with a one-line message)
    when the file as a whole cannot be read, ``OSError`` when it cannot be opened.
    """
    read = _read(path)
    stats = ImportStats(
        warnings=list(read.warnings), encoding=read.encoding, separator=read.separator
    )
    now = datetime.now(UTC)
    by_source: dict[str, list[tuple[int, NewItem]]] = {}
    for line, row, error in read.rows:
        stats.rows += 1
        if row is None:
            stats.errors.append((line, error or "unreadable"))
            continue
        try:
            _add_row(stats, by_source, line, row, default_source, now)
        except Exception:  # noqa: BLE001 - one row's bug must not cost the file
            log.exception("%s line %d could not be read", path.name, line)
            stats.errors.append((line, "this row could not be read (see the log)"))
    stats.warnings.sort(key=lambda w: w[0])
    for source, numbered in by_source.items():
        result = save_items(session, _source_feed(session, source), [new for _, new in numbered])
        stats.new += result.new
        stats.duplicate += result.duplicate
        stats.errors.extend(
            (numbered[i][0], "refused by the database (see the log)") for i in result.refused
        )
    stats.errors.sort(key=lambda e: e[0])
    return stats


def _add_row(
    stats: ImportStats,
    by_source: dict[str, list[tuple[int, NewItem]]],
    line: int,
    row: dict[str, Any],
    default_source: str | None,
    now: datetime,
) -> None:
    """File one row of the import under its source, or report it in ``stats``."""
    text = str(row.get("text") or "").strip()[:MAX_TEXT]
    title = str(row.get("title") or "").strip()[:1000]
    source = clean(str(row.get("source") or default_source or ""))[:200]
    if not text and not title:
        stats.errors.append((line, "no text and no title"))
        return
    if not source:
        stats.errors.append((line, "no source (give a `source` column or --source)"))
        return
    raw_date = row.get("published_at")
    published = parse_date(raw_date, now)
    if published.when is None and published.note:
        stats.warnings.append(
            (
                line,
                f"date {_quoted(raw_date)} not read; the fetch time is used ({published.note})",
            )
        )
    by_source.setdefault(source, []).append(
        (
            line,
            NewItem(
                source=source,
                title=title,
                text=text,
                url=(str(row.get("url") or "").strip() or None),
                external_id=(str(row["id"]) if row.get("id") not in (None, "") else None),
                published_at=published.when,
                notes=(
                    ({"code": "date_unreadable", "detail": published.note},)
                    if published.when is None and published.note
                    else ()
                ),
            ),
        )
    )
