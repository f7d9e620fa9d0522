"""The alerts page on a phone in Chromium: it fits 360 px, and the subscription form works by
touch (skipped, saying why, without Debian's chromium)."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from alerts import check_and_send
from core.config import Settings
from core.db import utcnow
from core.tables import AlertSubscription, ReviewTask, TaskStatus
from tests.factories import make_analysis, make_item
from tests.web.test_browser import (  # noqa: F401 - fixtures
    PHONE,
    _login,
    _phone,
    browser,
    output_dir,
    pytestmark,
    served,
)


def test_alerts_page_on_a_phone(
    served: tuple[str, sessionmaker[Session]],  # noqa: F811
    browser,  # noqa: F811
    output_dir: Path,  # noqa: F811
) -> None:  # type: ignore[no-untyped-def]
    base, factory = served
    with factory() as s:
        item = make_item(
            s,
            title="Một tin rất dài " + "chuyển đổi số " * 20,
            text="Nội dung " + "x" * 300,
        )
        s.add(
            ReviewTask(
                item_id=item.id,
                analysis_id=make_analysis(s, item).id,
                status=TaskStatus.pending,
                created_at=utcnow() - timedelta(days=2),
            )
        )
        s.commit()
        check_and_send(s, Settings(_env_file=None))  # its thresholds; the session is the served one
    context, page = _phone(browser)
    _login(page, base, "pt1")
    page.get_by_role("link", name="Cảnh báo").click()
    page.wait_for_url(f"{base}/alerts")
    assert "Hàng đợi rà soát chờ quá lâu" in page.locator("ul.alerts").inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.get_by_label("Hàng đợi chờ lâu").check()
    page.get_by_label("E-mail", exact=True).check()
    page.get_by_label("Địa chỉ e-mail nhận cảnh báo").fill("pt1@example.org")
    box = page.get_by_role("button", name="Lưu lựa chọn").bounding_box()
    assert box is not None
    assert box["height"] >= 44  # thumb-sized
    with page.expect_navigation():
        page.get_by_role("button", name="Lưu lựa chọn").click()
    assert "Đã lưu lựa chọn nhận cảnh báo." in page.locator(".flash").inner_text()
    page.screenshot(path=str(output_dir / "alerts-360.png"), full_page=True)
    context.close()
    with factory() as s:
        sub = s.scalar(select(AlertSubscription))
        assert sub is not None
        assert (sub.rules, sub.channels, sub.email) == (
            ["queue_wait"],
            ["email"],
            "pt1@example.org",
        )
