"""The weekly report as one document: headings, paragraphs, lists, tables and figures, built once
from ``summarize``'s tables by ``weekly_document``; HTML, DOCX and Markdown are thin renderers of
it (``report.formats.render_html``/``render_docx``, ``render_markdown`` here), so every format
carries the same sections, numbers, captions and empty values.

Every text in the document is display text already: feed content passed through ``safe.line``
(one line, defanged, a dash when blank), numbers formatted the Vietnamese way (``50,0%``). A
renderer only escapes it for its format and lays it out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any, ClassVar, Literal

import pandas as pd

from core.calendar import VIETNAM, Week
from core.vocabulary import MISINFO_VI, SENTIMENT_VI
from report import safe
from report.weekly import GOOD_NOTE, NO_GOOD, _excerpt, _when

NO_DATA = "Không có dữ liệu trong tuần."
NO_CONCERN = "Chưa đủ tin để nêu vấn đề nổi bật."
SUBJECT = "lĩnh vực khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số"
FOOTER = (
    "Báo cáo do duluan tạo tự động từ dữ liệu đã thu thập; mọi kết luận về tin sai lệch đều do "
    "cộng tác viên xem xét. Không có cá nhân nào được nêu tên trong báo cáo."
)
# Column kinds: how a cell was formatted, and whether it is a number (right-aligned).
Kind = Literal["text", "time", "number", "percent", "interval", "change"]
NUMERIC_KINDS = frozenset({"number", "percent", "interval", "change"})


@dataclass(frozen=True)
class Span:
    """A run of text, ``strong`` (bold) or not."""

    text: str
    strong: bool = False


@dataclass(frozen=True)
class Heading:
    """``level`` 1 is a numbered section, 2 a part of one (the title is ``Document.title``)."""

    kind: ClassVar[str] = "heading"
    level: int
    text: str


@dataclass(frozen=True)
class Paragraph:
    """``style``: ``text``; ``note`` (an aside, italic); ``nodata`` (in place of a chart with
    nothing to draw); ``footer`` (the closing line)."""

    kind: ClassVar[str] = "paragraph"
    spans: tuple[Span, ...]
    style: Literal["text", "note", "nodata", "footer"] = "text"

    @property
    def text(self) -> str:
        return "".join(s.text for s in self.spans)


@dataclass(frozen=True)
class Bullets:
    """A bulleted list; each item is a tuple of spans."""

    kind: ClassVar[str] = "bullets"
    items: tuple[tuple[Span, ...], ...]

    @property
    def texts(self) -> list[str]:
        return ["".join(s.text for s in item) for item in self.items]


@dataclass(frozen=True)
class Column:
    """A table column: its header, the ``kind`` of its cells and its width in centimetres (on an
    A4 page with 2 cm margins: the widths of a table sum to at most 17 cm)."""

    title: str
    kind: Kind
    width_cm: float

    @property
    def numeric(self) -> bool:
        return self.kind in NUMERIC_KINDS


@dataclass(frozen=True)
class Table:
    """A table with at least one row; every cell is display text (blank shown as ``safe.EMPTY``)."""

    kind: ClassVar[str] = "table"
    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...]


@dataclass(frozen=True)
class Figure:
    """A chart drawn by ``report.formats.charts`` under the name ``chart``, numbered ``number``
    (1, 2, … in order of appearance); its ``caption`` describes only the marks drawn."""

    kind: ClassVar[str] = "figure"
    chart: str
    number: int
    caption: str
    alt: str

    @property
    def label(self) -> str:
        return f"Hình {self.number}. {self.caption}"


@dataclass(frozen=True)
class Highlights:
    """The headline numbers under the title: ``(number, what it counts)`` pairs."""

    kind: ClassVar[str] = "highlights"
    items: tuple[tuple[str, str], ...]


Block = Heading | Paragraph | Bullets | Table | Figure | Highlights


@dataclass(frozen=True)
class Document:
    """The whole report: ``title``, ``subtitle`` and the ``blocks`` in reading order."""

    title: str
    subtitle: str
    blocks: tuple[Block, ...]

    def sections(self) -> list[tuple[Heading | None, list[Block]]]:
        """The blocks grouped under their level-1 headings (the first group, before any
        heading, has ``None``)."""
        out: list[tuple[Heading | None, list[Block]]] = [(None, [])]
        for block in self.blocks:
            if isinstance(block, Heading) and block.level == 1:
                out.append((block, []))
            else:
                out[-1][1].append(block)
        return out


# --- formatting, the same in every format ------------------------------------------------------


def pct(x: float | None) -> str:
    """A share (0..1) as a Vietnamese percentage with one decimal (``0.5`` → ``50,0%``); a dash
    when missing."""
    if x is None or pd.isna(x):
        return safe.EMPTY
    return f"{x * 100:.1f}%".replace(".", ",")


def signed(points: float | None) -> str:
    """A change in percentage points, signed (``25.0`` → ``+25,0 điểm %``); a dash when missing."""
    if points is None or pd.isna(points):
        return safe.EMPTY
    return f"{points:+.1f} điểm %".replace(".", ",")


def number(value: object) -> str:
    """A count as digits; a dash when missing."""
    return safe.EMPTY if safe.is_blank(value) else str(int(value))  # type: ignore[call-overload]


def _day(day: str) -> str:
    """``2026-11-23`` → ``23/11/2026``."""
    return f"{day[8:10]}/{day[5:7]}/{day[0:4]}"


def _quotes(texts: list[str]) -> list[Span]:
    """``“a”; “b”`` as spans, each quoted text its own span (escaped apart from the quotes)."""
    out: list[Span] = []
    for i, text in enumerate(texts):
        out += [Span("; “" if i else "“"), Span(text), Span("”")]
    return out


def chart_names(summary: dict[str, Any]) -> list[str]:
    """The charts that have something to draw, in the order they appear: ``volume`` (some item
    this week), ``sentiment`` (some relevant analysed item), ``flags`` (some flag or
    confirmation). A chart left out is replaced by ``NO_DATA`` (no empty axes)."""
    names = []
    if len(summary["by_day"]):
        names.append("volume")
    if int(summary["change"]["items"].sum()):
        names.append("sentiment")
    flags = summary["flags"]
    if int(flags["flagged"].sum()) + int(flags["confirmed"].sum()):
        names.append("flags")
    return names


def has_previous(summary: dict[str, Any]) -> bool:
    """Whether the sentiment chart marks the previous week's shares (it had relevant items)."""
    return bool(summary["change"]["previous_share"].notna().any())


