"""Property-based API tests from the app's own OpenAPI schema (schemathesis), authenticated as
an admin: no 5xx, and every response matches its documented schema."""

from __future__ import annotations

import os
import shutil
import tempfile

import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    allow_header_conformance,
    content_type_conformance,
    negative_data_rejection,
    positive_data_acceptance,
    response_schema_conformance,
    status_code_conformance,
)

from api.main import create_app
from core.config import ROOT, Settings
from core.db import make_engine, make_sessionmaker
from core.tables import Base
from tests.factories import make_task, make_user

_TMP = tempfile.mkdtemp(prefix="duluan-schema-")
_DB = os.path.join(_TMP, "schema.db")
# A copy: generated calls may train, promote or roll back models.
_MODELS = shutil.copytree(ROOT / "models", os.path.join(_TMP, "models"))
_SETTINGS = Settings(
    database_url=f"sqlite:///{_DB}",
    models_dir=_MODELS,
    data_dir=ROOT / "data",
    login_address_max_failures=100_000,
    login_max_failures=100_000,
    _env_file=None,
)
_engine = make_engine(_SETTINGS.database_url)
Base.metadata.create_all(_engine)
with make_sessionmaker(_engine)() as _s:
    make_user(_s, "admin1", "admin", "admin1-password")
    for _ in range(3):
        make_task(_s)
    _s.commit()

APP = create_app(_SETTINGS)
_client = TestClient(APP)
_client.__enter__()  # run the lifespan once: sessions and models for every generated call
_TOKEN = _client.post(
    "/api/v1/auth/login", json={"username": "admin1", "password": "admin1-password"}
).json()
HEADERS = {"Authorization": f"Bearer {_TOKEN['access_token']}"}

schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


@schema.exclude(path_regex="/auth/logout").parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    # No 5xx; status codes, content types and bodies as documented. (Checks that a valid-looking
    # request must succeed do not fit a review queue, where 404/409 are normal answers.)
    case.call_and_validate(
        headers=HEADERS,
        checks=[
            not_a_server_error,
            status_code_conformance,
            content_type_conformance,
            response_schema_conformance,
        ],
        excluded_checks=[
            positive_data_acceptance,
            negative_data_rejection,
            allow_header_conformance,
        ],
    )
