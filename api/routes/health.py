from __future__ import annotations

import logging

from fastapi import APIRouter, Request
from sqlalchemy import text

from api.deps import SessionDep
from api.schemas import Health, Ready
from core.errors import DomainError
from core.tables import Cluster

router = APIRouter(tags=["health"])
log = logging.getLogger(__name__)


class NotReady(DomainError):
    """The database or the models are not reachable: the process should not receive traffic."""

    status_code = 503
    code = "not_ready"


@router.get("/health", response_model=Health)
def health(request: Request, session: SessionDep) -> Health:
    """Liveness: the process answers; whether the database can be read, which model versions
    are loaded. Always 200 (see ``/health/ready`` for whether it can do its work)."""
    try:
        session.execute(text("SELECT 1"))
        db_ok = True
    except Exception:  # noqa: BLE001 - health reports, never raises
        db_ok = False
    analyzer = request.app.state.models.get()
    models = (
        dict(analyzer.versions)
        if analyzer
        else {"relevance": None, "sentiment": None, "misinfo": None}
    )
    return Health(status="ok" if db_ok and analyzer else "degraded", database=db_ok, models=models)


@router.get("/health/ready", response_model=Ready)
def ready(request: Request) -> Ready:
    """Readiness: 200 when the database can be written — a row is inserted and rolled back, so
    a read-only database (a standby, a read-only file, a full disk) or a lost connection is
    caught; 503 in the error shape (``not_ready``) otherwise. Models are reported, not required:
    the review queue works without them."""
    try:
        with request.app.state.sessionmaker() as session:
            session.execute(text("SELECT 1"))
            session.add(Cluster())  # never committed
            session.flush()
            session.rollback()
    except Exception as exc:  # noqa: BLE001 - any failure means "not ready"
        log.warning("not ready: the database cannot be written: %s", exc)
        raise NotReady(
            "Cơ sở dữ liệu không ghi được. (The database cannot be written: "
            f"{type(exc).__name__}.)",
        ) from exc
    return Ready(
        status="ready", database_writable=True, models_loaded=bool(request.app.state.models.get())
    )
