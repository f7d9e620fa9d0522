"""Odd input never gives a 500: datetimes without an offset (Vietnam time), the calendar's edges,
control characters (NUL breaks PostgreSQL) in any request string, and a catch-all in the error
shape. On SQLite and PostgreSQL."""

from __future__ import annotations

import contextlib
from datetime import UTC, datetime, timedelta, timezone

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy.orm import Session, sessionmaker

from api.inputs import CONTROL_RE, vietnam_utc
from collector.dates import VIETNAM
from core.config import Settings
from tests.apps import Apps, csrf_of, login, password, web_login
from tests.factories import make_analysis, make_item, make_task

PASSWORD = password("qt1")
# 2026-11-20 00:00 UTC is 07:00 in Vietnam.
PUBLISHED = datetime(2026, 11, 20, tzinfo=UTC)
CONTROLS = [chr(c) for c in range(32) if chr(c) not in "\t\n\r"]


@pytest.fixture
def app_db(settings: Settings, apps: Apps) -> tuple[TestClient, sessionmaker[Session]]:
    factory = apps.sessions(settings)
    with factory() as s:
        item = make_item(s, title="Tin thử", published_at=PUBLISHED)
        make_analysis(s, item, misinfo="none", risk=0.1)
        make_task(s)
        s.commit()
    return apps(settings, users={"qt1": "admin"}, raise_server_exceptions=False), factory


def _invalid(r, code: str = "invalid") -> None:  # type: ignore[no-untyped-def]
    assert r.status_code == 422, (r.status_code, r.text[:300])
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["error"]["code"] == code
    assert isinstance(r.json()["error"]["message"], str)


# --- datetimes ---------------------------------------------------------------------------------


@given(st.datetimes(min_value=datetime(1, 1, 2), max_value=datetime(9999, 12, 30)))
def test_an_offset_free_datetime_is_vietnam_time_or_refused(value: datetime) -> None:
    local = value.replace(tzinfo=VIETNAM)
    if 1970 <= value.year <= 2100:
        assert vietnam_utc(value) == local
        assert vietnam_utc(value).tzinfo is UTC
    else:
        with pytest.raises(ValueError, match="between 1970 and 2100"):
            vietnam_utc(value)


@given(
    st.datetimes(
        timezones=st.builds(
            timezone, st.timedeltas(min_value=-timedelta(hours=23), max_value=timedelta(hours=23))
        )
    )
)
def test_any_aware_datetime_is_utc_or_refused_never_overflows(value: datetime) -> None:
    try:
        result = vietnam_utc(value)
    except ValueError:
        in_vietnam = None  # stays None past the calendar's edge: refused, rightly
        with contextlib.suppress(OverflowError):
            in_vietnam = value.astimezone(VIETNAM).year
        assert in_vietnam is None or not 1970 <= in_vietnam <= 2100
    else:
        assert result == value
        assert result.tzinfo is UTC
        assert 1970 <= result.astimezone(VIETNAM).year <= 2100


def test_since_and_until_without_offset_are_vietnam_time(
    app_db: tuple[TestClient, sessionmaker[Session]],
) -> None:
    c, _ = app_db
    h = login(c, "qt1")

    def titles(**params: str) -> list[str]:
        r = c.get("/api/v1/items", params=params, headers=h)
        assert r.status_code == 200, r.text
        return [x["item"]["title"] for x in r.json()["items"] if x["item"]["title"] == "Tin thử"]

    assert titles(since="2026-11-20T07:00:00") == ["Tin thử"]  # 00:00 UTC
    assert titles(since="2026-11-20T07:00:01") == []
    assert titles(until="2026-11-20T07:00:01") == ["Tin thử"]
    assert titles(until="2026-11-20T07:00:00") == []  # until is exclusive
    # A bare date is midnight in Vietnam: 17:00 UTC the day before.
    assert titles(since="2026-11-20") == ["Tin thử"]
    assert titles(since="2026-11-20T00:00:00Z") == ["Tin thử"]
    assert titles(since="2026-11-20T00:00:01+00:00") == []


EDGES = [
    "9999-12-31T23:59:59",
    "0001-01-01",
    "0001-01-01T00:00:00",
    "0001-01-01T00:00:00Z",
    "9999-12-31T23:59:59-10:00",
    "0001-01-01T00:00:00+14:00",
    "1969-12-31T23:59:59",
]


def test_dates_and_weeks_at_the_calendars_edge_are_refused_in_the_error_shape(
    app_db: tuple[TestClient, sessionmaker[Session]],
) -> None:
    c, _ = app_db
    h = login(c, "qt1")
    for value in EDGES:
        for name in ("since", "until"):
            _invalid(c.get("/api/v1/items", params={name: value}, headers=h))
    for week in ("0001-W01", "9999-W52", "1969-W01", "2101-W01"):
        _invalid(c.get("/api/v1/reports/weekly", params={"week": week}, headers=h), "bad_week")
    assert (
        c.get("/api/v1/reports/weekly", params={"week": "2026-W48"}, headers=h).status_code == 200
    )


