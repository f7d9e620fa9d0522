"""Shared by the web tests: a fixture database with people (each one's password is
``tests.apps.password(name)``; sign in with ``tests.apps.web_login``) and flagged items,
including the hostile items of the XSS corpus."""

from __future__ import annotations

from sqlalchemy.orm import Session

from core.tables import ReviewTask, TaskStatus
from tests.apps import password
from tests.factories import make_analysis, make_item, make_user

# Feed text that must render inert wherever it appears.
XSS_TITLE = '<script>window.__xss=1</script><img src=x onerror="window.__xss=2">Tin độc hại'
XSS_TEXT = (
    'Bấm <a href="javascript:window.__xss=3">vào đây</a> và nhập mã OTP '
    '<svg onload="window.__xss=4"></svg> "><script>window.__xss=5</script>'
)
XSS_URL = "javascript:window.__xss=6"


def people(session: Session) -> None:
    for name, role in (
        ("ctv1", "collaborator"),
        ("ctv2", "collaborator"),
        ("pt1", "analyst"),
        ("qt1", "admin"),
    ):
        make_user(session, name, role, password(name))


def flagged(session: Session, n: int = 3, hostile: bool = True) -> list[ReviewTask]:
    """``n`` queued items (priority falling), the first one hostile when asked."""
    tasks = []
    for i in range(n):
        kw = (
            {"title": XSS_TITLE, "text": XSS_TEXT, "url": XSS_URL}
            if hostile and i == 0
            else {"title": f"Tin nghi lừa đảo số {i}", "text": f"Hãy nhập mã OTP để nhận quà {i}"}
        )
        item = make_item(session, **kw)
        analysis = make_analysis(session, item)
        task = ReviewTask(
            item_id=item.id,
            analysis_id=analysis.id,
            status=TaskStatus.pending,
            reason="risk",
            priority=0.9 - i / 100,
        )
        session.add(task)
        tasks.append(task)
    session.flush()
    return tasks
