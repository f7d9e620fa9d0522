"""ORM tables. No table holds a profile of an author: sources are feeds and publishers."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
    event,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from core.db import Base, UTCDateTime, utcnow

# Named in core.vocabulary with their Vietnamese labels; imported here for the columns (and for
# the modules that have always imported them from here).
from core.vocabulary import Role as Role
from core.vocabulary import TaskStatus as TaskStatus
from core.vocabulary import VerdictKind as VerdictKind
from core.vocabulary import VerdictLabel as VerdictLabel


class FeedKind(StrEnum):
    news = "news"
    official = "official"
    social = "social"
    imported = "import"
    # What collaborators hand in ("Phản ánh của cộng tác viên", review.reports): never polled.
    report = "report"


# The source name of every collaborator's report (review.reports; counted apart in the weekly report).
REPORT_SOURCE = "Phản ánh của cộng tác viên"


class Feed(Base):
    """A source: an RSS/Atom feed, or the named origin of imported posts."""

    __tablename__ = "feed"

    id: Mapped[int] = mapped_column(primary_key=True)
    url: Mapped[str] = mapped_column(String(2048), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20), default=FeedKind.news)
    enabled: Mapped[bool] = mapped_column(Boolean, default=True)
    poll_interval_s: Mapped[int] = mapped_column(Integer, default=1800)
    etag: Mapped[str | None] = mapped_column(String(512))
    last_modified: Mapped[str | None] = mapped_column(String(128))
    body_hash: Mapped[str | None] = mapped_column(String(64))
    last_fetched_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_success_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    last_error: Mapped[str | None] = mapped_column(Text)
    # A problem of the last successful fetch that did not stop it (invalid bytes replaced, a
    # declared charset the bytes contradict, undated entries…); None when clean.
    last_warning: Mapped[str | None] = mapped_column(Text)
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    next_check_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    extract_full_text: Mapped[bool] = mapped_column(Boolean, default=False)
    # Which collector process holds the feed, until when (several collectors share one database).
    lease_owner: Mapped[str | None] = mapped_column(String(64))
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    __table_args__ = (Index("ix_feed_due", "enabled", "next_check_at"),)


class Cluster(Base):
    """Near-duplicate items: the same story carried by several sources."""

    __tablename__ = "cluster"

    id: Mapped[int] = mapped_column(primary_key=True)
    first_item_id: Mapped[int | None] = mapped_column(Integer)
    first_seen_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    item_count: Mapped[int] = mapped_column(Integer, default=0)
    source_count: Mapped[int] = mapped_column(Integer, default=0)


class ClusterBand(Base):
    """The LSH index of recent clusters' leaders, kept in the database: one row per band of a
    leader's MinHash signature (``collector.cluster``). A new item looks up its own band keys
    here, so a clustering pass reads the few clusters that may match it instead of rebuilding
    an index of every cluster of the window. Rows older than the window are deleted."""

    __tablename__ = "cluster_band"

    # 64-bit digest of (scheme, band number, the band's hash values).
    key: Mapped[int] = mapped_column(BigInteger, primary_key=True, autoincrement=False)
    cluster_id: Mapped[int] = mapped_column(
        ForeignKey("cluster.id", ondelete="CASCADE"), primary_key=True
    )
    # "lsh-<bands>x<rows>": the banding the key was made with (it follows the threshold).
    scheme: Mapped[str] = mapped_column(String(16))
    # When the leader was fetched: the window counts from it, as for the leader itself.
    seen_at: Mapped[datetime] = mapped_column(UTCDateTime())

    __table_args__ = (Index("ix_cluster_band_seen_at", "seen_at"),)


# The partial index condition of what waits for analysis (``Item``, ``ix_item_pending``).
_WAITING_FOR_ANALYSIS = text("analyzed_at IS NULL AND purged_at IS NULL")
# … and of the analyses the review queue has not triaged yet (``Analysis``, ``ix_analysis_untriaged``).
_UNTRIAGED = text("triaged_at IS NULL")


class Item(Base):
    """A collected article or post. ``author`` is only a news article's displayed byline."""

    __tablename__ = "item"

    id: Mapped[int] = mapped_column(primary_key=True)
    feed_id: Mapped[int | None] = mapped_column(ForeignKey("feed.id", ondelete="SET NULL"))
    source: Mapped[str] = mapped_column(String(200))
    external_id: Mapped[str | None] = mapped_column(String(1024))
    url: Mapped[str | None] = mapped_column(String(2048))
    canonical_url: Mapped[str | None] = mapped_column(String(2048), unique=True)
    title: Mapped[str] = mapped_column(Text, default="")
    text: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8), default="vi")
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    # Title and text accent-folded and lower-cased (core.text.search_key), for search.
    search_text: Mapped[str | None] = mapped_column(Text)
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    fetched_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # Indexed with ``source`` (``ix_item_cluster_source``): a cluster's items, and whether a
    # source already carries it, without reading the cluster (collector.cluster._add_counts).
    cluster_id: Mapped[int | None] = mapped_column(ForeignKey("cluster.id", ondelete="SET NULL"))
    minhash: Mapped[bytes | None] = mapped_column(LargeBinary)
    # What ingest assumed or repaired: [{"code": "date_unreadable" | "legacy_encoding" | …,
    # "detail": "…"}] (collector.store, collector.parse); None when nothing.
    notes: Mapped[list[Any] | None] = mapped_column(JSON(none_as_null=True))
    # Earlier headlines of an article edited at its source: [{"title", "replaced_at"}], oldest first.
    title_history: Mapped[list[Any] | None] = mapped_column(JSON(none_as_null=True))
    # Retention (core.retention): when the item's text was blanked (title, text, byline, search
    # key, shingles, title history, quoted evidence); None while it is kept. The row itself stays
    # (its source, dates, link, digest, cluster, task and verdicts), so that counts stay reportable
    # and the collector does not take it for a new item.
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the item was first analysed (None: it waits for analysis, unless purged). Kept on the
    # item, not derived from ``analysis``, so that what waits is a partial-index lookup however
    # many items are stored (``nlp.pending.pending_items``, ``ix_item_pending``).
    analyzed_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # What the weekly report needs of its newest analysis once analyses may be deleted, frozen
    # when the text was blanked: {"relevant", "sentiment", "misinfo", "risk", "genre",
    # "contradicts"}; None for an item never analysed (or not purged).
    retained: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True))

    feed: Mapped[Feed | None] = relationship()
    cluster: Mapped[Cluster | None] = relationship()
    analyses: Mapped[list[Analysis]] = relationship(
        back_populates="item", order_by="Analysis.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        Index("ix_item_published_at", "published_at"),
        Index("ix_item_fetched_at", "fetched_at"),
        Index("ix_item_cluster_source", "cluster_id", "source"),
        # What waits for analysis: a few rows at most, whatever the table's size.
        Index(
            "ix_item_pending",
            "id",
            postgresql_where=_WAITING_FOR_ANALYSIS,
            sqlite_where=_WAITING_FOR_ANALYSIS,
        ),
        UniqueConstraint("feed_id", "external_id", name="uq_item_feed_id_external_id"),
    )


