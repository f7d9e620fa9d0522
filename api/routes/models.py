from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends

from api.deps import SettingsDep, require
from core.errors import NotFound
from core.permissions import Permission
from core.tables import User
from nlp import registry
from nlp.pipeline import TASKS

router = APIRouter(prefix="/models", tags=["models"])
Analyst = Annotated[User, Depends(require(Permission.models))]


@router.get("")
def list_models(settings: SettingsDep, _: Analyst) -> dict[str, Any]:
    """Every task's model versions with their held-out scores and the one in service."""
    return {task: registry.describe(settings.models_dir, task) for task in TASKS}


@router.get("/{task}")
def task_models(task: str, settings: SettingsDep, _: Analyst) -> dict[str, Any]:
    """One task's versions (relevance, sentiment or misinfo)."""
    if task not in TASKS:
        raise NotFound(f"no task {task!r}: one of {', '.join(TASKS)}", code="task_not_found")
    return registry.describe(settings.models_dir, task)
