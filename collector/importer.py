"""Import posts exported from platforms that offer no feed (JSON Lines or CSV).

Schema, one post per line or row: ``id`` (the platform's id, optional), ``url`` (optional),
``title`` (optional), ``text`` (required unless ``title`` is given), ``published_at``
(ISO 8601, optional; naive times are taken as Asia/Ho_Chi_Minh) and ``source`` (the page,
channel or publisher; the file's ``--source`` default otherwise). Author fields are ignored:
duluan assesses content, not people.
"""

from __future__ import annotations

import csv
import json
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from collector.store import NewItem, save_items
from core.tables import Feed, FeedKind

VIETNAM = timezone(timedelta(hours=7))
MAX_TEXT = 100_000


@dataclass
class ImportStats:
    rows: int = 0
    new: int = 0
    duplicate: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)


def _parse_time(value: Any) -> datetime | None:
    if value in (None, ""):
        return None
    when = datetime.fromisoformat(str(value).strip().replace("Z", "+00:00"))
    return (when if when.tzinfo else when.replace(tzinfo=VIETNAM)).astimezone(UTC)


def _rows(path: Path) -> list[tuple[int, dict[str, Any] | None, str | None]]:
    if path.suffix.lower() in {".jsonl", ".ndjson", ".json"}:
        out: list[tuple[int, dict[str, Any] | None, str | None]] = []
        for n, line in enumerate(path.read_text(encoding="utf-8-sig").splitlines(), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                out.append((n, None, f"invalid JSON: {exc.msg}"))
                continue
            out.append((n, row, None) if isinstance(row, dict) else (n, None, "not a JSON object"))
        return out
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return [(n, row, None) for n, row in enumerate(csv.DictReader(fh), 2)]


def _source_feed(session: Session, source: str) -> Feed:
    url = f"import:{source}"
    feed = session.scalar(select(Feed).where(Feed.url == url))
    if feed is None:
        feed = Feed(url=url, name=source, kind=FeedKind.imported, enabled=False)
        session.add(feed)
        session.flush()
    return feed


def import_file(session: Session, path: Path, *, default_source: str | None = None) -> ImportStats:
    """Store the good rows of ``path``; bad rows are reported with their line number. Flushes only."""
    stats = ImportStats()
    by_source: dict[str, list[NewItem]] = {}
    for line, row, error in _rows(path):
        stats.rows += 1
        if row is None:
            stats.errors.append((line, error or "unreadable"))
            continue
        text = str(row.get("text") or "").strip()[:MAX_TEXT]
        title = str(row.get("title") or "").strip()[:1000]
        source = str(row.get("source") or default_source or "").strip()
        if not text and not title:
            stats.errors.append((line, "no text and no title"))
            continue
        if not source:
            stats.errors.append((line, "no source (give a `source` column or --source)"))
            continue
        try:
            published = _parse_time(row.get("published_at"))
        except ValueError:
            stats.errors.append(
                (line, f"bad published_at {row.get('published_at')!r}: use ISO 8601")
            )
            continue
        by_source.setdefault(source, []).append(
            NewItem(
                source=source,
                title=title,
                text=text,
                url=(str(row.get("url") or "").strip() or None),
                external_id=(str(row["id"]) if row.get("id") not in (None, "") else None),
                published_at=published,
            )
        )
    for source, items in by_source.items():
        result = save_items(session, _source_feed(session, source), items)
        stats.new += result.new
        stats.duplicate += result.duplicate
    return stats
