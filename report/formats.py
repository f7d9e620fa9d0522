"""The weekly summary in the committee's formats: HTML (A4 print stylesheet, charts embedded) and
DOCX (editable, charts embedded), thin renderers of the one document model
(``report.document.weekly_document``) like the Markdown; the CSV is the table of items.

Charts are drawn with matplotlib (Agg, no display) into PNG bytes, once per report.
"""

from __future__ import annotations

import base64
import io
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session

from core.calendar import Week
from core.vocabulary import MISINFO_VI, SENTIMENT_VI
from report.document import (
    NO_DATA,
    SUBJECT,
    Bullets,
    Figure,
    Heading,
    Highlights,
    Paragraph,
    Span,
    Table,
    chart_names,
    has_previous,
    weekly_document,
)
from report.loading import load_cluster_sources, load_coverage, load_week
from report.weekly import render_csv, render_markdown, summarize

FORMATS = ("html", "md", "csv", "docx")
MEDIA_TYPES = {
    "html": "text/html; charset=utf-8",
    "md": "text/markdown; charset=utf-8",
    "csv": "text/csv; charset=utf-8",
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
}
_env = Environment(
    loader=FileSystemLoader(Path(__file__).parent / "templates"),
    autoescape=select_autoescape(["html"]),
)
COLOURS = {"negative": "#c0392b", "neutral": "#95a5a6", "positive": "#27ae60"}


def _figure(width: float = 6.4, height: float = 2.6):  # type: ignore[no-untyped-def]
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, ax = plt.subplots(figsize=(width, height), dpi=110)
    ax.spines[["top", "right"]].set_visible(False)
    return plt, fig, ax


def _counts_axis(ax) -> None:  # type: ignore[no-untyped-def]
    """Whole numbers only on a count axis (no "0,5 tin")."""
    from matplotlib.ticker import MaxNLocator

    ax.yaxis.set_major_locator(MaxNLocator(integer=True))


def _png(plt, fig) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


def charts(summary: dict[str, Any]) -> dict[str, bytes]:
    """PNG charts, by name: ``volume`` (items per day), ``sentiment`` (shares of relevant items
    with their 95 % intervals, and the previous week's shares when it had any) and ``flags``
    (machine flags vs confirmed). A chart with nothing to draw is left out (no empty axes): no
    item this week, no relevant analysed item, no flag and no confirmation; the formats print
    ``NO_DATA`` in its place."""
    out: dict[str, bytes] = {}
    names = chart_names(summary)
    by_day = summary["by_day"]
    if "volume" in names:
        plt, fig, ax = _figure()
        labels = [f"{d[8:10]}/{d[5:7]}" for d in by_day["day"]]
        ax.bar(labels, list(by_day["items"]), color="#0b5cad")
        ax.set_title("Số tin theo ngày")
        ax.set_ylabel("tin")
        _counts_axis(ax)
        out["volume"] = _png(plt, fig)
    if "sentiment" in names:
        out["sentiment"] = _sentiment_chart(summary)
    if "flags" in names:
        out["flags"] = _flags_chart(summary["flags"])
    return out


def _sentiment_chart(summary: dict[str, Any]) -> bytes:
    plt, fig, ax = _figure()
    change = summary["change"]
    names = [SENTIMENT_VI[s] for s in change["sentiment"]]
    shares = [100 * v for v in change["share"]]
    errors = [
        [100 * (s - lo) for s, lo in zip(change["share"], change["ci_low"], strict=True)],
        [100 * (hi - s) for s, hi in zip(change["share"], change["ci_high"], strict=True)],
    ]
    ax.bar(names, shares, yerr=errors, capsize=6, color=[COLOURS[s] for s in change["sentiment"]])
    previous = [100 * v if pd.notna(v) else None for v in change["previous_share"]]
    if has_previous(summary):  # the condition the caption's "vạch đen: tuần trước" follows
        ax.scatter(
            [n for n, v in zip(names, previous, strict=True) if v is not None],
            [v for v in previous if v is not None],
            marker="_",
            s=900,
            color="black",
            label="tuần trước",
            zorder=3,
        )
        ax.legend(frameon=False)
    ax.set_ylim(0, 100)
    ax.set_ylabel("% tin liên quan")
    ax.set_title("Sắc thái dư luận (khoảng tin cậy 95 %)")
    return _png(plt, fig)


def _flags_chart(flags: pd.DataFrame) -> bytes:
    plt, fig, ax = _figure()
    kinds = [MISINFO_VI[k] for k in flags["misinfo"]]
    x = range(len(kinds))
    ax.bar([i - 0.2 for i in x], flags["flagged"], width=0.4, label="Máy gắn cờ", color="#e67e22")
    ax.bar(
        [i + 0.2 for i in x], flags["confirmed"], width=0.4, label="Đã xác nhận", color="#2c3e50"
    )
    ax.set_xticks(list(x), kinds)
    _counts_axis(ax)
    # beside the bars, never over them (a legend inside the axes hid the tallest bar's top)
    ax.legend(frameon=False, loc="upper left", bbox_to_anchor=(1.0, 1.0))
    ax.set_ylabel("tin")
    ax.set_title("Tin sai lệch, lừa đảo: máy gắn cờ và người xác nhận")
    return _png(plt, fig)


