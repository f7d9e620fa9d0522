from __future__ import annotations

from datetime import UTC, datetime

import pandas as pd
import pytest
from sqlalchemy.orm import Session

from core.calendar import Week
from core.tables import ReviewTask, TaskStatus, Verdict
from report.concerns import _example, _phrases, concerns
from report.loading import load_coverage, load_week
from report.weekly import render_markdown, sentiment_change, summarize, wilson
from tests.factories import make_analysis, make_item, make_user


def test_week_boundaries_are_vietnam_time() -> None:
    w = Week.parse("2026-W48")
    assert w.start == datetime(2026, 11, 22, 17, 0, tzinfo=UTC)  # Monday 23/11 00:00 +07
    assert (w.end - w.start).days == 7
    assert Week.containing(datetime(2026, 11, 22, 17, 30, tzinfo=UTC)).label == "2026-W48"
    with pytest.raises(ValueError, match="2026-W48"):
        Week.parse("2026-48")
    with pytest.raises(
        ValueError, match="'2026-W60': 2026 has weeks W01 to W53, there is no week 60"
    ):
        Week.parse("2026-W60")
    with pytest.raises(ValueError, match="2025 has weeks W01 to W52"):
        Week.parse("2025-W53")
    for edge in ("0001-W01", "9999-W52", "1969-W40"):  # the calendar's edges overflowed in UTC
        with pytest.raises(ValueError, match="between 1970 and 2100"):
            Week.parse(edge)
    assert Week.parse("2100-W52").end.year == 2101  # the last week ends in the new year


def _frame() -> pd.DataFrame:
    when = pd.Timestamp("2026-11-24 10:00", tz="Asia/Ho_Chi_Minh")
    rows = [
        (1, "A", "t1", when, True, "negative", "none", 0.1, None, None),
        (2, "A", "t2", when, True, "negative", "scam", 0.9, "decided", "scam"),
        (3, "B", "t3", when + pd.Timedelta(days=1), True, "positive", "none", 0.0, None, None),
        (4, "B", "t4", when + pd.Timedelta(days=1), False, "neutral", "none", 0.0, None, None),
        (
            5,
            "B",
            "t5",
            when + pd.Timedelta(days=1),
            True,
            "neutral",
            "distortion",
            0.8,
            "pending",
            None,
        ),
        (6, "C", "t6", when, None, None, None, None, None, None),
    ]
    frame = pd.DataFrame(
        rows,
        columns=[
            "item_id",
            "source",
            "title",
            "when",
            "relevant",
            "sentiment",
            "misinfo",
            "risk",
            "task_status",
            "verdict",
        ],
    )
    return frame.assign(
        excerpt=frame["title"] + " …",
        source_count=[1, 3, 1, 1, 1, 1],
        first_seen=frame["when"] - pd.Timedelta(hours=2),
        contradicts=None,
    )


def test_summarize_counts_by_hand() -> None:
    s = summarize(_frame())
    assert s["totals"] == {
        "items": 6,
        "analysed": 5,
        "relevant": 4,
        "relevant_share": 0.8,
        "tasks": 2,
        "pending": 1,
        "escalated": 0,
        "decided": 1,
        "corrected_sentiment": 0,
        "corrected_relevance": 0,
        "texts_purged": 0,  # a hand-built frame without the column: none
        # no collaborator's report in this frame
        "reports": 0,
        "reports_decided": 0,
        "reports_confirmed": 0,
        "reports_confirmed_share": 0.0,
    }
    expected = pd.DataFrame(
        {
            "sentiment": ["negative", "neutral", "positive"],
            "items": [2, 1, 1],
            "share": [0.5, 0.25, 0.25],
        }
    )
    pd.testing.assert_frame_equal(s["sentiment"], expected, check_dtype=False)
    assert s["by_source"].to_dict("records") == [
        {"source": "B", "items": 3},
        {"source": "A", "items": 2},
        {"source": "C", "items": 1},
    ]
    assert s["flags"].to_dict("records") == [
        {"misinfo": "distortion", "flagged": 1, "confirmed": 0},
        {"misinfo": "scam", "flagged": 1, "confirmed": 1},
    ]
    md = render_markdown(s, Week.parse("2026-W48"))
    assert "# Tổng hợp dư luận tuần 2026-W48" in md
    assert "| Tiêu cực | 2 | 50,0% |" in md


