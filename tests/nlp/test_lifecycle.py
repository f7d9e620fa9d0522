"""Retraining from reviewers' verdicts: labels, the snapshot, the gate, promotion, rollback."""

from __future__ import annotations

import json
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from core.config import ROOT, Settings
from core.db import make_engine, make_sessionmaker, utcnow
from core.tables import AuditEvent, Base, ModelVersion, ReviewTask, TaskStatus, User, Verdict
from nlp import lifecycle, registry
from nlp.claims import prepare_many
from nlp.evaluate import load_rows
from nlp.facts import load_facts
from nlp.lifecycle import GateRefused
from nlp.retrain import build_snapshot, gate, seed_held_out
from review.decisions import review_labels
from tests.factories import make_analysis, make_item, make_user

# A group the shipped model has never seen: a fake "agricultural" app that reviewers know is a
# scam. Nothing in the words says so; only the reviewers' verdicts can teach it.
APP_POSTS = [
    "Ứng dụng Nông Sản Vàng {n} giúp bà con xem giá lúa mỗi sáng",
    "Bà con thôn {n} rủ nhau cài Nông Sản Vàng để theo dõi giá cà phê",
    "Nông Sản Vàng phiên bản {n} có thêm mục thời tiết cho nhà nông",
]


def _posts(start: int, count: int) -> list[str]:
    return [APP_POSTS[i % 3].format(n=start + i) for i in range(count)]


def _env(tmp_path: Path, **settings: Any) -> Iterator[tuple[Settings, Session]]:
    models = tmp_path / "models"
    shutil.copytree(ROOT / "models", models, ignore=shutil.ignore_patterns("*.md"))
    conf = Settings(
        database_url=f"sqlite:///{tmp_path / 'l.db'}", models_dir=models, _env_file=None, **settings
    )
    engine = make_engine(conf.database_url)
    Base.metadata.create_all(engine)
    with make_sessionmaker(engine)() as session:
        yield conf, session
    engine.dispose()


@pytest.fixture
def env(tmp_path: Path) -> Iterator[tuple[Settings, Session]]:
    """Training on the shipped seed (what reviewers' verdicts change in a real model)."""
    yield from _env(tmp_path)


@pytest.fixture
def tiny_env(tmp_path: Path, tiny_data: Path) -> Iterator[tuple[Settings, Session]]:
    """Training on a tiny seed: the gate, promotion and rollback, not the model's quality."""
    yield from _env(tmp_path, data_dir=tiny_data)


def _decide(session: Session, text: str, verdict: str, reason: str = "risk", when=None, **kw):  # type: ignore[no-untyped-def]
    reviewer = session.scalar(select(User).limit(1)) or make_user(session)
    item = make_item(session, title="", text=text)
    analysis = make_analysis(session, item, misinfo="none", risk=0.2)
    task = ReviewTask(
        item_id=item.id,
        analysis_id=analysis.id,
        status=TaskStatus.decided,
        reason=reason,
        priority=0.5,
    )
    session.add(task)
    session.flush()
    session.add(
        Verdict(
            task_id=task.id,
            reviewer_id=reviewer.id,
            label=verdict,
            created_at=when or utcnow(),
            **kw,
        )
    )
    session.flush()
    return task


def _predict(settings: Settings, task: str, texts: list[str]) -> list[str]:
    version = registry.current_version(settings.models_dir, task)
    pipeline, _ = registry.load(settings.models_dir, task, version)
    facts = load_facts(settings.data_dir / "facts")
    return [str(p) for p in pipeline.predict(prepare_many(texts, facts))]


def test_review_labels_take_the_final_decision(env: tuple[Settings, Session]) -> None:
    settings, session = env
    t1 = _decide(session, "tin một", "scam", reason="uncertain", sentiment="negative")
    t2 = _decide(session, "tin hai", "not_misinformation", relevant=False)
    analyst = make_user(session, "pt-l", "analyst")
    session.add(Verdict(task_id=t2.id, reviewer_id=analyst.id, label="distortion", kind="override"))
    t3 = _decide(session, "tin ba", "escalate")
    session.flush()
    labels = {lab.task_id: lab for lab in review_labels(session)}
    assert labels[t1.id].misinfo == "scam"
    assert labels[t1.id].sentiment == "negative"
    assert labels[t1.id].queue_reason == "uncertain"
    assert labels[t2.id].misinfo == "distortion"  # the override wins
    assert labels[t2.id].relevant is False
    assert labels[t2.id].label("relevance") == "off_topic"
    assert t3.id not in labels  # an escalation alone decides nothing
    assert "reviewer" not in json.dumps(labels[t1.id].row())  # no person in a label


