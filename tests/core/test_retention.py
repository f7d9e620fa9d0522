"""Retention (``core.retention.purge``): texts, analyses and audit events past their time go, in
batches; items under review and confirmed evidence stay; a purged week still reports its figures
(hand-computed below); a dry run changes nothing; an interrupted purge leaves consistent data and
the next run finishes. On SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from pydantic import ValidationError
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from collector.store import NewItem, save_items
from core.calendar import Week
from core.config import Settings
from core.items import ItemFilter, list_items
from core.retention import RetentionConfigError, purge, strip_reason
from core.tables import (
    Analysis,
    AuditEvent,
    Item,
    ReviewTask,
    TaskStatus,
    Verdict,
)
from report.formats import build, load_summary
from report.loading import PURGED_VI, load_week
from tests.factories import make_analysis, make_feed, make_item, make_user

NOW = datetime(2026, 11, 30, 5, 0, tzinfo=UTC)
# About 400 days before NOW: past the text (180) and analysis (365) retention, within the
# audit retention (730).
WEEK = Week(2025, 40)  # Monday 29/09/2025 .. Sunday 05/10/2025, Vietnam time


def _settings(**kw: Any) -> Settings:
    return Settings(
        database_url="sqlite://", retention_batch_size=2, _env_file=None, **kw
    )  # purge reads only the retention settings


def _day(n: int, hour: int = 3) -> datetime:
    """Day ``n`` (0 = Monday) of ``WEEK`` at ``hour`` UTC (10:00 Vietnam time)."""
    return WEEK.start + timedelta(days=n, hours=hour)


def _old(session: Session, day: int, source: str, **kw: Any) -> Item:
    when = _day(day)
    return make_item(session, source=source, published_at=when, fetched_at=when, **kw)


def _analyse(session: Session, item: Item, **kw: Any) -> Analysis:
    return make_analysis(session, item, created_at=kw.pop("created_at", item.fetched_at), **kw)


def _task(session: Session, item: Item, status: str, verdict: str | None = None, **kw: Any) -> None:
    task = ReviewTask(item_id=item.id, status=status, priority=0.5, created_at=item.fetched_at)
    session.add(task)
    session.flush()
    if verdict is not None:
        reviewer = make_user(session, f"ctv-{item.id}")
        session.add(Verdict(task_id=task.id, reviewer_id=reviewer.id, label=verdict, **kw))
        session.flush()


def _world(session: Session) -> dict[str, int]:
    """The week under test and a few items around it; ``{name: item id}``."""
    feed = make_feed(session, kind="news")
    ids: dict[str, int] = {}
    # a: relevant, positive, nothing else
    a = _old(
        session,
        0,
        "Báo A",
        title="Mô hình chuyển đổi số hay",
        author="Nguyễn Văn A",
        feed_id=feed.id,
        external_id="guid-a",
    )
    _analyse(session, a, sentiment="positive", misinfo="none", risk=0.1, reasons=[])
    # b: relevant, negative by the machine, a reviewer said neutral (not misinformation)
    b = _old(session, 0, "Báo A", title="Dịch vụ công trực tuyến chậm")
    _analyse(session, b, sentiment="negative", misinfo="none", risk=0.5)
    _task(session, b, TaskStatus.decided, "not_misinformation", sentiment="neutral")
    # c: confirmed scam: the evidence stays as long as the audit log
    c = _old(session, 1, "Báo B", title="Nhập mã OTP để nhận quà", text="Hãy nhập mã OTP ngay")
    _analyse(session, c, sentiment="negative", misinfo="scam", risk=0.9)
    _task(session, c, TaskStatus.decided, "scam")
    # d: flagged distortion, still waiting for a reviewer
    d = _old(session, 2, "Báo B", title="Tin đồn về thẻ căn cước")
    _analyse(session, d, sentiment="negative", misinfo="distortion", risk=0.7)
    _task(session, d, TaskStatus.pending)
    # e: not relevant; f: never analysed
    e = _old(session, 2, "Báo C", title="Giá vàng hôm nay")
    _analyse(session, e, relevant=False, sentiment="neutral", misinfo="none", risk=0.0)
    f = _old(session, 3, "Báo C", title="Tin chưa phân tích")
    # g: analysed twice: the newest (positive) counts, the older one is superseded
    g = _old(session, 3, "Báo A", title="Nông dân bán hàng qua mạng")
    _analyse(session, g, sentiment="neutral", misinfo="none", risk=0.1)
    _analyse(
        session,
        g,
        sentiment="positive",
        misinfo="none",
        risk=0.1,
        created_at=g.fetched_at + timedelta(hours=1),
    )
    # h: recent; i: 200 days old (text past retention, analysis not yet);
    # j: dated long ago but fetched 5 days ago (kept: we have had it only 5 days)
    h = make_item(
        session, published_at=NOW - timedelta(days=10), fetched_at=NOW - timedelta(days=10)
    )
    _analyse(session, h)
    i = make_item(
        session,
        title="Tin hai trăm ngày",
        published_at=NOW - timedelta(days=200),
        fetched_at=NOW - timedelta(days=200),
    )
    _analyse(session, i, sentiment="positive", misinfo="none")
    j = make_item(
        session, published_at=NOW - timedelta(days=500), fetched_at=NOW - timedelta(days=5)
    )
    for name, item in zip("abcdefghij", (a, b, c, d, e, f, g, h, i, j), strict=True):
        ids[name] = item.id
    # audit events: one past the audit retention (730 days), one within it
    session.add(
        AuditEvent(at=NOW - timedelta(days=800), action="x.old", entity="item", entity_id=1)
    )
    session.add(
        AuditEvent(at=NOW - timedelta(days=400), action="x.kept", entity="item", entity_id=1)
    )
    session.commit()
    return ids


def _figures(session: Session) -> dict[str, Any]:
    summary, _ = load_summary(session, WEEK)
    t = summary["totals"]
    return {
        "totals": {
            k: t[k]
            for k in (
                "items",
                "analysed",
                "relevant",
                "relevant_share",
                "tasks",
                "pending",
                "decided",
                "corrected_sentiment",
            )
        },
        "by_day": dict(zip(summary["by_day"]["day"], summary["by_day"]["items"], strict=True)),
        "by_source": dict(
            zip(summary["by_source"]["source"], summary["by_source"]["items"], strict=True)
        ),
        "sentiment": dict(
            zip(summary["sentiment"]["sentiment"], summary["sentiment"]["share"], strict=True)
        ),
        "flags": {
            r["misinfo"]: (r["flagged"], r["confirmed"])
            for r in summary["flags"].to_dict("records")
        },
        "confirmed": list(summary["confirmed"]["item_id"]),
    }


# Counted by hand from _world: 7 items in the week (a..g), 6 analysed (not f), 5 relevant (not
# e); relevant sentiment: a +, b neutral (the reviewer's), c -, d -, g + (its newest analysis).
EXPECTED = {
    "totals": {
        "items": 7,
        "analysed": 6,
        "relevant": 5,
        "relevant_share": 0.8333,
        "tasks": 3,
        "pending": 1,
        "decided": 2,
        "corrected_sentiment": 1,
    },
    "by_day": {"2025-09-29": 2, "2025-09-30": 1, "2025-10-01": 2, "2025-10-02": 2},
    "by_source": {"Báo A": 3, "Báo B": 2, "Báo C": 2},
    "sentiment": {"negative": 0.4, "neutral": 0.2, "positive": 0.4},
    "flags": {"distortion": (1, 0), "scam": (1, 1)},
}


def test_purge_blanks_deletes_and_keeps_what_it_must(session: Session) -> None:
    ids = _world(session)
    before = _figures(session)
    assert {k: before[k] for k in EXPECTED} == EXPECTED
    assert before["confirmed"] == [ids["c"]]

    report = purge(session, _settings(), NOW)

    # texts: a, b, e, f, g (the week) and i (200 days); c (confirmed) and d (pending) are kept
    assert report.texts_blanked == 6
    assert (report.kept_under_review, report.kept_confirmed) == (1, 1)
    session.expire_all()
    items = {n: session.get(Item, ids[n]) for n in ids}
    for name in "abefgi":
        item = items[name]
        assert item is not None, name
        assert item.purged_at == NOW, name
        assert (item.title, item.text, item.search_text) == ("", "", ""), name
        assert (item.author, item.minhash) == (None, None)
        assert None not in (item.content_hash, item.canonical_url)  # known to the collector
    for name in "cdhj":
        assert items[name].purged_at is None, name  # type: ignore[union-attr]
        assert items[name].title, name  # type: ignore[union-attr]
    # analyses: those of blanked items older than 365 days (a, b, e, g ×2); i's is 200 days old
    assert report.analyses_deleted == 5
    remaining = set(session.scalars(select(Analysis.item_id)))
    assert remaining == {ids["c"], ids["d"], ids["h"], ids["i"]}
    # i keeps its analysis, without the quoted evidence
    reasons = session.scalar(select(Analysis.reasons).where(Analysis.item_id == ids["i"]))
    assert reasons == [
        {"kind": "credential_request", "evidence": "", "message": "Yêu cầu OTP", "weight": 0.8}
    ]
    # c, the confirmed scam, keeps its evidence
    kept = session.scalar(select(Analysis.reasons).where(Analysis.item_id == ids["c"]))
    assert kept[0]["evidence"] == "mã OTP"
    # audit: the 800-day event went, the 400-day one stayed, and the run is recorded
    actions = list(
        session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.action != "user.create")  # the factories' reviewers
            .order_by(AuditEvent.id)
        )
    )
    assert actions == ["x.kept", "retention.purge"]
    event = session.scalar(select(AuditEvent).where(AuditEvent.action == "retention.purge"))
    assert event is not None
    assert event.after is not None
    assert (event.after["texts_blanked"], event.after["analyses_deleted"]) == (6, 5)
    assert event.after["audit_events_deleted"] == 1
    assert report.audit_events_deleted == 1

    # the week's report: the same figures from what was kept
    after = _figures(session)
    assert after == before
    summary, _ = load_summary(session, WEEK)
    assert summary["totals"]["texts_purged"] == 5
    markdown = build(session, WEEK, "md").decode()
    assert "đã xoá theo thời hạn lưu trữ" in markdown
    assert "Hãy nhập mã OTP ngay" in markdown  # the confirmed item is still quoted
    csv = build(session, WEEK, "csv").decode()
    rows = [line for line in csv.splitlines()[1:] if line]
    assert sum(PURGED_VI in line for line in rows) == 5
    assert csv.splitlines()[0].endswith(",text_purged")

    # a second run finds nothing more to do
    again = purge(session, _settings(), NOW)
    assert (again.texts_blanked, again.analyses_deleted, again.audit_events_deleted) == (0, 0, 0)


def test_blanked_items_stay_out_of_search_analysis_clusters_and_the_collector(
    session: Session,
) -> None:
    from collector.cluster import cluster_pending
    from nlp.pending import analyze_pending

    ids = _world(session)
    purge(session, _settings(), NOW)
    found, _ = list_items(session, ItemFilter(q="chuyen doi so"))
    assert ids["a"] not in [row[0].id for row in found]
    # the feed still lists the article under its GUID: it stays blank, and is not new
    feed_id = session.scalar(select(Item.feed_id).where(Item.id == ids["a"]))
    from core.tables import Feed

    feed = session.get(Feed, feed_id)
    stats = save_items(
        session,
        feed,
        [
            NewItem(
                "Báo A",
                "Mô hình chuyển đổi số hay (cập nhật)",
                "Nội dung",
                url=session.get(Item, ids["a"]).url,
                external_id="guid-a",
            )
        ],  # type: ignore[union-attr]
    )
    session.commit()
    assert (stats.new, stats.updated) == (0, 0)
    session.expire_all()
    assert session.get(Item, ids["a"]).title == ""  # type: ignore[union-attr]

    class Seen(Exception):
        pass

    class Recorder:
        def analyze(self, texts: list[str]) -> list[Any]:
            raise Seen(texts)

    # f (blanked, never analysed) and j (kept, never analysed) have no analysis: only j is scored
    with pytest.raises(Seen) as seen:
        analyze_pending(session, Recorder())  # type: ignore[arg-type]
    j = session.get(Item, ids["j"])
    assert seen.value.args[0] == [f"{j.title}. {j.text}"]  # type: ignore[union-attr]
    session.rollback()
    # blanked items (no text, no signature) are never clustered
    session.execute(update(Item).where(Item.id == ids["f"]).values(cluster_id=None))
    cluster_pending(session, now=NOW)
    assert session.scalar(select(Item.cluster_id).where(Item.id == ids["f"])) is None


def test_a_dry_run_counts_what_a_run_does_and_changes_nothing(session: Session) -> None:
    _world(session)

    def state() -> tuple[Any, ...]:
        session.expire_all()
        return (
            sorted(session.execute(select(Item.id, Item.title, Item.purged_at)).all()),
            session.scalar(select(func.count(Analysis.id))),
            session.scalar(select(func.count(AuditEvent.id))),
            sorted(session.execute(select(Analysis.id, Analysis.reasons)).all(), key=str),
        )

    untouched = state()
    dry = purge(session, _settings(), NOW, dry_run=True)
    assert state() == untouched
    real = purge(session, _settings(), NOW)
    counts = (
        "texts_blanked",
        "analyses_deleted",
        "audit_events_deleted",
        "kept_under_review",
        "kept_confirmed",
    )
    assert [getattr(dry, k) for k in counts] == [getattr(real, k) for k in counts]
    assert dry.texts_blanked == 6


def test_an_interrupted_purge_leaves_consistent_data_and_the_next_run_finishes(
    session: Session,
) -> None:
    ids = _world(session)
    before = _figures(session)

    class Crash(RuntimeError):
        pass

    def crash_after_first_batch(step: str, done: int) -> None:
        raise Crash(f"injected after a {step} batch of {done}")

    with pytest.raises(Crash):
        purge(session, _settings(), NOW, progress=crash_after_first_batch)
    session.expire_all()
    blanked = list(session.scalars(select(Item).where(Item.purged_at.is_not(None))))
    # batch size 2: the first batch (a, b) is committed, whole; nothing after it
    assert sorted(i.id for i in blanked) == sorted([ids["a"], ids["b"]])
    for item in blanked:
        assert item.title == ""
        assert item.retained is not None
        for reasons in session.scalars(select(Analysis.reasons).where(Analysis.item_id == item.id)):
            assert all(r["evidence"] == "" for r in reasons)
    assert (
        session.scalar(select(func.count(Analysis.id))) == 9
    )  # none deleted yet (a..i, g twice, not f)
    failed = session.scalar(select(AuditEvent).where(AuditEvent.action == "retention.purge_failed"))
    assert failed is not None
    assert failed.after is not None
    assert (failed.after["texts_blanked"], failed.after["error"]) == (2, "Crash")
    assert _figures(session) == before  # half purged, the week still adds up

    report = purge(session, _settings(), NOW)
    assert (report.texts_blanked, report.analyses_deleted) == (4, 5)
    assert _figures(session) == before
    assert session.scalar(select(func.count(Item.id)).where(Item.purged_at.is_not(None))) == 6


def test_an_item_sent_to_review_is_kept_and_a_blanked_one_cannot_be_sent(session: Session) -> None:
    from core.errors import Conflict
    from review.queue import send_to_review

    ids = _world(session)
    analyst = make_user(session, "pt1", "analyst")
    send_to_review(session, session.get(Item, ids["a"]), analyst, now=NOW)  # type: ignore[arg-type]
    session.commit()
    report = purge(session, _settings(), NOW)
    assert report.kept_under_review == 2  # a (just sent) and d
    assert session.get(Item, ids["a"]).purged_at is None  # type: ignore[union-attr]
    with pytest.raises(Conflict) as refused:
        send_to_review(session, session.get(Item, ids["e"]), analyst, now=NOW)  # type: ignore[arg-type]
    assert refused.value.code == "text_purged"


def test_forever_and_the_confirmed_evidence_after_the_audit_retention(session: Session) -> None:
    ids = _world(session)
    nothing = purge(
        session,
        _settings(retention_text_days=0, retention_analysis_days=0, retention_audit_days=0),
        NOW,
    )
    assert (nothing.texts_blanked, nothing.analyses_deleted, nothing.audit_events_deleted) == (
        0,
        0,
        0,
    )
    # a shorter audit retention (still ≥ the text retention) lets the confirmed evidence go
    report = purge(
        session,
        _settings(retention_text_days=180, retention_audit_days=390),
        NOW,
    )
    assert report.kept_confirmed == 0
    assert session.get(Item, ids["c"]).purged_at == NOW  # type: ignore[union-attr]
    assert _figures(session)["flags"] == EXPECTED["flags"]


def test_audit_retention_shorter_than_text_retention_is_refused() -> None:
    with pytest.raises(ValidationError, match="audit events outlive item texts"):
        Settings(retention_text_days=180, retention_audit_days=90, _env_file=None)
    with pytest.raises(ValidationError, match="audit events outlive item texts"):
        Settings(retention_text_days=0, retention_audit_days=730, _env_file=None)
    ok = Settings(retention_text_days="", retention_audit_days="", _env_file=None)
    assert (ok.retention_text_days, ok.retention_audit_days) == (0, 0)
    bad = Settings.model_construct(retention_text_days=180, retention_audit_days=30)
    with pytest.raises(RetentionConfigError):
        purge(None, bad, NOW)  # type: ignore[arg-type]


def test_strip_reason_keeps_the_cue_and_the_official_fact_only() -> None:
    reason = {
        "kind": "known_false_claim",
        "evidence": "câu trong bài",
        "start": 3,
        "end": 9,
        "message": "Trùng với tin sai đã được đính chính",
        "weight": 0.8,
        "fact": {"fact_id": "f1", "official": "Thẻ căn cước không hết hạn", "in_text": "câu"},
    }
    assert strip_reason(reason) == {
        "kind": "known_false_claim",
        "evidence": "",
        "message": "Trùng với tin sai đã được đính chính",
        "weight": 0.8,
        "fact": {"fact_id": "f1", "official": "Thẻ căn cước không hết hạn"},
    }


def test_load_week_marks_blanked_rows(session: Session) -> None:
    ids = _world(session)
    purge(session, _settings(), NOW)
    frame = load_week(session, WEEK).set_index("item_id")
    assert bool(frame.loc[ids["a"], "text_purged"])
    assert frame.loc[ids["a"], "title"] == ""
    assert frame.loc[ids["g"], "sentiment"] == "positive"  # its newest analysis, frozen
    assert frame.loc[ids["b"], "machine_sentiment"] == "negative"
    assert frame.loc[ids["f"], "sentiment"] is None
    assert not bool(frame.loc[ids["c"], "text_purged"])
