"""A reviewer's corrected sentiment and relevance are what is shown and counted — item list, item
page, API, dashboard, weekly report — with the machine's value named where it differs; warnings,
fact-checks and official notices are not the public's concerns."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient
from sqlalchemy.orm import Session, sessionmaker

from core.calendar import Week
from core.config import Settings
from core.db import utcnow
from core.genre import warns_or_refutes
from core.items import ItemFilter, get_item, list_items
from core.tables import FeedKind, ReviewTask, TaskStatus, Verdict
from nlp.signals import detect
from report.concerns import concerns
from report.dashboard import dashboard
from report.formats import build
from report.loading import load_week
from report.weekly import summarize
from tests.apps import Apps, login, web_login
from tests.factories import make_analysis, make_feed, make_item, make_user
from tests.web.helpers import people


def _corrected(session: Session, *, sentiment: str | None, relevant: bool | None) -> int:
    """An item the machine called negative and relevant, and a verdict that corrects it."""
    item = make_item(session, title="Lễ ra mắt nền tảng số", published_at=utcnow())
    analysis = make_analysis(
        session, item, sentiment="negative", relevant=True, misinfo="none", reasons=[]
    )
    task = ReviewTask(
        item_id=item.id, analysis_id=analysis.id, status=TaskStatus.decided, priority=0.5
    )
    session.add(task)
    session.flush()
    reviewer = make_user(session, f"ctv-{item.id}")
    session.add(
        Verdict(
            task_id=task.id,
            reviewer_id=reviewer.id,
            label="not_misinformation",
            sentiment=sentiment,
            relevant=relevant,
        )
    )
    session.flush()
    return item.id


def test_the_latest_correction_wins_and_the_machine_value_stays(session: Session) -> None:
    item_id = _corrected(session, sentiment="positive", relevant=None)
    plain = make_item(session)
    make_analysis(session, plain, sentiment="negative", misinfo="none")
    _, analysis, task, labels = get_item(session, item_id)  # type: ignore[misc]
    assert (labels.sentiment, labels.machine_sentiment) == ("positive", "negative")
    assert labels.sentiment_by_human
    assert labels.sentiment_differs
    assert (labels.relevant, labels.relevant_by_human) == (True, False)  # not corrected
    # a later verdict that corrects again wins; one that sets nothing changes nothing
    assert task is not None
    other = make_user(session, "ctv-later")
    session.add(Verdict(task_id=task.id, reviewer_id=other.id, label="escalate"))
    session.add(Verdict(task_id=task.id, reviewer_id=other.id, label="escalate", relevant=False))
    session.flush()
    labels = get_item(session, item_id)[3]  # type: ignore[index]
    assert (labels.sentiment, labels.relevant, labels.relevant_differs) == ("positive", False, True)
    # an undone or replaced verdict's correction no longer counts
    for v in task.verdicts:
        v.withdrawn_at = utcnow()
    session.flush()
    labels = get_item(session, item_id)[3]  # type: ignore[index]
    assert (labels.sentiment, labels.sentiment_by_human) == ("negative", False)
    for v in task.verdicts:
        v.withdrawn_at = None
    session.flush()
    plain_labels = get_item(session, plain.id)[3]  # type: ignore[index]
    assert not plain_labels.sentiment_by_human
    assert plain_labels.sentiment == "negative"
    # the filters match what is shown
    found = {row[0].id for row in list_items(session, ItemFilter(sentiment="positive"))[0]}
    assert found == {item_id}
    found = {row[0].id for row in list_items(session, ItemFilter(sentiment="negative"))[0]}
    assert found == {plain.id}
    found = {row[0].id for row in list_items(session, ItemFilter(relevant=False))[0]}
    assert found == {item_id}


def test_dashboard_and_week_count_the_human_labels(session: Session) -> None:
    _corrected(session, sentiment="positive", relevant=None)
    _corrected(session, sentiment=None, relevant=False)
    machine = make_item(session, published_at=utcnow())
    make_analysis(session, machine, sentiment="negative", misinfo="none")
    session.commit()

    data = dashboard(session)
    assert sum(data["sentiment"]["positive"]) == 1
    assert sum(data["sentiment"]["negative"]) == 1  # the off-topic one is not counted
    assert sum(data["items"]) == 3

    frame = load_week(session, Week.containing(utcnow())).set_index("item_id")
    assert list(frame["sentiment"]) == ["positive", "negative", "negative"]
    assert list(frame["machine_sentiment"]) == ["negative", "negative", "negative"]
    assert list(frame["relevant"]) == [True, False, True]
    assert list(frame["labelled_by_human"]) == [True, True, False]

    totals = summarize(frame.reset_index())["totals"]
    assert (totals["corrected_sentiment"], totals["corrected_relevance"]) == (1, 1)
    report = build(session, Week.containing(utcnow()), "md").decode()
    assert "1 tin được sửa sắc thái, 1 tin được sửa về mức liên quan" in report


def test_warnings_factchecks_and_official_notices_are_not_concerns(session: Session) -> None:
    official = make_feed(session, kind=FeedKind.official, name="Cổng tỉnh")
    texts = [
        # two complaints: the public's concern
        ("Cổng dịch vụ công chậm quá, nộp hồ sơ cả ngày không xong", None, []),
        ("Cổng dịch vụ công chậm, nộp hồ sơ mãi không được", None, []),
        # two warnings that share the phrase: not opinion
        (
            "Cảnh báo: cổng dịch vụ công giả mạo đang lừa người dân nộp hồ sơ",
            None,
            [("warning_context", "Cảnh báo")],
        ),
        (
            "Cảnh giác với cổng dịch vụ công giả mạo nộp hồ sơ",
            None,
            [("warning_context", "Cảnh giác")],
        ),
        # an official notice
        ("Cổng dịch vụ công bảo trì, nộp hồ sơ tạm dừng", official.id, []),
        ("Cổng dịch vụ công nâng cấp, nộp hồ sơ tạm dừng", official.id, []),
    ]
    for text, feed_id, cues in texts:
        item = make_item(session, title=text, text=text, published_at=utcnow(), feed_id=feed_id)
        make_analysis(
            session,
            item,
            sentiment="negative",
            misinfo="none",
            reasons=[{"kind": k, "evidence": e, "message": "", "weight": -0.6} for k, e in cues],
        )
    session.commit()
    frame = load_week(session, Week.containing(utcnow()))
    assert list(frame["genre"]) == ["opinion"] * 2 + ["warning_or_factcheck"] * 2 + ["official"] * 2
    found = concerns(frame)
    assert not found.empty
    assert all(n == 2 for n in found["items"])  # only the two complaints
    assert all("giả mạo" not in " ".join(ex) for ex in found["examples"])


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Cảnh báo thủ đoạn giả danh cán bộ thuế gọi điện", True),
        ("Công an bác bỏ thông tin sai lan truyền trên mạng về Nghị quyết 57", True),
        ("Tuyệt đối không cung cấp mã OTP, không bấm vào đường link lạ", True),  # two negated
        # a complaint whose "không được cung cấp" is not a warning (UIT-VSFC-like)
        ("Tài liệu ôn tập thi không được cung cấp", False),
        ("Cổng dịch vụ công chậm quá, chờ cả buổi", False),
    ],
)
def test_warns_or_refutes(text: str, expected: bool) -> None:
    assert warns_or_refutes((s.kind, s.evidence) for s in detect(text)) is expected


@pytest.fixture
def client(sqlite_settings: Settings, apps: Apps) -> tuple[TestClient, sessionmaker[Session]]:
    factory = apps.sessions(sqlite_settings)
    with factory() as s:
        people(s)
        s.commit()
    c = apps(sqlite_settings)
    return c, factory


def test_pages_and_api_show_the_human_value(client) -> None:  # type: ignore[no-untyped-def]
    c, factory = client
    with factory() as s:
        item_id = _corrected(s, sentiment="positive", relevant=False)
        s.commit()
    web_login(c, "pt1")
    for path in ("/items", f"/items/{item_id}"):
        html = c.get(path).text
        assert "Tích cực · người duyệt sửa" in html, path
        assert "(máy đoán: Tiêu cực)" in html, path
        assert "Ngoài lĩnh vực · người duyệt sửa" in html, path
        assert "(máy đoán: Đúng lĩnh vực)" in html, path
    bearer = login(c, "pt1")
    body = c.get("/api/v1/items", params={"sentiment": "positive"}, headers=bearer).json()
    assert [row["item"]["id"] for row in body["items"]] == [item_id]
    labels = body["items"][0]["labels"]
    assert (labels["sentiment"], labels["machine_sentiment"]) == ("positive", "negative")
    assert (labels["sentiment_by_human"], labels["relevant"]) == (True, False)
    one = c.get(f"/api/v1/items/{item_id}", headers=bearer).json()
    assert one["labels"]["relevant_by_human"] is True
