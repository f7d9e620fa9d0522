"""Collaborators' reports through the API: intake of text, links and screenshots, the queue
rule, the submitter rule, "Phản ánh của tôi", OCR correction, hostile images."""

from __future__ import annotations

import io
import threading
from collections.abc import Iterator
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from PIL import Image, ImageDraw, ImageFont
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from collector.cluster import cluster_pending
from collector.screenshot import tesseract_missing
from core.config import Settings
from core.tables import (
    REPORT_SOURCE,
    AuditEvent,
    Item,
    Report,
    ReportImage,
    ReportSubmitter,
    ReviewTask,
    TaskStatus,
)
from tests.apps import Apps, login
from tests.factories import make_analysis, make_item

ARTICLE = (
    "<html><head><title>Tin giả về thẻ căn cước</title></head><body><article>"
    "<h1>Tin đồn: thẻ căn cước cũ hết hạn ngày mai</h1>"
    + "".join(
        f"<p>Đoạn {i}: nhiều người chia sẻ rằng thẻ căn cước gắn chip cũ sẽ hết giá trị từ ngày "
        "mai và phải nộp phí đổi thẻ mới qua đường link lạ, điều này không đúng sự thật.</p>"
        for i in range(6)
    )
    + "</article></body></html>"
)
FONT = "/usr/share/fonts/truetype/noto/NotoSans-Regular.ttf"
OCR_SKIP = tesseract_missing()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[str]:
    """A local web server with one article page (tests never touch the internet)."""
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "tin.html").write_text(ARTICLE, encoding="utf-8")
    handler = partial(SimpleHTTPRequestHandler, directory=str(folder))
    handler.log_message = lambda *a, **k: None  # type: ignore[attr-defined]
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def conf(settings: Settings, tmp_path: Path) -> Settings:
    return settings.model_copy(update={"report_image_dir": tmp_path / "images"})


@pytest.fixture
def factory(conf: Settings, apps: Apps) -> sessionmaker[Session]:
    return apps.sessions(conf)


@pytest.fixture
def client(conf: Settings, apps: Apps) -> TestClient:
    users = {"ctv1": "collaborator", "ctv2": "collaborator", "pt1": "analyst"}
    return apps(conf, users=users)


ORDINARY = "Xã tổ chức buổi hướng dẫn người cao tuổi dùng ứng dụng dịch vụ công trên điện thoại."


def test_a_text_report_becomes_an_item_queued_for_another_collaborator(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    me, other = login(client, "ctv1"), login(client, "ctv2")
    r = client.post(
        "/api/v1/reports",
        headers=me,
        json={"text": ORDINARY, "place": "nhóm Zalo thôn", "note": "nhiều người hỏi"},
    )
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["status"] == "pending"
    assert body["verdict"] is None
    with factory() as s:
        item = s.get(Item, body["item_id"])
        assert item is not None
        assert item.source == REPORT_SOURCE
        assert item.author is None
        assert item.feed is not None
        assert item.feed.kind == "report"
        assert not item.feed.enabled
        task = s.scalar(select(ReviewTask).where(ReviewTask.item_id == item.id))
        # an ordinary post, far below the risk threshold, is queued all the same
        assert task is not None
        assert task.reason == "report"
        assert task.analysis is not None
        assert task.analysis.risk < Settings().review_risk_threshold
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "report.submit"))
        assert event is not None
        assert event.entity_id == body["id"]
        # the submitter is named only in the audit log and its own table
        assert s.scalar(select(ReportSubmitter.user_id)) == event.actor_id
    # the submitter is never offered their report; another collaborator is
    assert client.post("/api/v1/queue/claim", headers=me).status_code == 204
    claimed = client.post("/api/v1/queue/claim", headers=other)
    assert claimed.status_code == 200
    assert claimed.json()["item"]["id"] == body["item_id"]
    task_id = claimed.json()["id"]
    r = client.post(
        f"/api/v1/tasks/{task_id}/verdict", headers=other, json={"verdict": "not_misinformation"}
    )
    assert r.status_code == 200
    mine = client.get("/api/v1/reports/mine", headers=me).json()
    assert [(m["status"], m["verdict"]) for m in mine] == [("decided", "not_misinformation")]
    assert client.get("/api/v1/reports/mine", headers=other).json() == []


