"""The analysts' notebooks are stored without outputs and run, top to bottom, on a small fixture
database and a copy of the models (nbclient, the repository's own kernel)."""

from __future__ import annotations

import json
import shutil
from datetime import timedelta
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from core.config import ROOT
from core.db import make_engine, make_sessionmaker, utcnow
from core.tables import Base, ReviewTask, TaskStatus, Verdict
from nlp import registry
from nlp.evaluate import load_rows
from tests.factories import make_analysis, make_item, make_user

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))


def test_both_notebooks_exist_and_are_stored_without_outputs() -> None:
    names = [p.name for p in NOTEBOOKS]
    assert names == ["1.0-evaluate-models.ipynb", "2.0-retrain-from-reviews.ipynb"]
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                assert cell.outputs == [], f"{path.name} is stored with outputs"
                assert cell.execution_count is None


@pytest.fixture
def fixture_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    models = tmp_path / "models"
    shutil.copytree(ROOT / "models", models, ignore=shutil.ignore_patterns("*.md"))
    url = f"sqlite:///{tmp_path / 'nb.db'}"
    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with make_sessionmaker(engine)() as s:
        reviewer = make_user(s, "ctv-nb")
        now = utcnow()
        for i in range(12):
            scam = i % 2 == 0
            item = make_item(
                s,
                title="",
                text=f"Nhập mã OTP tại bit.ly/qua{i} để nhận quà"
                if scam
                else f"Cổng dịch vụ công chậm lần {i}",
            )
            an = make_analysis(s, item, misinfo="scam" if scam else "none")
            task = ReviewTask(
                item_id=item.id,
                analysis_id=an.id,
                status=TaskStatus.decided,
                reason="uncertain" if i < 4 else "risk",
                priority=0.5,
            )
            s.add(task)
            s.flush()
            s.add(
                Verdict(
                    task_id=task.id,
                    reviewer_id=reviewer.id,
                    label="scam" if scam else "not_misinformation",
                    created_at=now - timedelta(hours=12 - i),
                )
            )
        s.commit()
    engine.dispose()
    monkeypatch.setenv("DULUAN_DATABASE_URL", url)
    monkeypatch.setenv("DULUAN_MODELS_DIR", str(models))
    monkeypatch.setenv("NOTEBOOK_OUT", str(tmp_path / "out"))
    monkeypatch.setenv("MPLBACKEND", "Agg")
    return models


def _run(path: Path) -> dict:  # type: ignore[type-arg]
    nb = nbformat.read(path, as_version=4)
    NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(ROOT)}}
    ).execute()
    last = nb.cells[-1].outputs
    text = "".join(o.get("text", "") for o in last if o.get("name") == "stdout")
    return json.loads(text.strip().splitlines()[-1])


@pytest.mark.slow
def test_evaluate_models_notebook_runs(fixture_env: Path) -> None:
    summary = _run(ROOT / "notebooks" / "1.0-evaluate-models.ipynb")
    assert summary["rows"] == len(load_rows(ROOT / "data" / "eval" / "check.jsonl"))
    assert summary["reviewed"] == 12
    assert 0 <= summary["brier"] <= 1


@pytest.mark.slow
def test_retrain_notebook_runs_and_goes_through_the_gate(
    fixture_env: Path, tmp_path: Path, tiny_data: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "DULUAN_DATA_DIR", str(tiny_data)
    )  # the notebook's steps, not the seed's quality
    summary = _run(ROOT / "notebooks" / "2.0-retrain-from-reviews.ipynb")
    assert summary["version"] in registry.versions(fixture_env, "misinfo")
    if summary["refusals"]:
        assert summary["current"] != summary["version"]
    else:
        assert summary["current"] == summary["version"]
    assert (tmp_path / "out" / "labels.csv").read_text(encoding="utf-8").count("\n") == 13