class Analysis(Base):
    """One scoring of an item by a set of model versions; the newest row is the current one."""

    __tablename__ = "analysis"
    # (item_id, id): an item's newest analysis is one index lookup, whatever the statistics say
    # ix_analysis_untriaged: the analyses the queue has not looked at yet (review.queue), a few
    # rows at most whatever the table's size.
    __table_args__ = (
        Index("ix_analysis_item_latest", "item_id", "id"),
        Index(
            "ix_analysis_untriaged",
            "id",
            postgresql_where=_UNTRIAGED,
            sqlite_where=_UNTRIAGED,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id", ondelete="CASCADE"))
    model_versions: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    relevance: Mapped[float] = mapped_column(Float)
    relevant: Mapped[bool] = mapped_column(Boolean)
    sentiment: Mapped[str] = mapped_column(String(10))
    sentiment_scores: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    misinfo: Mapped[str] = mapped_column(String(12))
    misinfo_scores: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    risk: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[Any]] = mapped_column(JSON, default=list)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # When the queue looked at it (each analysis is considered for review once).
    triaged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    item: Mapped[Item] = relationship(back_populates="analyses")


class User(Base):
    """A person who uses duluan (collaborator, analyst, admin) — never a content author."""

    __tablename__ = "user_account"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    role: Mapped[str] = mapped_column(String(20))
    password_hash: Mapped[str] = mapped_column(String(255))
    is_active: Mapped[bool] = mapped_column(Boolean, default=True)
    # Set while the account is locked after repeated failed logins (shown to admins); the count
    # itself lives in ``LoginThrottle``, shared by every process.
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class AuthToken(Base):
    """An opaque bearer token, stored only as its SHA-256."""

    __tablename__ = "auth_token"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    expires_at: Mapped[datetime] = mapped_column(UTCDateTime())
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    # When the token last authenticated a request (written at most once a minute): a token idle
    # for longer than ``session_idle_minutes`` is refused.
    last_used_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    user: Mapped[User] = relationship()


class LoginThrottle(Base):
    """Failed logins counted per scope, shared by every API process.

    A scope is a username (whether or not the account exists, so that an unknown name is answered
    like a real one) or a client address. ``key`` is the SHA-256 of the scope: the table keeps no
    names or addresses in clear.
    """

    __tablename__ = "login_throttle"

    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    failures: Mapped[int] = mapped_column(Integer, default=0)
    window_started_at: Mapped[datetime] = mapped_column(UTCDateTime())
    locked_until: Mapped[datetime | None] = mapped_column(UTCDateTime())


class ReviewTask(Base):
    """A flagged item waiting for, or holding, a human decision."""

    __tablename__ = "review_task"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int] = mapped_column(ForeignKey("item.id", ondelete="CASCADE"), unique=True)
    analysis_id: Mapped[int | None] = mapped_column(ForeignKey("analysis.id", ondelete="SET NULL"))
    status: Mapped[str] = mapped_column(String(12), default=TaskStatus.pending)
    # Why it is in the queue: "risk" (flagged), "uncertain" (the model is unsure), "audit" (random sample)
    reason: Mapped[str] = mapped_column(String(12), default="risk")
    cluster_id: Mapped[int | None] = mapped_column(
        ForeignKey("cluster.id", ondelete="SET NULL"), index=True
    )
    priority: Mapped[float] = mapped_column(Float, default=0.0)
    lease_holder_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    lease_expires_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    item: Mapped[Item] = relationship()
    analysis: Mapped[Analysis | None] = relationship()
    cluster: Mapped[Cluster | None] = relationship()
    verdicts: Mapped[list[Verdict]] = relationship(back_populates="task", order_by="Verdict.id")

    @property
    def source_count(self) -> int:
        """How many sources carried the story (its near-duplicate cluster)."""
        return self.cluster.source_count if self.cluster is not None else 1

    # The claim walks it backwards: status = ?, ORDER BY priority DESC, id DESC LIMIT 1.
    # One lease per reviewer, enforced by the database: every step that ends a lease clears
    # ``lease_holder_id`` (an expired lease keeps it until its holder claims again or another
    # reviewer takes the task over).
    __table_args__ = (
        Index("ix_review_task_claim", "status", "priority", "id"),
        Index(
            "uq_review_task_one_lease",
            "lease_holder_id",
            unique=True,
            sqlite_where=text("lease_holder_id IS NOT NULL"),
            postgresql_where=text("lease_holder_id IS NOT NULL"),
        ),
    )


