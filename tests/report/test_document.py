"""One document model, three renderings: HTML, DOCX and Markdown carry the same sections,
tables, numbers, captions and empty values (issue 14); and a small week whose every number in
the report was counted by hand."""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import lxml.html
from docx import Document as Docx
from markdown_it import MarkdownIt
from sqlalchemy.orm import Session

from core.calendar import Week
from core.tables import Cluster, ReviewTask, TaskStatus, Verdict
from report.document import (
    NO_DATA,
    Bullets,
    Document,
    Figure,
    Heading,
    Paragraph,
    Table,
    weekly_document,
)
from report.formats import charts, load_summary, render_docx, render_html
from report.weekly import render_markdown
from tests.factories import make_analysis, make_feed, make_item, make_user
from tests.report.test_formats import _good_week

WEEK = Week.parse("2026-W48")  # Mon 23/11 – Sun 29/11/2026, Vietnam time
MON = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam
MARKDOWN = MarkdownIt("gfm-like")
SCAM_LINK = "Nhận quà tại https://qua-tang.example/nhan ngay"
SCAM_LINK_DEFANGED = "Nhận quà tại hxxps://qua-tang[.]example/nhan ngay"


@dataclass
class View:
    """What a reader sees of one rendering: headings in order (the title first), tables as
    (header, rows) in order, figure captions in order, list items, and all the text."""

    headings: list[str] = field(default_factory=list)
    tables: list[tuple[tuple[str, ...], list[tuple[str, ...]]]] = field(default_factory=list)
    captions: list[str] = field(default_factory=list)
    bullets: list[str] = field(default_factory=list)
    text: str = ""


def _flat(text: str) -> str:
    return " ".join(text.split())


def _html_view(root: lxml.html.HtmlElement) -> View:
    view = View(text=_flat(root.text_content()))
    for el in root.iter("h1", "h2", "h3", "table", "figcaption", "li"):
        if el.tag == "table":
            rows = [
                tuple(_flat(c.text_content()) for c in tr if c.tag in ("th", "td"))
                for tr in el.iter("tr")
            ]
            view.tables.append((rows[0], rows[1:]))
        elif el.tag == "figcaption":
            view.captions.append(_flat(el.text_content()))
        elif el.tag == "li":
            view.bullets.append(_flat(el.text_content()))
        else:
            view.headings.append(_flat(el.text_content()))
    return view


def _docx_view(data: bytes) -> View:
    doc = Docx(io.BytesIO(data))
    view = View()
    for p in doc.paragraphs:
        style = p.style.name if p.style is not None else ""
        if style == "Title" or style.startswith("Heading"):
            view.headings.append(_flat(p.text))
        elif style == "List Bullet":
            view.bullets.append(_flat(p.text))
        elif p.text.startswith("Hình "):
            view.captions.append(_flat(p.text))
    for grid in doc.tables:
        rows = [tuple(_flat(c.text) for c in row.cells) for row in grid.rows]
        view.tables.append((rows[0], rows[1:]))
    texts = [p.text for p in doc.paragraphs]
    texts += [c.text for grid in doc.tables for row in grid.rows for c in row.cells]
    view.text = _flat(" ".join(texts))
    return view


def _md_view(md: str) -> View:
    root = lxml.html.fromstring(f"<div>{MARKDOWN.render(md)}</div>")
    view = _html_view(root)
    # Markdown has no image: a figure is its caption, in italics, pointing to the other formats
    view.captions = [
        _flat(em.text_content()).removesuffix(" (biểu đồ trong bản HTML và DOCX)")
        for em in root.iter("em")
        if em.text_content().startswith("Hình ")
    ]
    return view


def _model_view(document: Document) -> View:
    view = View(headings=[document.title])
    for block in document.blocks:
        if isinstance(block, Heading):
            view.headings.append(block.text)
        elif isinstance(block, Table):
            header = tuple(c.title for c in block.columns)
            view.tables.append((header, [tuple(row) for row in block.rows]))
        elif isinstance(block, Figure):
            view.captions.append(block.label)
        elif isinstance(block, Bullets):
            view.bullets += [_flat(t) for t in block.texts]
    return view


def _scam_with_a_link(session: Session) -> None:
    reviewer = make_user(session, "ctv-doc")
    item = make_item(session, published_at=MON + timedelta(days=1), title=SCAM_LINK, text="")
    analysis = make_analysis(session, item, misinfo="scam", sentiment="neutral")
    task = ReviewTask(
        item_id=item.id, analysis_id=analysis.id, status=TaskStatus.decided, priority=0.9
    )
    session.add(task)
    session.flush()
    session.add(Verdict(task_id=task.id, reviewer_id=reviewer.id, label="scam"))
    make_feed(session, name="Kênh im lặng")
    make_feed(session, name="Kênh lỗi", error_count=2, last_error="HTTP 503")
    session.flush()


