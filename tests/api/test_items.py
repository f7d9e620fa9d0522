from __future__ import annotations

from datetime import UTC, datetime

import pytest
from fastapi.testclient import TestClient

from core.config import Settings
from core.tables import Cluster
from tests.apps import Apps
from tests.factories import make_analysis, make_item


@pytest.fixture
def client(settings: Settings, apps: Apps) -> tuple[TestClient, list[int]]:
    with apps.sessions(settings)() as s:
        story = Cluster(
            item_count=2, source_count=2, first_seen_at=datetime(2026, 11, 24, tzinfo=UTC)
        )
        s.add(story)
        s.flush()
        ids = []
        for i in range(5):
            item = make_item(
                s,
                title=f"Cổng dịch vụ công chậm — số {i}",
                text="Người dân phàn nàn",
                published_at=datetime(2026, 11, 20 + i, tzinfo=UTC),
                cluster_id=story.id if i < 2 else None,
            )
            make_analysis(s, item, misinfo="none", risk=0.1)
            ids.append(item.id)
        fake = make_item(
            s,
            title="Nghị quyết 57 của Quốc hội",
            text="Bắt buộc nộp phí chuyển đổi số",
            published_at=datetime(2026, 11, 26, tzinfo=UTC),
        )
        make_analysis(
            s,
            fake,
            misinfo="distortion",
            risk=0.9,
            reasons=[
                {
                    "kind": "fact_mismatch",
                    "evidence": "Nghị quyết 57",
                    "message": "Cơ quan ban hành sai",
                    "weight": 0.6,
                    "fact": {
                        "fact_id": "nq-57-tw",
                        "official": "Bộ Chính trị",
                        "in_text": "Quốc hội",
                        "differs": "issuer",
                    },
                },
                {"kind": "model", "evidence": "nộp phí", "message": "Mô hình", "weight": 0.9},
            ],
        )
        ids.append(fake.id)
        s.commit()
    c = apps(settings, users={"pt1": "analyst"}, login_as="pt1")
    return c, ids


def test_filters_search_and_keyset_pages(client: tuple[TestClient, list[int]]) -> None:
    c, ids = client
    first = c.get("/api/v1/items", params={"limit": 4}).json()
    assert [x["item"]["id"] for x in first["items"]] == ids[::-1][:4]  # newest first
    second = c.get(
        "/api/v1/items", params={"limit": 4, "before_id": first["next_before_id"]}
    ).json()
    assert [x["item"]["id"] for x in second["items"]] == ids[::-1][4:]
    assert second["next_before_id"] is None
    assert [
        x["item"]["id"]
        for x in c.get("/api/v1/items", params={"misinfo": "distortion"}).json()["items"]
    ] == [ids[-1]]
    found = c.get("/api/v1/items", params={"q": "CONG dich vu"}).json()[
        "items"
    ]  # accents and case ignored
    assert len(found) == 5
    window = c.get(
        "/api/v1/items", params={"since": "2026-11-21T00:00:00Z", "until": "2026-11-23T00:00:00Z"}
    ).json()
    assert [x["item"]["id"] for x in window["items"]] == [ids[2], ids[1]]
    assert c.get("/api/v1/items", params={"status": "none"}).json()["items"]
    assert c.get("/api/v1/items", params={"sentiment": "angry"}).status_code == 422


def test_detail_has_cluster_and_fact_differences(client: tuple[TestClient, list[int]]) -> None:
    c, ids = client
    detail = c.get(f"/api/v1/items/{ids[0]}").json()
    assert detail["cluster"]["source_count"] == 2
    fake = c.get(f"/api/v1/items/{ids[-1]}").json()
    assert [f["fact"]["differs"] for f in fake["fact_differences"]] == ["issuer"]
    assert fake["analysis"]["misinfo"] == "distortion"
    r = c.get("/api/v1/items/999999")
    assert r.status_code == 404
    assert r.json()["error"]["code"] == "item_not_found"
