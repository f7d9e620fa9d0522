"""Issue 16 end to end at 360 × 740 in Chromium: a collaborator hands in text, a link (a local
server) and a screenshot through "Phản ánh tin"; a second collaborator claims the resulting
item, reads the screenshot beside its OCR text and decides; the submitter sees the verdict in
"Phản ánh của tôi" and was never offered their own report."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import uvicorn
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from api.main import create_app
from collector.screenshot import tesseract_missing
from core.config import Settings
from core.db import make_engine, make_sessionmaker
from core.tables import REPORT_SOURCE, Base, Item, ReviewTask, TaskStatus, Verdict
from tests.api.test_reports import _screenshot, site  # noqa: F401 - the local web server fixture
from tests.web import test_browser as shared
from tests.web.helpers import people
from tests.web.test_browser import CHROMIUM, PHONE, _free_port, _login, _phone

browser = shared.browser
output_dir = shared.output_dir
OCR_SKIP = tesseract_missing()

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed (/usr/bin/chromium): `make test` installs it",
    ),
    pytest.mark.skipif(OCR_SKIP is not None, reason=f"OCR unavailable: {OCR_SKIP} (make ocr)"),
]
TYPED = "Mọi người chuyển tiếp tin nhắn này trong nhóm, nhiều cụ đã làm theo."


@pytest.fixture
def served(tmp_path: Path, analyzer) -> Iterator[tuple[str, sessionmaker[Session]]]:  # type: ignore[no-untyped-def]
    settings = Settings(
        database_url=f"sqlite:///{tmp_path / 'e2e.db'}",
        fetch_allowlist="127.0.0.1",  # the local article server
        report_image_dir=tmp_path / "images",
        _env_file=None,
    )
    engine = make_engine(settings.database_url)
    Base.metadata.create_all(engine)
    factory = make_sessionmaker(engine)
    with factory() as s:
        people(s)
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


def test_a_report_with_text_link_and_screenshot_is_decided_by_another_collaborator(
    served: tuple[str, sessionmaker[Session]],
    site: str,  # noqa: F811
    browser,  # type: ignore[no-untyped-def]
    output_dir: Path,
    tmp_path: Path,
) -> None:
    from playwright.sync_api import expect

    base, factory = served
    shot = tmp_path / "zalo.png"
    shot.write_bytes(
        _screenshot(["Nhận hỗ trợ chuyển đổi số 2 triệu đồng,", "gửi mã OTP cho tổng đài ngay."])
    )
    context, page = _phone(browser)
    _login(page, base, "ctv1")
    page.get_by_role("link", name="Phản ánh tin").click()
    expect(page.get_by_role("heading", name="Phản ánh tin")).to_be_visible()
    expect(page.locator("#report-place-hint")).to_contain_text("không ghi tên")
    page.get_by_label("Nội dung").fill(TYPED)
    page.get_by_label("Đường link").fill(f"{site}/tin.html")
    page.get_by_label("Ảnh chụp màn hình").set_input_files(str(shot))
    page.get_by_label("Nơi thấy tin").fill("nhóm Zalo thôn")
    page.get_by_label("Ghi chú").fill("thấy sáng nay")
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(output_dir / "report-form-360x740.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Gửi phản ánh").click()
    expect(page.locator(".flash")).to_contain_text("Đã nhận phản ánh")
    expect(page.locator("ul.list li")).to_contain_text("Đang chờ rà soát")
    # the submitter is not offered their own report
    page.goto(f"{base}/queue")
    page.get_by_role("button", name="Nhận tin tiếp theo").click()
    expect(page.locator("article.card")).to_have_count(0)
    context.close()

    with factory() as s:
        item = s.scalar(select(Item).where(Item.source == REPORT_SOURCE))
        assert item is not None
        assert TYPED in item.text
        assert "thẻ căn cước gắn chip cũ" in item.text  # the link's main text
        assert "mã OTP" in item.text  # the screenshot's text

    context, page = _phone(browser)
    _login(page, base, "ctv2")
    page.get_by_role("button", name="Nhận tin tiếp theo").click()
    card = page.locator("article.card")
    expect(card).to_contain_text("Cộng tác viên phản ánh")
    expect(card).to_contain_text("nhóm Zalo thôn")
    image = card.locator(".shot img")
    expect(image).to_be_visible()
    # the image loads lazily: bring it into view and wait until it is decoded
    # (decode() rejects if the image is broken), then check it has pixels
    image.scroll_into_view_if_needed()
    assert image.evaluate("img => img.decode().then(() => img.naturalWidth)") > 0
    expect(card.locator(".shot textarea")).to_have_value(
        re.compile("mã OTP")  # the OCR text beside the image, to be corrected
    )
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(output_dir / "report-card-360x740.png"), full_page=True)
    with page.expect_navigation():
        page.get_by_role("button", name="Lừa đảo", exact=True).click()
    expect(page.locator(".flash")).to_contain_text("Đã lưu kết luận")
    context.close()

    context, page = _phone(browser)
    _login(page, base, "ctv1")
    page.goto(f"{base}/reports/mine")
    expect(page.locator("ul.list li")).to_contain_text("Đã có kết luận")
    expect(page.locator("ul.list li")).to_contain_text("Lừa đảo")
    page.screenshot(path=str(output_dir / "my-reports-360x740.png"), full_page=True)
    context.close()
    with factory() as s:
        task = s.scalar(select(ReviewTask))
        assert task is not None
        assert task.status == TaskStatus.decided
        assert [v.label for v in s.scalars(select(Verdict))] == ["scam"]
