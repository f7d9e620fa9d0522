"""The web app without a browser: access by role, CSRF, the review flow, untrusted text."""

from __future__ import annotations

import re
from datetime import timedelta
from html.parser import HTMLParser
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from api.main import create_app
from api.web.i18n import LANGUAGES, VI
from api.web.pages.respond import MESSAGES
from core.config import Settings
from core.db import utcnow
from core.permissions import allowed
from core.tables import AuditEvent, Feed, ReviewTask, Role, TaskStatus, Verdict
from nlp.pipeline import CLASSIFIERS
from tests.api.test_permissions import _walk
from tests.apps import Apps, csrf_of, password, web_login
from tests.web.helpers import XSS_URL, flagged, people

TEMPLATES = Path(__file__).resolve().parents[2] / "api" / "web" / "templates"
PUBLIC_PAGES = {
    ("GET", "/"),
    ("GET", "/login"),
    ("POST", "/login"),
    # the API's documentation (as FastAPI's own /docs and /redoc were) and the icon
    ("GET", "/docs"),
    ("GET", "/docs/oauth2-redirect"),
    ("GET", "/redoc"),
    ("GET", "/favicon.ico"),
}


@pytest.fixture
def app_db(sqlite_settings: Settings, apps: Apps) -> tuple[TestClient, sessionmaker[Session]]:
    factory = apps.sessions(sqlite_settings)
    with factory() as s:
        people(s)
        flagged(s, 3)
        s.commit()
    c = apps(sqlite_settings)
    return c, factory


def _pages() -> list[tuple[str, str, object]]:
    """Every web route (method, path, the permission of its page dependency or None)."""
    out = []
    for path, route in _walk(create_app(Settings(_env_file=None)).routes):
        if path.startswith("/api/") or path == "/metrics":
            continue
        permission, signed_in = None, False
        stack = list(route.dependant.dependencies)
        while stack:
            dep = stack.pop()
            permission = getattr(dep.call, "page_permission", permission)
            signed_in = signed_in or getattr(dep.call, "__name__", "") == "web_user"
            stack.extend(dep.dependencies)
        for method in route.methods:
            out.append((method, path, (permission or "signed-in") if signed_in else "public"))
    return sorted(out, key=str)


def test_every_page_is_signed_in_or_deliberately_public() -> None:
    for method, path, permission in _pages():
        if (method, path) in PUBLIC_PAGES:
            assert permission == "public"
        elif path != "/metrics":
            assert permission != "public", f"{method} {path} is open to anyone"


GET_PAGES = [
    (p, perm)
    for m, p, perm in _pages()
    if m == "GET" and "{" not in p and perm not in ("public", "signed-in")
]


