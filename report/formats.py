"""The weekly summary in the committee's formats: HTML (A4 print stylesheet, charts embedded),
DOCX (editable, charts embedded) — both from ``summarize``'s tables, like the Markdown and CSV.

Charts are drawn with matplotlib (Agg, no display) into PNG bytes, once per report.
"""

from __future__ import annotations

import base64
import io
from datetime import timedelta
from pathlib import Path
from typing import Any

import pandas as pd
from jinja2 import Environment, FileSystemLoader, select_autoescape
from sqlalchemy.orm import Session

from report import safe
from report.weekly import (
    GOOD_NOTE,
    MISINFO_VI,
    NO_GOOD,
    SENTIMENT_VI,
    STATUS_VI,
    VIETNAM,
    Week,
    _excerpt,
    _when,
    load_cluster_sources,
    load_coverage,
    load_week,
    render_csv,
    render_markdown,
    summarize,
)

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


def _png(plt, fig) -> bytes:  # type: ignore[no-untyped-def]
    buffer = io.BytesIO()
    fig.tight_layout()
    fig.savefig(buffer, format="png")
    plt.close(fig)
    return buffer.getvalue()


NO_DATA = "Không có dữ liệu trong tuần."


def has_previous(summary: dict[str, Any]) -> bool:
    """Whether the sentiment chart marks the previous week's shares (it had relevant items)."""
    return bool(summary["change"]["previous_share"].notna().any())


def charts(summary: dict[str, Any]) -> dict[str, bytes]:
    """PNG charts, by name: ``volume`` (items per day), ``sentiment`` (shares of relevant items
    with their 95 % intervals, and the previous week's shares when it had any) and ``flags``
    (machine flags vs confirmed). A chart with nothing to draw is left out (no empty axes): no
    item this week, no relevant analysed item, no flag and no confirmation; the formats print
    ``NO_DATA`` in its place."""
    out: dict[str, bytes] = {}
    by_day = summary["by_day"]
    if len(by_day):
        plt, fig, ax = _figure()
        labels = [f"{d[8:10]}/{d[5:7]}" for d in by_day["day"]]
        ax.bar(labels, list(by_day["items"]), color="#0b5cad")
        ax.set_title("Số tin theo ngày")
        ax.set_ylabel("tin")
        out["volume"] = _png(plt, fig)
    if int(summary["change"]["items"].sum()):
        out["sentiment"] = _sentiment_chart(summary)
    flags = summary["flags"]
    if int(flags["flagged"].sum()) + int(flags["confirmed"].sum()):
        out["flags"] = _flags_chart(flags)
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
    if any(v is not None for v in previous):
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
    ax.legend(frameon=False)
    ax.set_title("Tin sai lệch, lừa đảo: máy gắn cờ và người xác nhận")
    return _png(plt, fig)


