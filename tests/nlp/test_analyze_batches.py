"""``analyze_pending`` commits per batch: a long run never holds SQLite's write lock for the
whole backlog (a reviewer's claim waited 10 s and failed), and a crash loses only its batch."""

from __future__ import annotations

import threading
from typing import Any

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from core.config import Settings
from core.tables import Analysis, User
from nlp.pending import analyze_pending
from review import queue
from tests.factories import make_item, make_task, make_user


class _Scorer:
    """The real analyzer, with a hook between batches."""

    def __init__(self, analyzer: Any, between: Any = None, fail_on: int | None = None) -> None:
        self.analyzer, self.between, self.fail_on, self.calls = analyzer, between, fail_on, 0

    def analyze(self, texts: list[str]) -> list[dict[str, Any]]:
        self.calls += 1
        if self.calls == self.fail_on:
            raise RuntimeError("the scorer died")
        if self.between is not None and self.calls > 1:
            self.between()
        return self.analyzer.analyze(texts)


def _backlog(factory: sessionmaker[Session], n: int) -> None:
    with factory() as s:
        for _ in range(n):
            make_item(s)
        s.commit()


def test_a_crash_keeps_the_batches_already_done(factory: sessionmaker[Session], analyzer) -> None:  # type: ignore[no-untyped-def]
    _backlog(factory, 7)
    with factory() as s, pytest.raises(RuntimeError):
        analyze_pending(s, _Scorer(analyzer, fail_on=3), batch_size=3, commit=True)
    with factory() as s:
        assert s.scalar(select(func.count()).select_from(Analysis)) == 6
    with factory() as s:  # the next run does the rest, nothing twice
        assert analyze_pending(s, analyzer, batch_size=3, commit=True) == 1
        assert s.scalar(select(func.count()).select_from(Analysis)) == 7


def test_a_reviewer_claims_while_analysis_runs(
    factory: sessionmaker[Session], settings: Settings, analyzer
) -> None:  # type: ignore[no-untyped-def]
    _backlog(factory, 6)
    with factory() as s:
        user_id = make_user(s, "ctv1", "collaborator", "ctv1-password").id
        make_task(s)
        s.commit()
    claimed: list[object] = []

    def claim() -> None:  # another connection writes between two batches
        def run() -> None:
            with factory() as other:
                user = other.get(User, user_id)
                assert user is not None
                claimed.append(queue.claim_next(other, user, settings))
                other.commit()

        worker = threading.Thread(target=run)
        worker.start()
        worker.join(5)
        assert not worker.is_alive(), "the claim waited for the whole analysis run"

    with factory() as s:
        assert analyze_pending(s, _Scorer(analyzer, between=claim), batch_size=2, commit=True) == 6
    assert claimed
    assert claimed[0] is not None
