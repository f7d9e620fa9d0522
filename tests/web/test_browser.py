"""End to end in a real browser: Playwright driving Debian's Chromium (headless) against the app
served by uvicorn on 127.0.0.1. ``make test`` installs chromium with apt when it is absent; if it
still is, these tests skip and say why. Screenshots go to var/test-output/<test>/."""

from __future__ import annotations

import re
import shutil
import socket
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.main import create_app
from core.config import ROOT, Settings
from core.db import make_engine, make_sessionmaker
from core.tables import AuditEvent, Base, ReviewTask, TaskStatus, Verdict
from tests.apps import password
from tests.web.helpers import flagged, people

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed (/usr/bin/chromium): `make test` installs it with "
        "apt; run `apt-get install chromium` to run the browser tests",
    ),
]
PHONE = {"width": 360, "height": 740}


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, analyzer
) -> Iterator[tuple[str, sessionmaker[Session]]]:  # type: ignore[no-untyped-def]
    db = tmp_path_factory.mktemp("e2e") / "e2e.db"
    settings = Settings(database_url=f"sqlite:///{db}", _env_file=None)
    engine = make_engine(settings.database_url)
    Base.metadata.create_all(engine)
    factory = make_sessionmaker(engine)
    with factory() as s:
        people(s)
        flagged(s, 4)
        s.commit()
    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(
            create_app(settings, analyzer), host="127.0.0.1", port=port, log_level="warning"
        )
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}", factory
    server.should_exit = True
    thread.join(10)
    engine.dispose()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(
            executable_path=str(CHROMIUM),
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--no-first-run",
            ],
        )
        yield b
        b.close()


@pytest.fixture
def output_dir(request: pytest.FixtureRequest) -> Path:
    folder = ROOT / "var" / "test-output" / re.sub(r"[^\w.-]", "_", request.node.name)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def _phone(browser):  # type: ignore[no-untyped-def]
    context = browser.new_context(viewport=PHONE, locale="vi-VN", has_touch=True, is_mobile=True)
    page = context.new_page()
    dialogs: list[str] = []
    page.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
    page.dialogs = dialogs  # type: ignore[attr-defined]
    return context, page


