"""/metrics: bounded labels (route templates, not raw paths) and who may read it."""

from __future__ import annotations

import pytest
from pydantic import SecretStr

from api.metrics import Latency
from core.config import Settings
from tests.apps import Apps, login, password
from tests.factories import make_item, make_user

LOOPBACK = ("127.0.0.1", 51000)


@pytest.fixture
def db(sqlite_settings: Settings, apps: Apps) -> Settings:
    with apps.sessions(sqlite_settings)() as s:
        make_user(s, "qt1", "admin", password("qt1"))
        make_user(s, "pt1", "analyst", password("pt1"))
        make_item(s)
        s.commit()
    return sqlite_settings


def _series(text: str) -> set[str]:
    return {
        line.split("{", 1)[1].rsplit("} ", 1)[0]
        for line in text.splitlines()
        if line.startswith("duluan_request_seconds_count{")
    }


@pytest.mark.slow
def test_two_thousand_distinct_paths_add_a_handful_of_series(db: Settings, apps: Apps) -> None:
    c = apps(db, client=LOOPBACK)
    h = login(c, "pt1")
    c.get("/api/v1/items/1", headers=h)
    before = _series(c.get("/metrics").text)
    for i in range(2000):
        kind = i % 4
        if kind == 0:
            c.get(f"/api/v1/items/{i + 2}", headers=h)  # a real route, any id
        elif kind == 1:
            c.get(f"/nothing/{i}/account-name-{i}")  # no route
        elif kind == 2:
            c.patch(f"/api/v1/users/user{i}", json={})  # a route, names in the path
        else:
            c.request(f"X{i}", "/api/v1/health")  # invented methods
    c.get("/%00/x%00y")
    text = c.get("/metrics").text
    series = _series(text)
    assert len(series - before) <= 5, sorted(series - before)
    assert 'method="GET",route="/api/v1/items/{item_id}"' in series
    assert 'method="GET",route="<unmatched>"' in series
    assert 'method="PATCH",route="/api/v1/users/{username}"' in series
    assert 'method="OTHER",route="/api/v1/health"' in series
    assert "account-name" not in text
    assert "user17" not in text
    assert "\x00" not in text


def test_without_a_token_only_loopback_or_an_admin_reads_metrics(db: Settings, apps: Apps) -> None:
    app = apps.app(db)
    local = apps(db, app=app, client=LOOPBACK)
    assert local.get("/metrics").status_code == 200
    local6 = apps(db, app=app, client=("::1", 51000))
    assert local6.get("/metrics").status_code == 200
    remote = apps(db, app=app, client=("203.0.113.9", 51000))
    anonymous = remote.get("/metrics")
    assert anonymous.status_code == 401
    assert anonymous.json()["error"]["code"] == "not_authenticated"
    assert "duluan_items_total" not in anonymous.text
    assert remote.get("/metrics", headers=login(remote, "pt1")).status_code == 403
    admin = remote.get("/metrics", headers=login(remote, "qt1"))
    assert admin.status_code == 200
    assert "duluan_items_total 1" in admin.text
    bad = remote.get("/metrics", headers={"Authorization": "Bearer nope"})
    assert bad.status_code == 401


def test_with_a_token_set_only_that_token_reads_metrics(db: Settings, apps: Apps) -> None:
    settings = db.model_copy(update={"metrics_token": SecretStr("s3cret-scrape")})
    c = apps(settings, client=LOOPBACK)
    assert c.get("/metrics").status_code == 401  # loopback is not enough any more
    assert c.get("/metrics", headers=login(c, "qt1")).status_code == 401  # nor an admin
    assert c.get("/metrics", headers={"Authorization": "Bearer s3cret-scrapeX"}).status_code == 401
    ok = c.get("/metrics", headers={"Authorization": "Bearer s3cret-scrape"})
    assert ok.status_code == 200
    assert ok.headers["content-type"].startswith("text/plain")
    assert Settings(_env_file=None, metrics_token="x").metrics_token is not None


def test_latency_labels_keep_their_shape_across_processes(tmp_path) -> None:  # type: ignore[no-untyped-def]
    first = Latency(tmp_path)
    first.observe("GET", "/api/v1/items/{item_id}", 0.01)
    assert 'route="/api/v1/items/{item_id}"' in "\n".join(Latency(tmp_path).lines())
