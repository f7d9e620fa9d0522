"""The HTML report as the committee prints it: Chromium (Debian's, through Playwright) makes a PDF
of it, and the PDF's text is set in the Noto faces the stylesheet names first — no glyph of a
Vietnamese letter (ệ, ữ, ạ, …) falls back to another font. ``make test`` installs chromium and
fonts-noto-core with apt; without them this test skips and says why. Screenshots of the report on
a phone (360 × 740) and a desktop go to var/test-output/ (and /tmp/s/shots/ when it exists)."""

from __future__ import annotations

import io
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy.orm import Session

from core.config import ROOT
from report.formats import build
from tests.report.test_document import WEEK, _hand_week

CHROMIUM = Path("/usr/bin/chromium")
SHOTS = Path("/tmp/s/shots")
# Vietnamese letters with stacked or underdot tone marks: the first to come out of a fallback
# font when the named one lacks them.
LETTERS = "ệữạốợịổủ"


def _has_font(family: str) -> bool:
    if shutil.which("fc-list") is None:
        return False
    out = subprocess.run(
        ["fc-list", f":family={family}", "family"], capture_output=True, text=True, check=False
    ).stdout
    return bool(out.strip())


pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not CHROMIUM.exists(),
        reason="Debian's chromium is not installed (/usr/bin/chromium): `make test` installs it "
        "with apt; run `apt-get install chromium` to print the report",
    ),
    pytest.mark.skipif(
        not (_has_font("Noto Serif") and _has_font("Noto Sans")),
        reason="the Noto Serif and Noto Sans fonts are not installed: `make test` installs "
        "Debian's fonts-noto-core with apt; run `apt-get install fonts-noto-core` to check the "
        "printed report's fonts",
    ),
]


def _family(base_font: str) -> str:
    """``/ABCDEF+NotoSerif-BoldItalic`` → ``NotoSerif`` (subset prefix and style dropped)."""
    name = base_font.lstrip("/").split("+", 1)[-1]
    return re.split(r"[-,]", name, maxsplit=1)[0]


def _pdf_fonts(data: bytes) -> tuple[set[str], dict[str, set[str]]]:
    """The font families embedded in a PDF, and for each family the text drawn with it."""
    from pypdf import PdfReader

    reader = PdfReader(io.BytesIO(data))
    families: set[str] = set()
    drawn: dict[str, set[str]] = {}
    for page in reader.pages:
        fonts = page.get("/Resources", {}).get("/Font", {})
        for ref in fonts.values():
            families.add(_family(str(ref.get_object()["/BaseFont"])))

        def visit(text: str, cm, tm, font, size) -> None:  # type: ignore[no-untyped-def]
            if font is not None and text.strip():
                drawn.setdefault(_family(str(font["/BaseFont"])), set()).add(text)

        page.extract_text(visitor_text=visit)
    return families, drawn


def test_the_printed_report_uses_only_the_noto_faces_it_names(session: Session, analyzer) -> None:  # type: ignore[no-untyped-def]
    from playwright.sync_api import sync_playwright

    _hand_week(session)
    html = build(session, WEEK, "html").decode()
    assert any(letter in html for letter in LETTERS)
    out = ROOT / "var" / "test-output" / "report-print"
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True)
        try:
            page = browser.new_page(viewport={"width": 360, "height": 740})
            page.set_content(html, wait_until="load")
            page.screenshot(path=str(out / "report-360x740.png"), full_page=True)
            page.set_viewport_size({"width": 1280, "height": 900})
            page.screenshot(path=str(out / "report-desktop-1280.png"), full_page=True)
            page.emulate_media(media="print")
            pdf = page.pdf(format="A4", print_background=True, prefer_css_page_size=True)
        finally:
            browser.close()
    (out / "report.pdf").write_bytes(pdf)
    if SHOTS.is_dir():
        for shot in ("report-360x740.png", "report-desktop-1280.png"):
            shutil.copy(out / shot, SHOTS / shot)

    families, drawn = _pdf_fonts(pdf)
    # body text in Noto Serif, headings, highlights and captions in Noto Sans: nothing else
    assert families == {"NotoSerif", "NotoSans"}, families
    body, headings = " ".join(drawn["NotoSerif"]), " ".join(drawn["NotoSans"])
    for letter in "ệịợổốủ":  # "Ứng dụng VNeID tiện lợi", "Nghị quyết", "Tổng số tin", …
        assert letter in body, letter
    assert "Thôn bản phủ sóng 4G" in body  # a table cell of the body
    assert "Thông tin xuyên tạc và lừa đảo" in headings  # a heading
    assert "ữ" in headings  # "Tổng hợp dư luận", "dữ liệu"
