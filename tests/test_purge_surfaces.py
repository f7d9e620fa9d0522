"""What people see of retention: ``duluan purge`` (and ``--dry-run``), the item pages and the API
for an item whose text was blanked, and a clear refusal of inconsistent settings."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker
from typer.testing import CliRunner

from cli import app
from core.config import Settings
from core.db import make_engine, make_sessionmaker, utcnow
from core.retention import purge
from core.tables import AuditEvent, Item
from tests.apps import Apps, csrf_of, login, web_login
from tests.factories import make_analysis, make_item
from tests.web.helpers import people

runner = CliRunner()
PURGED = "nội dung đã xoá theo thời hạn lưu trữ"


def _old_item(session: Session, days: int, title: str) -> int:
    when = utcnow() - timedelta(days=days)
    item = make_item(
        session, title=title, text=f"{title} — nội dung", published_at=when, fetched_at=when
    )
    make_analysis(session, item, created_at=when, misinfo="none", sentiment="neutral")
    return item.id


def test_purge_command_dry_run_then_run(cli_env: Path) -> None:
    assert runner.invoke(app, ["migrate"]).exit_code == 0
    engine = make_engine(f"sqlite:///{cli_env}")
    factory = make_sessionmaker(engine)
    with factory() as s:
        old = _old_item(s, 200, "Tin cũ về thẻ căn cước")
        new = _old_item(s, 3, "Tin mới về thẻ căn cước")
        s.commit()

    dry = runner.invoke(app, ["purge", "--dry-run"])
    assert dry.exit_code == 0, dry.output
    assert "Dry run: nothing changed." in dry.stdout
    assert "Item texts (before " in dry.stdout
    assert "1 would be blanked" in dry.stdout
    with factory() as s:
        assert s.get(Item, old).title == "Tin cũ về thẻ căn cước"  # type: ignore[union-attr]
        assert s.scalar(select(func.count()).where(AuditEvent.action.like("retention.%"))) == 0

    done = runner.invoke(app, ["purge"])
    assert done.exit_code == 0, done.output
    assert "1 were blanked" in done.stdout
    with factory() as s:
        assert s.get(Item, old).purged_at is not None  # type: ignore[union-attr]
        assert s.get(Item, new).purged_at is None  # type: ignore[union-attr]
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "retention.purge"))
        assert event is not None
        assert event.after is not None
        assert event.after["texts_blanked"] == 1
        assert "Tin cũ" not in str(event.after)  # counts only, no content


def test_purge_command_refuses_audit_shorter_than_texts(
    cli_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from core.config import get_settings

    monkeypatch.setenv("DULUAN_RETENTION_TEXT_DAYS", "180")
    monkeypatch.setenv("DULUAN_RETENTION_AUDIT_DAYS", "30")
    get_settings.cache_clear()
    result = runner.invoke(app, ["purge", "--dry-run"])
    assert result.exit_code == 1
    assert "DULUAN_RETENTION_AUDIT_DAYS (30) must not be shorter" in result.stderr


@pytest.fixture
def client(sqlite_settings: Settings, apps: Apps) -> tuple[TestClient, sessionmaker[Session]]:
    factory = apps.sessions(sqlite_settings)
    with factory() as s:
        people(s)
        s.commit()
    c = apps(sqlite_settings)
    return c, factory


def test_pages_and_api_of_a_blanked_item(client, sqlite_settings: Settings) -> None:  # type: ignore[no-untyped-def]
    c, factory = client
    with factory() as s:
        item_id = _old_item(s, 400, "Tiêu đề bí mật sẽ bị xoá")
        s.commit()
        purge(s, sqlite_settings, utcnow())
    web_login(c, "pt1")
    page = c.get(f"/items/{item_id}")
    assert page.status_code == 200
    assert PURGED in page.text
    assert "Tiêu đề bí mật" not in page.text
    assert "Kết quả phân tích đã xoá theo thời hạn lưu trữ." in page.text
    assert f'action="/items/{item_id}/review"' not in page.text  # nothing left to review
    listing = c.get("/items")
    assert PURGED in listing.text
    assert c.get("/items", params={"q": "bi mat"}).text.count(f"/items/{item_id}") == 0
    # the form sent anyway is refused with the Vietnamese message
    sent = c.post(
        f"/items/{item_id}/review", data={"csrf": csrf_of(page.text)}, follow_redirects=True
    )
    assert "không còn gì để rà soát" in sent.text
    headers = login(c, "pt1")
    detail = c.get(f"/api/v1/items/{item_id}", headers=headers).json()
    assert detail["item"]["purged_at"] is not None
    assert (detail["item"]["title"], detail["item"]["text"]) == ("", "")
    refused = c.post(f"/api/v1/items/{item_id}/review", headers=headers, json={})
    assert refused.status_code == 409
    assert refused.json()["error"]["code"] == "text_purged"


def test_a_blanked_item_whose_analysis_is_kept(client, sqlite_settings: Settings) -> None:  # type: ignore[no-untyped-def]
    """200 days old: the text is gone, the analysis stays with its reasons stripped of quotes;
    the page, the list filtered by flag and the API still read it."""
    c, factory = client
    with factory() as s:
        when = utcnow() - timedelta(days=200)
        item = make_item(
            s,
            title="Nhập mã OTP bí mật",
            text="Hãy nhập mã OTP bí mật tại đây",
            published_at=when,
            fetched_at=when,
        )
        make_analysis(s, item, created_at=when)  # a scam flag quoting "mã OTP"
        item_id = item.id
        s.commit()
        purge(s, sqlite_settings, utcnow())
    web_login(c, "pt1")
    page = c.get(f"/items/{item_id}")
    assert page.status_code == 200
    assert PURGED in page.text
    assert "bí mật" not in page.text
    assert "Yêu cầu OTP" in page.text  # the reason's message stays
    assert f"/items/{item_id}" in c.get("/items", params={"misinfo": "scam"}).text
    headers = login(c, "pt1")
    detail = c.get(f"/api/v1/items/{item_id}", headers=headers)
    assert detail.status_code == 200, detail.text
    reasons = detail.json()["analysis"]["reasons"]
    assert [(r["kind"], r["evidence"]) for r in reasons] == [("credential_request", "")]
