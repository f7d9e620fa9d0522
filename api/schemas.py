"""Request and response models of ``/api/v1``."""

from __future__ import annotations

from datetime import datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from core.vocabulary import Role, Sentiment, VerdictLabel


class LoginRequest(BaseModel):
    username: str = Field(min_length=1, max_length=64)
    password: str = Field(min_length=1, max_length=256)


class TokenRead(BaseModel):
    access_token: str
    token_type: Literal["bearer"] = "bearer"
    expires_at: datetime


class Reason(BaseModel):
    kind: str = Field(
        description="What produced it: a cue (e.g. credential_request), fact_mismatch, known_false_claim, claim (the passage of a long text that carries the flag) or model"
    )
    evidence: str = Field(description="The words of the item that triggered it")
    message: str = Field(description="Plain Vietnamese explanation for the reviewer")
    weight: float = Field(
        description="How much it pushes towards a flag; negative values push away (warnings, refutations)"
    )
    model_config = ConfigDict(extra="allow")


class AnalysisRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    relevance: float
    relevant: bool
    sentiment: str
    sentiment_scores: dict[str, float]
    misinfo: str
    misinfo_scores: dict[str, float]
    risk: float = Field(description="0–1: how urgently a human should look at it")
    reasons: list[Reason]
    model_versions: dict[str, Any]
    created_at: datetime


class IngestNote(BaseModel):
    code: str = Field(
        description="date_unreadable | date_in_future | legacy_encoding | duplicate_of"
    )
    detail: str


class TitleEdit(BaseModel):
    title: str
    replaced_at: datetime


class ItemRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    source: str = Field(description="The feed or publisher that carried it")
    url: str | None
    title: str
    text: str
    author: str | None = Field(description="Displayed byline of a news article, if any")
    published_at: datetime | None
    fetched_at: datetime
    notes: list[IngestNote] | None = Field(
        None, description="What ingest assumed or repaired (unreadable date, legacy encoding…)"
    )
    title_history: list[TitleEdit] | None = Field(
        None, description="Earlier headlines, when the source edited it (oldest first)"
    )
    purged_at: datetime | None = Field(
        None,
        description="When its text was removed under the retention policy (title and text are "
        "then empty); null while it is kept",
    )


class TaskRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    status: str
    reason: str = Field(
        description="Why it is queued: risk (flagged), uncertain (the model is unsure), audit "
        "(random sample), analyst (an analyst sent it)"
    )
    source_count: int = Field(
        description="How many sources carried this story (near-duplicates count once)"
    )
    priority: float
    lease_expires_at: datetime | None
    item: ItemRead
    analysis: AnalysisRead | None


class VerdictCreate(BaseModel):
    verdict: VerdictLabel
    note: str = Field(default="", max_length=4000)
    sentiment: Sentiment | None = Field(
        default=None, description="Corrected sentiment, when the model got it wrong"
    )
    relevant: bool | None = Field(
        default=None, description="Corrected relevance, when the model got it wrong"
    )


class VerdictRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    task_id: int
    verdict: str
    note: str
    sentiment: str | None
    relevant: bool | None
    created_at: datetime
    task_status: str
    withdrawn_at: datetime | None = Field(
        default=None, description="When its reviewer undid or replaced it (it no longer counts)"
    )


class Health(BaseModel):
    status: Literal["ok", "degraded"]
    database: bool
    models: dict[str, str | None]


class Ready(BaseModel):
    status: Literal["ready"]
    database_writable: bool = Field(description="A write was made and rolled back")
    models_loaded: bool = Field(description="Analysis available (not required to be ready)")


class FeedRead(BaseModel):
    id: int
    url: str
    name: str
    kind: str = Field(description="news | official | social")
    enabled: bool
    poll_interval_s: int
    extract_full_text: bool = Field(
        description="Fetch the article page when an entry carries only a summary"
    )
    last_success_at: datetime | None
    last_error: str | None
    last_warning: str | None = Field(
        None,
        description="A problem of the last successful fetch that did not stop it "
        "(invalid bytes replaced, a contradicted charset, unreadable dates)",
    )
    error_count: int = Field(
        description="Errors in a row; the feed is disabled after too many hard errors"
    )
    next_check_at: datetime | None
    items_7d: int = Field(description="Items collected from this feed in the last seven days")


class FeedCreate(BaseModel):
    url: str = Field(max_length=2048, description="http(s) URL of an RSS or Atom feed")
    name: str = Field(min_length=1, max_length=200)
    kind: Literal["news", "official", "social"] = "news"
    poll_interval_s: int = Field(default=1800, ge=60, le=7 * 86_400)
    extract_full_text: bool = False


class FeedUpdate(BaseModel):
    name: str | None = Field(default=None, min_length=1, max_length=200)
    kind: Literal["news", "official", "social"] | None = None
    poll_interval_s: int | None = Field(default=None, ge=60, le=7 * 86_400)
    extract_full_text: bool | None = None
    enabled: bool | None = None


class SkipRequest(BaseModel):
    reason: str = Field(
        min_length=1, max_length=1000, description="Why the reviewer passes on this item"
    )