def _renderings(session: Session, week: Week) -> tuple[Document, dict[str, bytes], dict[str, View]]:
    summary, coverage = load_summary(session, week)
    document = weekly_document(summary, week, coverage)
    images = charts(summary)
    views = {
        "html": _html_view(
            lxml.html.fromstring(render_html(summary, week, coverage, images).encode())
        ),
        "docx": _docx_view(render_docx(summary, week, coverage, images)),
        "md": _md_view(render_markdown(summary, week, coverage)),
    }
    return document, images, views


def _check_same(document: Document, images: dict[str, bytes], views: dict[str, View]) -> None:
    model = _model_view(document)
    assert {f.chart for f in document.blocks if isinstance(f, Figure)} == set(images)
    nodata = sum(1 for b in document.blocks if isinstance(b, Paragraph) and b.style == "nodata")
    for fmt, view in views.items():
        assert view.headings == model.headings, fmt
        assert view.tables == model.tables, fmt
        assert view.captions == model.captions, fmt
        assert view.bullets == model.bullets, fmt
        for block in document.blocks:
            if isinstance(block, Paragraph):
                assert _flat(block.text) in view.text, (fmt, block.text)
        assert view.text.count(NO_DATA) == nodata, fmt
        for word in ("nan", "NaN", "None", "NaT"):
            assert f" {word} " not in f" {view.text} ", (fmt, word)


def test_every_format_renders_the_same_document(session: Session) -> None:
    _good_week(session)
    _scam_with_a_link(session)
    document, images, views = _renderings(session, WEEK)
    # the walk sees the whole report: five sections, every table, three figures
    model = _model_view(document)
    assert [h for h in model.headings if h[:2] in {"1.", "2.", "3.", "4.", "5."}] == [
        "1. Khối lượng thông tin",
        "2. Sắc thái dư luận (tin liên quan)",
        "3. Mô hình hay, cách làm hiệu quả",
        "4. Thông tin xuyên tạc và lừa đảo",
        "5. Độ bao phủ và lưu ý",
    ]
    assert len(model.tables) == 6
    assert [c.split(".")[0] for c in model.captions] == ["Hình 1", "Hình 2", "Hình 3"]
    _check_same(document, images, views)
    for fmt, view in views.items():  # the scam link is defanged everywhere, never a link
        assert SCAM_LINK_DEFANGED in view.text, fmt
        assert "qua-tang.example" not in view.text, fmt


def test_an_empty_week_is_the_same_document_too(session: Session) -> None:
    document, images, views = _renderings(session, Week.parse("2020-W01"))
    assert images == {}
    _check_same(document, images, views)
    assert views["html"].text.count(NO_DATA) == 3


# --- a small week counted by hand --------------------------------------------------------------


def _hand_week(session: Session) -> None:
    """This week (W48): 10 items — 8 relevant (negative 2, neutral 2, positive 4), 1 not
    relevant, 1 not analysed yet; a confirmed distortion (one of the negatives) and a confirmed
    scam with a link (one of the neutrals); the positives are a story carried by two sources
    (one cluster) and two single items. Previous week (W47): 4 relevant items, negative 2,
    neutral 1, positive 1."""
    reviewer = make_user(session, "ctv-hand")
    story = Cluster(first_seen_at=MON, item_count=2, source_count=2)
    session.add(story)
    session.flush()

    def item(day: float, source: str, title: str, sentiment: str | None, **kw):  # type: ignore[no-untyped-def]
        misinfo = kw.pop("misinfo", "none")
        relevant = kw.pop("relevant", True)
        verdict = kw.pop("verdict", None)
        it = make_item(
            session, published_at=MON + timedelta(days=day), source=source, title=title, **kw
        )
        if sentiment is None:
            return
        an = make_analysis(
            session,
            it,
            relevant=relevant,
            sentiment=sentiment,
            misinfo=misinfo,
            risk=0.9 if misinfo != "none" else 0.1,
        )
        if verdict:
            task = ReviewTask(
                item_id=it.id, analysis_id=an.id, status=TaskStatus.decided, priority=0.9
            )
            session.add(task)
            session.flush()
            session.add(Verdict(task_id=task.id, reviewer_id=reviewer.id, label=verdict))

    # Monday 23/11: 3 items
    item(0, "Báo A", "Thủ tục trực tuyến còn rườm rà", "negative")
    item(0, "Báo B", "Xã Tân Lập số hoá hồ sơ đất đai", "positive", cluster_id=story.id)
    item(0, "Báo A", "Giá vàng hôm nay", "neutral", relevant=False)
    # Tuesday 24/11: 2 items
    item(1, "Diễn đàn X", "Nghị quyết 57 bị bãi bỏ", "negative", misinfo="distortion",
         verdict="distortion", text="Nghị quyết 57 đã bị bãi bỏ")  # fmt: skip
    item(1, "Nhóm Y", SCAM_LINK, "neutral", misinfo="scam", verdict="scam", text="")
    # Wednesday 25/11: 4 items
    item(2, "Cổng C", "Tân Lập: mỗi hộ một mã QR", "positive", cluster_id=story.id)
    item(2, "Báo A", "Ứng dụng VNeID tiện lợi", "positive")
    item(2, "Báo B", "Hội thảo chuyển đổi số cấp xã", "neutral")
    item(2, "Báo B", "Tin chưa phân tích", None)
    # Friday 27/11: 1 item
    item(4, "Đài D", "Thôn bản phủ sóng 4G", "positive")
    # the previous week (W47)
    item(-5, "Báo A", "Tuần trước: chậm", "negative")
    item(-5, "Báo A", "Tuần trước: lỗi", "negative")
    item(-5, "Báo B", "Tuần trước: họp", "neutral")
    item(-5, "Báo B", "Tuần trước: tốt", "positive")
    session.flush()


