"""The collaborator's safety nets in a real browser at 360 × 740: undo after a verdict, the
verdict bar that stays in reach on a long card, keys 1–4 and "?" on a desktop, and the lease
renewed while the person works (a short lease, so the test sees it happen)."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.main import create_app
from core.config import Settings
from core.db import make_engine, make_sessionmaker
from core.tables import Base, ReviewTask, TaskStatus, User, Verdict
from tests.apps import password
from tests.factories import make_analysis, make_item, make_user
from tests.web import test_browser as shared
from tests.web.helpers import flagged, people
from tests.web.test_browser import CHROMIUM, PHONE, _free_port, _login, _phone

browser = shared.browser  # the module-scoped Chromium of the other browser tests
output_dir = shared.output_dir  # screenshots under var/test-output/<test>/

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed (/usr/bin/chromium): `apt-get install chromium`",
    ),
]
LONG_TITLE = "Tin rất dài về phí chuyển đổi số"
UNDO_SECONDS = 6.0
LEASE_MINUTES = 1.6  # 96 s: the page renews at 90 s left, so a few seconds after the claim


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, analyzer
) -> Iterator[tuple[str, sessionmaker[Session]]]:  # type: ignore[no-untyped-def]
    db = tmp_path_factory.mktemp("e2e-review") / "e2e.db"
    settings = Settings(
        database_url=f"sqlite:///{db}",
        lease_minutes=LEASE_MINUTES,
        undo_seconds=UNDO_SECONDS,
        _env_file=None,
    )
    engine = make_engine(settings.database_url)
    Base.metadata.create_all(engine)
    factory = make_sessionmaker(engine)
    with factory() as s:
        people(s)
        make_user(s, "ctv3", "collaborator", password("ctv3"))
        paragraph = (
            "Người dân phản ánh có tin nhắn yêu cầu nộp phí chuyển đổi số qua đường link lạ, "
            "kèm lời hứa hoàn tiền trong ngày; nhiều người đã nhập mã OTP theo hướng dẫn."
        )
        long = make_item(
            s,
            title=LONG_TITLE,
            text="\n\n".join(f"Đoạn {n}. {paragraph}" for n in range(1, 41)) + "\n\nDòng cuối.",
        )
        analysis = make_analysis(s, long)
        s.add(
            ReviewTask(
                item_id=long.id,
                analysis_id=analysis.id,
                status=TaskStatus.pending,
                reason="risk",
                priority=0.99,
            )
        )
        flagged(s, 4, hostile=False)
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


def _box(page, selector: str) -> dict[str, float]:  # type: ignore[no-untyped-def]
    box = page.locator(selector).first.bounding_box()
    assert box is not None, selector
    return box


def test_the_verdict_bar_stays_in_reach_on_a_long_card(
    served: tuple[str, sessionmaker[Session]], browser, output_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    base, _ = served
    context, page = _phone(browser)
    _login(page, base, "ctv2")
    page.get_by_role("button", name="Nhận tin tiếp theo").click()
    expect(page.locator("article.card h2")).to_have_text(LONG_TITLE)
    height = page.evaluate("document.documentElement.scrollHeight")
    assert height > 3 * PHONE["height"]  # several screens long
    scam = page.get_by_role("button", name="Lừa đảo", exact=True)
    for y in (0, height // 2):  # at the top and half way down, the four buttons are on screen
        page.evaluate(f"window.scrollTo(0, {y})")
        for name in ("Sai lệch", "Lừa đảo", "Không có vấn đề", "Chưa chắc – chuyển cấp trên"):
            expect(page.get_by_role("button", name=name, exact=True)).to_be_in_viewport()
        bar = _box(page, ".verdict-bar")
        assert bar["y"] >= 0
        assert bar["y"] + bar["height"] <= PHONE["height"] + 1
        assert bar["height"] < PHONE["height"] / 3  # the card keeps most of the screen
    box = scam.bounding_box()
    assert box is not None
    assert box["height"] >= 44  # thumb-sized
    page.screenshot(path=str(output_dir / "long-card-middle-360x740.png"))
    # at the end of the page the bar is back in its place: the card's last lines are not under it
    page.evaluate("window.scrollTo(0, document.documentElement.scrollHeight)")
    card, bar = _box(page, "article.card"), _box(page, ".verdict-bar")
    assert card["y"] + card["height"] <= bar["y"]
    assert bar["y"] + bar["height"] <= PHONE["height"] + 1
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(output_dir / "long-card-end-360x740.png"))
    context.close()


def test_keys_choose_a_verdict_on_a_desktop_but_not_while_typing(
    served: tuple[str, sessionmaker[Session]], browser, output_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    base, factory = served
    context = browser.new_context(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page = context.new_page()
    _login(page, base, "ctv2")  # holds the long card (previous test) or claims it now
    if page.locator("article.card").count() == 0:
        page.get_by_role("button", name="Nhận tin tiếp theo").click()
    expect(page.locator("article.card h2")).to_have_text(LONG_TITLE)
    scam = page.get_by_role("button", name="Lừa đảo", exact=True)
    expect(scam.locator("kbd")).to_have_text("2")  # the key is shown on its button
    assert scam.get_attribute("aria-keyshortcuts") == "2"

    page.keyboard.press("?")
    dialog = page.get_by_role("dialog", name="Phím tắt")
    expect(dialog).to_be_visible()
    expect(dialog).to_contain_text("Chọn «Lừa đảo»")
    page.screenshot(path=str(output_dir / "keys-dialog.png"))
    page.keyboard.press("3")  # no verdict while the list is open
    page.keyboard.press("Escape")
    expect(dialog).to_be_hidden()
    expect(page.locator("article.card h2")).to_have_text(LONG_TITLE)

    note = page.get_by_label("Ghi chú (không bắt buộc)")
    note.click()
    page.keyboard.type("1 đường link lạ")  # typing a digit in the note chooses nothing
    expect(note).to_have_value("1 đường link lạ")
    expect(page.locator("article.card h2")).to_have_text(LONG_TITLE)
    page.locator("article.card h2").click()  # out of the note
    with page.expect_navigation():
        page.keyboard.press("2")
    expect(page.locator(".flash")).to_contain_text("Đã lưu kết luận")
    context.close()
    with factory() as s:
        ctv2 = s.scalar(select(User.id).where(User.username == "ctv2"))
        verdicts = s.execute(
            select(Verdict.label, Verdict.note).where(Verdict.reviewer_id == ctv2)
        ).all()
    assert [tuple(v) for v in verdicts] == [("scam", "1 đường link lạ")]


def test_a_collaborator_undoes_a_verdict_and_decides_again(
    served: tuple[str, sessionmaker[Session]], browser, output_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    base, factory = served
    context, page = _phone(browser)
    _login(page, base, "ctv1")
    page.get_by_role("button", name="Nhận tin tiếp theo").click()
    title = page.locator("article.card h2")
    first = title.inner_text()
    with page.expect_navigation():
        page.get_by_role("button", name="Lừa đảo", exact=True).click()
    banner = page.locator(".undo")
    expect(banner).to_contain_text("Bạn vừa chọn «Lừa đảo»")
    expect(banner).to_contain_text(first)
    expect(banner).to_be_in_viewport()
    assert title.inner_text() != first  # the next card is below the banner
    page.screenshot(path=str(output_dir / "undo-banner-360x740.png"))
    with page.expect_navigation():
        banner.get_by_role("button", name="Hoàn tác").click()
    expect(page.locator(".flash")).to_contain_text("Đã hoàn tác kết luận")
    expect(title).to_have_text(first)  # the same card is back
    page.screenshot(path=str(output_dir / "undone-360x740.png"))
    with page.expect_navigation():
        page.get_by_role("button", name="Không có vấn đề", exact=True).click()
    expect(banner).to_contain_text("Bạn vừa chọn «Không có vấn đề»")
    # the banner goes when the window ends
    expect(banner).to_have_count(0, timeout=(UNDO_SECONDS + 5) * 1000)
    context.close()
    with factory() as s:
        ctv1 = s.scalar(select(User.id).where(User.username == "ctv1"))
        rows = s.execute(
            select(Verdict.label, Verdict.withdrawn_at)
            .where(Verdict.reviewer_id == ctv1)
            .order_by(Verdict.id)
        ).all()
    assert [v for v, _ in rows] == ["scam", "not_misinformation"]
    assert rows[0][1] is not None  # the undone verdict is kept, marked withdrawn
    assert rows[1][1] is None


def test_activity_near_the_end_of_a_short_lease_renews_it(
    served: tuple[str, sessionmaker[Session]], browser, output_dir: Path
) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import expect

    base, factory = served
    context, page = _phone(browser)
    _login(page, base, "ctv3")
    page.get_by_role("button", name="Nhận tin tiếp theo").click()
    page.locator("article.card").wait_for()

    def expiry() -> datetime:
        with factory() as s:
            ctv3 = s.scalar(select(User.id).where(User.username == "ctv3"))
            found = s.scalar(
                select(ReviewTask.lease_expires_at).where(ReviewTask.lease_holder_id == ctv3)
            )
        assert found is not None
        return found

    first = expiry()
    # the whole lease is 96 s: within seconds it is "near the end" (90 s left) for the page
    page.get_by_label("Ghi chú (không bắt buộc)").type("đang kiểm tra nguồn")
    expect(page.locator(".lease-note")).to_contain_text("tự gia hạn", timeout=30_000)
    assert expiry() > first  # the server's lease moved on
    page.screenshot(path=str(output_dir / "short-lease-renewed-360x740.png"))
    context.close()
