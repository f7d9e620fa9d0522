from __future__ import annotations

from fastapi import APIRouter, Request
from sqlalchemy import text

from api.deps import SessionDep
from api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health)
def health(request: Request, session: SessionDep) -> Health:
    """Liveness and readiness: database reachable, which model versions are loaded."""
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
