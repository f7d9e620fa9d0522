"""An item and a review task as the pages show them (the queue, the escalations, an item's
page): what the machine suspects and what speaks against it, the findings highlighted where they
are, the reasons said once, one fact block per fact, the collaborators' reports."""

from __future__ import annotations

import secrets
from typing import Any

from sqlalchemy import inspect

from api.web import card as findings
from api.web import render
from collector.submissions import reports_of_item
from core.db import utcnow
from core.tables import Analysis, Item, ReviewTask

# A text longer than this gets a "Xem đoạn bị gắn cờ" link to its first highlighted finding.
LONG_TEXT = 600


def item_view(item: Item, analysis: Analysis | None) -> dict[str, Any]:
    """An item as a reviewer reads it: what the machine suspects and what speaks against it,
    the findings highlighted where they are, the reasons said once, one fact block per fact."""
    reasons = findings.shown(analysis.reasons or []) if analysis is not None else []
    title, text = item.title or "", item.text or ""
    title_marks, text_marks = findings.marks(title, text, reasons)
    anchor = f"flagged-{item.id}"
    jump = len(text) > LONG_TEXT and any(not m.counter for m in text_marks)
    return {
        "item": item,
        "analysis": analysis,
        "suspicion": findings.suspicion(
            analysis.misinfo if analysis is not None else None, reasons
        ),
        "title_html": render.highlight(title, title_marks),
        "text_html": render.highlight(text, text_marks, anchor=anchor if jump else None),
        "flagged_anchor": anchor if jump else None,
        "reasons": findings.reason_lines(reasons),
        "facts": findings.fact_blocks(title, text, reasons),
        "url": render.safe_url(item.url),
        # what collaborators handed in with it: place, note, link, screenshots and OCR text
        "reports": _reports_of(item),
    }


def _reports_of(item: Item) -> list[Any]:
    """The collaborators' reports an item came from ([] for a collected item, or an item not
    loaded from the database)."""
    state = inspect(item, raiseerr=False)
    session = state.session if state is not None else None
    return reports_of_item(session, item) if session is not None else []


def task_card(task: ReviewTask) -> dict[str, Any]:
    """A task as its card shows it: the item's view, the task's reach and first sighting, the
    lease's seconds left and a fresh key for the verdict form."""
    cluster = task.cluster
    return {
        **item_view(task.item, task.analysis),
        "task": task,
        "source_count": task.source_count,
        "first_seen": cluster.first_seen_at if cluster is not None else None,
        "lease_seconds": max(0, int((task.lease_expires_at - utcnow()).total_seconds()))
        if task.lease_expires_at
        else 0,
        # the verdict form's idempotency key: a double tap or a resent form stores one verdict
        "submission": secrets.token_urlsafe(16),
    }
