"""Analysts pick any week on the dashboard and reach every format of its report (issue 14)."""

from __future__ import annotations

import lxml.html
import pytest
from fastapi.testclient import TestClient

from core.calendar import Week
from core.config import Settings
from core.db import utcnow
from tests.apps import Apps, web_login
from tests.web.helpers import people

FORMATS = ("html", "docx", "md", "csv")


@pytest.fixture
def analyst(sqlite_settings: Settings, apps: Apps) -> TestClient:
    with apps.sessions(sqlite_settings)() as s:
        people(s)
        s.commit()
    c = apps(sqlite_settings)
    web_login(c, "pt1")
    return c


def _picker(html: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(html).get_element_by_id("report")


def _links(section: lxml.html.HtmlElement) -> dict[str, str]:
    return {a.text_content().strip(): a.get("href") for a in section.iter("a")}


def test_the_dashboard_picks_this_week_by_default_and_links_every_format(
    analyst: TestClient,
) -> None:
    this = Week.containing(utcnow())
    r = analyst.get("/dashboard")
    assert r.status_code == 200
    section = _picker(r.text)
    field = section.get_element_by_id("week")
    assert field.get("type") == "week"
    assert field.get("name") == "week"
    assert field.get("value") == this.label
    form = field.getparent()
    assert form.tag == "form"
    assert form.get("method") == "get"
    hrefs = set(_links(section).values())
    assert {f"/reports/weekly?week={this.label}&format={f}" for f in FORMATS} <= hrefs
    assert f"/dashboard?week={this.previous.label}#report" in hrefs
    assert f"/dashboard?week={this.next.label}#report" not in hrefs  # no week to come
    assert section.get_element_by_id("week-hint").text_content().startswith("Dạng 2026-W48")


def test_any_week_and_its_neighbours(analyst: TestClient) -> None:
    section = _picker(analyst.get("/dashboard", params={"week": "2026-W48"}).text)
    assert section.get_element_by_id("week").get("value") == "2026-W48"
    assert "Tuần 2026-W48: từ 23/11/2026 đến 29/11/2026" in section.text_content()
    links = _links(section)
    assert links["← Tuần trước (2026-W47)"] == "/dashboard?week=2026-W47#report"
    assert links["Tuần sau (2026-W49) →"] == "/dashboard?week=2026-W49#report"
    assert links["Về tuần hiện tại"] == "/dashboard#report"
    expected = {
        "Báo cáo tuần 2026-W48 (HTML, để in)": ("html", "text/html"),
        "Word (DOCX)": ("docx", "application/vnd.openxmlformats"),
        "Markdown": ("md", "text/markdown"),
        "Bảng tin (CSV)": ("csv", "text/csv"),
    }
    for name, (fmt, media) in expected.items():
        assert links[name] == f"/reports/weekly?week=2026-W48&format={fmt}"
        r = analyst.get(links[name])
        assert r.status_code == 200, (fmt, r.text[:200])
        assert r.headers["content-type"].startswith(media)
        if fmt in ("html", "md"):
            assert "Tổng hợp dư luận tuần 2026-W48" in r.text


@pytest.mark.parametrize(
    "typed", ["2026-W48", "2026-w48", "2026 W48", "48/2026", "tuần 48/2026", "25/11/2026"]
)
def test_a_browser_without_a_week_picker_sends_text_the_server_reads(
    analyst: TestClient, typed: str
) -> None:
    r = analyst.get("/dashboard", params={"week": typed})
    assert r.status_code == 200
    assert "/reports/weekly?week=2026-W48&format=docx" in set(_links(_picker(r.text)).values())


@pytest.mark.parametrize("typed", ["2026-W60", "tuần sau", "0001-W01", "31/02/2026"])
def test_a_bad_week_shows_the_vietnamese_error_next_to_the_picker(
    analyst: TestClient, typed: str
) -> None:
    this = Week.containing(utcnow())
    r = analyst.get("/dashboard", params={"week": typed})
    assert r.status_code == 422
    section = _picker(r.text)
    error = section.get_element_by_id("week-error")
    assert error.get("role") == "alert"
    assert error.text_content() == (
        "Tuần không hợp lệ: nhập dạng 2026-W48 hoặc một ngày như 25/11/2026, năm từ 1970 đến 2100."
    )
    field = section.get_element_by_id("week")
    assert field.get("aria-invalid") == "true"
    assert field.get("value") == typed  # kept, to be corrected
    assert f"/reports/weekly?week={this.label}&format=html" in set(_links(section).values())
