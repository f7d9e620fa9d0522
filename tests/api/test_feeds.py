from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.config import Settings
from core.tables import AuditEvent
from tests.apps import Apps, login


@pytest.fixture
def client(sqlite_settings: Settings, apps: Apps) -> tuple[TestClient, sessionmaker[Session]]:
    c = apps(sqlite_settings, users={"admin1": "admin", "ctv1": "collaborator"})
    return c, apps.sessions(sqlite_settings)


def test_admin_manages_feeds_and_every_change_is_audited(
    client: tuple[TestClient, sessionmaker[Session]],
) -> None:
    c, factory = client
    admin = login(c, "admin1")
    r = c.post(
        "/api/v1/feeds",
        headers=admin,
        json={"url": "https://bao.example/rss", "name": "Báo", "kind": "news"},
    )
    assert r.status_code == 201
    feed = r.json()
    assert feed["enabled"] is True
    assert feed["items_7d"] == 0
    again = c.post(
        "/api/v1/feeds", headers=admin, json={"url": "https://bao.example/rss", "name": "Báo"}
    )
    assert again.status_code == 409
    assert again.json()["error"]["code"] == "feed_exists"
    bad = c.post("/api/v1/feeds", headers=admin, json={"url": "file:///etc/passwd", "name": "x"})
    assert bad.status_code == 422
    r = c.patch(
        f"/api/v1/feeds/{feed['id']}",
        headers=admin,
        json={"enabled": False, "poll_interval_s": 600},
    )
    assert r.status_code == 200
    assert (r.json()["enabled"], r.json()["poll_interval_s"]) == (False, 600)
    assert [f["id"] for f in c.get("/api/v1/feeds", headers=admin).json()] == [feed["id"]]
    assert c.delete(f"/api/v1/feeds/{feed['id']}", headers=admin).status_code == 204
    assert c.delete(f"/api/v1/feeds/{feed['id']}", headers=admin).status_code == 404
    with factory() as s:
        actions = s.scalars(
            select(AuditEvent.action).where(AuditEvent.entity == "feed").order_by(AuditEvent.id)
        ).all()
    assert actions == ["feed.create", "feed.update", "feed.delete"]


def test_collaborators_and_anonymous_cannot_touch_feeds(
    client: tuple[TestClient, sessionmaker[Session]],
) -> None:
    c, _ = client
    ctv = login(c, "ctv1")
    assert c.get("/api/v1/feeds", headers=ctv).status_code == 403
    assert (
        c.post(
            "/api/v1/feeds", headers=ctv, json={"url": "https://a.example/rss", "name": "A"}
        ).status_code
        == 403
    )
    assert c.get("/api/v1/feeds").status_code == 401


# Loopback, private, link-local and reserved addresses in the forms a URL can carry them: dotted,
# short, decimal, octal and hex IPv4; IPv6 literals and IPv6 carrying an IPv4 (mapped, 6to4,
# NAT64, Teredo); names that resolve locally. None resolves through the network.
NON_PUBLIC_URLS = [
    *(f"http://{h}/rss" for h in ("127.0.0.1", "127.0.0.1:8080", "127.1", "127.255.255.254")),
    *(f"http://{h}/rss" for h in ("2130706433", "0x7f000001", "0177.0.0.1", "0x7f.0.0.1")),
    *(f"https://{h}/rss" for h in ("localhost", "LOCALHOST", "localhost.", "localhost:8443")),
    *(f"http://{h}/rss" for h in ("0.0.0.0", "0", "10.0.0.1", "10.255.255.255", "172.16.0.1")),
    *(f"http://{h}/rss" for h in ("172.31.255.255", "192.168.0.1", "192.168.1.254")),
    *(f"http://{h}/" for h in ("169.254.169.254", "169.254.0.1", "100.64.0.1", "100.127.255.254")),
    *(f"http://{h}/rss" for h in ("192.0.0.1", "192.0.2.1", "198.18.0.1", "198.51.100.1")),
    *(f"http://{h}/rss" for h in ("203.0.113.1", "224.0.0.1", "239.255.255.250", "240.0.0.1")),
    "http://255.255.255.255/rss",
    *(f"http://[{h}]/rss" for h in ("::1", "::", "fe80::1", "fe80::1%25eth0", "fc00::1")),
    *(f"http://[{h}]/rss" for h in ("fd12:3456:789a::1", "ff02::1", "::ffff:127.0.0.1")),
    *(f"http://[{h}]/rss" for h in ("::ffff:7f00:1", "::ffff:10.0.0.1", "::127.0.0.1")),
    *(f"http://[{h}]/rss" for h in ("2002:7f00:1::", "2002:a00:1::", "2002:c0a8:101::1")),
    *(f"http://[{h}]/rss" for h in ("2002:a9fe:a9fe::", "64:ff9b::7f00:1", "64:ff9b::a00:1")),
    *(f"http://[{h}]/rss" for h in ("64:ff9b:1::808:808", "2001:0:4136:e378:8000:63bf:80ff:fffe")),
    *(f"http://[{h}]/rss" for h in ("2001:db8::1", "::ffff:0:7f00:1", "::ffff:169.254.169.254")),
    "http://user:pass@127.0.0.1:9/rss",
]


def test_non_public_feed_urls_are_refused_at_registration(
    client: tuple[TestClient, sessionmaker[Session]],
) -> None:
    c, factory = client
    admin = login(c, "admin1")
    accepted = []
    for i, url in enumerate(NON_PUBLIC_URLS):
        r = c.post("/api/v1/feeds", headers=admin, json={"url": url, "name": f"F{i}"})
        if r.status_code != 422:
            accepted.append((url, r.status_code))
            continue
        assert r.json()["error"]["code"] == "blocked_url", r.text
        assert "public" in r.json()["error"]["message"]
    assert len(NON_PUBLIC_URLS) >= 55
    assert accepted == []
    with factory() as s:
        assert s.scalars(select(AuditEvent).where(AuditEvent.entity == "feed")).all() == []


def test_the_fetch_allowlist_lets_local_feeds_register(
    sqlite_settings: Settings, apps: Apps
) -> None:
    settings = sqlite_settings.model_copy(update={"fetch_allowlist": "127.0.0.1"})
    c = apps(settings, users={"admin1": "admin"})
    admin = login(c, "admin1")
    ok = c.post("/api/v1/feeds", headers=admin, json={"url": "http://127.0.0.1:9/rss", "name": "L"})
    assert ok.status_code == 201, ok.text
    other = c.post("/api/v1/feeds", headers=admin, json={"url": "http://10.0.0.1/", "name": "P"})
    assert other.status_code == 422
