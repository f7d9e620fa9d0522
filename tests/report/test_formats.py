"""The weekly report from a fixture week in the database: numbers by hand, every format."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import lxml.html
import pandas as pd
import pytest
from docx import Document
from sqlalchemy.orm import Session

from core.calendar import Week
from core.tables import Cluster, ReviewTask, TaskStatus, Verdict
from report.formats import build, charts
from report.loading import load_week
from report.weekly import good_practices, summarize
from tests.factories import make_analysis, make_item, make_user

WEEK = Week.parse("2026-W48")  # Mon 23/11 – Sun 29/11/2026, Vietnam time
MON = datetime(2026, 11, 23, 3, 0, tzinfo=UTC)  # 10:00 in Vietnam
FALSE_NUMBER = "Số 57-NQ/TW ngày 22/12/2024 của Bộ Chính trị về đột phá phát triển khoa học"


def _fixture_week(session: Session) -> dict[str, int]:
    reviewer = make_user(session, "ctv-report")
    cluster = Cluster(first_seen_at=MON - timedelta(days=2), item_count=3, source_count=3)
    session.add(cluster)
    session.flush()

    def item(day: int, sentiment: str, misinfo: str = "none", relevant: bool = True, **kw):  # type: ignore[no-untyped-def]
        reasons = kw.pop("reasons", None)
        it = make_item(session, published_at=MON + timedelta(days=day), **kw)
        an = make_analysis(
            session,
            it,
            relevant=relevant,
            sentiment=sentiment,
            misinfo=misinfo,
            risk=0.9 if misinfo != "none" else 0.1,
            **({"reasons": reasons} if reasons is not None else {}),
        )
        return it, an

    def decided(it, an, verdict: str) -> None:  # type: ignore[no-untyped-def]
        task = ReviewTask(item_id=it.id, analysis_id=an.id, status=TaskStatus.decided, priority=0.9)
        session.add(task)
        session.flush()
        session.add(Verdict(task_id=task.id, reviewer_id=reviewer.id, label=verdict))

    # Monday: 3 items (2 relevant negative criticism, 1 irrelevant)
    item(0, "negative", title="Cổng dịch vụ công chậm quá", source="Báo A")
    item(0, "negative", title="Lại lỗi cổng dịch vụ công", source="Báo B")
    item(0, "neutral", relevant=False, title="Giá vàng hôm nay", source="Báo A")
    # Tuesday: a distortion carried by 3 sources (confirmed), with the fact it contradicts
    fact = {"official": FALSE_NUMBER, "in_text": "Nghị quyết 57 ngày 1/1/2020"}
    d_item, d_an = item(
        1,
        "negative",
        "distortion",
        title="Nghị quyết 57 ban hành ngày 1/1/2020",
        source="Diễn đàn X",
        cluster_id=cluster.id,
        reasons=[
            {
                "kind": "fact_mismatch",
                "evidence": "ngày 1/1/2020",
                "message": "Sai ngày ban hành",
                "weight": 0.7,
                "fact": fact,
            }
        ],
    )
    decided(d_item, d_an, "distortion")
    # Wednesday: a scam (confirmed), a positive item, a flagged scam still pending
    s_item, s_an = item(2, "neutral", "scam", title="Nhập mã OTP để nhận tiền", source="Nhóm Y")
    decided(s_item, s_an, "scam")
    item(2, "positive", title="Ứng dụng VNeID tiện lợi", source="Báo A")
    p_item, p_an = item(2, "neutral", "scam", title="Cài app lạ nhận quà", source="Nhóm Y")
    session.add(
        ReviewTask(item_id=p_item.id, analysis_id=p_an.id, status=TaskStatus.pending, priority=0.8)
    )
    # previous week: 2 relevant items, 1 positive, 1 negative
    item(-5, "positive", title="Tuần trước tốt", source="Báo A")
    item(-5, "negative", title="Tuần trước chậm", source="Báo A")
    session.flush()
    return {"distortion": d_item.id, "scam": s_item.id}


def test_numbers_match_a_hand_count(session: Session) -> None:
    ids = _fixture_week(session)
    frame = load_week(session, WEEK)
    s = summarize(frame, load_week(session, WEEK.previous))
    # 7 items this week; 6 relevant (the gold price is not): negative 3, neutral 2, positive 1
    assert s["totals"]["items"] == 7
    assert s["totals"]["relevant"] == 6
    assert s["sentiment"].set_index("sentiment")["items"].to_dict() == {
        "negative": 3,
        "neutral": 2,
        "positive": 1,
    }
    change = s["change"].set_index("sentiment")
    assert change.loc["negative", "share"] == 0.5  # 3 / 6
    assert change.loc["negative", "previous_share"] == 0.5  # 1 / 2
    assert change.loc["negative", "change_pp"] == 0.0
    assert change.loc["positive", "change_pp"] == pytest.approx(100 * (1 / 6 - 1 / 2), abs=0.05)
    assert s["by_day"]["items"].tolist() == [3, 1, 3]
    assert s["flags"].set_index("misinfo").to_dict("index") == {
        "distortion": {"flagged": 1, "confirmed": 1},
        "scam": {"flagged": 2, "confirmed": 1},
    }
    confirmed = s["confirmed"].set_index("item_id")
    d = confirmed.loc[ids["distortion"]]
    assert d["source_count"] == 3
    assert d["contradicts"] == FALSE_NUMBER
    assert d["first_seen"] == pd.Timestamp(MON - timedelta(days=2)).tz_convert("Asia/Ho_Chi_Minh")
    assert confirmed.loc[ids["scam"], "source_count"] == 1
    assert s["pending"]["title"].tolist() == ["Cài app lạ nhận quà"]
    assert s["concerns"].iloc[0]["items"] == 2  # "cổng dịch vụ công": two criticisms


def test_every_format_carries_the_same_report(session: Session) -> None:
    _fixture_week(session)
    html = build(session, WEEK, "html").decode()
    assert html.count('src="data:image/png;base64,') == 3  # the charts are embedded
    assert "@page { size: A4" in html
    assert "<script" not in html
    assert FALSE_NUMBER in html
    assert "Tổng hợp dư luận tuần 2026-W48" in html

    md = build(session, WEEK, "md").decode()
    assert "| Sai lệch" in md or "| Xuyên tạc, sai lệch |" in md
    assert FALSE_NUMBER in md
    assert "Còn 1 tin bị gắn cờ đang chờ kết luận." in md

    csv = pd.read_csv(io.BytesIO(build(session, WEEK, "csv")))
    assert len(csv) == 7
    assert {"source_count", "first_seen", "contradicts"} <= set(csv.columns)
    assert not {"author", "reviewer", "username"} & set(csv.columns)  # no person in the report

    doc = Document(io.BytesIO(build(session, WEEK, "docx")))
    text = "\n".join(p.text for p in doc.paragraphs)
    assert "Tổng hợp dư luận tuần 2026-W48" in text
    cells = [c.text for t in doc.tables for row in t.rows for c in row.cells]
    assert FALSE_NUMBER in cells
    assert "Xuyên tạc, sai lệch" in cells
    assert len(doc.inline_shapes) == 3  # the charts


def test_charts_are_png_images(session: Session) -> None:
    _fixture_week(session)
    images = charts(summarize(load_week(session, WEEK)))
    assert set(images) == {"volume", "sentiment", "flags"}
    assert all(png.startswith(b"\x89PNG") for png in images.values())


def test_an_empty_week_still_renders(session: Session) -> None:
    for fmt in ("html", "md", "csv", "docx"):
        assert build(session, Week.parse("2020-W01"), fmt)


def _good_week(session: Session) -> dict[str, int]:
    """The fixture week plus positive news: a story carried by three sources (two this week,
    one a month ago), one a reviewer cleared, and positive items the section must leave out."""
    ids = _fixture_week(session)
    reviewer = make_user(session, "ctv-good")
    story = Cluster(first_seen_at=MON - timedelta(days=30), item_count=3, source_count=3)
    session.add(story)
    session.flush()

    def positive(day: float, title: str, source: str, misinfo: str = "none", **kw):  # type: ignore[no-untyped-def]
        relevant = kw.pop("relevant", True)
        it = make_item(
            session, published_at=MON + timedelta(days=day), title=title, source=source, **kw
        )
        an = make_analysis(session, it, relevant=relevant, sentiment="positive", misinfo=misinfo)
        return it, an

    def verdict(it, an, kind: str) -> None:  # type: ignore[no-untyped-def]
        task = ReviewTask(item_id=it.id, analysis_id=an.id, status=TaskStatus.decided, priority=0.5)
        session.add(task)
        session.flush()
        session.add(Verdict(task_id=task.id, reviewer_id=reviewer.id, label=kind))

    make_item(  # the story's first source, a month ago (not this week)
        session, published_at=MON - timedelta(days=30), source="Báo D", cluster_id=story.id
    )
    positive(1, "Xã Tân Lập số hoá hồ sơ đất đai", "Báo B", cluster_id=story.id)
    newest, _ = positive(3, "Tân Lập: mỗi hộ một mã QR", "Cổng C", cluster_id=story.id)
    cleared, an = positive(4, "Thôn bản phủ sóng 4G", "Nhóm Z", misinfo="distortion")
    verdict(cleared, an, "not_misinformation")
    positive(4.5, "Nhận quà từ chính quyền số", "Nhóm Y", misinfo="scam")  # flagged, not cleared
    fake, an = positive(5, "Bộ tặng điện thoại miễn phí", "Nhóm Y", misinfo="distortion")
    verdict(fake, an, "distortion")
    positive(5, "Đội bóng thắng lớn", "Báo A", relevant=False)
    session.flush()
    return {**ids, "story": newest.id, "cleared": cleared.id}


# Hand-ranked: the story (3 sources, incl. one of last month), then by recency the cleared item
# (Fri) and the fixture's "Ứng dụng VNeID tiện lợi" (Wed), one source each.
GOOD = [
    ("Tân Lập: mỗi hộ một mã QR", ["Báo B", "Báo D", "Cổng C"], 3, "10:00 26/11/2026"),
    ("Thôn bản phủ sóng 4G", ["Nhóm Z"], 1, "10:00 27/11/2026"),
    ("Ứng dụng VNeID tiện lợi", ["Báo A"], 1, "10:00 25/11/2026"),
]


def test_good_practices_by_hand(session: Session) -> None:
    ids = _good_week(session)
    md = build(session, WEEK, "md").decode()
    section = md.split("## 3. Mô hình hay, cách làm hiệu quả")[1].split("## 4.")[0]
    rows = [line for line in section.splitlines() if line.startswith("| ") and "---" not in line]
    assert rows == [
        "| Tin | Nguồn đưa tin | Số nguồn | Thời điểm |",
        *[f"| {t} | {', '.join(s)} | {r} | {when} |" for t, s, r, when in GOOD],
    ]
    assert "Nhận quà" not in section
    assert "tặng điện thoại" not in section
    assert "Đội bóng" not in section
    assert "## 5. Độ bao phủ và lưu ý" in md

    html = lxml.html.fromstring(build(session, WEEK, "html"))
    table = html.xpath("//h2[contains(., 'Mô hình hay')]/following-sibling::table[1]")[0]
    cells = [[td.text_content() for td in tr.findall("td")] for tr in table.iter("tr")][1:]
    assert cells == [[t, ", ".join(s), str(r), when] for t, s, r, when in GOOD]

    doc = Document(io.BytesIO(build(session, WEEK, "docx")))
    good = next(t for t in doc.tables if t.rows[0].cells[0].text == "Tin")
    assert [[c.text for c in row.cells][:3] for row in good.rows[1:]] == [
        [t, ", ".join(s), str(r)] for t, s, r, _ in GOOD
    ]
    frame = load_week(session, WEEK)
    assert good_practices(frame)["item_id"].tolist()[:2] == [ids["story"], ids["cleared"]]


def test_good_practices_keep_the_top_n_by_source_count_then_recency() -> None:
    when = pd.Timestamp("2026-11-24 10:00", tz="Asia/Ho_Chi_Minh")
    rows = [
        # item, source, cluster, source_count, hours after `when`
        (1, "A", None, 1, 0),
        (2, "B", 7, 2, 1),
        (3, "C", 7, 2, 5),  # the same story as 2: one row, shown by its newest item
        (4, "D", None, 1, 9),
        (5, "E", None, 1, 9),  # a tie with 4: the lower id first
        (6, "F", 8, 4, -30),
    ]
    frame = pd.DataFrame(
        [
            {
                "item_id": i,
                "source": s,
                "title": f"t{i}",
                "excerpt": "",
                "when": when + pd.Timedelta(hours=h),
                "relevant": True,
                "sentiment": "positive",
                "misinfo": "none",
                "verdict": None,
                "source_count": r,
                "cluster_id": c,
            }
            for i, s, c, r, h in rows
        ]
    )
    good = good_practices(frame, {8: ["F", "G", "H", "K"]}, top=4)
    assert good["item_id"].tolist() == [6, 3, 4, 5]
    assert good["sources"].tolist() == [["F", "G", "H", "K"], ["B", "C"], ["D"], ["E"]]
    assert good["source_count"].tolist() == [4, 2, 1, 1]
    assert good_practices(frame.iloc[0:0]).empty


def test_an_empty_week_draws_no_empty_axes(session: Session) -> None:
    week = Week.parse("2020-W01")
    assert charts(summarize(load_week(session, week))) == {}
    html = lxml.html.fromstring(build(session, week, "html"))
    assert html.findall(".//img") == []
    assert html.findall(".//figcaption") == []
    assert html.text_content().count("Không có dữ liệu trong tuần.") == 3
    doc = Document(io.BytesIO(build(session, week, "docx")))
    assert len(doc.inline_shapes) == 0
    assert [p.text for p in doc.paragraphs].count("Không có dữ liệu trong tuần.") == 3


def test_captions_describe_only_the_marks_drawn(session: Session) -> None:
    # relevant items but none flagged, and no previous week: no flags chart, no "last week" mark
    for day in range(2):
        it = make_item(session, published_at=MON + timedelta(days=day), title=f"Tin {day}")
        make_analysis(session, it, sentiment="positive", misinfo="none", risk=0.1)
    images = charts(summarize(load_week(session, WEEK), load_week(session, WEEK.previous)))
    assert set(images) == {"volume", "sentiment"}
    html = lxml.html.fromstring(build(session, WEEK, "html"))
    captions = [c.text_content() for c in html.iter("figcaption")]
    assert captions == [
        "Hình 1. Số tin theo ngày",
        "Hình 2. Tỷ lệ sắc thái, khoảng tin cậy 95 % (Wilson)",
    ]
    assert html.text_content().count("Không có dữ liệu trong tuần.") == 1
    # with a previous week, the black marks are drawn and the caption says so
    last = make_item(session, published_at=MON - timedelta(days=3))
    make_analysis(session, last, sentiment="negative", misinfo="none", risk=0.1)
    html = lxml.html.fromstring(build(session, WEEK, "html"))
    assert "vạch đen: tuần trước" in [c.text_content() for c in html.iter("figcaption")][1]


def test_docx_has_a_title_fixed_column_widths_and_numbers_on_the_right(session: Session) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Cm

    _good_week(session)
    doc = Document(io.BytesIO(build(session, WEEK, "docx")))
    assert doc.core_properties.title == "Tổng hợp dư luận tuần 2026-W48"
    assert doc.core_properties.author == "duluan"  # not python-docx's default, never a person
    text_width = doc.sections[0].page_width - doc.sections[0].left_margin * 2
    numeric_headers = {"Số tin", "Số nguồn", "Tỷ lệ", "Máy gắn cờ", "Đã xác nhận", "Thay đổi"}
    numeric_headers |= {"Khoảng tin cậy 95 %", "Tuần trước"}
    checked = 0
    for grid in doc.tables:
        widths = [cell.width for cell in grid.rows[0].cells]
        assert all(w is not None and w >= Cm(1.5) for w in widths), widths
        assert sum(widths) <= text_width
        assert not grid.autofit
        for i, head in enumerate(c.text for c in grid.rows[0].cells):
            right = head in numeric_headers
            for row in grid.rows:
                alignment = row.cells[i].paragraphs[0].alignment
                assert (alignment == WD_ALIGN_PARAGRAPH.RIGHT) == right, (head, row.cells[i].text)
            checked += right
    assert checked >= 8
    good = next(t for t in doc.tables if t.rows[0].cells[0].text == "Tin")
    assert [round(c.width.cm, 1) for c in good.rows[1].cells] == [7.5, 4.5, 2.0, 3.0]
