"""Scam links in the weekly report are defanged in every format (issue 14): readable, never a
link — ``hxxps://bad[.]example/...`` — in Markdown, HTML and Word."""

from __future__ import annotations

import io
import re
import zipfile
from datetime import UTC, datetime

import lxml.html
from docx import Document
from hypothesis import given, provisional, settings
from hypothesis import strategies as st
from linkify_it import LinkifyIt
from markdown_it import MarkdownIt
from sqlalchemy.orm import Session

from core.calendar import Week
from core.tables import ReviewTask, TaskStatus, Verdict
from report import safe
from report.formats import build
from tests.factories import make_analysis, make_item, make_user

WEEK = Week.parse("2026-W48")
MON = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
MARKDOWN = MarkdownIt("gfm-like")  # bare links, www. and e-mail addresses made links
LINKIFY = LinkifyIt(options={"fuzzy_ip": True})
SCAM = (
    "Nhận quà tại https://bad.example/login.php hoặc www.evil.com, vneid-gov.top/otp, "
    "hỏi lua.dao@evil.vn — TP.HCM, v.v."
)
DEFANGED = (
    "Nhận quà tại hxxps://bad[.]example/login[.]php hoặc www[.]evil[.]com, "
    "vneid-gov[.]top/otp, hỏi lua[.]dao[@]evil[.]vn — TP.HCM, v.v."
)


def test_defang_by_hand() -> None:
    assert safe.defang(SCAM) == DEFANGED
    assert safe.defang("http://1.2.3.4:8080/x") == "hxxp://1[.]2[.]3[.]4:8080/x"
    assert safe.defang("ftp://files.example/a") == "fxp://files[.]example/a"
    assert safe.defang("Nghị quyết 57-NQ/TW, TP.HCM, Q.1") == "Nghị quyết 57-NQ/TW, TP.HCM, Q.1"
    assert safe.line(SCAM) == DEFANGED


URLISH = st.one_of(
    provisional.urls(),
    provisional.domains(),
    st.emails(),
    st.builds(lambda d: "www." + d, provisional.domains()),
    st.text(st.sampled_from(list("aw.:/@-[]()hxtps ")), max_size=30),
    st.text(max_size=20),
)


@settings(max_examples=300, deadline=None)
@given(st.lists(URLISH, max_size=5).map(" ".join))
def test_no_defanged_text_is_a_link_anywhere(text: str) -> None:
    shown = safe.line(text)
    assert not LINKIFY.match(shown), shown
    md = f"- {safe.markdown(text)}\n\n| a |\n|---|\n| {safe.markdown(text, table=True)} |\n"
    root = lxml.html.fromstring(f"<div>{MARKDOWN.render(md)}</div>")
    assert root.findall(".//a") == [], md


def _scam_week(session: Session) -> None:
    reviewer = make_user(session, "ctv-links")
    item = make_item(session, published_at=MON, source="Nhóm Y", title=SCAM, text=SCAM)
    analysis = make_analysis(session, item, misinfo="scam")
    task = ReviewTask(
        item_id=item.id, analysis_id=analysis.id, status=TaskStatus.decided, priority=0.9
    )
    session.add(task)
    session.flush()
    session.add(Verdict(task_id=task.id, reviewer_id=reviewer.id, label="scam"))
    session.flush()


def test_every_format_shows_scam_links_defanged_never_linked(session: Session) -> None:
    _scam_week(session)
    md = build(session, WEEK, "md").decode()
    rendered = lxml.html.fromstring(f"<div>{MARKDOWN.render(md)}</div>")
    assert rendered.findall(".//a") == []
    assert "hxxps://bad[.]example/login[.]php" in rendered.text_content()
    assert "https://bad.example" not in md
    assert "www.evil.com" not in md

    html = build(session, WEEK, "html").decode()
    root = lxml.html.fromstring(html.encode())
    assert root.findall(".//a") == []
    assert DEFANGED in root.text_content()
    assert "bad.example" not in html
    assert "lua.dao@evil.vn" not in html

    data = build(session, WEEK, "docx")
    doc = Document(io.BytesIO(data))
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert DEFANGED in cells
    with zipfile.ZipFile(io.BytesIO(data)) as z:
        xml = z.read("word/document.xml").decode()
        rels = z.read("word/_rels/document.xml.rels").decode()
    assert "<w:hyperlink" not in xml
    assert "hyperlink" not in rels
    assert "bad.example" not in xml


# Families that carry every Vietnamese letter (Latin Extended Additional, U+1EA0–U+1EF9).
VIETNAMESE_FONTS = {
    "Noto Serif",
    "Noto Sans",
    "Times New Roman",
    "Arial",
    "Liberation Serif",
    "Liberation Sans",
    "DejaVu Serif",
    "DejaVu Sans",
}


def _families(css: str, selector: str) -> list[list[str]]:
    """The font-family lists of every rule whose selector list names ``selector``."""
    found = []
    css = re.sub(r"/\*.*?\*/", "", css, flags=re.DOTALL)
    for selectors, body in re.findall(r"([^{}]+)\{([^{}]*)\}", css):
        if selector in [s.strip() for s in selectors.split(",")]:
            m = re.search(r"font-family:\s*([^;]+)", body)
            if m:
                found.append([f.strip().strip('"') for f in m.group(1).split(",")])
    return found


def test_html_names_fonts_that_cover_vietnamese_on_screen_and_in_print(session: Session) -> None:
    html = build(session, WEEK, "html").decode()
    css = lxml.html.fromstring(html.encode()).find(".//style").text
    screen, _, print_css = css.partition("@media print")
    for part, selectors in ((screen, ("body", "h1", "h2")), (print_css, ("body",))):
        for selector in selectors:
            stacks = _families(part, selector)
            assert stacks, (selector, part[:80])
            for stack in stacks:
                assert stack[0] in {"Noto Serif", "Noto Sans"}, stack  # named first
                assert set(stack[:-1]) <= VIETNAMESE_FONTS, stack
                assert stack[-1] in {"serif", "sans-serif"}
