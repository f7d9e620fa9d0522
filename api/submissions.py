"""Collaborators' reports end to end, for the API and the web app: taken in by the collector,
analysed, queued for a human, audited — and a reviewer's correction of a screenshot's OCR text.

The steps belong to three packages that do not import each other (``collector.submissions``,
``nlp.analyze``, ``review.reports``); this module, like the routes that call it, sits above them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from collector.submissions import (
    MAX_TEXT,
    ReportTooLong,
    Submission,
    get_image,
    take_in,
)
from core.audit import record
from core.config import Settings
from core.db import utcnow
from core.tables import REPORT_SOURCE, Analysis, Item, Report, ReportImage, ReviewTask, User
from core.text import clean, search_key
from nlp.pending import score_items
from review.reports import OPEN, enqueue_report


def _analyze(session: Session, analyzer: Any, item: Item) -> Analysis | None:
    """A fresh analysis of ``item`` (None without models)."""
    if analyzer is None:
        return None
    score_items(session, analyzer, [item])
    return session.scalar(
        select(Analysis).where(Analysis.item_id == item.id).order_by(Analysis.id.desc()).limit(1)
    )


def submit(
    session: Session,
    settings: Settings,
    analyzer: Any,
    user: User,
    submission: Submission,
    now: datetime | None = None,
) -> Report:
    """Take in one report (``collector.submissions.take_in``: its refusals raise
    ``ReportRefused``), analyse its item unless it already has an analysis (``analyzer``: an
    ``nlp.analyze.Analyzer``, or None when models are not loaded) and queue it for a human
    whatever its risk (``review.reports.enqueue_report``); flushes, the caller commits.
    Audited as ``report.submit`` (the only place besides ``report_submitter`` that names the
    submitter)."""
    now = now or utcnow()
    report, item, n_images = take_in(session, settings, user, submission, now)
    if not session.scalar(select(func.count(Analysis.id)).where(Analysis.item_id == item.id)):
        _analyze(session, analyzer, item)
    task = enqueue_report(session, settings, item, now)
    record(
        session,
        user,
        "report.submit",
        "report",
        report.id,
        after={
            "item_id": item.id,
            "task_id": task.id,
            "images": n_images,
            "link": report.link_url,
            "link_error": report.link_error,
        },
    )
    session.flush()
    return report


def correct_ocr(
    session: Session, settings: Settings, analyzer: Any, user: User, image_id: int, text: str
) -> ReportImage:
    """Store a reviewer's correction of a screenshot's OCR text (audited ``report.ocr_correct``
    with the text before and after) and, when the report made its own item, put the corrected
    text in the item in place of the old one and analyse it again; an open task of the item
    then shows the new analysis. Raises ``NotFound`` and ``ReportRefused`` (over 100,000
    characters)."""
    image = get_image(session, image_id)
    text = clean(text)
    if len(text) > MAX_TEXT:
        raise ReportTooLong(f"Nội dung quá dài (tối đa {MAX_TEXT} ký tự). (Text too long.)")
    before = image.text
    image.corrected_text = text
    item = image.report.item
    reanalysed = None
    if item is not None and item.source == REPORT_SOURCE and before != text:
        if before and before in item.text:
            item.text = item.text.replace(before, text, 1)
        else:
            item.text = "\n\n".join(p for p in (item.text, text) if p)
        item.search_text = search_key(item.title, item.text)
        session.flush()
        reanalysed = _analyze(session, analyzer, item)
        task = session.scalar(select(ReviewTask).where(ReviewTask.item_id == item.id))
        if reanalysed is not None:
            reanalysed.triaged_at = utcnow()
            if task is not None and task.status in OPEN:
                task.analysis_id = reanalysed.id
    record(
        session,
        user,
        "report.ocr_correct",
        "report_image",
        image.id,
        before={"text": before},
        after={"text": text, "analysis_id": reanalysed.id if reanalysed else None},
    )
    session.flush()
    return image