class TaskSkip(Base):
    """A reviewer passed on a task, and why; they are not offered it again."""

    __tablename__ = "task_skip"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(
        ForeignKey("review_task.id", ondelete="CASCADE"), index=True
    )
    user_id: Mapped[int] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class Verdict(Base):
    """A reviewer's decision on a task."""

    __tablename__ = "verdict"

    id: Mapped[int] = mapped_column(primary_key=True)
    task_id: Mapped[int] = mapped_column(
        ForeignKey("review_task.id", ondelete="CASCADE"), index=True
    )
    reviewer_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    # What the verdict says (a ``VerdictLabel``); the column keeps its first name, "verdict".
    label: Mapped[str] = mapped_column("verdict", String(20))
    # Who gave it (a ``VerdictKind``): a collaborator's review or an analyst's override.
    kind: Mapped[str] = mapped_column(String(10), default=VerdictKind.review)
    sentiment: Mapped[str | None] = mapped_column(String(10))
    relevant: Mapped[bool | None] = mapped_column(Boolean)
    note: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    # The client's key for one submission (web form field or API ``Idempotency-Key`` header): a
    # repeated request with the same key returns this verdict instead of storing another.
    idempotency_key: Mapped[str | None] = mapped_column(String(64))
    # Never deleted: a verdict its reviewer undid (within the undo window) or replaced (from
    # "Đã làm") is marked withdrawn and no longer counts anywhere; ``replaced_by_id`` names the
    # verdict that took its place (NULL for an undo).
    withdrawn_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    replaced_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("verdict.id", ondelete="SET NULL")
    )

    task: Mapped[ReviewTask] = relationship(back_populates="verdicts")

    @property
    def standing(self) -> bool:
        """Whether the verdict counts: neither undone nor replaced."""
        return self.withdrawn_at is None

    __table_args__ = (
        Index("uq_verdict_idempotency", "reviewer_id", "idempotency_key", unique=True),
    )


