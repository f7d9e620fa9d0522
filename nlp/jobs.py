"""Training runs asked for from the API: a ``train_job`` row any API process can read, and a
background thread in the process that accepted it. A job that stops reporting (its process
died) is shown as interrupted, and a new one for the classifier may start."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable, Sequence
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.audit import record
from core.config import Settings
from core.db import session_scope, utcnow
from core.errors import Conflict, NotFound
from core.tables import TrainJob, User
from nlp import lifecycle
from nlp.retrain import ReviewedText

log = logging.getLogger(__name__)
STALE = timedelta(minutes=15)  # a running job silent this long lost its process


class JobRunning(Conflict):
    """A training job for this classifier is still queued or running."""

    code = "job_running"


class JobNotFound(NotFound):
    """No training job has this id."""

    code = "job_not_found"


def _stale(job: TrainJob) -> bool:
    return job.status in {"queued", "running"} and utcnow() - job.updated_at > STALE


def status(job: TrainJob) -> str:
    return "interrupted" if _stale(job) else job.status


def get_job(session: Session, job_id: int) -> TrainJob:
    job = session.get(TrainJob, job_id)
    if job is None:
        raise JobNotFound(
            f"Không có lượt huấn luyện số {job_id}. (no training job {job_id})",
        )
    return job


def create_job(
    session: Session, classifier: str, include_reviews: bool, actor: User | None
) -> TrainJob:
    """A queued job (409 if one for the classifier is still running)."""
    lifecycle.check_classifier(classifier)
    running = session.scalars(
        select(TrainJob).where(
            TrainJob.classifier == classifier, TrainJob.status.in_(["queued", "running"])
        )
    ).all()
    if any(not _stale(j) for j in running):
        raise JobRunning(
            f"Mô hình {classifier} đang được huấn luyện, hãy chờ lượt đó xong. "
            f"(a {classifier} model is already being trained)",
        )
    job = TrainJob(
        classifier=classifier,
        include_reviews=include_reviews,
        requested_by=actor.id if actor else None,
        message="chờ / queued",
    )
    session.add(job)
    session.flush()
    record(session, actor, "model.train", "train_job", job.id, after={"classifier": classifier})
    return job


# Where a job that includes reviewers' decisions reads them (``review.decisions.review_labels``,
# handed in by the API: ``nlp`` does not read verdicts itself).
Reviews = Callable[[Session], Sequence[ReviewedText]]


def run_job(
    factory: sessionmaker[Session], settings: Settings, job_id: int, reviews_of: Reviews
) -> None:
    """Run a queued job to its end, reporting progress in its row; a job that includes reviews
    trains on ``reviews_of(session)`` as well."""

    def report(message: str, fraction: float, **fields: object) -> None:
        with session_scope(factory) as s:
            job = s.get(TrainJob, job_id)
            assert job is not None
            job.message, job.progress, job.updated_at = message[:300], fraction, utcnow()
            for key, value in fields.items():
                setattr(job, key, value)

    report("bắt đầu / starting", 0.0, status="running")
    try:
        with session_scope(factory) as session:
            job = session.get(TrainJob, job_id)
            assert job is not None
            classifier, requested_by = job.classifier, job.requested_by
            reviews = reviews_of(session) if job.include_reviews else []
        version, meta = lifecycle.train_challenger(
            settings, classifier, reviews=reviews, progress=report
        )
        with session_scope(factory) as session:
            actor = session.get(User, requested_by) if requested_by else None
            lifecycle.record_challenger(session, classifier, version, meta, actor)
        report("xong / done", 1.0, status="done", version=version, finished_at=utcnow())
    except Exception as exc:  # noqa: BLE001 - the job records any failure; the API keeps serving
        log.exception("training job %s failed", job_id)
        report(f"lỗi / failed: {exc}", 1.0, status="failed", error=str(exc), finished_at=utcnow())


def start(
    factory: sessionmaker[Session], settings: Settings, job_id: int, reviews_of: Reviews
) -> threading.Thread:
    """Run the job in a background thread of this process (``run_job``)."""
    thread = threading.Thread(
        target=run_job,
        args=(factory, settings, job_id, reviews_of),
        name=f"train-{job_id}",
        daemon=True,
    )
    thread.start()
    return thread