class OverrideRequest(BaseModel):
    verdict: Literal["distortion", "scam", "not_misinformation"]
    reason: str = Field(
        min_length=1, max_length=4000, description="Mandatory: why the analyst decides so"
    )
    sentiment: Sentiment | None = None
    relevant: bool | None = None


class ChangeVerdictRequest(BaseModel):
    verdict: VerdictLabel
    reason: str = Field(
        min_length=1, max_length=4000, description="Mandatory: why the reviewer changes it"
    )


class SendToReviewRequest(BaseModel):
    note: str = Field(default="", max_length=4000, description="Why the analyst sends it")


class ClusterRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    first_item_id: int | None
    first_seen_at: datetime | None = Field(description="When the story first appeared")
    item_count: int
    source_count: int = Field(description="How many distinct sources carried it")


class LabelsRead(BaseModel):
    """The labels shown for an item: a reviewer's correction wins over the machine's."""

    model_config = ConfigDict(from_attributes=True)
    sentiment: str | None = Field(description="As shown: the reviewer's if corrected")
    relevant: bool | None = Field(description="As shown: the reviewer's if corrected")
    machine_sentiment: str | None = Field(description="The newest analysis' sentiment")
    machine_relevant: bool | None = Field(description="The newest analysis' relevance")
    sentiment_by_human: bool
    relevant_by_human: bool


class ItemSummary(BaseModel):
    item: ItemRead
    analysis: AnalysisRead | None
    labels: LabelsRead = Field(
        description="Sentiment and relevance as shown and counted (human-corrected where a "
        "reviewer corrected them), with the machine's values"
    )
    task_status: str | None = Field(description="Review status, or null if never queued")
    task_id: int | None


class ItemPage(BaseModel):
    items: list[ItemSummary]
    next_before_id: int | None = Field(
        description="Pass as before_id for the next page; null at the end"
    )


class ItemDetail(ItemSummary):
    cluster: ClusterRead | None
    fact_differences: list[Reason] = Field(
        description="Reasons that compare the item with the reference facts"
    )


class ErrorDetail(BaseModel):
    code: str = Field(
        description="Stable machine-readable code, e.g. not_lease_holder, lease_expired"
    )
    message: str = Field(description="Plain message (Vietnamese, then English)")
    details: list[dict[str, Any]] | None = None


class ErrorBody(BaseModel):
    error: ErrorDetail


ERRORS: dict[int | str, dict[str, Any]] = {
    status: {"model": ErrorBody, "description": text}
    for status, text in {
        400: "Malformed request",
        401: "Not logged in, or the token is invalid or expired",
        403: "The caller's role may not do this",
        404: "No such object",
        409: "Conflict with the current state",
        413: "Request body too large",
        422: "Invalid input",
        429: "Too many attempts",
        503: "A service it needs is unavailable (e.g. models not loaded)",
    }.items()
}


class UserRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    username: str
    role: Role
    is_active: bool
    locked_until: datetime | None = Field(
        description="Set while the account is locked after repeated failed logins"
    )
    created_at: datetime


class UserCreate(BaseModel):
    username: str = Field(
        min_length=2, max_length=64, description="Lower-case letters, digits, '.', '_' or '-'"
    )
    role: Role
    password: str = Field(min_length=8, max_length=256)


class UserUpdate(BaseModel):
    role: Role | None = None
    is_active: bool | None = Field(
        default=None, description="false disables the account and revokes its tokens"
    )


AlertRuleName = Literal["spreading", "fast_growth", "queue_wait", "feed_silent"]
AlertChannel = Literal["email", "webhook"]


class AlertDeliveryRead(BaseModel):
    """How one channel fared (no addresses: an alert names no person)."""

    model_config = ConfigDict(from_attributes=True)
    channel: AlertChannel
    status: Literal["pending", "sent", "failed"]
    attempts: int
    last_error: str | None
    next_attempt_at: datetime | None
    sent_at: datetime | None


class AlertRead(BaseModel):
    model_config = ConfigDict(from_attributes=True)
    id: int
    rule: AlertRuleName = Field(
        description="spreading (a confirmed distortion or scam gains new sources after its "
        "verdict), fast_growth (a new cluster grows faster than its baseline), queue_wait (the "
        "oldest pending task waits too long), feed_silent (a feed brings nothing new or fails)"
    )
    subject_kind: Literal["cluster", "feed", "queue"]
    subject_id: int = Field(description="The cluster's or feed's id; 0 for the queue")
    title: str = Field(description="Vietnamese headline of the alert")
    text: str = Field(description="Vietnamese text: content, sources, counts, a link")
    details: dict[str, Any] = Field(description="The rule's figures (counts, z-scores, sources)")
    created_at: datetime
    deliveries: list[AlertDeliveryRead]


class AlertSubscriptionWrite(BaseModel):
    rules: list[AlertRuleName] = Field(default_factory=list, max_length=4)
    channels: list[AlertChannel] = Field(default_factory=list, max_length=2)
    email: str | None = Field(
        default=None, max_length=320, description="Needed when channels include email"
    )


class AlertSubscriptionRead(AlertSubscriptionWrite):
    updated_at: datetime | None = Field(None, description="None: never chosen")
