from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from api.deps import Id, SessionDep, SettingsDep, require
from core.errors import DomainError, Invalid
from core.permissions import Permission
from core.tables import TrainJob, User
from nlp import jobs, lifecycle, registry
from nlp.pipeline import CLASSIFIERS
from review.agreement import agreement
from review.decisions import review_labels

router = APIRouter(prefix="/models", tags=["models"])
Analyst = Annotated[User, Depends(require(Permission.models))]


class TextTooLong(Invalid):
    """A text to analyse is longer than the API takes (20,000 characters)."""

    code = "too_long"


class ModelsUnavailable(DomainError):
    """The models are not loaded, so nothing can be analysed."""

    status_code = 503
    code = "models_unavailable"


class PromoteRequest(BaseModel):
    version: str = Field(
        min_length=1, max_length=64, description="The challenger to put in service"
    )
    force: bool = Field(
        default=False, description="Promote although the gate refuses (needs a reason; audited)"
    )
    reason: str = Field(default="", max_length=2000)


class TrainRequest(BaseModel):
    include_reviews: bool = Field(default=True, description="Add reviewers' decided labels")


class JobRead(BaseModel):
    id: int
    classifier: str
    status: str = Field(description="queued | running | done | failed | interrupted")
    progress: float = Field(description="0 to 1")
    message: str
    version: str | None = Field(description="The challenger's version once done")
    error: str | None


class AnalyzeRequest(BaseModel):
    texts: list[str] = Field(min_length=1, max_length=100)


def _job(job: TrainJob) -> JobRead:
    return JobRead(
        id=job.id,
        classifier=job.classifier,
        status=jobs.status(job),
        progress=job.progress,
        message=job.message,
        version=job.version,
        error=job.error,
    )


@router.get("")
def list_models(settings: SettingsDep, _: Analyst) -> dict[str, Any]:
    """Every classifier's model versions with their scores, comparison with the champion, and the one
    in service."""
    return {
        classifier: registry.describe(settings.models_dir, classifier) for classifier in CLASSIFIERS
    }


@router.get("/agreement")
def model_agreement(session: SessionDep, _: Analyst) -> list[dict[str, Any]]:
    """Per ISO week: reviewers' decisions against the model's labels (agreement and confusion),
    and inter-reviewer agreement with Cohen's kappa where two collaborators judged one item."""
    return agreement(session)


@router.post("/analyze")
def analyze_texts(body: AnalyzeRequest, request: Request, _: Analyst) -> list[dict[str, Any]]:
    """Score texts with the models in service (the ``duluan predict`` contract; each result says
    which model versions produced it)."""
    analyzer = request.app.state.models.get()
    if analyzer is None:
        raise ModelsUnavailable(
            "Chưa nạp được mô hình, máy chưa phân tích được. (models are not loaded)",
        )
    if any(len(t) > 20_000 for t in body.texts):
        raise TextTooLong(
            "Mỗi văn bản tối đa 20.000 ký tự. (each text at most 20,000 characters)",
        )
    return analyzer.analyze(body.texts)


@router.get("/jobs/{job_id}", response_model=JobRead)
def get_job(job_id: Id, session: SessionDep, _: Analyst) -> JobRead:
    """A training job's progress."""
    return _job(jobs.get_job(session, job_id))


@router.get("/{classifier}")
def classifier_models(classifier: str, settings: SettingsDep, _: Analyst) -> dict[str, Any]:
    """One classifier's versions (relevance, sentiment or misinfo)."""
    return registry.describe(settings.models_dir, lifecycle.check_classifier(classifier))


@router.post("/{classifier}/train", response_model=JobRead, status_code=202)
def train(
    classifier: str,
    body: TrainRequest,
    request: Request,
    session: SessionDep,
    settings: SettingsDep,
    analyst: Analyst,
) -> JobRead:
    """Train a challenger in the background (seed data + reviewers' labels); poll the job. The
    challenger is compared with the champion but not put in service."""
    job = jobs.create_job(
        session, lifecycle.check_classifier(classifier), body.include_reviews, analyst
    )
    session.commit()
    jobs.start(request.app.state.sessionmaker, settings, job.id, review_labels)
    return _job(job)


@router.post("/{classifier}/promote")
def promote(
    classifier: str,
    body: PromoteRequest,
    session: SessionDep,
    settings: SettingsDep,
    analyst: Analyst,
) -> dict[str, Any]:
    """Put a version in service; refused (409 gate_refused) when it is worse than the champion
    on the same evaluation set, unless forced with a reason. Serving processes pick it up within
    seconds; re-score recent items with ``duluan analyze --since``."""
    return lifecycle.promote(
        session,
        settings,
        lifecycle.check_classifier(classifier),
        body.version,
        analyst,
        force=body.force,
        reason=body.reason,
    )


@router.post("/{classifier}/rollback")
def rollback(
    classifier: str, session: SessionDep, settings: SettingsDep, analyst: Analyst
) -> dict[str, Any]:
    """Put the previously current version back in service."""
    return lifecycle.rollback(session, settings, lifecycle.check_classifier(classifier), analyst)
