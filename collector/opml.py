"""OPML import and export of the feed registry."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from collector.guard import Allowlist, BlockedURL, check_registration
from core.tables import Feed, FeedKind

KINDS = {FeedKind.news.value, FeedKind.official.value, FeedKind.social.value}


@dataclass(frozen=True)
class OpmlFeed:
    url: str
    name: str
    kind: str


def read_opml(data: bytes) -> list[OpmlFeed]:
    """Every outline with an http(s) ``xmlUrl``; ``category`` (or a parent outline's title) gives the kind."""
    try:
        root = ET.fromstring(data)
    except ET.ParseError as exc:
        raise ValueError(f"not OPML: {exc}") from exc
    found: list[OpmlFeed] = []

    def walk(node: ET.Element, parent_kind: str) -> None:
        for outline in node.findall("outline"):
            label = (outline.get("category") or outline.get("text") or "").strip().lower()
            kind = label if label in KINDS else parent_kind
            url = (outline.get("xmlUrl") or "").strip()
            if url.startswith(("http://", "https://")):
                name = outline.get("title") or outline.get("text") or url
                found.append(OpmlFeed(url, name.strip()[:200], kind))
            walk(outline, kind)

    body = root.find("body")
    if root.tag != "opml" or body is None:
        raise ValueError("not OPML: no <opml><body>")
    walk(body, FeedKind.news.value)
    return found


def import_opml(
    session: Session, data: bytes, interval_s: int, allowlist: Allowlist | None = None
) -> tuple[int, int]:
    """Register the feeds of an OPML document; returns (added, already registered). Flushes.

    ``ValueError`` (nothing added) if the document is not OPML or if any feed points at an
    address the fetcher would never reach (``collector.guard.check_registration``; ``allowlist``
    from ``DULUAN_FETCH_ALLOWLIST``, ``None`` allows nothing)."""
    feeds = read_opml(data)
    blocked = []
    for f in feeds:
        try:
            check_registration(f.url, allowlist or Allowlist())
        except BlockedURL as exc:
            blocked.append(str(exc))
    if blocked:
        raise ValueError(
            f"{len(blocked)} feed(s) point at non-public addresses, nothing imported: "
            + "; ".join(blocked[:5])
        )
    added = known = 0
    for f in feeds:
        if session.scalar(select(Feed.id).where(Feed.url == f.url)) is not None:
            known += 1
            continue
        session.add(Feed(url=f.url, name=f.name, kind=f.kind, poll_interval_s=interval_s))
        session.flush()
        added += 1
    return added, known


def export_opml(session: Session) -> bytes:
    """The registry (HTTP feeds, not import sources) as OPML 2.0, grouped by kind."""
    root = ET.Element("opml", version="2.0")
    head = ET.SubElement(root, "head")
    ET.SubElement(head, "title").text = "duluan feeds"
    ET.SubElement(head, "dateCreated").text = datetime.now(UTC).strftime(
        "%a, %d %b %Y %H:%M:%S +0000"
    )
    body = ET.SubElement(root, "body")
    groups: dict[str, ET.Element] = {}
    for feed in session.scalars(
        select(Feed).where(Feed.kind != FeedKind.imported).order_by(Feed.id)
    ):
        group = groups.get(feed.kind)
        if group is None:
            group = groups[feed.kind] = ET.SubElement(
                body, "outline", text=feed.kind, title=feed.kind
            )
        ET.SubElement(
            group,
            "outline",
            type="rss",
            text=feed.name,
            title=feed.name,
            xmlUrl=feed.url,
            category=feed.kind,
        )
    ET.indent(root)
    return bytes(ET.tostring(root, encoding="utf-8", xml_declaration=True))
