"""The report pages without a browser: the form and its rules, refusals in Vietnamese with
what was typed kept, "Phản ánh của tôi", screenshots behind the session."""

from __future__ import annotations

from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from core.config import Settings
from core.tables import AuditEvent, Report
from tests.api.test_reports import _bomb
from tests.apps import Apps, csrf_of, web_login
from tests.web.helpers import people


@pytest.fixture
def app_db(
    sqlite_settings: Settings, tmp_path: Path, apps: Apps
) -> tuple[TestClient, sessionmaker[Session]]:
    settings = sqlite_settings.model_copy(update={"report_image_dir": tmp_path / "images"})
    factory = apps.sessions(settings)
    with factory() as s:
        people(s)
        s.commit()
    c = apps(settings)
    return c, factory


def test_the_form_says_what_not_to_write_where_it_was_seen(
    app_db: tuple[TestClient, sessionmaker[Session]],
) -> None:
    client, _ = app_db
    web_login(client, "ctv1")
    html = client.get("/reports/new").text
    assert 'enctype="multipart/form-data"' in html
    assert 'accept="image/png,image/jpeg,image/webp"' in html
    assert "không ghi tên hay tài khoản của bất kỳ ai" in html
    assert 'aria-describedby="report-place-hint"' in html


def test_a_report_from_the_form_lands_in_my_reports(
    app_db: tuple[TestClient, sessionmaker[Session]],
) -> None:
    client, factory = app_db
    web_login(client, "ctv1")
    csrf = csrf_of(client.get("/reports/new").text)
    r = client.post(
        "/reports/new",
        data={"csrf": csrf, "text": "Tin đồn phải nộp phí để giữ số điện thoại", "place": "chợ xã"},
        files={"images": ("", b"", "application/octet-stream")},  # no file chosen
        follow_redirects=False,
    )
    assert r.status_code == 303
    assert r.headers["location"] == "/reports/mine?msg=report_saved"
    mine = client.get(r.headers["location"]).text
    assert "Đã nhận phản ánh" in mine
    assert "Đang chờ rà soát" in mine
    assert "chợ xã" in mine
    with factory() as s:
        assert len(s.scalars(select(Report)).all()) == 1
        assert s.scalar(select(AuditEvent.action).where(AuditEvent.action == "report.submit"))
    web_login(client, "ctv2")
    assert "Bạn chưa gửi phản ánh nào." in client.get("/reports/mine").text


def test_a_refused_image_says_why_in_vietnamese_and_keeps_what_was_typed(
    app_db: tuple[TestClient, sessionmaker[Session]],
) -> None:
    client, factory = app_db
    web_login(client, "ctv1")
    csrf = csrf_of(client.get("/reports/new").text)
    r = client.post(
        "/reports/new",
        data={"csrf": csrf, "text": "nội dung đã gõ", "place": "nhóm Zalo thôn"},
        files={"images": ("bomb.png", _bomb(), "image/png")},
    )
    assert r.status_code == 422
    assert "Ảnh 1: Ảnh có kích thước quá lớn" in r.text
    assert "nội dung đã gõ</textarea>" in r.text
    assert 'value="nhóm Zalo thôn"' in r.text
    with factory() as s:
        assert s.scalars(select(Report)).all() == []


def test_the_form_needs_its_csrf_token_and_a_session(
    app_db: tuple[TestClient, sessionmaker[Session]],
) -> None:
    client, factory = app_db
    r = client.get("/reports/new", follow_redirects=False)
    assert r.status_code == 303
    assert r.headers["location"].startswith("/login")
    assert client.get("/report-images/1", follow_redirects=False).status_code == 303
    web_login(client, "ctv1")
    r = client.post("/reports/new", data={"csrf": "sai", "text": "x"}, follow_redirects=False)
    assert r.status_code == 303
    assert "bad_form" in r.headers["location"]
    with factory() as s:
        assert s.scalars(select(Report)).all() == []