def render_html(
    summary: dict[str, Any],
    week: Week,
    coverage: dict[str, list[str]] | None = None,
    images: dict[str, bytes] | None = None,
) -> str:
    """A standalone HTML document (no external asset, no script, no link) with an A4 print
    stylesheet and a Vietnamese-covering font stack, Noto first: ``weekly_document`` laid out,
    each numbered section a ``<section>``, charts embedded as PNG data URLs (``images`` by chart
    name, drawn by ``charts`` when not given; a figure whose image is missing prints
    ``NO_DATA``)."""
    images = images if images is not None else charts(summary)
    data_urls = {
        k: "data:image/png;base64," + base64.b64encode(v).decode() for k, v in images.items()
    }
    document = weekly_document(summary, week, coverage)
    return _env.get_template("weekly.html").render(
        document=document, sections=document.sections(), charts=data_urls, NO_DATA=NO_DATA
    )


def render_docx(
    summary: dict[str, Any],
    week: Week,
    coverage: dict[str, list[str]] | None = None,
    images: dict[str, bytes] | None = None,
) -> bytes:
    """``weekly_document`` as an editable Word document (A4, 2 cm margins): a title, headings,
    tables with fixed column widths (the model's, in cm) and numbers right-aligned, charts
    16 cm wide with their numbered captions (``images`` as in ``render_html``)."""
    from docx import Document as Docx
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    images = images if images is not None else charts(summary)
    document = weekly_document(summary, week, coverage)
    doc = Docx()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(12)
    props = doc.core_properties
    props.title = document.title
    props.subject = SUBJECT[0].upper() + SUBJECT[1:]
    props.author = props.last_modified_by = "duluan"  # never a person (python-docx's default)
    props.language = "vi-VN"

    def spans(paragraph: Any, items: tuple[Span, ...], italic: bool = False) -> None:
        for span in items:
            run = paragraph.add_run(span.text)
            run.bold = span.strong or None
            run.italic = italic or None

    def note(text: str) -> None:
        doc.add_paragraph().add_run(text).italic = True

    def table(block: Table) -> None:
        widths = [c.width_cm for c in block.columns]
        grid = doc.add_table(rows=1, cols=len(widths))
        grid.style = "Table Grid"
        grid.autofit = False
        header = tuple(c.title for c in block.columns)
        for values in [header, *block.rows]:
            cells = grid.rows[0].cells if values is header else grid.add_row().cells
            for cell, value, column in zip(cells, values, block.columns, strict=True):
                cell.text = value
                cell.width = Cm(column.width_cm)
                if column.numeric:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
                if values is header:
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
        for grid_column, width in zip(grid.columns, widths, strict=True):
            grid_column.width = Cm(width)

    doc.add_heading(document.title, level=0)
    note(document.subtitle)
    for block in document.blocks:
        if isinstance(block, Heading):
            doc.add_heading(block.text, level=block.level)
        elif isinstance(block, Highlights):
            paragraph = doc.add_paragraph()
            for i, (value, what) in enumerate(block.items):
                paragraph.add_run("" if i == 0 else " · ").bold = None
                paragraph.add_run(value).bold = True
                paragraph.add_run(f" {what}")
        elif isinstance(block, Paragraph):
            spans(doc.add_paragraph(), block.spans, italic=block.style != "text")
        elif isinstance(block, Bullets):
            for item in block.items:
                spans(doc.add_paragraph(style="List Bullet"), item)
        elif isinstance(block, Figure):
            if block.chart in images:
                doc.add_picture(io.BytesIO(images[block.chart]), width=Cm(16))
                doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
                caption = doc.add_paragraph()
                caption.alignment = WD_ALIGN_PARAGRAPH.CENTER
                caption.add_run(block.label).italic = True
            else:
                note(NO_DATA)
        elif isinstance(block, Table):
            table(block)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def load_summary(session: Session, week: Week) -> tuple[dict[str, Any], dict[str, list[str]]]:
    """``(summary, coverage)`` of ``week``: ``summarize`` of its items against the previous
    week's, with the sources of its clusters, and ``load_coverage``'s feeds."""
    frame = load_week(session, week)
    clusters = [int(c) for c in frame["cluster_id"].dropna()]
    summary = summarize(
        frame, load_week(session, week.previous), load_cluster_sources(session, clusters)
    )
    return summary, load_coverage(session, week)


def build(session: Session, week: Week, fmt: str) -> bytes:
    """The report of ``week`` in ``fmt`` (html, md, csv, docx): the CSV is the week's table of
    items, the others render one ``weekly_document`` of ``load_summary``. ``ValueError`` for a
    format not in ``FORMATS``."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    if fmt == "csv":
        return render_csv(load_week(session, week)).encode("utf-8")
    summary, coverage = load_summary(session, week)
    if fmt == "md":
        return render_markdown(summary, week, coverage).encode("utf-8")
    if fmt == "html":
        return render_html(summary, week, coverage).encode("utf-8")
    return render_docx(summary, week, coverage)
