"""A unit of work commits on success and rolls back on error — except a refusal that keeps its
record (``DomainError.keeps_record``: e.g. the model gate's refusal and its audit event)."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from core.audit import record
from core.db import make_engine, make_sessionmaker, session_scope
from core.errors import Conflict, DomainError
from core.tables import AuditEvent, Base
from nlp.lifecycle import GateRefused


class _Kept(Conflict):
    keeps_record = True


@pytest.mark.parametrize(
    ("error", "kept"),
    [
        (_Kept("đã ghi lại"), 1),
        (GateRefused("cổng từ chối"), 1),
        (DomainError("không ghi"), 0),
        (RuntimeError("lỗi"), 0),
    ],
)
def test_a_refusal_that_keeps_its_record_commits_it(
    tmp_path: Path, error: Exception, kept: int
) -> None:
    engine = make_engine(f"sqlite:///{tmp_path / 'uow.db'}")
    Base.metadata.create_all(engine)
    factory = make_sessionmaker(engine)

    def refused() -> None:
        with session_scope(factory) as session:
            record(session, None, "model.promote_refused", "model", None, after={"task": "x"})
            raise error

    with pytest.raises(type(error)):
        refused()
    with factory() as session:
        assert session.scalar(select(func.count(AuditEvent.id))) == kept
    engine.dispose()
