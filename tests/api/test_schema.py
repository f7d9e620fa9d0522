"""Property-based API tests from the app's own OpenAPI schema (schemathesis), authenticated as
an admin: no 5xx, and every response matches its documented schema. Datetimes are drawn with
and without a UTC offset, the calendar's edges included; every generated call is sent a second
time with a NUL in each of its strings, which must be refused with 422."""

from __future__ import annotations

import shutil
import tempfile
from collections.abc import Iterator
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
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
from tests.apps import Apps, login
from tests.factories import make_task

# At import only what collection needs: the app's OpenAPI document (``create_app`` touches neither
# the database nor the models until its lifespan starts). The database, the models and the admin's
# token are made by ``_served``, once for the module, when the test runs.
_TMP = Path(tempfile.mkdtemp(prefix="duluan-schema-"))
_SETTINGS = Settings(
    database_url=f"sqlite:///{_TMP / 'schema.db'}",
    # A copy: generated calls may train, promote or roll back models.
    models_dir=_TMP / "models",
    # A tiny seed (``tiny_data``): a generated call that starts a training job trains in seconds.
    data_dir=_TMP / "data",
    login_address_max_failures=100_000,
    login_max_failures=100_000,
    _env_file=None,
)
APP = create_app(_SETTINGS)
HEADERS: dict[str, str] = {}


@pytest.fixture(scope="module", autouse=True)
def _served(tiny_data: Path) -> Iterator[None]:
    """The database with an admin and three tasks, a copy of the models, the app's lifespan run
    once (sessions and models for every generated call) and the admin's token in ``HEADERS``."""
    shutil.copytree(ROOT / "models", _SETTINGS.models_dir, ignore=shutil.ignore_patterns("*.md"))
    _SETTINGS.data_dir.symlink_to(tiny_data)
    with Apps() as apps:
        with apps.sessions(_SETTINGS)() as s:
            for _ in range(3):
                make_task(s)
            s.commit()
        client = apps(_SETTINGS, users={"admin1": "admin"}, app=APP, analyzer=None)
        HEADERS.update(login(client, "admin1"))
        yield
    shutil.rmtree(_TMP, ignore_errors=True)


# ISO 8601 datetimes as clients send them: offset-free (Vietnam time) as often as with an
# offset, anywhere in the calendar, its edges included.
_OFFSETS = st.builds(
    timezone, st.timedeltas(min_value=-timedelta(hours=14), max_value=timedelta(hours=14))
)
schemathesis.openapi.format(
    "date-time",
    st.one_of(
        st.sampled_from(["9999-12-31T23:59:59", "0001-01-01", "0001-01-01T00:00:00Z"]),
        st.datetimes().map(datetime.isoformat),
        st.datetimes(timezones=_OFFSETS).map(datetime.isoformat),
        st.datetimes(min_value=datetime(1970, 1, 2), max_value=datetime(2100, 12, 30)).map(
            datetime.isoformat
        ),
    ),
)
schema = schemathesis.openapi.from_asgi("/openapi.json", APP)


def _with_nul(value: Any) -> tuple[Any, bool]:
    """``value`` with a NUL inside each of its strings, and whether there was any string."""
    if isinstance(value, str):
        return value[:1] + "\x00" + value[1:], True
    if isinstance(value, dict):
        pairs = {k: _with_nul(v) for k, v in value.items()}
        return {k: v for k, (v, _) in pairs.items()}, any(f for _, f in pairs.values())
    if isinstance(value, list):
        items = [_with_nul(v) for v in value]
        return [v for v, _ in items], any(f for _, f in items)
    return value, False


@pytest.mark.slow
@schema.exclude(path_regex="/auth/logout").parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_api_conforms_to_its_schema(case: schemathesis.Case) -> None:
    # No 5xx; status codes, content types and bodies as documented. (Checks that a valid-looking
    # request must succeed do not fit a review queue, where 404/409 are normal answers.)
    first = case.call_and_validate(
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
    # The same call with a NUL in every string (query, path and body): refused with 422 in the
    # error shape, before anything reaches the database (PostgreSQL cannot store NUL).
    if case.method.upper() != case.operation.method.upper():
        return  # a method the route does not take (negative testing): 405 comes first
    query, in_query = _with_nul(case.query or {})
    path, in_path = _with_nul(case.path_parameters or {})
    json_body = (case.media_type or "").endswith("json") and isinstance(case.body, dict | list)
    body, in_body = _with_nul(case.body) if json_body else (None, False)
    if not (in_query or in_path or in_body):
        return
    case.query, case.path_parameters = query, path
    if in_body:
        case.body = body
    response = case.call(headers=HEADERS)
    unread = first.status_code in (413, 415) or (
        first.status_code == 400 and first.json()["error"]["code"] == "bad_request"
    )
    if unread:
        # A body the app could not read at all (negative testing): that answer comes first. A
        # domain refusal of a readable body (400 ``bad_username``…) comes after the NUL check.
        assert response.status_code == first.status_code
        return
    assert response.status_code == 422, (case.method, case.formatted_path, response.text[:300])
    assert response.json()["error"]["code"] == "invalid"