# --- control characters ------------------------------------------------------------------------


def test_nul_in_any_api_string_is_refused_with_422(
    app_db: tuple[TestClient, sessionmaker[Session]],
) -> None:
    c, _ = app_db
    h = login(c, "qt1")
    task = c.post("/api/v1/queue/claim", headers=h).json()
    calls = [
        ("POST", "/api/v1/auth/login", {"json": {"username": "qt\x001", "password": PASSWORD}}),
        ("POST", "/api/v1/auth/login", {"json": {"username": "qt1", "password": "x\x00"}}),
        ("POST", "/api/v1/feeds", {"json": {"url": "https://a.example/\x00", "name": "A"}}),
        ("POST", "/api/v1/feeds", {"json": {"url": "https://a.example/", "name": "A\x00"}}),
        ("GET", "/api/v1/items", {"params": {"q": "chuyển\x00đổi"}}),
        ("GET", "/api/v1/items", {"params": {"q\x00": "x"}}),
        ("PATCH", "/api/v1/users/qt%001", {"json": {"is_active": True}}),
        ("POST", f"/api/v1/tasks/{task['id']}/skip", {"json": {"reason": "bỏ\x00 qua"}}),
        (
            "POST",
            f"/api/v1/tasks/{task['id']}/verdict",
            {"json": {"verdict": "scam", "note": "ghi\x00chú"}},
        ),
        (
            "POST",
            "/api/v1/users",
            {"json": {"username": "ab\x1bc", "role": "analyst", "password": "12345678"}},
        ),
    ]
    for method, path, kw in calls:
        r = c.request(method, path, headers=h, **kw)  # type: ignore[arg-type]
        _invalid(r)
        assert r.json()["error"]["details"][0]["msg"].startswith("control characters")
    # The task is still held and the verdict still possible: nothing was half-done.
    r = c.post(
        f"/api/v1/tasks/{task['id']}/verdict",
        headers=h,
        json={"verdict": "scam", "note": "dòng 1\r\ndòng 2\ttab"},
    )
    assert r.status_code == 200, r.text
    assert r.json()["note"] == "dòng 1\r\ndòng 2\ttab"


@settings(
    max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    q=st.text(alphabet=st.sampled_from([*CONTROLS, "\t", "\n", "\r", "a", "ă", " "]), max_size=8)
)
def test_search_text_is_refused_exactly_when_it_holds_a_control_character(
    app_db: tuple[TestClient, sessionmaker[Session]], q: str
) -> None:
    c, _ = app_db
    if "auth" not in c.headers:  # one login: the login rate limit is 20 a minute
        c.headers.update(login(c, "qt1"))
        c.headers["auth"] = "1"
    r = c.get("/api/v1/items", params={"q": q})
    if any(ch in CONTROLS for ch in q):
        _invalid(r)
    else:
        assert r.status_code == 200, r.text


def test_control_pattern_is_c0_without_tab_lf_cr() -> None:
    assert [chr(c) for c in range(0x110) if CONTROL_RE.search(chr(c))] == CONTROLS


def test_nul_in_web_forms_gives_a_page_not_a_500(
    app_db: tuple[TestClient, sessionmaker[Session]],
) -> None:
    c, _ = app_db
    page = c.get("/login")
    r = c.post(
        "/login",
        data={"username": "qt\x001", "password": "x", "csrf": csrf_of(page.text), "next": "/"},
        follow_redirects=False,
    )
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("text/html")
    web_login(c, "qt1")
    form = c.get("/feeds")
    r = c.post(
        "/feeds",
        data={"url": "https://b.example/\x00", "name": "B", "csrf": csrf_of(form.text)},
        follow_redirects=False,
    )
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("text/html")
    r = c.get("/items", params={"q": "a\x00"})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("text/html")


# --- anything unexpected ----------------------------------------------------------------------


def test_an_unhandled_error_answers_in_the_error_shape(
    sqlite_settings: Settings, apps: Apps
) -> None:
    app: FastAPI = apps.app(sqlite_settings)

    @app.get("/api/v1/boom")
    def boom() -> None:
        raise RuntimeError("secret detail")

    @app.get("/boom-page")
    def boom_page() -> None:
        raise RuntimeError("secret detail")

    c = apps(sqlite_settings, app=app, raise_server_exceptions=False)
    r = c.get("/api/v1/boom")
    assert r.status_code == 500
    assert r.json()["error"]["code"] == "internal_error"
    assert "secret" not in r.text
    page = c.get("/boom-page")
    assert page.status_code == 500
    assert page.headers["content-type"].startswith("text/html")
    assert "secret" not in page.text