class AuditEvent(Base):
    """Append-only record of who did what, when, from which state to which."""

    __tablename__ = "audit_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, index=True)
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id", ondelete="SET NULL"))
    action: Mapped[str] = mapped_column(String(64))
    entity: Mapped[str] = mapped_column(String(32))
    entity_id: Mapped[int | None] = mapped_column(Integer)
    before: Mapped[dict[str, Any] | None] = mapped_column(JSON)
    after: Mapped[dict[str, Any] | None] = mapped_column(JSON)


class ModelVersion(Base):
    """A trained model artifact under ``models/<classifier>/<version>/`` and whether it is in
    service. ``classifier`` is stored in the column ``task`` (its name before 2026-11-30)."""

    __tablename__ = "model_version"

    id: Mapped[int] = mapped_column(primary_key=True)
    classifier: Mapped[str] = mapped_column("task", String(20))
    version: Mapped[str] = mapped_column(String(64))
    metrics: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    is_current: Mapped[bool] = mapped_column(Boolean, default=False)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    promoted_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    __table_args__ = (UniqueConstraint("task", "version", name="uq_model_version_task_version"),)


class TrainJob(Base):
    """A training run asked for through the API: its progress is visible to every API process.
    ``classifier`` is stored in the column ``task`` (its name before 2026-11-30)."""

    __tablename__ = "train_job"

    id: Mapped[int] = mapped_column(primary_key=True)
    classifier: Mapped[str] = mapped_column("task", String(20))
    include_reviews: Mapped[bool] = mapped_column(Boolean, default=True)
    status: Mapped[str] = mapped_column(String(10), default="queued")  # queued|running|done|failed
    progress: Mapped[float] = mapped_column(Float, default=0.0)
    message: Mapped[str] = mapped_column(String(300), default="")
    version: Mapped[str | None] = mapped_column(String(64))
    error: Mapped[str | None] = mapped_column(Text)
    requested_by: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class AlertRule(StrEnum):
    """What an alert is about (the rules live in ``alerts.rules``)."""

    spreading = "spreading"  # a confirmed distortion or scam gains new sources after its verdict
    fast_growth = "fast_growth"  # a new cluster grows faster than stories usually do
    queue_wait = "queue_wait"  # the oldest pending task waits longer than allowed
    feed_silent = "feed_silent"  # a feed brings nothing new for too long, or keeps failing


class Alert(Base):
    """One alert, recorded before it is sent: it names content and sources, never a person.

    ``subject_kind`` is ``cluster``, ``feed`` or ``queue``; ``subject_id`` the cluster's or the
    feed's id (0 for the queue). One alert per (rule, subject) within ``DULUAN_ALERT_WINDOW_MINUTES``.
    """

    __tablename__ = "alert"

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(String(20))
    subject_kind: Mapped[str] = mapped_column(String(10))
    subject_id: Mapped[int] = mapped_column(Integer, default=0)
    title: Mapped[str] = mapped_column(String(300))
    text: Mapped[str] = mapped_column(Text)
    # The figures behind it: counts, sources, item id and link, z-score… (alerts.rules.Finding)
    details: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    deliveries: Mapped[list[AlertDelivery]] = relationship(
        back_populates="alert", order_by="AlertDelivery.id", cascade="all, delete-orphan"
    )

    __table_args__ = (
        Index("ix_alert_subject", "rule", "subject_kind", "subject_id", "created_at"),
        Index("ix_alert_created_at", "created_at"),
    )


