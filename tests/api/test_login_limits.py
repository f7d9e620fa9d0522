"""Login limits that fit real users: weak passwords refused, idle sessions end, forwarded addresses
believed only from configured proxies, demo accounts never seeded beside real ones."""

from __future__ import annotations

from datetime import timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from cli.serve import DEMO_USERS, seed_demo_users
from core.accounts import check_password, create_user
from core.config import Settings
from core.db import utcnow
from core.errors import DomainError
from core.tables import AuthToken, User
from tests.apps import Apps, login, password
from tests.factories import make_user


@pytest.fixture
def app_factory(factory: sessionmaker[Session]) -> sessionmaker[Session]:
    with factory() as s:
        make_user(s, "ctv1", "collaborator", password("ctv1"))
        make_user(s, "admin1", "admin", password("admin1"))
        s.commit()
    return factory


@pytest.mark.parametrize(
    "password", ["        ", "12345678", "password", "qwertyuiop", "aaaaaaaaaa", "matkhau123"]
)
def test_common_and_breached_list_passwords_are_refused(password: str) -> None:
    with pytest.raises(DomainError) as err:
        check_password("ctv9", password)
    assert err.value.code == "weak_password"


def test_the_username_itself_is_refused_and_good_passwords_pass() -> None:
    with pytest.raises(DomainError):
        check_password("nguyenvana2026", "NguyenVanA2026")
    for ok in ("ctv1-demo-2026", "Lúa chín vàng đồng 2026", "xq7#Lm2!pw"):
        check_password("ctv1", ok)


def test_an_admin_cannot_create_an_account_with_a_weak_password(
    settings: Settings, app_factory: sessionmaker[Session], apps: Apps
) -> None:
    c = apps(settings)
    admin = login(c, "admin1")
    for weak in ("        ", "12345678"):
        r = c.post(
            "/api/v1/users",
            headers=admin,
            json={"username": "ctv5", "role": "admin", "password": weak},
        )
        assert r.status_code == 422, r.text
        assert r.json()["error"]["code"] == "weak_password"
    with app_factory() as s:
        assert s.scalar(select(User.id).where(User.username == "ctv5")) is None


def test_an_idle_session_ends(
    settings: Settings, app_factory: sessionmaker[Session], apps: Apps
) -> None:
    c = apps(settings)
    me = login(c, "admin1")
    assert c.get("/api/v1/items", headers=me).status_code == 200
    with app_factory() as s:
        s.execute(
            update(AuthToken).values(
                last_used_at=utcnow() - timedelta(minutes=settings.session_idle_minutes, seconds=5)
            )
        )
        s.commit()
    r = c.get("/api/v1/items", headers=me)
    assert r.status_code == 401
    assert r.json()["error"]["code"] == "invalid_token"


def test_a_used_session_stays_open(
    settings: Settings, app_factory: sessionmaker[Session], apps: Apps
) -> None:
    c = apps(settings)
    me = login(c, "admin1")
    with app_factory() as s:
        # created long ago but used a minute ago: still open
        s.execute(
            update(AuthToken).values(
                created_at=utcnow() - timedelta(hours=3),
                last_used_at=utcnow() - timedelta(minutes=2),
            )
        )
        s.commit()
    assert c.get("/api/v1/items", headers=me).status_code == 200
    with app_factory() as s:
        used = s.scalar(select(AuthToken.last_used_at))
    assert used is not None
    assert utcnow() - used < timedelta(minutes=1)


def _failures_until_refused(c: TestClient, headers: dict[str, str]) -> list[int]:
    return [
        c.post(
            "/api/v1/auth/login",
            json={"username": f"nobody{i}", "password": "x"},
            headers=headers | {"X-Forwarded-For": f"203.0.113.{i}"},
        ).status_code
        for i in range(4)
    ]


def test_forwarded_addresses_are_ignored_unless_from_a_trusted_proxy(
    settings: Settings, app_factory: sessionmaker[Session], apps: Apps
) -> None:
    """Before: any client's X-Forwarded-For was believed from loopback, so an attacker rotating
    it was never limited."""
    limited = settings.model_copy(update={"login_address_max_failures": 2})
    c = apps(limited, client=("127.0.0.1", 40000))
    assert _failures_until_refused(c, {}) == [401, 401, 429, 429]


def test_a_trusted_proxy_forwards_each_client_address(
    settings: Settings, app_factory: sessionmaker[Session], apps: Apps
) -> None:
    behind = settings.model_copy(
        update={"login_address_max_failures": 2, "trusted_proxies": "10.0.0.0/8"}
    )
    c = apps(behind, client=("10.1.2.3", 40000))
    # four different clients behind the proxy: each has its own allowance
    assert _failures_until_refused(c, {}) == [401, 401, 401, 401]


def test_demo_accounts_are_never_seeded_beside_real_ones(factory: sessionmaker[Session]) -> None:
    with factory() as s:
        assert seed_demo_users(s) is True  # an empty database gets them
        s.commit()
        assert seed_demo_users(s) is True  # again: nothing new, nothing refused
        names = set(s.scalars(select(User.username)))
    assert names == {u for u, _, _ in DEMO_USERS}
    with factory() as s:
        for name, _, _ in DEMO_USERS:
            s.delete(s.scalar(select(User).where(User.username == name)))
        create_user(s, "chuyenvien", "admin", "Chuyen-vien-2026!")
        s.commit()
        assert seed_demo_users(s) is False
        s.commit()
        assert set(s.scalars(select(User.username))) == {"chuyenvien"}


def test_metrics_refuse_an_idle_admin_token(
    settings: Settings, app_factory: sessionmaker[Session], apps: Apps
) -> None:
    c = apps(settings, client=("10.20.30.40", 5000))
    admin = login(c, "admin1")
    assert c.get("/metrics", headers=admin).status_code == 200
    with app_factory() as s:
        s.execute(
            update(AuthToken).values(
                last_used_at=utcnow() - timedelta(minutes=settings.session_idle_minutes + 1)
            )
        )
        s.commit()
    assert c.get("/metrics", headers=admin).status_code == 401


def test_stale_counts_are_purged_and_a_refused_address_adds_no_name(
    settings: Settings,
    app_factory: sessionmaker[Session],
    apps: Apps,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    import core.auth
    from core.tables import LoginThrottle

    limited = settings.model_copy(update={"login_address_max_failures": 2})
    c = apps(limited)
    for i in range(6):
        c.post("/api/v1/auth/login", json={"username": f"guess{i}", "password": "x"})
    with app_factory() as s:
        # two names counted, then the address was refused: no rows for the other names
        assert s.scalar(select(func.count()).select_from(LoginThrottle)) == 3
        s.execute(
            update(LoginThrottle).values(
                window_started_at=utcnow() - timedelta(days=1), locked_until=None
            )
        )
        s.commit()
    monkeypatch.setattr(core.auth, "PURGE_SHARE", 1.0)
    c.post("/api/v1/auth/login", json={"username": "ctv1", "password": "ctv1-password"})
    with app_factory() as s:
        assert s.scalar(select(func.count()).select_from(LoginThrottle)) <= 1