# --- the document ------------------------------------------------------------------------------


def weekly_document(
    summary: dict[str, Any], week: Week, coverage: dict[str, list[str]] | None = None
) -> Document:
    """The report of ``week`` from ``summarize``'s tables and, if given, ``load_coverage``'s
    feeds. Pure; never raises on content (any text from the feeds goes through ``safe.line``)."""
    t = summary["totals"]
    start = week.start.astimezone(VIETNAM).date()
    end = (week.end.astimezone(VIETNAM) - timedelta(days=1)).date()
    drawn = chart_names(summary)
    blocks: list[Block] = []
    figures = 0

    def figure(chart: str, caption: str, alt: str) -> None:
        nonlocal figures
        if chart in drawn:
            figures += 1
            blocks.append(Figure(chart, figures, caption, alt))
        else:
            blocks.append(Paragraph((Span(NO_DATA),), "nodata"))

    def para(*spans: Span | str, style: Any = "text") -> None:
        blocks.append(Paragraph(tuple(s if isinstance(s, Span) else Span(s) for s in spans), style))

    confirmed = summary["confirmed"]
    blocks.append(
        Highlights(
            (
                (number(t["items"]), "tin, bài thu thập"),
                (number(t["relevant"]), f"tin liên quan ({pct(t['relevant_share'])})"),
                (number(len(confirmed)), "tin sai lệch, lừa đảo đã xác nhận"),
            )
        )
    )

    # 1. volume
    blocks.append(Heading(1, "1. Khối lượng thông tin"))
    para(
        "Tổng số tin, bài thu thập: ",
        Span(number(t["items"]), strong=True),
        f" (đã phân tích: {number(t['analysed'])}). Liên quan đến lĩnh vực: ",
        Span(number(t["relevant"]), strong=True),
        f" ({pct(t['relevant_share'])} số tin đã phân tích).",
    )
    if t.get("texts_purged"):
        para(
            f"Nội dung (tiêu đề, bài viết) của {number(t['texts_purged'])} tin trong tuần đã xoá "
            "theo thời hạn lưu trữ; số liệu về khối lượng, nguồn tin, sắc thái, tin bị gắn cờ và "
            "tin đã xác nhận vẫn được giữ, còn các vấn đề nổi bật và trích dẫn chỉ dựa trên những "
            "tin còn nội dung.",
            style="note",
        )
    figure("volume", "Số tin theo ngày", "Biểu đồ số tin theo ngày")
    if len(summary["by_day"]):
        blocks.append(
            Table(
                (Column("Ngày", "time", 4), Column("Số tin", "number", 3)),
                tuple(
                    (_day(str(r["day"])), number(r["items"]))
                    for r in summary["by_day"].to_dict("records")
                ),
            )
        )
    if len(summary["by_source"]):
        blocks.append(Heading(2, "Theo nguồn tin"))
        blocks.append(
            Table(
                (Column("Nguồn", "text", 13), Column("Số tin", "number", 3)),
                tuple(
                    (safe.line(r["source"], 120), number(r["items"]))
                    for r in summary["by_source"].to_dict("records")
                ),
            )
        )
    if t.get("reports"):
        para(
            "Phản ánh của cộng tác viên (tính là một nguồn riêng): ",
            Span(number(t["reports"]), strong=True),
            f" tin; người rà soát đã kết luận {number(t['reports_decided'])} tin, trong đó xác "
            f"nhận sai lệch hoặc lừa đảo {number(t['reports_confirmed'])} tin"
            + (
                f" ({pct(t['reports_confirmed_share'])} số đã kết luận)."
                if t["reports_decided"]
                else "."
            ),
        )

    # 2. sentiment
    blocks.append(Heading(1, "2. Sắc thái dư luận (tin liên quan)"))
    figure(
        "sentiment",
        "Tỷ lệ sắc thái, khoảng tin cậy 95 % (Wilson)"
        + ("; vạch đen: tuần trước" if has_previous(summary) else ""),
        "Biểu đồ tỷ lệ sắc thái với khoảng tin cậy 95 %",
    )
    blocks.append(
        Table(
            (
                Column("Sắc thái", "text", 3),
                Column("Số tin", "number", 2),
                Column("Tỷ lệ", "percent", 2),
                Column("Khoảng tin cậy 95 %", "interval", 4),
                Column("Tuần trước", "percent", 2.5),
                Column("Thay đổi", "change", 3.5),
            ),
            tuple(
                (
                    SENTIMENT_VI[r["sentiment"]],
                    number(r["items"]),
                    pct(r["share"]),
                    f"{pct(r['ci_low'])} – {pct(r['ci_high'])}",
                    pct(r["previous_share"]),
                    signed(r["change_pp"]),
                )
                for r in summary["change"].to_dict("records")
            ),
        )
    )
    para(
        "Ý kiến phê bình, góp ý được tính là sắc thái tiêu cực của dư luận, không bị coi là "
        "thông tin sai lệch. Mẫu nhỏ thì khoảng tin cậy rộng.",
        style="note",
    )
    corrected = (
        int(summary["totals"].get("corrected_sentiment", 0)),
        int(summary["totals"].get("corrected_relevance", 0)),
    )
    if any(corrected):
        para(
            "Nhãn do người duyệt sửa được dùng thay cho nhãn của máy: "
            f"{number(corrected[0])} tin được sửa sắc thái, "
            f"{number(corrected[1])} tin được sửa về mức liên quan trong tuần.",
            style="note",
        )
    blocks.append(
        Heading(
            2,
            "Vấn đề được quan tâm nhiều (trong các tin tiêu cực; không tính tin sai lệch, "
            "tin cảnh báo, đính chính và tin của cơ quan chính thức)",
        )
    )
    concerns = summary["concerns"].to_dict("records")
    if concerns:
        blocks.append(
            Bullets(
                tuple(
                    (
                        Span(safe.line(r["term"]), strong=True),
                        Span(f" ({number(r['items'])} tin): "),
                        *_quotes(safe.texts(r["examples"])),
                    )
                    for r in concerns
                )
            )
        )
    else:
        para(NO_CONCERN)

    # 3. good practices
    blocks.append(Heading(1, "3. Mô hình hay, cách làm hiệu quả"))
    para(GOOD_NOTE, style="note")
    good = summary["good"].to_dict("records")
    if good:
        blocks.append(
            Table(
                (
                    Column("Tin", "text", 7.5),
                    Column("Nguồn đưa tin", "text", 4.5),
                    Column("Số nguồn", "number", 2),
                    Column("Thời điểm", "time", 3),
                ),
                tuple(
                    (
                        safe.line(r["title"], 200),
                        ", ".join(safe.line(n, 120) for n in r["sources"]) or safe.EMPTY,
                        number(r["source_count"]),
                        _when(r["when"]),
                    )
                    for r in good
                ),
            )
        )
    else:
        para(NO_GOOD)

    # 4. misinformation
    blocks.append(Heading(1, "4. Thông tin xuyên tạc và lừa đảo"))
    figure(
        "flags",
        "Máy gắn cờ và người rà soát xác nhận",
        "Biểu đồ tin bị máy gắn cờ và tin đã xác nhận",
    )
    blocks.append(
        Table(
            (
                Column("Loại", "text", 8),
                Column("Máy gắn cờ", "number", 4),
                Column("Đã xác nhận", "number", 4),
            ),
            tuple(
                (MISINFO_VI[r["misinfo"]], number(r["flagged"]), number(r["confirmed"]))
                for r in summary["flags"].to_dict("records")
            ),
        )
    )
    para(
        f"Hàng đợi rà soát: {number(t['tasks'])} tin; đã kết luận {number(t['decided'])}, "
        f"chờ xử lý {number(t['pending'])}, chuyển cấp trên {number(t['escalated'])}."
    )
    if len(confirmed):
        blocks.append(Heading(2, "Tin đã xác nhận"))
        blocks.append(
            Table(
                (
                    Column("Loại", "text", 2.5),
                    Column("Nguồn", "text", 2.5),
                    Column("Xuất hiện đầu tiên", "time", 2.6),
                    Column("Số nguồn", "number", 1.6),
                    Column("Trích đoạn", "text", 4.5),
                    Column("Nội dung chính thức", "text", 3.3),
                ),
                tuple(
                    (
                        MISINFO_VI[r["verdict"]],
                        safe.line(r["source"], 120),
                        _when(r["first_seen"]),
                        number(r["source_count"]),
                        safe.line(_excerpt(r["excerpt"], r["title"]), 200),
                        safe.line(r["contradicts"], 200),
                    )
                    for r in confirmed.to_dict("records")
                ),
            )
        )
    if len(summary["pending"]):
        para(f"Còn {len(summary['pending'])} tin bị gắn cờ đang chờ kết luận.")

    # 5. coverage
    blocks.append(Heading(1, "5. Độ bao phủ và lưu ý"))
    flagged = int(summary["flags"]["flagged"].sum())
    reviewed = int(t["decided"]) + int(t["escalated"])
    share = pct(reviewed / t["tasks"]) if t["tasks"] else safe.EMPTY
    lines = [
        f"Tin đã được rà soát: {reviewed}/{number(t['tasks'])} tin trong hàng đợi ({share}); "
        f"máy gắn cờ {flagged} tin."
    ]
    if coverage is not None:
        silent, failing = safe.texts(coverage["silent"]), safe.texts(coverage["failing"])
        lines.append(
            f"Nguồn không có tin mới trong tuần ({len(silent)}): {', '.join(silent) or 'không có'}."
        )
        lines.append(
            f"Nguồn đang lỗi hoặc bị tắt ({len(failing)}): {'; '.join(failing) or 'không có'}."
        )
    lines.append(
        "Số liệu chỉ phản ánh các nguồn đang theo dõi, không đại diện cho toàn bộ dư luận."
    )
    blocks.append(Bullets(tuple((Span(text),) for text in lines)))
    para(FOOTER, style="footer")
    return Document(
        title=f"Tổng hợp dư luận tuần {week.label}",
        subtitle=f"Từ {start:%d/%m/%Y} đến {end:%d/%m/%Y} — {SUBJECT}.",
        blocks=tuple(blocks),
    )


