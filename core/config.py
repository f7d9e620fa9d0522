"""Settings from environment variables prefixed ``DULUAN_`` (and an optional ``.env``)."""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path

from pydantic import Field, SecretStr, field_validator, model_validator
from pydantic_settings import BaseSettings, SettingsConfigDict

ROOT = Path(__file__).resolve().parent.parent


class Settings(BaseSettings):
    """Every setting has a working default so tests and ``duluan serve`` run with no ``.env``."""

    model_config = SettingsConfigDict(env_prefix="DULUAN_", env_file=".env", extra="ignore")

    database_url: str = f"sqlite:///{ROOT / 'var' / 'duluan.db'}"
    models_dir: Path = ROOT / "models"
    model_reload_seconds: float = 2.0  # how often a serving process looks for a promotion
    data_dir: Path = ROOT / "data"
    # shared/ (real corpora, read at training and benchmark time, never copied into the repo)
    shared_dir: Path = ROOT.parent / "shared"

    # Collector
    user_agent: str = "duluan/0.1 (+https://github.com/duluan; public-opinion monitor)"
    http_connect_timeout_s: float = 5.0
    http_read_timeout_s: float = 15.0
    http_total_timeout_s: float = 30.0
    max_feed_bytes: int = 10_000_000
    max_redirects: int = 5
    poll_interval_s: int = 1800
    min_interval_s: int = 300
    max_interval_s: int = 86_400
    # Hosts or CIDRs the fetcher may reach although they are loopback/private (comma-separated).
    fetch_allowlist: str = ""
    fetch_concurrency: int = 16
    parse_processes: int = 1
    per_host_limit: int = 2
    per_host_gap_s: float = 1.0
    disable_after_errors: int = 5
    feed_lease_s: int = 600
    max_entries_per_feed: int = 10_000
    extract_max_bytes: int = 3_000_000
    extract_min_chars: int = 200
    cluster_threshold: float = 0.7
    cluster_window_days: int = 14

    # Pipeline worker (duluan worker)
    worker_batch: int = 256  # items analysed and committed together
    worker_idle_s: float = 5.0  # the longest an idle worker waits before looking again
    # A worker whose analysis batch stays open this long is cut off by PostgreSQL and its batch
    # freed for the others (idle_in_transaction_session_timeout on its connections)
    analysis_lease_s: float = 600.0

    # Review queue
    # The lowest risk that queues an item. The rule: among thresholds (steps of 0.05) at which
    # what is queued is at least 90 % misinformation on data/eval/check.jsonl (nlp.evaluate:
    # PRECISION_TARGET), the one that leaves the widest margin to both targets of issue 12 on
    # real SMS (recall >= 60 %, false alarms <= 5 %; bench/smishing.py, the smaller of the two
    # margins). With the models of 2026-12-02 (seventh session; models/README.md): 0.25 → 65.1 % /
    # 3.2 % (margin 1.8 points), 0.30 → 63.7 % / 2.6 % (2.4), 0.35 → 63.0 % / 2.2 % (2.8), 0.40 →
    # 60.2 % / 1.8 % (0.2); the check set reaches 90 % from 0.25. (With the sixth session's:
    # 0.35, 62.7 % / 2.4 %; with the ones before them 0.40: 61.6 % / 2.2 %.) Chosen on that corpus, so its
    # figures there are not a test. `duluan evaluate` prints the check set's table for the models
    # in service. nlp.analyze.UNSUPPORTED_RISK must stay at or below it.
    review_risk_threshold: float = 0.35
    review_uncertain_share: float = 0.05  # of analysed, unflagged items: the most uncertain ones
    review_audit_share: float = 0.02  # of analysed, unflagged items: a random sample
    two_person_rule: bool = False  # a distortion/scam verdict counts once two collaborators agree
    lease_minutes: float = 10  # a fraction is allowed (e.g. 1.5 for a short test lease)
    # After a verdict its reviewer may undo it ("Hoàn tác") for this long; the server allows a
    # little slack (review.history.UNDO_SLACK_S) for the time the request takes to arrive.
    undo_seconds: float = 10.0

    # Collaborators' reports (review.reports)
    # A report is always queued; its task's priority is multiplied by this (a person saw it
    # circulating where no feed reaches).
    report_priority_boost: float = 1.5
    report_max_images: int = 4
    report_image_max_bytes: int = 5_000_000  # one uploaded screenshot, as sent
    # Decoded size limit: a larger image is refused before its pixels are decoded (a
    # decompression bomb); 40 Mpx holds any phone screenshot (e.g. 1440 × 20,000 scrolled).
    report_image_max_pixels: int = 40_000_000
    # Screenshots (re-encoded, without metadata) live here, never under a name the uploader chose.
    report_image_dir: Path = ROOT / "var" / "report-images"
    # Days a screenshot's file is kept (then deleted by `duluan reports purge-images`; its OCR
    # text stays with the item). Its own setting until the pipeline's retention settings exist.
    report_image_days: int = 90
    ocr_lang: str = "vie"  # Tesseract language(s) for screenshots

    # API
    token_ttl_hours: int = 12
    # Failed logins are counted in the database (every process shares the count): per username,
    # known or not (it then locks for login_lock_minutes), and per client address (then refused for
    # login_lock_minutes). A success clears the username's count; counts older than
    # login_window_minutes are forgotten.
    login_max_failures: int = 5
    login_lock_minutes: int = 5
    login_window_minutes: int = 60
    login_address_max_failures: int = 50  # enough for an office or carrier NAT full of colleagues
    # Reverse proxies whose X-Forwarded-For is believed (comma-separated addresses or networks,
    # e.g. "127.0.0.1,10.0.0.0/8"); empty: the client address is the connecting peer's.
    trusted_proxies: str = ""
    session_idle_minutes: int = 120  # a token unused this long is refused (and its session ends)
    max_body_bytes: int = 1_000_000  # larger request bodies are refused (413)
    cors_origins: str = (
        ""  # comma-separated origins allowed to call the API from a browser; none by default
    )
    metrics_dir: Path | None = None  # shared by API processes so /metrics adds up every worker
    # Set: /metrics needs "Authorization: Bearer <token>". Unset: loopback clients or admins only.
    metrics_token: SecretStr | None = None
    cookie_secure: bool = False  # web app: send the session cookie over HTTPS only (set behind TLS)
    api_host: str = "127.0.0.1"
    api_port: int = 8000
    # Requests one API process handles at once (its worker threads). Each may hold one database
    # connection, so the process's connection pool holds as many and a few more: a request
    # never waits for a connection while the ones holding them wait for a thread to commit
    # (with 40 threads and SQLAlchemy's default 15 connections, 50 simultaneous logins waited
    # 30 s and 21 of them failed).
    api_threads: int = Field(default=32, ge=1, le=1000)
    # The web app's address as people open it: alerts link to its item pages.
    public_url: str = "http://127.0.0.1:8000"

    # Alerts (alerts/): one alert per (rule, cluster | feed | queue) within this many minutes.
    alert_window_minutes: int = 360
    # How often a worker evaluates the alert rules (seconds; 0: every cycle). Once a minute keeps
    # "told within minutes" and costs one evaluation a minute whatever the poll rate: with
    # 1,000,000 items stored the growth baseline alone reads ~1.9 s (bench/pipeline.py).
    alert_check_interval_s: float = Field(default=60.0, ge=0)
    # A confirmed distortion or scam "keeps spreading" once this many sources carry it that did
    # not before the verdict (or before its last alert); only items fetched this recently count.
    alert_spread_min_new_sources: int = 1
    alert_spread_lookback_hours: int = 48
    # A new cluster (first seen this recently) "grows unusually fast" when its last hour's items
    # or sources reach the minimum and a z-score of alert_growth_z against the baseline: the
    # fastest story's hourly pace at the same hour of day (±1 h) on each of the previous days.
    alert_new_cluster_hours: int = 24
    alert_growth_baseline_days: int = 7
    alert_growth_z: float = 3.0
    alert_growth_min_items: int = 5
    alert_growth_min_sources: int = 3
    alert_queue_max_wait_minutes: int = 60  # the oldest pending task waits longer: an alert
    # A polled feed is silent after this many poll intervals without a new item; failing after
    # this many errors in a row (or once the collector disabled it).
    alert_feed_silent_intervals: int = 48
    alert_feed_failing_errors: int = 3
    # E-mail over SMTP: no host, no e-mail (deliveries wait, marked failed, until one is set).
    # alert_smtp_tls: "none", "starttls" or "ssl" (implicit TLS, usually port 465).
    alert_smtp_host: str = ""
    alert_smtp_port: int = 25
    alert_smtp_tls: str = "none"
    alert_smtp_user: str = ""
    alert_smtp_password: SecretStr | None = None
    alert_smtp_from: str = "duluan@localhost"
    # A JSON webhook (a chat bot): every alert a subscriber chose "webhook" for is POSTed there.
    alert_webhook_url: str = ""
    alert_send_timeout_s: float = 10.0
    alert_max_attempts: int = 8  # a failed delivery is retried after 1, 2, 4… minutes (≤ 1 h)

    # Retention (core.retention.purge, `duluan purge`), in days; 0 or empty = kept forever.
    # Item texts (title, text, byline, search key, shingles, the evidence quoted by analyses) are
    # blanked after retention_text_days; an item's analyses are deleted retention_analysis_days
    # after they were made, once superseded or once the item's text is gone; audit events go after
    # retention_audit_days. Audit events outlive item texts: the record of a decision must outlast
    # what it was about, so an audit retention shorter than the text retention is refused.
    retention_text_days: int = 180
    retention_analysis_days: int = 365
    retention_audit_days: int = 730
    retention_batch_size: int = 500  # rows per purge transaction (bounded memory and locks)

    @field_validator(
        "retention_text_days", "retention_analysis_days", "retention_audit_days", mode="before"
    )
    @classmethod
    def _empty_is_forever(cls, value: object) -> object:
        """An empty ``DULUAN_RETENTION_*`` means 0 (keep forever); negative days are refused."""
        if value is None or (isinstance(value, str) and not value.strip()):
            return 0
        if isinstance(value, int | str) and int(value) < 0:
            raise ValueError("retention days must be 0 (keep forever) or a positive number")
        return value

    @field_validator("retention_batch_size")
    @classmethod
    def _positive_batch(cls, value: int) -> int:
        if value < 1:
            raise ValueError("DULUAN_RETENTION_BATCH_SIZE must be at least 1")
        return value

    @model_validator(mode="after")
    def _audit_outlives_texts(self) -> Settings:
        """Refuse an audit retention shorter than the text retention (``retention_problem``)."""
        problem = retention_problem(self)
        if problem:
            raise ValueError(problem)
        return self


def retention_problem(settings: Settings) -> str | None:
    """Why the retention settings are inconsistent, or ``None``: audit events must be kept at
    least as long as item texts (0 = forever counts as longer than any number of days)."""
    text, audit = settings.retention_text_days, settings.retention_audit_days
    if audit and (not text or audit < text):
        kept = "forever" if not text else f"{text} days"
        return (
            f"DULUAN_RETENTION_AUDIT_DAYS ({audit}) must not be shorter than "
            f"DULUAN_RETENTION_TEXT_DAYS ({kept}): audit events outlive item texts; "
            "raise the audit retention or set it to 0 (keep forever)"
        )
    return None


@lru_cache
def get_settings() -> Settings:
    """The process-wide settings, built on first use (never at import time)."""
    return Settings()