@pytest.mark.parametrize(("path", "permission"), GET_PAGES, ids=[p for p, _ in GET_PAGES])
def test_page_by_role(
    app_db: tuple[TestClient, sessionmaker[Session]], path: str, permission
) -> None:  # type: ignore[no-untyped-def]
    c, _ = app_db
    r = c.get(path, follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/login?next=")
    for name, role in (("ctv1", Role.collaborator), ("pt1", Role.analyst), ("qt1", Role.admin)):
        c.cookies.clear()
        web_login(c, name)
        r = c.get(path, follow_redirects=False)
        if allowed(role.value, permission):
            assert r.status_code == 200, f"{role}: {r.status_code}"
        else:
            assert r.status_code == 403, f"{role}: {r.status_code}"
            assert "Không có quyền" in r.text


def test_review_flow_claim_decide_next_history(
    app_db: tuple[TestClient, sessionmaker[Session]],
) -> None:
    c, factory = app_db
    web_login(c, "ctv1")
    page = c.get("/queue")
    assert "Nhận tin tiếp theo" in page.text
    card = c.post("/queue/claim", data={"csrf": csrf_of(page.text)})
    assert card.url.path == "/queue"
    for label in ("Sai lệch", "Lừa đảo", "Không có vấn đề", "Chưa chắc – chuyển cấp trên"):
        assert label in card.text
    assert "Thời gian giữ tin còn" in card.text
    first = int(re.search(r"/tasks/(\d+)/verdict", card.text).group(1))
    nxt = c.post(
        f"/tasks/{first}/verdict",
        data={"csrf": csrf_of(card.text), "verdict": "scam", "note": "xin OTP"},
    )
    assert "Đã lưu kết luận. Đây là tin tiếp theo." in nxt.text
    second = int(re.search(r"/tasks/(\d+)/verdict", nxt.text).group(1))
    assert second != first
    history = c.get("/history")
    assert "Lừa đảo" in history.text
    assert "xin OTP" in history.text
    with factory() as s:
        v = s.scalar(select(Verdict).where(Verdict.task_id == first))
        assert v.label == "scam"
        assert v.note == "xin OTP"
        actions = set(s.scalars(select(AuditEvent.action)))
    assert {"task.claim", "task.verdict"} <= actions


def test_an_expired_lease_is_explained_not_lost(
    app_db: tuple[TestClient, sessionmaker[Session]],
) -> None:
    c, factory = app_db
    web_login(c, "ctv1")
    card = c.post("/queue/claim", data={"csrf": csrf_of(c.get("/queue").text)})
    task_id = int(re.search(r"/tasks/(\d+)/verdict", card.text).group(1))
    with factory() as s:
        s.execute(
            update(ReviewTask)
            .where(ReviewTask.id == task_id)
            .values(lease_expires_at=utcnow() - timedelta(minutes=1))
        )
        s.commit()
    r = c.post(f"/tasks/{task_id}/verdict", data={"csrf": csrf_of(card.text), "verdict": "scam"})
    assert "Thời gian giữ tin đã hết" in r.text
    with factory() as s:
        assert s.scalar(select(Verdict).where(Verdict.task_id == task_id)) is None


def test_forms_without_the_session_csrf_token_change_nothing(
    app_db: tuple[TestClient, sessionmaker[Session]],
) -> None:
    c, factory = app_db
    web_login(c, "ctv1")
    r = c.post("/queue/claim", data={"csrf": "forged"})
    assert "Biểu mẫu không hợp lệ" in r.text
    r = c.post("/queue/claim", data={})
    with factory() as s:
        assert s.scalar(select(ReviewTask).where(ReviewTask.status == TaskStatus.claimed)) is None
    # the login form has its own double-submit token
    c.cookies.clear()
    r = c.post(
        "/login", data={"username": "ctv1", "password": "x", "csrf": "x"}, follow_redirects=False
    )
    assert r.headers["location"] == "/login?msg=bad_form"


def test_session_cookie_is_httponly_and_logout_revokes_it(
    app_db: tuple[TestClient, sessionmaker[Session]],
) -> None:
    c, _ = app_db
    page = c.get("/login")
    r = c.post(
        "/login",
        data={
            "username": "ctv1",
            "password": password("ctv1"),
            "csrf": csrf_of(page.text),
            "next": "https://evil.example/",
        },
        follow_redirects=False,
    )
    assert r.headers["location"] == "/queue"  # no open redirect
    cookie = r.headers["set-cookie"]
    assert "HttpOnly" in cookie
    assert "SameSite=lax" in cookie
    token = c.cookies.get("duluan_session")
    c.post("/logout", data={"csrf": csrf_of(c.get("/queue").text)})
    c.cookies.set("duluan_session", token)
    assert c.get("/queue", follow_redirects=False).status_code == 303


def test_wrong_password_says_so_in_vietnamese(
    app_db: tuple[TestClient, sessionmaker[Session]],
) -> None:
    c, _ = app_db
    page = c.get("/login")
    r = c.post(
        "/login", data={"username": "ctv1", "password": "sai-mat-khau", "csrf": csrf_of(page.text)}
    )
    assert r.status_code == 401
    assert "Sai tên đăng nhập hoặc mật khẩu." in r.text


class _Elements(HTMLParser):
    """Every element the browser would build: (tag, attributes)."""

    def __init__(self) -> None:
        super().__init__()
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {k: v or "" for k, v in attrs}))