# --- Markdown ----------------------------------------------------------------------------------


def _md_span(span: Span) -> str:
    """One span as Markdown, its leading and trailing space kept (``safe.markdown`` trims)."""
    text = safe.markdown(span.text, empty="")
    if span.strong and text:
        text = f"**{text}**"
    lead = " " if span.text[:1].isspace() else ""
    trail = " " if span.text[-1:].isspace() else ""
    return f"{lead}{text}{trail}"


def _md_spans(spans: tuple[Span, ...]) -> str:
    return "".join(_md_span(s) for s in spans if s.text)


def _md_cell(text: str) -> str:
    return safe.markdown(text, table=True)


def markdown_of(document: Document) -> str:
    """``document`` as GitHub-flavoured Markdown: every text escaped (``safe.markdown``: no link,
    no HTML, no emphasis from content), numeric columns right-aligned. Markdown carries no
    image: a figure is its numbered caption with a pointer to the HTML and DOCX editions."""
    lines = [f"# {safe.markdown(document.title)}", f"_{safe.markdown(document.subtitle)}_"]
    for block in document.blocks:
        lines.append("")
        if isinstance(block, Heading):
            lines.append(f"{'#' * (block.level + 1)} {safe.markdown(block.text)}")
        elif isinstance(block, Highlights):
            lines.append(
                " · ".join(
                    f"**{safe.markdown(n)}** {safe.markdown(what)}" for n, what in block.items
                )
            )
        elif isinstance(block, Paragraph):
            text = _md_spans(block.spans)
            lines.append(f"_{text}_" if block.style in ("note", "nodata", "footer") else text)
        elif isinstance(block, Bullets):
            lines += [f"- {_md_spans(item)}" for item in block.items]
        elif isinstance(block, Figure):
            lines.append(f"_{safe.markdown(block.label)} (biểu đồ trong bản HTML và DOCX)_")
        elif isinstance(block, Table):
            lines.append("| " + " | ".join(_md_cell(c.title) for c in block.columns) + " |")
            lines.append(
                "|" + "|".join("---:" if c.numeric else "---" for c in block.columns) + "|"
            )
            lines += ["| " + " | ".join(_md_cell(v) for v in row) + " |" for row in block.rows]
    lines.append("")
    return "\n".join(lines)


def render_markdown(
    summary: dict[str, Any], week: Week, coverage: dict[str, list[str]] | None = None
) -> str:
    """The Vietnamese Markdown report: ``markdown_of(weekly_document(...))``."""
    return markdown_of(weekly_document(summary, week, coverage))