def test_load_week_from_the_database(session: Session) -> None:
    inside = datetime(2026, 11, 25, 3, 0, tzinfo=UTC)
    item = make_item(session, published_at=inside)
    make_analysis(session, item, risk=0.2, misinfo="none")
    latest = make_analysis(session, item, risk=0.9)
    make_item(session, published_at=datetime(2026, 11, 30, 3, 0, tzinfo=UTC))  # next week
    task = ReviewTask(
        item_id=item.id, analysis_id=latest.id, status=TaskStatus.decided, priority=0.9
    )
    session.add(task)
    session.flush()
    session.add(Verdict(task_id=task.id, reviewer_id=make_user(session).id, label="scam"))
    session.flush()
    frame = load_week(session, Week.parse("2026-W48"))
    assert frame[["item_id", "misinfo", "task_status", "verdict"]].to_dict("records") == [
        {"item_id": item.id, "misinfo": "scam", "task_status": "decided", "verdict": "scam"}
    ]


def test_wilson_interval_by_hand() -> None:
    assert wilson(0, 0) == (0.0, 0.0)
    low, high = wilson(5, 10)  # p = 0.5, n = 10: 0.2366 – 0.7634
    assert (low, high) == (0.2366, 0.7634)
    low, high = wilson(0, 4)
    assert low == 0.0
    assert 0.48 < high < 0.50


def test_sentiment_change_against_the_previous_week() -> None:
    cur = _frame()  # relevant: negative 2, neutral 1, positive 1
    prev = cur.copy()
    prev["sentiment"] = [
        "negative",
        "positive",
        "positive",
        "neutral",
        "positive",
        None,
    ]  # rel: neg 1, pos 3
    change = sentiment_change(cur, prev).set_index("sentiment")
    assert change.loc["negative", "share"] == 0.5
    assert change.loc["negative", "previous_share"] == 0.25
    assert change.loc["negative", "change_pp"] == 25.0
    assert change.loc["positive", "change_pp"] == -50.0
    assert change.loc["negative", "ci_low"] < 0.5 < change.loc["negative", "ci_high"]
    first = sentiment_change(cur, None).set_index("sentiment")
    assert first.loc["negative", "previous_share"] is None or pd.isna(
        first.loc["negative", "previous_share"]
    )
    md = render_markdown(summarize(cur, prev), Week.parse("2026-W48"))
    row = next(line for line in md.splitlines() if line.startswith("| Tiêu cực |"))
    assert row.startswith("| Tiêu cực | 2 | 50,0% | ")  # one table: count, share, interval, …
    assert row.endswith(" | 25,0% | +25,0 điểm % |")  # … last week's share and the change
    assert Week.parse("2026-W48").previous.label == "2026-W47"
    assert Week.parse("2026-W01").previous.label == "2025-W52"


CONCERN_COLUMNS = [
    "item_id",
    "source",
    "title",
    "excerpt",
    "when",
    "relevant",
    "sentiment",
    "misinfo",
]


def test_concerns_are_terms_shared_by_negative_items_with_examples() -> None:
    when = pd.Timestamp("2026-11-24 10:00", tz="Asia/Ho_Chi_Minh")
    rows = [
        (
            1,
            "A",
            "Cổng dịch vụ công chậm quá",
            "nộp hồ sơ mãi không được",
            when,
            True,
            "negative",
            "none",
        ),
        (2, "B", "Lại lỗi cổng dịch vụ công", "hệ thống báo lỗi", when, True, "negative", "none"),
        (
            3,
            "C",
            "Sóng điện thoại chập chờn",
            "sóng điện thoại yếu",
            when,
            True,
            "negative",
            "none",
        ),
        (4, "C", "Cổng dịch vụ công nhanh", "hài lòng", when, True, "positive", "none"),
        (
            5,
            "D",
            "Nghị quyết bắt nộp phí",
            "cổng dịch vụ công",
            when,
            True,
            "negative",
            "distortion",
        ),
    ]
    c = concerns(pd.DataFrame(rows, columns=CONCERN_COLUMNS))
    # the whole phrase stands for its parts ("cổng dịch", "dịch vụ", …): same two items
    assert c["term"].tolist() == ["cổng dịch vụ công"]  # "sóng điện thoại": one item only
    top = c.iloc[0]
    assert top["items"] == 2  # the positive item and the distortion do not count
    assert top["examples"] == ["Cổng dịch vụ công chậm quá", "Lại lỗi cổng dịch vụ công"]


def test_concern_phrases_stop_at_punctuation_numbers_and_function_words() -> None:
    phrases = _phrases("Nghị quyết 57 ban hành. Mạng chập chờn, sóng yếu quá")
    assert {"nghị quyết", "ban hành", "mạng chập chờn", "sóng yếu"} <= phrases
    assert not {"quyết ban", "hành mạng", "chờn sóng", "yếu quá"} & phrases