def test_the_submitter_cannot_claim_a_story_they_reported_in_any_item_of_its_cluster(
    client: TestClient, factory: sessionmaker[Session], conf: Settings
) -> None:
    story = (
        "Tin đồn: từ tháng sau người dân phải nộp phí 500 nghìn đồng để kích hoạt tài khoản "
        "định danh điện tử mức 2, nếu không sẽ bị khóa tài khoản ngân hàng."
    )
    with factory() as s:
        collected = make_item(s, title="", text=story, source="Trang tin X")
        make_analysis(s, collected, risk=0.7)
        cluster_pending(s)
        s.refresh(collected)
        s.add(
            ReviewTask(
                item_id=collected.id,
                cluster_id=collected.cluster_id,
                status=TaskStatus.pending,
                reason="risk",
                priority=0.1,
            )
        )
        s.commit()
        cluster_id = collected.cluster_id
    me = login(client, "ctv1")
    r = client.post("/api/v1/reports", headers=me, json={"text": story + " Mọi người cẩn thận!"})
    assert r.status_code == 201, r.text
    with factory() as s:
        item = s.get(Item, r.json()["item_id"])
        assert item is not None
        assert item.cluster_id == cluster_id
        tasks = s.scalars(select(ReviewTask)).all()
        assert len(tasks) == 1  # one task per story: the report raised it
        assert tasks[0].priority > 0.1
        assert tasks[0].cluster is not None
        assert tasks[0].cluster.source_count == 2
    assert client.post("/api/v1/queue/claim", headers=me).status_code == 204
    assert client.post("/api/v1/queue/claim", headers=login(client, "ctv2")).status_code == 200


def test_a_link_is_fetched_and_its_main_text_extracted(
    client: TestClient, factory: sessionmaker[Session], site: str
) -> None:
    me = login(client, "ctv1")
    r = client.post("/api/v1/reports", headers=me, json={"link": f"{site}/tin.html"})
    assert r.status_code == 201, r.text
    assert r.json()["link_error"] is None
    with factory() as s:
        item = s.get(Item, r.json()["item_id"])
        assert item is not None
        assert "thẻ căn cước gắn chip cũ" in item.text
        assert item.url == f"{site}/tin.html"


@pytest.mark.parametrize(
    ("path", "said"),
    [("/khong-co.html", "lỗi HTTP 404"), ("http://10.1.2.3/tin.html", "không được phép")],
)
def test_a_link_that_cannot_be_read_keeps_its_url_and_says_why(
    client: TestClient, factory: sessionmaker[Session], site: str, path: str, said: str
) -> None:
    url = path if path.startswith("http") else site + path
    me = login(client, "ctv1")
    r = client.post("/api/v1/reports", headers=me, json={"link": url, "note": "thấy trên Zalo"})
    assert r.status_code == 201, r.text
    body = r.json()
    assert body["link_url"] == url
    assert said in body["link_error"]
    with factory() as s:
        item = s.get(Item, body["item_id"])
        assert item is not None
        assert url in item.text
        assert s.scalar(select(ReviewTask).where(ReviewTask.item_id == item.id)) is not None


def test_a_report_needs_something_and_a_person_signed_in(client: TestClient) -> None:
    me = login(client, "ctv1")
    r = client.post("/api/v1/reports", headers=me, json={"note": "chỉ có ghi chú"})
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "report_empty"
    assert "Hãy dán nội dung" in r.json()["error"]["message"]
    assert client.post("/api/v1/reports", json={"text": ORDINARY}).status_code == 401
    assert client.get("/api/v1/reports/mine").status_code == 401


