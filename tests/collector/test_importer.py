from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from collector.importer import import_file
from core.tables import Feed, Item


def test_jsonl_import_keeps_good_rows_and_reports_bad_ones(
    session: Session, tmp_path: Path
) -> None:
    path = tmp_path / "posts.jsonl"
    rows = [
        {
            "id": "p1",
            "url": "https://fb.example/p/1",
            "text": "Cổng dịch vụ công chậm quá",
            "published_at": "2026-11-24T08:00:00",
            "source": "Nhóm A",
        },
        {"id": "p2", "text": ""},
        "not json",
        {"id": "p3", "text": "Bài không có nguồn"},
        {"id": "p4", "text": "Ngày sai", "published_at": "hôm qua", "source": "Nhóm A"},
    ]
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows),
        encoding="utf-8",
    )
    stats = import_file(session, path)
    assert (stats.rows, stats.new) == (5, 1)
    assert [line for line, _ in stats.errors] == [2, 3, 4, 5]
    item = session.scalar(select(Item))
    assert item.published_at == datetime(2026, 11, 24, 1, 0, tzinfo=UTC)  # naive = Vietnam time
    assert session.scalar(select(Feed.kind).where(Feed.id == item.feed_id)) == "import"
    again = import_file(session, path)
    assert (again.new, again.duplicate) == (0, 1)


def test_csv_import_uses_default_source(session: Session, tmp_path: Path) -> None:
    path = tmp_path / "posts.csv"
    path.write_text(
        "id,url,title,text,published_at\n1,,Tiêu đề,Nội dung bài,2026-11-25T10:00:00+07:00\n",
        encoding="utf-8",
    )
    stats = import_file(session, path, default_source="Kênh B")
    assert stats.new == 1
    assert not stats.errors
    assert session.scalar(select(Item.source)) == "Kênh B"