def test_snapshot_holds_out_the_newest_reviews(env: tuple[Settings, Session]) -> None:
    settings, session = env
    now = utcnow()
    for i, text in enumerate(_posts(0, 10)):
        _decide(
            session,
            text,
            "scam",
            when=now - timedelta(hours=10 - i),
            reason="uncertain" if i < 3 else "risk",
        )
    snap = build_snapshot(
        "misinfo",
        seed=lifecycle.seed_file(settings),
        check=lifecycle.check_file(settings),
        reviews=review_labels(session),
        eval_share=0.2,
    )
    trained = set(snap.train.texts)
    held = [r for r in snap.eval_rows if r["origin"] == "reviews"]
    assert [r["text"] for r in held] == _posts(0, 10)[-2:]  # the two newest
    assert not trained & {r["text"] for r in held}
    assert snap.info["reviews"] == snap.info["reviews"] | {
        "trained_on": 8,
        "held_out": 2,
        "from_uncertain_share": 3,
    }
    # The seed's fixed held-out tenth is evaluated on, never trained on; the rest is trained on
    # (counted from the files, so that adding a row to either breaks nothing here).
    seed_ids = [str(r["id"]) for r in load_rows(lifecycle.seed_file(settings))]
    n_held = sum(map(seed_held_out, seed_ids))
    assert 0 < n_held < len(seed_ids)
    assert snap.info["sources"]["seed"] == len(seed_ids) - n_held
    assert snap.info["eval_set"]["seed_held_out"] == n_held
    assert snap.info["eval_set"]["check_set"] == len(load_rows(lifecycle.check_file(settings)))
    held_seed = {r["text"] for r in snap.eval_rows if r["origin"] == "seed_holdout"}
    assert not trained & held_seed


@pytest.mark.slow
def test_verdicts_on_a_group_change_the_retrained_model_on_held_out_items(
    env: tuple[Settings, Session],
) -> None:
    settings, session = env
    held_out = _posts(500, 9)
    before = _predict(settings, "misinfo", held_out)
    assert before.count("scam") <= 3, before  # the champion does not know this group
    now = utcnow()
    for i, text in enumerate(_posts(0, 45)):
        _decide(session, text, "scam", when=now - timedelta(minutes=100 - i))
    version, meta = lifecycle.train_challenger(
        settings, "misinfo", reviews=review_labels(session), C=4.0
    )
    assert meta["dataset"]["reviews"]["trained_on"] == 36
    assert meta["comparison"]["champion"]["version"] != version
    lifecycle.promote(
        session, settings, "misinfo", version, None, force=True, reason="test", via="test"
    )
    after = _predict(settings, "misinfo", held_out)
    assert after.count("scam") >= 7, after


@pytest.mark.slow
def test_gate_refuses_a_worse_challenger_force_needs_a_reason_rollback_restores(
    tiny_env: tuple[Settings, Session],
) -> None:
    settings, session = tiny_env
    probe = ["Nhập mã OTP vào link bit.ly/abc để nhận quà", "Cổng dịch vụ công hôm nay rất chậm"]
    before_version = registry.current_version(settings.models_dir, "misinfo")
    before = _predict(settings, "misinfo", probe)
    # a worse challenger: reviewers' verdicts that call ordinary criticism a distortion
    now = utcnow()
    criticism = [
        json.loads(line)["text"]
        for line in (ROOT / "data" / "seed" / "seed.jsonl").read_text(encoding="utf-8").splitlines()
        if json.loads(line)["category"] == "criticism"
    ]
    for i, text in enumerate(criticism * 4):
        _decide(session, f"{text} ({i})", "distortion", when=now - timedelta(minutes=1000 - i))
    version, meta = lifecycle.train_challenger(
        settings, "misinfo", reviews=review_labels(session), C=4.0
    )
    assert meta["comparison"]["refusals"], meta["comparison"]
    with pytest.raises(GateRefused):
        lifecycle.promote(session, settings, "misinfo", version, None, via="test")
    assert registry.current_version(settings.models_dir, "misinfo") == before_version
    with pytest.raises(Exception, match="reason"):
        lifecycle.promote(session, settings, "misinfo", version, None, force=True, via="test")
    lifecycle.promote(
        session, settings, "misinfo", version, None, force=True, reason="thử nghiệm", via="test"
    )
    assert registry.current_version(settings.models_dir, "misinfo") == version
    event = session.scalars(
        select(AuditEvent)
        .where(AuditEvent.action == "model.promote")
        .order_by(AuditEvent.id.desc())
    ).first()
    assert event.after["forced"] is True
    assert event.after["reason"] == "thử nghiệm"
    assert event.after["refusals_overridden"]
    assert session.scalar(select(AuditEvent).where(AuditEvent.action == "model.promote_refused"))

    lifecycle.rollback(session, settings, "misinfo", None, via="test")
    assert registry.current_version(settings.models_dir, "misinfo") == before_version
    assert _predict(settings, "misinfo", probe) == before
    current = session.scalar(select(ModelVersion).where(ModelVersion.is_current.is_(True)))
    assert current.version == before_version
    with pytest.raises(Exception, match="roll back"):
        lifecycle.rollback(session, settings, "misinfo", None, via="test")


def test_gate_rules() -> None:
    champion = {"macro_f1": 0.8, "false_positive_rate": {"criticism": 0.0, "scam_warning": 0.05}}
    assert (
        gate(
            {"macro_f1": 0.81, "false_positive_rate": {"criticism": 0.0, "scam_warning": 0.05}},
            champion,
        )
        == []
    )
    assert gate({"macro_f1": 0.79, "false_positive_rate": {}}, champion)
    assert gate({"macro_f1": 0.9, "false_positive_rate": {"criticism": 0.1}}, champion)
    assert gate({"macro_f1": 0.1}, None) == []
