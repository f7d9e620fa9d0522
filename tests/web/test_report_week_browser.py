"""The dashboard's week picker in Chromium at 360 × 740: an analyst picks a week, follows its
previous-week link and opens the report of the week chosen (issue 14)."""

from __future__ import annotations

import re
from pathlib import Path

from playwright.sync_api import expect
from sqlalchemy.orm import Session, sessionmaker

from tests.web.test_browser import (  # noqa: F401 - the fixtures, and the skip without chromium
    _login,
    _phone,
    browser,
    output_dir,
    pytestmark,
    served,
)


def test_an_analyst_picks_a_week_and_opens_its_report(
    served: tuple[str, sessionmaker[Session]],  # noqa: F811
    browser,  # noqa: F811
    output_dir: Path,  # noqa: F811
) -> None:  # type: ignore[no-untyped-def]
    base, _ = served
    context, page = _phone(browser)
    _login(page, base, "pt1")
    page.goto(f"{base}/dashboard")
    picker = page.get_by_label("Chọn tuần")
    expect(picker).to_have_attribute("type", "week")  # Chromium shows its week picker
    picker.fill("2026-W48")
    page.get_by_role("button", name="Xem tuần đã chọn").click()
    page.wait_for_url(re.compile(r"/dashboard\?week=2026-W48"))
    expect(page.get_by_text("Tuần 2026-W48: từ 23/11/2026 đến 29/11/2026")).to_be_visible()
    for name, fmt in (
        ("Word (DOCX)", "docx"),
        ("Markdown", "md"),
        ("Bảng tin (CSV)", "csv"),
    ):
        expect(page.get_by_role("link", name=name)).to_have_attribute(
            "href", f"/reports/weekly?week=2026-W48&format={fmt}"
        )
    page.get_by_role("link", name="← Tuần trước (2026-W47)").click()
    page.wait_for_url(re.compile(r"week=2026-W47"))
    expect(picker).to_have_value("2026-W47")
    page.screenshot(path=str(output_dir / "dashboard-week-360x740.png"), full_page=True)
    # a week typed wrong (what a browser without a picker would send): the Vietnamese error
    page.goto(f"{base}/dashboard?week=tu%E1%BA%A7n+99")
    expect(page.get_by_role("alert")).to_have_text(re.compile("^Tuần không hợp lệ"))
    page.goto(f"{base}/dashboard?week=2026-W47")
    page.get_by_role("link", name="Báo cáo tuần 2026-W47 (HTML, để in)").click()
    expect(page.locator("h1")).to_have_text("Tổng hợp dư luận tuần 2026-W47")
    context.close()