def test_the_report_of_a_small_week_matches_a_hand_count(session: Session) -> None:
    _hand_week(session)
    summary, coverage = load_summary(session, WEEK)
    document = weekly_document(summary, WEEK, coverage)
    tables = {t[0]: t[1] for t in _model_view(document).tables}
    # volume: 10 items, 9 analysed, 8 relevant = 8/9 = 88,9 % of the analysed
    assert document.blocks[0].items == (  # type: ignore[union-attr]
        ("10", "tin, bài thu thập"),
        ("8", "tin liên quan (88,9%)"),
        ("2", "tin sai lệch, lừa đảo đã xác nhận"),
    )
    assert tables[("Ngày", "Số tin")] == [
        ("23/11/2026", "3"),
        ("24/11/2026", "2"),
        ("25/11/2026", "4"),
        ("27/11/2026", "1"),
    ]
    assert tables[("Nguồn", "Số tin")] == [
        ("Báo A", "3"),
        ("Báo B", "3"),
        ("Cổng C", "1"),
        ("Diễn đàn X", "1"),
        ("Nhóm Y", "1"),
        ("Đài D", "1"),
    ]
    # sentiment of the 8 relevant: 2/8, 2/8, 4/8; last week 2/4, 1/4, 1/4; the change in points;
    # the Wilson interval of 2/8 by hand: centre (0.25 + 1.96²/16) / (1 + 1.96²/8) = 0.3311,
    # half-width 1.96·√(0.25·0.75/8 + 1.96²/256) / 1.4802 = 0.2596 → 7,1 % – 59,1 %;
    # of 4/8: centre 0.5, half-width 1.96·√(0.25/8 + 0.015006) / 1.4802 = 0.2849 → 21,5 % – 78,5 %
    assert tables[
        ("Sắc thái", "Số tin", "Tỷ lệ", "Khoảng tin cậy 95 %", "Tuần trước", "Thay đổi")
    ] == [
        ("Tiêu cực", "2", "25,0%", "7,1% – 59,1%", "50,0%", "-25,0 điểm %"),
        ("Trung tính", "2", "25,0%", "7,1% – 59,1%", "25,0%", "+0,0 điểm %"),
        ("Tích cực", "4", "50,0%", "21,5% – 78,5%", "25,0%", "+25,0 điểm %"),
    ]
    # confirmed: one distortion, one scam (its link defanged); nothing pending
    assert tables[("Loại", "Máy gắn cờ", "Đã xác nhận")] == [
        ("Xuyên tạc, sai lệch", "1", "1"),
        ("Lừa đảo", "1", "1"),
    ]
    confirmed = tables[
        ("Loại", "Nguồn", "Xuất hiện đầu tiên", "Số nguồn", "Trích đoạn", "Nội dung chính thức")
    ]
    assert confirmed == [  # by kind, then first seen; no official fact known: a dash
        ("Xuyên tạc, sai lệch", "Diễn đàn X", "10:00 24/11/2026", "1", "Nghị quyết 57 đã bị bãi bỏ", "—"),
        ("Lừa đảo", "Nhóm Y", "10:00 24/11/2026", "1", SCAM_LINK_DEFANGED, "—"),
    ]  # fmt: skip
    # good practices: the two-source story (shown by its newest item), then by recency
    assert tables[("Tin", "Nguồn đưa tin", "Số nguồn", "Thời điểm")] == [
        ("Tân Lập: mỗi hộ một mã QR", "Báo B, Cổng C", "2", "10:00 25/11/2026"),
        ("Thôn bản phủ sóng 4G", "Đài D", "1", "10:00 27/11/2026"),
        ("Ứng dụng VNeID tiện lợi", "Báo A", "1", "10:00 25/11/2026"),
    ]
    paragraphs = [b.text for b in document.blocks if isinstance(b, Paragraph)]
    assert (
        "Tổng số tin, bài thu thập: 10 (đã phân tích: 9). Liên quan đến lĩnh vực: 8 "
        "(88,9% số tin đã phân tích)." in paragraphs
    )
    assert "Hàng đợi rà soát: 2 tin; đã kết luận 2, chờ xử lý 0, chuyển cấp trên 0." in paragraphs
    assert not any(p.startswith("Còn ") for p in paragraphs)  # nothing pending
    # and every format prints exactly these numbers
    _, images, views = _renderings(session, WEEK)
    _check_same(document, images, views)
    for view in views.values():
        assert "-25,0 điểm %" in view.text
        assert "Tin đã được rà soát: 2/2 tin trong hàng đợi (100,0%); máy gắn cờ 2 tin." in (
            view.bullets
        )
