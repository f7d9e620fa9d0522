"""Docs that work offline, error pages in words, the favicon."""

from __future__ import annotations

import re

import pytest
from fastapi.testclient import TestClient

from core.config import Settings
from tests.apps import Apps, web_login
from tests.web.helpers import people

URL = re.compile(r"""(?:https?:)?//[^\s"'<>)]+""")
ASSET = re.compile(r"""["'](/(?:static|docs/assets)/[^"']+)["']""")


@pytest.fixture
def client(sqlite_settings: Settings, apps: Apps) -> TestClient:
    factory = apps.sessions(sqlite_settings)
    with factory() as s:
        people(s)
        s.commit()
    c = apps(sqlite_settings)
    return c


@pytest.mark.parametrize("path", ["/docs", "/redoc"])
def test_docs_reference_no_external_url_and_their_assets_are_served(
    client: TestClient, path: str
) -> None:
    r = client.get(path)
    assert r.status_code == 200
    html = r.text
    assert URL.findall(html) == [], "the docs page loads something from another host"
    assets = ASSET.findall(html)
    assert any(a.endswith(".js") for a in assets), assets
    for asset in assets:
        got = client.get(asset)
        assert got.status_code == 200, asset
        assert len(got.content) > 1000 or asset.endswith((".svg", ".ico")), asset
    assert client.get("/openapi.json").status_code == 200


def test_non_numeric_item_is_a_vietnamese_not_found_page(client: TestClient) -> None:
    web_login(client, "qt1")
    for path in ("/items/abc", "/items/999999"):
        r = client.get(path)
        assert r.status_code == 404, path
        assert "text/html" in r.headers["content-type"]
        h1 = re.search(r"<h1>(.*?)</h1>", r.text, re.S)
        assert h1 is not None
        assert h1.group(1).strip() == "Không tìm thấy", path
        assert "Dữ liệu gửi lên không hợp lệ" not in r.text
    # the API keeps its documented validation answer
    api = client.get("/api/v1/items/abc")
    assert api.status_code in (401, 422)
    assert api.json()["error"]["code"] in ("invalid", "not_authenticated")


def test_error_pages_name_the_error_in_words(client: TestClient) -> None:
    web_login(client, "ctv1")
    r = client.get("/users")  # a collaborator may not manage accounts
    assert r.status_code == 403
    assert re.search(r"<h1>\s*Không có quyền\s*</h1>", r.text)
    r = client.get("/logout")  # a form's address opened as a page: 405, in words
    assert r.status_code == 405
    assert re.search(r"<h1>\s*Không làm được thao tác này ở đây\s*</h1>", r.text)
    assert "Method Not Allowed" not in r.text
    r = client.get("/no-such-page")  # the router's own 404: no bare "Not Found"
    assert r.status_code == 404
    assert "Không có trang này" in r.text
    assert "Not Found" not in r.text
    assert re.search(r"<title>\s*\d{3}", r.text) is None


def test_favicon_is_served_and_linked(client: TestClient) -> None:
    r = client.get("/favicon.ico")
    assert r.status_code == 200
    assert r.headers["content-type"].startswith("image/svg+xml")
    assert b"<svg" in r.content
    page = client.get("/login").text
    link = re.search(r'<link rel="icon" href="([^"]+)"', page)
    assert link is not None
    assert client.get(link.group(1)).status_code == 200
