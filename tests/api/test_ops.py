"""Models, reports, metrics, body size and CORS."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient
from pydantic import SecretStr

from core.config import Settings
from core.db import make_engine, make_sessionmaker
from tests.apps import Apps, web_login
from tests.factories import make_item, make_task


@pytest.fixture
def client(sqlite_settings: Settings, apps: Apps) -> TestClient:
    with apps.sessions(sqlite_settings)() as s:
        make_task(s)
        s.commit()
    settings = sqlite_settings.model_copy(
        update={
            "max_body_bytes": 2000,
            "cors_origins": "https://ui.example",
            "metrics_token": SecretStr("scrape-secret"),
        }
    )
    c = apps(settings, users={"pt1": "analyst"}, login_as="pt1")
    return c


def test_models_lists_versions_with_scores(client: TestClient) -> None:
    body = client.get("/api/v1/models").json()
    assert set(body) == {"relevance", "sentiment", "misinfo"}
    misinfo = body["misinfo"]
    current = [v for v in misinfo["versions"] if v["current"]]
    assert [v["version"] for v in current] == [misinfo["current"]]
    assert current[0]["macro_f1"] > 0.5
    assert client.get("/api/v1/models/sentiment").json()["classifier"] == "sentiment"
    missing = client.get("/api/v1/models/topic")
    assert missing.status_code == 404
    # the ML "task" is a classifier; a review task's absence is task_not_found
    assert missing.json()["error"]["code"] == "classifier_not_found"


def test_weekly_report_markdown_and_csv(client: TestClient) -> None:
    md = client.get("/api/v1/reports/weekly", params={"week": "2026-W48"})
    assert md.status_code == 200
    assert md.headers["content-type"].startswith("text/markdown")
    assert "Tổng hợp dư luận tuần 2026-W48" in md.text
    csv = client.get("/api/v1/reports/weekly", params={"week": "2026-W48", "format": "csv"})
    assert csv.text.splitlines()[0].startswith("item_id,source,title")
    bad = client.get("/api/v1/reports/weekly", params={"week": "2026-48"})
    assert bad.status_code == 422


def _policy(header: str) -> dict[str, str]:
    """A Content-Security-Policy header as {directive: sources}."""
    return {d.split()[0]: " ".join(d.split()[1:]) for d in header.split(";") if d.strip()}


def test_reports_may_not_be_framed_nor_run_anything(
    client: TestClient, sqlite_settings: Settings, apps: Apps
) -> None:
    for fmt in ("html", "md", "csv", "docx"):
        r = client.get("/api/v1/reports/weekly", params={"week": "2026-W48", "format": fmt})
        assert r.status_code == 200, fmt
        policy = _policy(r.headers["content-security-policy"])
        assert policy["frame-ancestors"] == "'none'"
        assert policy["default-src"] == "'none'"
        assert "script-src" not in policy  # falls back to default-src: none
        assert r.headers["x-frame-options"] == "DENY"
        assert r.headers["x-content-type-options"] == "nosniff"
    # the web app serves the same report page (signed in with a session cookie)
    web = apps(sqlite_settings)
    web_login(web, "pt1")
    page = web.get("/reports/weekly", params={"week": "2026-W48"})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert _policy(page.headers["content-security-policy"])["frame-ancestors"] == "'none'"


def test_a_control_character_from_a_feed_breaks_no_report(
    client: TestClient, sqlite_settings: Settings
) -> None:
    engine = make_engine(sqlite_settings.database_url)
    with make_sessionmaker(engine)() as s:
        published = datetime(2026, 11, 24, 3, 0, tzinfo=UTC)
        make_item(
            s, source="Nguồn\x0b", title="Tin\x00", text="Trích\x1fđoạn", published_at=published
        )
        s.commit()
    engine.dispose()
    for fmt in ("docx", "html", "md", "csv"):
        r = client.get("/api/v1/reports/weekly", params={"week": "2026-W48", "format": fmt})
        assert r.status_code == 200, (fmt, r.text[:200])
        assert fmt == "docx" or b"\x0b" not in r.content  # a DOCX is a zip: any byte


def test_metrics_in_prometheus_text(client: TestClient) -> None:
    client.post("/api/v1/queue/claim")
    text = client.get("/metrics", headers={"Authorization": "Bearer scrape-secret"}).text
    assert "duluan_items_total 1" in text
    assert 'duluan_queue_tasks{status="claimed"} 1' in text
    assert "duluan_claims_total 1" in text
    assert 'duluan_request_seconds_count{method="POST",route="/api/v1/queue/claim"} 1' in text


def test_oversized_bodies_are_refused(client: TestClient) -> None:
    r = client.post("/api/v1/auth/login", json={"username": "pt1", "password": "x" * 5000})
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "too_large"


def test_oversized_chunked_bodies_are_refused_with_413(client: TestClient) -> None:
    # No Content-Length: the body is counted as it is read (2,000-byte limit in this fixture).
    def chunks(n: int) -> Iterator[bytes]:
        yield b'{"username": "pt1", "password": "'
        for _ in range(n):
            yield b"x" * 500
        yield b'"}'

    for path in ("/api/v1/auth/login", "/api/v1/feeds", "/api/v1/users"):
        r = client.post(path, content=chunks(10), headers={"content-type": "application/json"})
        assert "content-length" not in r.request.headers
        assert r.status_code == 413, (path, r.text)
        assert r.json()["error"]["code"] == "too_large"
    page = client.post(
        "/login",
        content=(b"username=" + b"x" * 500 for _ in range(10)),
        headers={"content-type": "application/x-www-form-urlencoded"},
    )
    assert page.status_code == 413
    small = client.post(
        "/api/v1/auth/login",
        content=iter([b'{"username": "pt1", ', b'"password": "wrong"}']),
        headers={"content-type": "application/json"},
    )
    assert small.status_code == 401  # under the limit: read and answered as usual


def test_cors_only_for_configured_origins(client: TestClient) -> None:
    ok = client.options(
        "/api/v1/health",
        headers={"Origin": "https://ui.example", "Access-Control-Request-Method": "GET"},
    )
    assert ok.headers.get("access-control-allow-origin") == "https://ui.example"
    other = client.get("/api/v1/health", headers={"Origin": "https://evil.example"})
    assert "access-control-allow-origin" not in other.headers


def test_metrics_add_up_every_api_process(tmp_path) -> None:  # type: ignore[no-untyped-def]
    from api.metrics import Latency

    first, second = Latency(tmp_path), Latency(tmp_path)  # two workers sharing the folder
    first.observe("POST", "/api/v1/queue/claim", 0.02)
    first.observe("POST", "/api/v1/queue/claim", 0.3)
    second.observe("POST", "/api/v1/queue/claim", 0.04)
    second.dump()
    text = "\n".join(first.lines())
    labels = 'method="POST",route="/api/v1/queue/claim"'
    assert f"duluan_request_seconds_count{{{labels}}} 3" in text
    assert f'duluan_request_seconds_bucket{{{labels},le="0.05"}} 2' in text
    assert f"duluan_request_seconds_sum{{{labels}}} 0.360000" in text
    assert "every API process" in text
    alone = Latency()
    alone.observe("GET", "/x", 0.01)
    assert 'duluan_request_seconds_count{method="GET",route="/x"} 1' in "\n".join(alone.lines())