def test_a_broader_concern_is_listed_once_with_its_longest_shared_phrase() -> None:
    when = pd.Timestamp("2026-11-24 10:00", tz="Asia/Ho_Chi_Minh")
    texts = [
        "Cổng dịch vụ công chậm",
        "Cổng dịch vụ công lỗi",
        "Dịch vụ công trực tuyến khó dùng",
        "Bấm vào đường link lạ mất tiền",
        "Đường link lạ gửi qua tin nhắn",
    ]
    rows = [(i, "A", t, "", when, True, "negative", "none") for i, t in enumerate(texts, 1)]
    c = concerns(pd.DataFrame(rows, columns=CONCERN_COLUMNS)).set_index("term")["items"].to_dict()
    assert c == {"dịch vụ công": 3, "đường link lạ": 2}  # not "cổng dịch vụ công" again


def test_examples_from_excerpts_cut_at_word_boundaries() -> None:
    excerpt = "Người dân phản ánh rằng cổng dịch vụ công thường xuyên bị treo vào giờ cao điểm"
    # 10 characters either side end inside "thường xuyên"; the start falls between words
    assert (
        _example("Bức xúc", excerpt, "cổng dịch vụ công", width=10)
        == "…ánh rằng cổng dịch vụ công thường xuyên…"
    )
    assert _example("Cổng dịch vụ công treo", excerpt, "cổng dịch vụ công") == (
        "Cổng dịch vụ công treo"  # the title says it
    )


def test_coverage_names_silent_and_failing_feeds(session: Session) -> None:
    from tests.factories import make_feed

    week = Week.parse("2026-W48")
    busy = make_feed(session, name="Báo A")
    make_feed(session, name="Cổng B")  # nothing this week
    make_feed(session, name="Kênh C", error_count=3, last_error="HTTP 500")
    make_item(session, feed_id=busy.id, fetched_at=datetime(2026, 11, 25, 3, 0, tzinfo=UTC))
    # an item of the week by its publication, fetched the week after: the feed is not silent
    late = make_feed(session, name="Diễn đàn D")
    make_item(
        session,
        feed_id=late.id,
        published_at=datetime(2026, 11, 26, 3, 0, tzinfo=UTC),
        fetched_at=datetime(2026, 12, 2, 3, 0, tzinfo=UTC),
    )
    # never polled: collaborators' reports (and imports) are neither silent nor failing
    make_feed(session, name="Phản ánh của cộng tác viên", kind="report", enabled=False)
    coverage = load_coverage(session, week)
    assert coverage["silent"] == ["Cổng B", "Kênh C"]
    assert coverage["failing"] == ["Kênh C: HTTP 500"]
    md = render_markdown(summarize(_frame()), week, coverage)
    assert "Nguồn không có tin mới trong tuần (2): Cổng B, Kênh C." in md
    assert "Tin đã được rà soát: 1/2 tin" in md


def test_concern_examples_quote_the_words_around_the_term() -> None:
    from report.concerns import _example

    excerpt = (
        "Sáng nay " + "rất " * 30 + "nhiều người phản ánh ứng dụng VNeID báo lỗi đăng nhập liên tục"
    )
    quoted = _example("Bức xúc sáng thứ hai", excerpt, "báo lỗi", width=20)
    assert quoted.startswith("…")
    assert "VNeID báo lỗi đăng nhập" in quoted
    assert len(quoted) < len(excerpt)
    assert _example("Ứng dụng báo lỗi", excerpt, "báo lỗi") == "Ứng dụng báo lỗi"


def test_long_titles_are_clipped_at_a_word_boundary() -> None:
    title = "Bức xúc vì " + "cổng dịch vụ công " * 10
    quoted = _example(title, "", "hạ tầng")
    assert quoted == "Bức xúc vì " + "cổng dịch vụ công " * 5 + "cổng…"  # 110 chars, then a space


def test_generic_words_are_not_concerns_but_the_phrases_around_them_can_be() -> None:
    when = pd.Timestamp("2026-11-24 10:00", tz="Asia/Ho_Chi_Minh")
    texts = [
        "Tuyệt đối không cung cấp mã OTP, ứng dụng lỗi",
        "Được yêu cầu cung cấp mã OTP qua điện thoại, bực mình",
    ]
    rows = [(i, "A", t, "", when, True, "negative", "none") for i, t in enumerate(texts, 1)]
    c = concerns(pd.DataFrame(rows, columns=CONCERN_COLUMNS))
    assert c["term"].tolist() == ["cung cấp mã otp"]


def test_parts_of_a_generic_phrase_are_not_concerns_either() -> None:
    when = pd.Timestamp("2026-11-24 10:00", tz="Asia/Ho_Chi_Minh")
    texts = ["Chuyển đổi số chậm", "Chuyển đổi số tốn kém", "Thay đổi số điện thoại rắc rối"]
    rows = [(i, "A", t, "", when, True, "negative", "none") for i, t in enumerate(texts, 1)]
    c = concerns(pd.DataFrame(rows, columns=CONCERN_COLUMNS))
    assert "đổi số" not in set(c["term"])  # used by all three, but only as part of the field's name