def assert_inert(html: str) -> None:
    """No script but our own file, no event handler, no javascript:/data: link anywhere."""
    parser = _Elements()
    parser.feed(html)
    for tag, attrs in parser.elements:
        if tag == "script":
            assert attrs.get("src") == "/static/app.js", attrs
        assert tag not in {"iframe", "object", "embed", "img"}, tag
        if tag == "svg":
            assert attrs.get("class") == "chart", attrs  # only the dashboard's own charts
        for name, value in attrs.items():
            assert not name.startswith("on"), (tag, name)
            if name in {"href", "src", "action", "formaction"}:
                assert not value.strip().lower().startswith(("javascript:", "data:")), (tag, value)


def test_untrusted_feed_text_renders_inert(
    app_db: tuple[TestClient, sessionmaker[Session]],
) -> None:
    c, _ = app_db
    web_login(c, "pt1")
    card = c.post("/queue/claim", data={"csrf": csrf_of(c.get("/queue").text)})  # the hostile item
    assert "Tin độc hại" in card.text
    assert "window.__xss" in card.text  # shown as text…
    assert_inert(card.text)  # …never as markup
    assert XSS_URL not in [a for _, attrs in _parse(card.text) for a in attrs.values()]
    csp = card.headers["content-security-policy"]
    assert "script-src 'self'" in csp
    assert "unsafe-inline" not in csp
    task_id = int(re.search(r"/tasks/(\d+)/verdict", card.text).group(1))
    c.post(f"/tasks/{task_id}/verdict", data={"csrf": csrf_of(card.text), "verdict": "escalate"})
    for page in ("/history", "/escalations", "/dashboard"):
        assert_inert(c.get(page).text)