class AlertDelivery(Base):
    """One alert sent (or to be sent) over one channel to one target: an e-mail address or the
    webhook. A failure is kept with its error and tried again at ``next_attempt_at``."""

    __tablename__ = "alert_delivery"

    id: Mapped[int] = mapped_column(primary_key=True)
    alert_id: Mapped[int] = mapped_column(ForeignKey("alert.id", ondelete="CASCADE"))
    channel: Mapped[str] = mapped_column(String(10))  # email | webhook
    target: Mapped[str] = mapped_column(String(320))  # the address, or "webhook"
    status: Mapped[str] = mapped_column(String(10), default="pending")  # pending|sent|failed
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str | None] = mapped_column(Text)
    next_attempt_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    sent_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    alert: Mapped[Alert] = relationship(back_populates="deliveries")

    __table_args__ = (
        UniqueConstraint("alert_id", "channel", "target", name="uq_alert_delivery_target"),
        Index("ix_alert_delivery_due", "status", "next_attempt_at"),
    )


class AlertSubscription(Base):
    """Which alerts an analyst or admin wants, over which channels (one row per person)."""

    __tablename__ = "alert_subscription"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), unique=True
    )
    rules: Mapped[list[Any]] = mapped_column(JSON, default=list)  # AlertRule values
    channels: Mapped[list[Any]] = mapped_column(JSON, default=list)  # "email", "webhook"
    email: Mapped[str | None] = mapped_column(String(320))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    user: Mapped[User] = relationship()


class Report(Base):
    """What a collaborator handed in (text, a link, screenshots): the item it became, where it
    was seen (a free-text place such as "nhóm Zalo thôn", never a person's name or account), a
    note, and what became of its link. Who handed it in is not here: see ``ReportSubmitter``."""

    __tablename__ = "report"

    id: Mapped[int] = mapped_column(primary_key=True)
    item_id: Mapped[int | None] = mapped_column(
        ForeignKey("item.id", ondelete="SET NULL"), index=True
    )
    place: Mapped[str] = mapped_column(String(200), default="")
    note: Mapped[str] = mapped_column(Text, default="")
    link_url: Mapped[str | None] = mapped_column(String(2048))
    # Why the link could not be read (Vietnamese, shown to people); None when read or no link.
    link_error: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    item: Mapped[Item | None] = relationship()
    images: Mapped[list[ReportImage]] = relationship(
        back_populates="report", order_by="ReportImage.position"
    )


class ReportSubmitter(Base):
    """Which account handed in a report: read only by "Phản ánh của tôi" (the submitter sees
    what became of their reports) and by the claim's rule that a report's submitter never
    reviews it (review.queue). Nothing else reads it; it is no score of anyone."""

    __tablename__ = "report_submitter"

    report_id: Mapped[int] = mapped_column(
        ForeignKey("report.id", ondelete="CASCADE"), primary_key=True
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )


class ReportImage(Base):
    """A screenshot of a report, re-encoded without metadata and stored under
    ``report_image_dir`` as ``stored_name`` (random, never the uploader's name); its OCR text and
    a reviewer's correction. ``purged_at``: the file was deleted by retention."""

    __tablename__ = "report_image"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id", ondelete="CASCADE"), index=True)
    position: Mapped[int] = mapped_column(Integer, default=0)
    stored_name: Mapped[str] = mapped_column(String(80), unique=True)
    media_type: Mapped[str] = mapped_column(String(40), default="image/png")
    width: Mapped[int] = mapped_column(Integer)
    height: Mapped[int] = mapped_column(Integer)
    size_bytes: Mapped[int] = mapped_column(Integer)
    ocr_text: Mapped[str | None] = mapped_column(Text)
    # Why there is no OCR text (Tesseract absent, failed…), Vietnamese; None when read.
    ocr_error: Mapped[str | None] = mapped_column(Text)
    corrected_text: Mapped[str | None] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    purged_at: Mapped[datetime | None] = mapped_column(UTCDateTime())

    report: Mapped[Report] = relationship(back_populates="images")

    @property
    def text(self) -> str:
        """The text a reviewer stands by: the correction, else the OCR text ('' when none)."""
        return self.corrected_text if self.corrected_text is not None else (self.ocr_text or "")


class AuditIsAppendOnly(RuntimeError):
    """Raised when code tries to change or delete an audit event."""


@event.listens_for(Session, "before_flush")
def _guard_audit(session: Session, _ctx: Any, _instances: Any) -> None:
    for obj in list(session.dirty) + list(session.deleted):
        if isinstance(obj, AuditEvent):
            raise AuditIsAppendOnly("audit events are append-only")