def confirmed_rows(confirmed: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of the "Tin đã xác nhận" table as display text (HTML and DOCX): ``kind``,
    ``source``, ``first_seen`` (local time), ``reach`` (int), ``excerpt`` (the excerpt, else the
    title, at most 200 characters on one line) and ``contradicts``; blanks shown as a dash."""
    return [
        {
            "kind": MISINFO_VI[r["verdict"]],
            "source": safe.line(r["source"]),
            "first_seen": _when(r["first_seen"]),
            "reach": int(r["reach"]),
            "excerpt": safe.line(_excerpt(r["excerpt"], r["title"]), 200),
            "contradicts": safe.line(r["contradicts"]),
        }
        for r in confirmed.to_dict("records")
    ]


def good_rows(good: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of the "Mô hình hay, cách làm hiệu quả" table as display text (HTML and DOCX):
    ``title`` (one line, at most 200 characters), ``sources`` (names joined by ", "), ``reach``
    (int) and ``when`` (local time)."""
    return [
        {
            "title": safe.line(r["title"], 200),
            "sources": ", ".join(safe.texts(r["sources"])) or safe.EMPTY,
            "reach": int(r["reach"]),
            "when": _when(r["when"]),
        }
        for r in good.to_dict("records")
    ]


def _context(
    summary: dict[str, Any], week: Week, coverage: dict[str, list[str]] | None
) -> dict[str, Any]:
    t = summary["totals"]
    reviewed = t["decided"] + t["escalated"]
    start = week.start.astimezone(VIETNAM).date()
    end = (week.end.astimezone(VIETNAM) - timedelta(days=1)).date()
    return {
        "week": week.label,
        "start": f"{start:%d/%m/%Y}",
        "end": f"{end:%d/%m/%Y}",
        "t": t,
        "reviewed": reviewed,
        "reviewed_share": reviewed / t["tasks"] if t["tasks"] else None,
        "flagged_total": int(summary["flags"]["flagged"].sum()),
        "by_day": summary["by_day"].to_dict("records"),
        "by_source": [
            {"source": safe.line(r["source"]), "items": r["items"]}
            for r in summary["by_source"].to_dict("records")
        ],
        "sentiment": summary["sentiment"].to_dict("records"),
        "change": summary["change"].to_dict("records"),
        "concerns": [
            {
                "term": safe.line(r["term"]),
                "items": r["items"],
                "examples": safe.texts(r["examples"]),
            }
            for r in summary["concerns"].to_dict("records")
        ],
        "good": good_rows(summary["good"]),
        "GOOD_NOTE": GOOD_NOTE,
        "NO_DATA": NO_DATA,
        "has_previous": has_previous(summary),
        "NO_GOOD": NO_GOOD,
        "flags": summary["flags"].to_dict("records"),
        "confirmed": confirmed_rows(summary["confirmed"]),
        "pending": summary["pending"].to_dict("records"),
        "coverage": (
            {key: safe.texts(names) for key, names in coverage.items()}
            if coverage is not None
            else None
        ),
        "SENTIMENT_VI": SENTIMENT_VI,
        "MISINFO_VI": MISINFO_VI,
        "STATUS_VI": STATUS_VI,
    }


def pct(x: float | None) -> str:
    if x is None or pd.isna(x):
        return "—"
    return f"{x * 100:.1f}%".replace(".", ",")


def signed(points: float | None) -> str:
    if points is None or pd.isna(points):
        return "—"
    return f"{points:+.1f} điểm %".replace(".", ",")


_env.filters.update(pct=pct, signed=signed, when=_when)


def render_html(
    summary: dict[str, Any],
    week: Week,
    coverage: dict[str, list[str]] | None = None,
    images: dict[str, bytes] | None = None,
) -> str:
    """A standalone HTML document (no external asset, no script) with an A4 print stylesheet."""
    images = images if images is not None else charts(summary)
    data_urls = {
        k: "data:image/png;base64," + base64.b64encode(v).decode() for k, v in images.items()
    }
    return _env.get_template("weekly.html").render(
        **_context(summary, week, coverage), charts=data_urls
    )


def render_docx(
    summary: dict[str, Any],
    week: Week,
    coverage: dict[str, list[str]] | None = None,
    images: dict[str, bytes] | None = None,
) -> bytes:
    """An editable Word document with the same sections, tables and charts."""
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm, Pt

    images = images if images is not None else charts(summary)
    c = _context(summary, week, coverage)
    doc = Document()
    section = doc.sections[0]
    section.page_height, section.page_width = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2))
    doc.styles["Normal"].font.name = "Times New Roman"
    doc.styles["Normal"].font.size = Pt(12)
    props = doc.core_properties
    props.title = f"Tổng hợp dư luận tuần {week.label}"
    props.subject = "Lĩnh vực khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"
    props.author = props.last_modified_by = "duluan"  # never a person (python-docx's default)
    props.language = "vi-VN"

    def table(
        header: list[str], rows: list[list[Any]], widths: list[float], numeric: set[int]
    ) -> None:
        """A grid with fixed column ``widths`` (cm, summing to at most the 17 cm between the
        margins) and the columns of ``numeric`` (indices) right-aligned, header included."""
        grid = doc.add_table(rows=1, cols=len(header))
        grid.style = "Table Grid"
        grid.autofit = False
        for row_values in [header, *rows]:
            cells = grid.rows[0].cells if row_values is header else grid.add_row().cells
            for i, (cell, value) in enumerate(zip(cells, row_values, strict=True)):
                cell.text = str(value)
                cell.width = Cm(widths[i])
                if i in numeric:
                    cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
                if row_values is header:
                    for run in cell.paragraphs[0].runs:
                        run.bold = True
        for column, width in zip(grid.columns, widths, strict=True):
            column.width = Cm(width)

    def note(text: str) -> None:
        doc.add_paragraph().add_run(text).italic = True

    def picture(name: str) -> None:
        if name in images:
            doc.add_picture(io.BytesIO(images[name]), width=Cm(16))
        else:
            note(NO_DATA)

    t = c["t"]
    doc.add_heading(f"Tổng hợp dư luận tuần {c['week']}", level=0)
    note(
        f"Từ {c['start']} đến {c['end']} — lĩnh vực khoa học, công nghệ, đổi mới sáng tạo và "
        "chuyển đổi số."
    )

    doc.add_heading("1. Khối lượng thông tin", level=1)
    doc.add_paragraph(
        f"Tổng số tin, bài thu thập: {t['items']} (đã phân tích: {t['analysed']}). Liên quan đến "
        f"lĩnh vực: {t['relevant']} ({pct(t['relevant_share'])} số tin đã phân tích)."
    )
    picture("volume")
    table(["Ngày", "Số tin"], [[r["day"], r["items"]] for r in c["by_day"]], [4, 3], {1})
    doc.add_paragraph("Theo nguồn tin:")
    table(["Nguồn", "Số tin"], [[r["source"], r["items"]] for r in c["by_source"]], [13, 3], {1})

    doc.add_heading("2. Sắc thái dư luận (tin liên quan)", level=1)
    picture("sentiment")
    table(
        ["Sắc thái", "Số tin", "Tỷ lệ", "Khoảng tin cậy 95 %", "Tuần trước", "Thay đổi"],
        [
            [
                SENTIMENT_VI[r["sentiment"]],
                r["items"],
                pct(r["share"]),
                f"{pct(r['ci_low'])} – {pct(r['ci_high'])}",
                pct(r["previous_share"]),
                signed(r["change_pp"]),
            ]
            for r in c["change"]
        ],
        [3, 2, 2, 4, 2.5, 3.5],
        {1, 2, 3, 4, 5},
    )
    note(
        "Ý kiến phê bình, góp ý được tính là sắc thái tiêu cực của dư luận, không bị coi là "
        "thông tin sai lệch."
    )
    doc.add_heading("Vấn đề được quan tâm nhiều", level=2)
    if c["concerns"]:
        for r in c["concerns"]:
            doc.add_paragraph(
                f"{r['term']} ({r['items']} tin): " + "; ".join(f"“{e}”" for e in r["examples"]),
                style="List Bullet",
            )
    else:
        doc.add_paragraph("Chưa đủ tin để nêu vấn đề nổi bật.")

    doc.add_heading("3. Mô hình hay, cách làm hiệu quả", level=1)
    note(GOOD_NOTE)
    if c["good"]:
        table(
            ["Tin", "Nguồn đưa tin", "Số nguồn", "Thời điểm"],
            [[r["title"], r["sources"], r["reach"], r["when"]] for r in c["good"]],
            [7.5, 4.5, 2, 3],
            {2},
        )
    else:
        doc.add_paragraph(NO_GOOD)

    doc.add_heading("4. Thông tin xuyên tạc và lừa đảo", level=1)
    picture("flags")
    table(
        ["Loại", "Máy gắn cờ", "Đã xác nhận"],
        [[MISINFO_VI[r["misinfo"]], r["flagged"], r["confirmed"]] for r in c["flags"]],
        [8, 4, 4],
        {1, 2},
    )
    doc.add_paragraph(
        f"Hàng đợi rà soát: {t['tasks']} tin; đã kết luận {t['decided']}, chờ xử lý "
        f"{t['pending']}, chuyển cấp trên {t['escalated']}."
    )
    if c["confirmed"]:
        doc.add_heading("Tin đã xác nhận", level=2)
        table(
            [
                "Loại",
                "Nguồn",
                "Xuất hiện đầu tiên",
                "Số nguồn",
                "Trích đoạn",
                "Nội dung chính thức",
            ],
            [
                [
                    r["kind"],
                    r["source"],
                    r["first_seen"],
                    r["reach"],
                    r["excerpt"],
                    r["contradicts"],
                ]
                for r in c["confirmed"]
            ],
            [2.5, 2.5, 2.6, 1.6, 4.5, 3.3],
            {3},
        )
    if c["pending"]:
        doc.add_paragraph(f"Còn {len(c['pending'])} tin bị gắn cờ đang chờ kết luận.")

    doc.add_heading("5. Độ bao phủ và lưu ý", level=1)
    doc.add_paragraph(
        f"Tin đã được rà soát: {c['reviewed']}/{t['tasks']} tin trong hàng đợi "
        f"({pct(c['reviewed_share'])}); máy gắn cờ {c['flagged_total']} tin.",
        style="List Bullet",
    )
    if c["coverage"] is not None:
        silent, failing = c["coverage"]["silent"], c["coverage"]["failing"]
        doc.add_paragraph(
            f"Nguồn không có tin mới trong tuần ({len(silent)}): "
            + (", ".join(silent) or "không có")
            + ".",
            style="List Bullet",
        )
        doc.add_paragraph(
            f"Nguồn đang lỗi hoặc bị tắt ({len(failing)}): "
            + ("; ".join(failing) or "không có")
            + ".",
            style="List Bullet",
        )
    doc.add_paragraph(
        "Số liệu chỉ phản ánh các nguồn đang theo dõi, không đại diện cho toàn bộ dư luận.",
        style="List Bullet",
    )
    note(
        "Báo cáo do duluan tạo tự động từ dữ liệu đã thu thập; mọi kết luận về tin sai lệch đều "
        "do cộng tác viên xem xét."
    )
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def build(session: Session, week: Week, fmt: str) -> bytes:
    """The report of ``week`` in ``fmt`` (html, md, csv, docx), from one pipeline."""
    if fmt not in FORMATS:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}")
    frame = load_week(session, week)
    if fmt == "csv":
        return render_csv(frame).encode("utf-8")
    clusters = [int(c) for c in frame["cluster_id"].dropna()]
    summary = summarize(
        frame, load_week(session, week.previous), load_cluster_sources(session, clusters)
    )
    coverage = load_coverage(session, week)
    if fmt == "md":
        return render_markdown(summary, week, coverage).encode("utf-8")
    if fmt == "html":
        return render_html(summary, week, coverage).encode("utf-8")
    return render_docx(summary, week, coverage)