def _screenshot(lines: list[str], fmt: str = "PNG", **save: object) -> bytes:
    font = ImageFont.truetype(FONT, 30)
    image = Image.new("RGB", (720, 120 + 50 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    draw.text((24, 20), "9:41", fill="black", font=font)
    for n, line in enumerate(lines):
        draw.text((24, 80 + 50 * n), line, fill="black", font=font)
    out = io.BytesIO()
    image.save(out, fmt, **save)
    return out.getvalue()


def _with_gps() -> bytes:
    image = Image.open(io.BytesIO(_screenshot(["Nhận quà tặng miễn phí"], "JPEG")))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif.get_ifd(0x8825)[2] = (21.0, 1.0, 30.0)  # GPSLatitude
    out = io.BytesIO()
    image.save(out, "JPEG", exif=exif.tobytes())
    return out.getvalue()


@pytest.mark.skipif(OCR_SKIP is not None, reason=f"OCR unavailable: {OCR_SKIP} (make ocr)")
def test_a_screenshot_is_read_stripped_stored_and_served_to_reviewers_only(
    client: TestClient, factory: sessionmaker[Session], conf: Settings
) -> None:
    me = login(client, "ctv1")
    shot = _screenshot(
        ["Chúc mừng bạn nhận hỗ trợ 5 triệu đồng.", "Cung cấp mã OTP để nhận tiền ngay.", "Thích"],
        "JPEG",
        quality=90,
    )
    r = client.post(
        "/api/v1/reports",
        headers=me,
        data={"place": "nhóm Facebook xã"},
        files=[
            ("images", ("a.jpg", shot, "image/jpeg")),
            ("images", ("b.jpg", _with_gps(), "image/jpeg")),
        ],
    )
    assert r.status_code == 201, r.text
    images = r.json()["images"]
    assert len(images) == 2
    assert "mã OTP" in images[0]["ocr_text"]
    assert "9:41" not in images[0]["ocr_text"]
    assert "Thích" not in images[0]["ocr_text"]
    with factory() as s:
        item = s.get(Item, r.json()["item_id"])
        assert item is not None
        assert "mã OTP" in item.text
        task = s.scalar(select(ReviewTask).where(ReviewTask.item_id == item.id))
        assert task is not None
        assert task.analysis is not None
        assert task.analysis.misinfo == "scam"
        stored = s.scalars(select(ReportImage).order_by(ReportImage.position)).all()
    files = sorted(p.name for p in Path(conf.report_image_dir).iterdir())
    assert files == sorted(i.stored_name for i in stored)
    # EXIF (GPS included) is gone from what is kept
    kept = Image.open(Path(conf.report_image_dir) / stored[1].stored_name)
    assert kept.format == "PNG"
    assert not kept.getexif()
    assert "exif" not in kept.info
    served = client.get(f"/api/v1/report-images/{images[1]['id']}", headers=login(client, "ctv2"))
    assert served.status_code == 200
    assert served.headers["content-type"] == "image/png"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert served.headers["content-disposition"].startswith("inline; filename=")
    assert served.content == (Path(conf.report_image_dir) / stored[1].stored_name).read_bytes()
    assert client.get(f"/api/v1/report-images/{images[1]['id']}").status_code == 401


@pytest.mark.skipif(OCR_SKIP is not None, reason=f"OCR unavailable: {OCR_SKIP} (make ocr)")
def test_a_reviewer_corrects_the_ocr_text_audited_and_analysed_again(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    me = login(client, "ctv1")
    shot = _screenshot(["Trường học tổ chức ngày hội", "chuyển đổi số cho học sinh."])
    r = client.post("/api/v1/reports", headers=me, files=[("images", ("a.png", shot, "image/png"))])
    assert r.status_code == 201, r.text
    image_id, item_id = r.json()["images"][0]["id"], r.json()["item_id"]
    with factory() as s:
        before = s.scalar(select(ReviewTask.analysis_id).where(ReviewTask.item_id == item_id))
    corrected = "Nhắn mã OTP cho số 0912345678 để nhận quà chuyển đổi số."
    reviewer = login(client, "ctv2")
    r = client.put(
        f"/api/v1/report-images/{image_id}/text", headers=reviewer, json={"text": corrected}
    )
    assert r.status_code == 200
    assert r.json()["corrected_text"] == corrected
    with factory() as s:
        item = s.get(Item, item_id)
        assert item is not None
        assert corrected in item.text
        task = s.scalar(select(ReviewTask).where(ReviewTask.item_id == item_id))
        assert task is not None
        assert task.analysis_id != before
        assert task.analysis is not None
        assert task.analysis.misinfo == "scam"
        event = s.scalar(select(AuditEvent).where(AuditEvent.action == "report.ocr_correct"))
        assert event is not None
        assert event.after is not None
        assert event.after["text"] == corrected
        assert event.before is not None
        assert "chuyển đổi số" in event.before["text"]


def _bomb() -> bytes:
    out = io.BytesIO()
    Image.new("1", (9000, 9000)).save(out, "PNG")  # 81 Mpx in a few KB
    return out.getvalue()


def _truncated() -> bytes:
    data = _screenshot(["Tin nhắn"], "JPEG")
    return data[: len(data) // 2]


def _polyglot() -> bytes:
    return _screenshot(["Tin nhắn"]) + b"<html><script>alert(1)</script></html>"


def _polyglot_inside() -> bytes:
    image = Image.open(io.BytesIO(_screenshot(["Tin nhắn"])))
    out = io.BytesIO()
    image.save(out, "JPEG", comment=b"<script>alert(1)</script>")
    return out.getvalue()


def _huge_exif() -> bytes:
    image = Image.open(io.BytesIO(_screenshot(["Tin nhắn"])))
    exif = Image.Exif()
    exif[0x010E] = "x" * 200_000  # ImageDescription
    out = io.BytesIO()
    image.save(out, "PNG", exif=exif.tobytes())
    return out.getvalue()


def _not_an_image() -> bytes:
    return b"<svg xmlns='http://www.w3.org/2000/svg'><script>alert(1)</script></svg>"


@pytest.mark.parametrize(
    ("make", "code", "said"),
    [
        (_bomb, "image_bomb", "kích thước quá lớn"),
        (_truncated, "image_truncated", "bị cắt cụt"),
        (_polyglot, "image_polyglot", "dữ liệu khác ngoài ảnh"),
        (_polyglot_inside, "image_polyglot", "dữ liệu khác ngoài ảnh"),
        (_huge_exif, "image_metadata", "siêu dữ liệu"),
        (_not_an_image, "image_type", "Chỉ nhận ảnh PNG, JPEG hoặc WebP"),
    ],
)
def test_hostile_images_are_refused_in_vietnamese_and_nothing_is_kept(
    client: TestClient,
    factory: sessionmaker[Session],
    conf: Settings,
    make,  # type: ignore[no-untyped-def]
    code: str,
    said: str,
) -> None:
    me = login(client, "ctv1")
    r = client.post(
        "/api/v1/reports",
        headers=me,
        data={"text": ORDINARY},
        files=[("images", ("x.png", make(), "image/png"))],
    )
    assert r.status_code == 422, r.text
    error = r.json()["error"]
    assert error["code"] == code
    assert error["message"].startswith("Ảnh 1:")
    assert said in error["message"]
    with factory() as s:
        assert s.scalars(select(Report)).all() == []
        assert s.scalars(select(Item)).all() == []
    assert not Path(conf.report_image_dir).exists() or not any(
        Path(conf.report_image_dir).iterdir()
    )


def test_too_many_or_too_large_images_are_refused(client: TestClient, conf: Settings) -> None:
    me = login(client, "ctv1")
    small = _screenshot(["Tin"])
    r = client.post(
        "/api/v1/reports",
        headers=me,
        files=[("images", (f"{n}.png", small, "image/png")) for n in range(5)],
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "too_many_images"
    big = small + b"\0" * conf.report_image_max_bytes
    r = client.post(
        "/api/v1/reports", headers=me, files=[("images", ("big.png", big, "image/png"))]
    )
    assert r.status_code == 422
    assert r.json()["error"]["code"] == "image_too_large"
    assert "tối đa 5 MB" in r.json()["error"]["message"]


def test_reports_count_in_the_weekly_summary_as_their_own_source_with_the_share_confirmed(
    client: TestClient, factory: sessionmaker[Session]
) -> None:
    from core.calendar import Week
    from core.db import utcnow
    from report.document import markdown_of, weekly_document
    from report.loading import load_week
    from report.weekly import summarize

    me, other = login(client, "ctv1"), login(client, "ctv2")
    texts = [
        "Nhắn mã OTP cho số 0912345678 để nhận hỗ trợ chuyển đổi số 2 triệu đồng.",
        ORDINARY,
        "Trường học của xã vừa có phòng máy tính mới cho học sinh học tin học.",
    ]
    for text in texts:
        assert client.post("/api/v1/reports", headers=me, json={"text": text}).status_code == 201
    for verdict in ("scam", "not_misinformation"):  # two of three decided, one confirmed
        task = client.post("/api/v1/queue/claim", headers=other).json()
        client.post(f"/api/v1/tasks/{task['id']}/verdict", headers=other, json={"verdict": verdict})
    with factory() as s:
        week = Week.containing(utcnow())
        summary = summarize(load_week(s, week))
    totals = summary["totals"]
    assert isinstance(totals, dict)
    assert (totals["reports"], totals["reports_decided"], totals["reports_confirmed"]) == (3, 2, 1)
    assert totals["reports_confirmed_share"] == 0.5
    by_source = summary["by_source"]
    assert REPORT_SOURCE in set(by_source["source"])  # type: ignore[index]
    text = markdown_of(weekly_document(summary, week))
    assert "Phản ánh của cộng tác viên (tính là một nguồn riêng): **3** tin" in text
    assert "xác nhận sai lệch hoặc lừa đảo 1 tin (50,0% số đã kết luận)" in text


def test_screenshots_past_their_retention_are_deleted_and_their_text_kept(
    client: TestClient, factory: sessionmaker[Session], conf: Settings
) -> None:
    from datetime import timedelta

    from collector.submissions import purge_images
    from core.db import utcnow

    me = login(client, "ctv1")
    shot = _screenshot(["Tin đồn trong nhóm"])
    r = client.post("/api/v1/reports", headers=me, files=[("images", ("a.png", shot, "image/png"))])
    assert r.status_code == 201, r.text
    image_id = r.json()["images"][0]["id"]
    with factory() as s:
        assert purge_images(s, conf) == 0  # not old yet
        later = utcnow() + timedelta(days=conf.report_image_days + 1)
        assert purge_images(s, conf, now=later) == 1
        s.commit()
        row = s.get(ReportImage, image_id)
        assert row is not None
        assert row.purged_at is not None
        assert row.ocr_text == r.json()["images"][0]["ocr_text"]
        assert s.scalar(select(AuditEvent).where(AuditEvent.action == "report.images_purged"))
    assert list(Path(conf.report_image_dir).iterdir()) == []
    served = client.get(f"/api/v1/report-images/{image_id}", headers=login(client, "ctv2"))
    assert served.status_code == 404
    assert served.json()["error"]["code"] == "image_gone"