def _login(page, base: str, name: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/queue")
    assert "/login" in page.url  # not signed in: sent to the login form
    page.get_by_label("Tên đăng nhập").fill(name)
    page.get_by_label("Mật khẩu").fill(password(name))
    page.get_by_role("button", name="Đăng nhập").click()
    page.wait_for_url(f"{base}/queue")


def test_collaborator_claims_decides_sees_next_and_history(
    served: tuple[str, sessionmaker[Session]], browser, output_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    base, factory = served
    context, page = _phone(browser)
    _login(page, base, "ctv1")
    page.get_by_role("button", name="Nhận tin tiếp theo").click()
    card = page.locator("article.card")
    card.wait_for()
    first_title = card.locator("h2").inner_text()
    # the hostile item came first: its text is on the screen, none of its markup ran
    assert "Tin độc hại" in first_title
    assert page.evaluate("window.__xss") is None
    assert page.locator("mark").count() >= 1  # evidence highlighted
    assert page.locator(".lease-left").inner_text()  # lease time left is visible
    page.screenshot(path=str(output_dir / "queue-360x740.png"))
    # at 360 px nothing overflows sideways, the verdict buttons are thumb-sized
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    scam = page.get_by_role("button", name="Lừa đảo", exact=True)
    box = scam.bounding_box()
    assert box is not None
    assert box["height"] >= 44

    page.get_by_label("Ghi chú (không bắt buộc)").fill("Xin mã OTP qua đường link lạ")
    with page.expect_navigation():  # the one-off ?msg= is then taken off the address
        scam.click()
    assert "Đã lưu kết luận. Đây là tin tiếp theo." in page.locator(".flash").inner_text()
    second_title = page.locator("article.card h2").inner_text()
    assert second_title != first_title

    with page.expect_navigation():
        page.get_by_role("button", name="Chưa chắc – chuyển cấp trên").click()
    page.get_by_role("link", name="Đã làm").click()
    page.wait_for_url(f"{base}/history")
    history = page.locator("main").inner_text()
    assert "Xin mã OTP qua đường link lạ" in history
    assert "Tin độc hại" in history
    page.screenshot(path=str(output_dir / "history-360x740.png"))
    assert page.dialogs == []  # type: ignore[attr-defined]
    assert page.evaluate("window.__xss") is None
    context.close()

    with factory() as s:
        verdicts = {v.label for v in s.scalars(select(Verdict))}
        assert {"scam", "escalate"} <= verdicts
        assert s.scalar(select(ReviewTask).where(ReviewTask.status == TaskStatus.escalated))
    assert (output_dir / "queue-360x740.png").stat().st_size > 5_000


def test_analyst_overrides_an_escalation_with_a_reason(
    served: tuple[str, sessionmaker[Session]], browser, output_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    base, factory = served
    with factory() as s:
        if s.scalar(select(ReviewTask).where(ReviewTask.status == TaskStatus.escalated)) is None:
            task = flagged(s, 1, hostile=False)[0]
            task.status = TaskStatus.escalated
            s.commit()
    context, page = _phone(browser)
    _login(page, base, "pt1")
    page.get_by_role("link", name="Chuyển cấp trên").click()
    page.wait_for_url(f"{base}/escalations")
    form = page.locator("form.verdict").first
    # without a reason the browser will not send the form
    form.get_by_role("button", name="Không có vấn đề").click()
    assert page.url == f"{base}/escalations"
    form.get_by_label("Lý do (bắt buộc)").fill("Đã đối chiếu nguồn chính thức")
    with page.expect_navigation():
        form.get_by_role("button", name="Không có vấn đề").click()
    assert page.locator(".flash").count() == 1
    page.screenshot(path=str(output_dir / "escalations-360x740.png"))
    page.get_by_role("link", name="Tổng quan").click()
    page.wait_for_url(f"{base}/dashboard")
    assert page.locator("svg.chart").count() == 3
    assert page.evaluate("window.__xss") is None
    page.screenshot(path=str(output_dir / "dashboard-360.png"), full_page=True)
    page.get_by_role("link", name=re.compile("Báo cáo tuần")).click()
    page.wait_for_load_state()
    assert "Tổng hợp dư luận tuần" in page.locator("h1").inner_text()
    assert page.locator("img[src^='data:image/png']").count() == 3
    page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
    page.screenshot(path=str(output_dir / "weekly-report.png"), full_page=True)
    context.close()
    with factory() as s:
        override = s.scalar(
            select(Verdict).where(Verdict.kind == "override").order_by(Verdict.id.desc())
        )
        assert override is not None
        assert override.note == "Đã đối chiếu nguồn chính thức"
        assert override.label == "not_misinformation"
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == "task.override"))


def test_the_lease_renews_while_the_person_works_and_the_note_survives_a_reload(
    served: tuple[str, sessionmaker[Session]], browser, output_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    from datetime import timedelta

    from sqlalchemy import update

    from core.db import utcnow

    base, factory = served
    from tests.factories import make_task

    with factory() as s:
        make_task(s, priority=0.99)
        s.commit()
    context, page = _phone(browser)
    _login(page, base, "ctv2")
    page.get_by_role("button", name="Nhận tin tiếp theo").click()
    page.locator("article.card").wait_for()
    note = page.get_by_label("Ghi chú (không bắt buộc)")
    note.fill("Đường link lạ, cần kiểm tra")
    page.reload()  # the typed note is kept across a reload (and an expiry)
    assert page.get_by_label("Ghi chú (không bắt buộc)").input_value() == (
        "Đường link lạ, cần kiểm tra"
    )
    with factory() as s:  # the lease is about to run out…
        from core.tables import User

        ctv2 = s.scalar(select(User.id).where(User.username == "ctv2"))
        held = s.scalar(
            select(ReviewTask).where(
                ReviewTask.status == TaskStatus.claimed, ReviewTask.lease_holder_id == ctv2
            )
        )
        assert held is not None
        task_id = held.id
        s.execute(
            update(ReviewTask)
            .where(ReviewTask.id == task_id)
            .values(lease_expires_at=utcnow() + timedelta(seconds=75))
        )
        s.commit()
    page.reload()
    assert "msg=" not in page.url
    page.get_by_label("Ghi chú (không bắt buộc)").type(" ngay")  # …while the person works
    page.locator(".lease-note", has_text="tự gia hạn").wait_for(timeout=10_000)
    page.screenshot(path=str(output_dir / "lease-renewed-360x740.png"))
    with factory() as s:
        expires = s.scalar(select(ReviewTask.lease_expires_at).where(ReviewTask.id == task_id))
    assert expires is not None
    assert expires - utcnow() > timedelta(minutes=5)
    # the lease countdown line is one sentence, never "…còn: Đã hết…"
    assert "Đã hết" not in page.locator(".lease").inner_text()
    page.get_by_role("button", name="Không có vấn đề", exact=True).click()
    page.wait_for_url(re.compile(r".*/queue"))
    page.wait_for_load_state()
    # the verdict is stored: its kept note is gone
    assert (
        page.evaluate("Object.keys(localStorage).filter(k => k.startsWith('duluan-note-'))") == []
    )
    context.close()


def test_the_api_docs_work_offline_under_their_csp(
    served: tuple[str, sessionmaker[Session]], browser
) -> None:  # type: ignore[no-untyped-def]
    base, _ = served
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    outside: list[str] = []

    def only_local(route) -> None:  # type: ignore[no-untyped-def]
        if route.request.url.startswith(base) or route.request.url.startswith(("data:", "blob:")):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    context.route("**/*", only_local)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    response = page.goto(f"{base}/docs")
    assert response is not None
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    page.locator(".opblock").first.wait_for(timeout=20_000)  # the operations are listed
    assert page.get_by_text("/api/v1/auth/login").count() >= 1
    page.goto(f"{base}/redoc")
    page.get_by_text("/api/v1/auth/login").first.wait_for(timeout=30_000)
    assert outside == []
    # the policy blocks only what would come from outside (ReDoc's "powered by" logo), never the
    # pages' own scripts
    assert not [e for e in errors if "Content Security Policy" in e and "https://" not in e], errors
    context.close()
