"""Model management through the API: a training job with progress, promote, hot reload,
rollback, agreement."""

from __future__ import annotations

import shutil
import time
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.config import ROOT, Settings
from core.tables import AuditEvent, ReviewTask, TaskStatus, Verdict
from nlp import lifecycle
from nlp.evaluate import load_rows
from nlp.retrain import seed_held_out
from review.agreement import agreement
from tests.apps import Apps
from tests.factories import make_analysis, make_item, make_user

TEXTS = ["Cổng dịch vụ công hôm nay chạy nhanh, thủ tục xong trong mười phút, rất hài lòng"]


@pytest.fixture
def api(
    tmp_path: Path, tiny_data: Path, apps: Apps
) -> tuple[TestClient, sessionmaker[Session], Settings]:
    models = tmp_path / "models"
    shutil.copytree(ROOT / "models", models, ignore=shutil.ignore_patterns("*.md"))
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'm.db'}",
        models_dir=models,
        data_dir=tiny_data,  # a job trains on a tiny seed: what it does, not how well
        model_reload_seconds=0,
        _env_file=None,
    )
    c = apps(settings, users={"pt1": "analyst"}, login_as="pt1", analyzer=None)
    return c, apps.sessions(settings), settings


def _versions(c: TestClient) -> dict[str, str]:
    r = c.post("/api/v1/models/analyze", json={"texts": TEXTS})
    assert r.status_code == 200, r.text
    return r.json()[0]["model_versions"]


@pytest.mark.slow
def test_train_job_promote_hot_reload_rollback(
    api: tuple[TestClient, sessionmaker[Session], Settings],
) -> None:
    c, factory, settings = api
    before = _versions(c)["sentiment"]
    job = c.post("/api/v1/models/sentiment/train", json={"include_reviews": True})
    assert job.status_code == 202, job.text
    assert c.post("/api/v1/models/sentiment/train", json={}).status_code == 409  # one at a time
    seen = set()
    deadline = time.monotonic() + 900  # a wait, not a speed target: CI machines may be loaded
    while time.monotonic() < deadline:
        state = c.get(f"/api/v1/models/jobs/{job.json()['id']}").json()
        seen.add(state["status"])
        if state["status"] in {"done", "failed"}:
            break
        time.sleep(0.05)
    assert state["status"] == "done", state
    assert state["progress"] == 1.0
    challenger = state["version"]
    card = c.get("/api/v1/models/sentiment").json()
    mine = next(v for v in card["versions"] if v["version"] == challenger)
    assert mine["comparison"]["champion"]["version"] == before
    # the seed's fixed held-out tenth and the check set (counted from the files)
    held = sum(seed_held_out(str(r["id"])) for r in load_rows(lifecycle.seed_file(settings)))
    checks = len(load_rows(lifecycle.check_file(settings)))
    assert mine["dataset"]["eval_set"]["rows"] == held + checks

    r = c.post(
        "/api/v1/models/sentiment/promote",
        json={"version": challenger, "force": True, "reason": "kiểm thử tải lại nóng"},
    )
    assert r.status_code == 200, r.text
    assert _versions(c)["sentiment"] == challenger  # served without a restart
    assert c.get("/api/v1/health").json()["models"]["sentiment"] == challenger

    r = c.post("/api/v1/models/sentiment/rollback")
    assert r.json()["current"] == before
    assert _versions(c)["sentiment"] == before
    with factory() as s:
        actions = list(
            s.scalars(
                select(AuditEvent.action).where(AuditEvent.entity.in_(["model", "train_job"]))
            )
        )
    assert actions == ["model.train", "model.trained", "model.promote", "model.rollback"]


def test_promotion_of_an_unknown_version_and_refusal_without_reason(
    api: tuple[TestClient, sessionmaker[Session], Settings],
) -> None:
    c, _, _ = api
    assert c.post("/api/v1/models/misinfo/promote", json={"version": "nope"}).status_code == 404
    r = c.post("/api/v1/models/misinfo/rollback")
    assert r.status_code == 409
    assert r.json()["error"]["code"] == "nothing_to_roll_back"
    assert c.post("/api/v1/models/nope/rollback").status_code == 404


@pytest.mark.slow
def test_agreement_by_hand(api: tuple[TestClient, sessionmaker[Session], Settings]) -> None:
    c, factory, _ = api
    with factory() as s:
        a, b = make_user(s, "ctv-a"), make_user(s, "ctv-b")
        # four items: model says scam for all; reviewers: (scam, scam), (scam, scam),
        # (none, none), (scam, none → escalated, decided by nobody)
        plan = [
            ("scam", "scam"),
            ("scam", "scam"),
            ("not_misinformation", "not_misinformation"),
            ("scam", "not_misinformation"),
        ]
        for first, second in plan:
            item = make_item(s)
            an = make_analysis(s, item, misinfo="scam")
            task = ReviewTask(
                item_id=item.id,
                analysis_id=an.id,
                status=TaskStatus.decided if first == second else TaskStatus.escalated,
                priority=0.5,
            )
            s.add(task)
            s.flush()
            s.add(Verdict(task_id=task.id, reviewer_id=a.id, label=first))
            s.add(Verdict(task_id=task.id, reviewer_id=b.id, label=second))
        s.commit()
        rows = agreement(s)
    assert len(rows) == 1
    week = rows[0]
    assert week["decided"] == 3
    assert week["model_agreement"] == round(2 / 3, 4)
    # rows: reviewers (none, distortion, scam); columns: the model
    assert week["confusion"]["matrix"] == [[0, 0, 1], [0, 0, 0], [0, 0, 2]]
    assert week["reviewer_pairs"] == 4
    assert week["reviewer_agreement"] == 0.75
    # kappa: p_o = 3/4; a = (scam×3, none×1), b = (scam×2, none×2): p_e = 3/4·2/4 + 1/4·2/4 = 1/2
    assert week["kappa"] == 0.5
    assert c.get("/api/v1/models/agreement").json() == rows