def _parse(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Elements()
    parser.feed(html)
    return parser.elements


def test_every_string_key_used_in_templates_exists_in_every_language() -> None:
    used = set()
    for template in TEMPLATES.glob("*.html"):
        used |= set(
            re.findall(r"""(?<![\w.])t\(\s*["']([a-z0-9_]+)["']\s*[,)]""", template.read_text())
        )
    assert used, "no strings found: the pattern is wrong"
    # keys built from a prefix and a value
    used |= {f"msg_{m}" for m in MESSAGES}
    used |= {f"role_{r.value}" for r in Role}
    used |= {f"verdict_{v}" for v in ("distortion", "scam", "not_misinformation", "escalate")}
    used |= {f"verdict_help_{v}" for v in ("distortion", "scam", "not_misinformation", "escalate")}
    used |= {f"sentiment_{v}" for v in ("negative", "neutral", "positive")}
    used |= {f"status_{v}" for v in ("pending", "claimed", "decided", "escalated")}
    used |= {f"queue_reason_{v}" for v in ("risk", "uncertain", "audit", "two_person", "analyst")}
    used |= {f"classifier_{v}" for v in CLASSIFIERS}
    missing = used - set(VI)
    assert not missing
    for lang, strings in LANGUAGES.items():
        assert set(strings) == set(VI), lang


def test_first_page_is_small(app_db: tuple[TestClient, sessionmaker[Session]]) -> None:
    c, _ = app_db
    total = len(c.get("/login").content)
    total += len(c.get("/static/app.css").content) + len(c.get("/static/app.js").content)
    web_login(c, "ctv1")
    card = c.post("/queue/claim", data={"csrf": csrf_of(c.get("/queue").text)})
    assert total < 100_000
    assert len(card.content) + len(c.get("/static/app.css").content) < 100_000


def test_renew_skip_and_release_from_the_card(
    app_db: tuple[TestClient, sessionmaker[Session]],
) -> None:
    c, factory = app_db
    web_login(c, "ctv1")
    card = c.post("/queue/claim", data={"csrf": csrf_of(c.get("/queue").text)})
    task_id = int(re.search(r"/tasks/(\d+)/verdict", card.text).group(1))
    csrf = csrf_of(card.text)
    assert "Đã gia hạn" in c.post(f"/tasks/{task_id}/renew", data={"csrf": csrf}).text
    assert "Hãy ghi lý do" in c.post(f"/tasks/{task_id}/skip", data={"csrf": csrf}).text
    r = c.post(f"/tasks/{task_id}/skip", data={"csrf": csrf, "reason": "không rành lĩnh vực"})
    assert "Đã bỏ qua tin này" in r.text
    card = c.post("/queue/claim", data={"csrf": csrf})
    other = int(re.search(r"/tasks/(\d+)/verdict", card.text).group(1))
    assert other != task_id  # a skipped task is not offered again to the same person
    assert "Đã trả tin về hàng đợi" in c.post(f"/tasks/{other}/release", data={"csrf": csrf}).text
    assert "Bạn không còn giữ tin này" in c.post(f"/tasks/{other}/renew", data={"csrf": csrf}).text
    with factory() as s:
        assert s.get(ReviewTask, other).status == TaskStatus.pending


def test_admin_adds_and_disables_accounts_from_the_page(
    app_db: tuple[TestClient, sessionmaker[Session]],
) -> None:
    c, _ = app_db
    web_login(c, "qt1")
    page = c.get("/users")
    csrf = csrf_of(page.text)
    bad = c.post(
        "/users",
        data={
            "csrf": csrf,
            "username": "Lan Anh",
            "role": "collaborator",
            "password": "matkhau-dai",
        },
    )
    assert bad.status_code == 400
    assert "username" in bad.text
    assert 'value="Lan Anh"' in bad.text  # what was typed is kept
    ok = c.post(
        "/users",
        data={"csrf": csrf, "username": "lan", "role": "collaborator", "password": "matkhau-dai"},
    )
    assert "Đã tạo tài khoản." in ok.text
    off = c.post("/users/lan/active", data={"csrf": csrf, "active": "0"})
    assert "Đã cập nhật tài khoản." in off.text
    assert "Đã khóa" in off.text
    c.cookies.clear()
    page = c.get("/login")
    r = c.post(
        "/login", data={"username": "lan", "password": "matkhau-dai", "csrf": csrf_of(page.text)}
    )
    assert r.status_code == 401


def test_admin_adds_and_disables_feeds_from_the_page(
    app_db: tuple[TestClient, sessionmaker[Session]],
) -> None:
    c, factory = app_db
    web_login(c, "qt1")
    csrf = csrf_of(c.get("/feeds").text)
    bad = c.post(
        "/feeds",
        data={"csrf": csrf, "url": "ftp://example.vn/rss", "name": "Báo A", "kind": "news"},
    )
    assert bad.status_code == 422
    assert "http://" in bad.text
    assert 'value="Báo A"' in bad.text  # what was typed is kept
    local = c.post(
        "/feeds",
        data={"csrf": csrf, "url": "http://127.0.0.1:9/rss", "name": "Nội bộ", "kind": "news"},
    )
    assert local.status_code == 422
    assert "Địa chỉ nguồn tin không được phép" in local.text
    assert 'value="Nội bộ"' in local.text
    ok = c.post(
        "/feeds",
        data={"csrf": csrf, "url": "https://example.vn/rss", "name": "Báo A", "kind": "official"},
    )
    assert "Đã thêm nguồn tin" in ok.text
    assert "Cổng thông tin chính thức" in ok.text
    assert "Chưa lấy được tin lần nào." in ok.text
    with factory() as s:
        feed = s.scalars(select(Feed).where(Feed.url == "https://example.vn/rss")).one()
    forged = c.post(f"/feeds/{feed.id}/enabled", data={"csrf": "forged", "enabled": "0"})
    assert "Biểu mẫu không hợp lệ" in forged.text
    with factory() as s:
        assert s.get(Feed, feed.id).enabled is True
    off = c.post(f"/feeds/{feed.id}/enabled", data={"csrf": csrf, "enabled": "0"})
    assert "Đã cập nhật nguồn tin." in off.text
    assert "Đã tắt." in off.text
    with factory() as s:
        assert s.get(Feed, feed.id).enabled is False
        actions = s.scalars(select(AuditEvent.action).where(AuditEvent.entity == "feed")).all()
    assert actions == ["feed.create", "feed.update"]
    assert c.post("/feeds/999999/enabled", data={"csrf": csrf, "enabled": "1"}).status_code == 404


def test_ids_out_of_range_are_a_clear_4xx_not_a_crash(
    app_db: tuple[TestClient, sessionmaker[Session]],
) -> None:
    c, _ = app_db
    web_login(c, "qt1")
    csrf = csrf_of(c.get("/queue").text)
    huge = 10**20  # past SQLite's and PostgreSQL's integer range
    for path in (
        f"/tasks/{huge}/verdict",
        f"/tasks/{huge}/skip",
        f"/tasks/{huge}/release",
        f"/tasks/{huge}/renew",
        f"/escalations/{huge}/override",
        f"/feeds/{huge}/enabled",
    ):
        r = c.post(path, data={"csrf": csrf, "verdict": "scam", "reason": "x", "enabled": "1"})
        assert 400 <= r.status_code < 500, (path, r.status_code)
        assert "text/html" in r.headers["content-type"], path


def test_analysts_look_items_up_by_words_and_flags_and_read_one(
    app_db: tuple[TestClient, sessionmaker[Session]],
) -> None:
    c, factory = app_db
    from tests.factories import make_analysis, make_item

    with factory() as s:
        calm = make_item(s, title="Cổng dịch vụ công chậm", text="Người dân phàn nàn về tốc độ")
        make_analysis(s, calm, misinfo="none", risk=0.05, reasons=[], sentiment="negative")
        s.commit()
    web_login(c, "pt1")
    everything = c.get("/items")
    assert everything.status_code == 200
    assert "Cổng dịch vụ công chậm" in everything.text
    assert_inert(everything.text)  # the hostile title is escaped
    found = c.get("/items", params={"q": "cong dich vu"})  # without diacritics
    assert "Cổng dịch vụ công chậm" in found.text
    assert "Tin nghi lừa đảo" not in found.text
    scams = c.get("/items", params={"misinfo": "scam"})
    assert "Tin nghi lừa đảo số 1" in scams.text
    assert "Cổng dịch vụ công chậm" not in scams.text
    assert "chưa vào hàng đợi" in c.get("/items", params={"status": "none"}).text
    odd = c.get("/items", params={"misinfo": "<b>", "status": "nope"})  # unknown values: no filter
    assert odd.status_code == 200
    assert "Cổng dịch vụ công chậm" in odd.text

    detail = c.get(f"/items/{calm.id}")
    assert detail.status_code == 200
    assert "Tin này chưa vào hàng đợi rà soát." in detail.text
    with factory() as s:
        hostile = s.scalars(select(ReviewTask).order_by(ReviewTask.priority.desc())).first()
        hostile_item = hostile.item_id
    page = c.get(f"/items/{hostile_item}").text
    assert "Yêu cầu OTP" in page  # the reasons
    assert_inert(page)
    assert c.get("/items/999999").status_code == 404
    c.cookies.clear()
    web_login(c, "ctv1")
    assert c.get("/items").status_code == 403  # collaborators work from the queue


def test_the_items_list_pages_backwards_in_time(
    app_db: tuple[TestClient, sessionmaker[Session]],
) -> None:
    c, factory = app_db
    from tests.factories import make_analysis, make_item

    with factory() as s:
        for i in range(35):
            make_analysis(s, make_item(s, title=f"Tin thường {i:02d}"), misinfo="none")
        s.commit()
    web_login(c, "pt1")
    first = c.get("/items", params={"misinfo": "none"}).text
    assert "Tin thường 34" in first
    assert "Tin thường 05" in first
    assert "Tin thường 04" not in first  # 30 to a page, newest first
    more = re.search(r'href="(/items\?[^"]*before=\d+[^"]*)"', first).group(1)
    second = c.get(more.replace("&amp;", "&")).text
    assert "Tin thường 04" in second
    assert "Tin thường 00" in second
    assert "Tin thường 05" not in second
    assert "Xem thêm tin cũ hơn" not in second
