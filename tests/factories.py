"""Plain factory functions: take a session and overrides, return a flushed object."""

from __future__ import annotations

import itertools
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from collector.store import content_hash
from core.accounts import create_user
from core.db import utcnow
from core.tables import Analysis, Feed, Item, ReviewTask, TaskStatus, User
from core.text import search_key

_seq = itertools.count(1)


def make_feed(session: Session, **kw: Any) -> Feed:
    n = next(_seq)
    feed = Feed(**{"url": f"http://127.0.0.1/feed-{n}.xml", "name": f"Feed {n}", **kw})
    session.add(feed)
    session.flush()
    return feed


def make_item(session: Session, **kw: Any) -> Item:
    n = next(_seq)
    title, text = kw.pop("title", f"Tin {n}"), kw.pop("text", f"Nội dung tin số {n}")
    item = Item(
        **{
            "source": "Nguồn thử",
            "url": f"https://example.org/{n}",
            "canonical_url": f"https://example.org/{n}",
            "title": title,
            "text": text,
            "content_hash": content_hash(title, text),
            "search_text": search_key(title, text),
            "fetched_at": utcnow(),
            **kw,
        }
    )
    session.add(item)
    session.flush()
    return item


def make_analysis(session: Session, item: Item, **kw: Any) -> Analysis:
    defaults: dict[str, Any] = {
        "relevance": 0.9,
        "relevant": True,
        "sentiment": "negative",
        "sentiment_scores": {"negative": 0.8, "neutral": 0.1, "positive": 0.1},
        "misinfo": "scam",
        "misinfo_scores": {"distortion": 0.05, "scam": 0.9},
        "risk": 0.9,
        "reasons": [
            {
                "kind": "credential_request",
                "evidence": "mã OTP",
                "message": "Yêu cầu OTP",
                "weight": 0.8,
            }
        ],
        "model_versions": {"misinfo": "t"},
    }
    analysis = Analysis(item_id=item.id, **{**defaults, **kw})
    if item.analyzed_at is None:
        item.analyzed_at = analysis.created_at or utcnow()
    session.add(analysis)
    session.flush()
    return analysis


def make_task(
    session: Session, *, priority: float = 0.5, created_at: datetime | None = None, **kw: Any
) -> ReviewTask:
    item = make_item(session)
    analysis = make_analysis(session, item)
    task = ReviewTask(
        item_id=item.id,
        analysis_id=analysis.id,
        status=TaskStatus.pending,
        priority=priority,
        created_at=created_at or utcnow(),
        **kw,
    )
    session.add(task)
    session.flush()
    return task


def make_user(
    session: Session, name: str = "ctv", role: str = "collaborator", password: str = "password-123"
) -> User:
    return create_user(session, name, role, password)
