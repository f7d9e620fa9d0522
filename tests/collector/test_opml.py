from __future__ import annotations

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from collector.opml import export_opml, import_opml, read_opml
from core.tables import Feed

OPML = """<?xml version="1.0" encoding="UTF-8"?>
<opml version="2.0"><head><title>Nguon tin</title></head><body>
  <outline text="official" title="official">
    <outline type="rss" text="Cong xa" xmlUrl="https://xa.example/rss.xml"/>
  </outline>
  <outline type="rss" text="Bao A" title="Báo A" xmlUrl="https://baoa.example/rss"/>
  <outline type="rss" text="Kenh" category="social" xmlUrl="https://www.youtube.com/feeds/videos.xml?channel_id=UC1"/>
  <outline type="rss" text="Bad" xmlUrl="javascript:alert(1)"/>
</body></opml>""".encode()


def test_read_opml_kinds_and_bad_urls() -> None:
    feeds = read_opml(OPML)
    assert [(f.name, f.kind) for f in feeds] == [
        ("Cong xa", "official"),
        ("Báo A", "news"),
        ("Kenh", "social"),
    ]


def test_import_then_export_round_trips(session: Session) -> None:
    assert import_opml(session, OPML, 1800) == (3, 0)
    assert import_opml(session, OPML, 1800) == (0, 3)
    again = read_opml(export_opml(session))
    stored = session.scalars(select(Feed).order_by(Feed.id)).all()
    assert {(f.url, f.name, f.kind) for f in again} == {(f.url, f.name, f.kind) for f in stored}


def test_not_opml_is_a_clear_error() -> None:
    with pytest.raises(ValueError, match="not OPML"):
        read_opml(b"<html><body/></html>")
    with pytest.raises(ValueError, match="not OPML"):
        read_opml(b"garbage <")


def test_import_refuses_non_public_feeds_and_adds_nothing(session: Session) -> None:
    from collector.guard import Allowlist

    local = OPML.replace(b"https://baoa.example/rss", b"http://127.0.0.1:9/rss")
    with pytest.raises(ValueError, match=r"1 feed\(s\) point at non-public addresses"):
        import_opml(session, local, 1800)
    assert session.scalars(select(Feed)).all() == []
    assert import_opml(session, local, 1800, Allowlist.parse("127.0.0.1")) == (3, 0)
