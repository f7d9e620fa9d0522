"""The benchmark scripts still run (their figures are read by people, not asserted here)."""

from __future__ import annotations

import csv
import json
import subprocess
import sys
from pathlib import Path

import pytest

from core.config import ROOT


def _says_its_data_is_missing(script: str, *args: str) -> None:
    """The benchmark, pointed at data that is not there, fails saying so."""
    missing = subprocess.run(
        [sys.executable, script, *args], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert missing.returncode != 0
    assert "not found" in missing.stderr


@pytest.mark.slow
def test_smishing_benchmark_runs_on_a_small_corpus(tmp_path: Path) -> None:
    corpus = tmp_path / "sms.csv"
    rows = [
        ("inbox-0001", "inbox", "1", "Tai khoan cua ban bi khoa, nhap ma OTP tai vcb-xacthuc.top"),
        ("inbox-0002", "inbox", "0", "Ma OTP cua ban la 123456. Tuyet doi khong chia se ma nay."),
        ("inbox-0003", "inbox", "0", "Don hang cua ban dang duoc giao, vui long nghe may."),
        (
            "report-001",
            "public_report",
            "1",
            "Chuc mung ban trung thuong, nop phi 500k de nhan qua",
        ),
    ]
    with corpus.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "origin", "label", "text"])
        writer.writerows(rows)
    result = subprocess.run(
        [sys.executable, "bench/smishing.py", "--csv", str(corpus), "--show", "2"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "4 SMS" in out
    for origin in ("inbox", "public_report", "all"):
        assert f"\n{origin} " in out
    assert "by review threshold" in out
    _says_its_data_is_missing("bench/smishing.py", "--csv", str(tmp_path / "absent.csv"))


@pytest.mark.slow
def test_real_traffic_benchmark_runs_on_small_corpora(tmp_path: Path) -> None:
    data = tmp_path / "shared" / "data"
    (data / "vntc").mkdir(parents=True)
    (data / "sms-smishing-ie403").mkdir()
    news = [
        (
            "vt-1",
            "Vi tinh",
            "Phần mềm mới giúp doanh nghiệp chuyển đổi số, lưu trữ dữ liệu đám mây.",
        ),
        ("kh-1", "Khoa hoc", "Các nhà khoa học công bố nghiên cứu mới về vật liệu bán dẫn."),
        (
            "tt-1",
            "The thao",
            "Đội tuyển bóng đá thắng 2-0 trong trận giao hữu tối qua trên sân nhà.",
        ),
        ("vh-1", "Van hoa", "Liên hoan phim mở màn với nhiều tác phẩm của các đạo diễn trẻ."),
    ]
    with (data / "vntc" / "dev.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["id", "label", "label_vi", "source", "title", "text", "full_chars"])
        writer.writerows(
            (i, label, label, "VnExpress", "", text, len(text)) for i, label, text in news
        )
    with (data / "sms-smishing-ie403" / "sms.csv").open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(
            ["id", "origin", "sender_type", "label", "has_url", "has_phone_number", "text"]
        )
        writer.writerow(
            [
                "inbox-0001",
                "inbox",
                "brandname",
                "1",
                "1",
                "0",
                "Tai khoan bi khoa, nhap OTP tai vcb-xacthuc.top",
            ]
        )
        writer.writerow(
            [
                "inbox-0002",
                "inbox",
                "brandname",
                "0",
                "0",
                "0",
                "Ma OTP la 123456, khong chia se ma nay.",
            ]
        )
    out = tmp_path / "figures.json"
    result = subprocess.run(
        [
            sys.executable,
            "bench/real_traffic.py",
            "--shared",
            str(tmp_path / "shared"),
            "--corpora",
            "vntc,sms,rss,long",
            "--limit",
            "5",
            "--json",
            str(out),
        ],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    assert "\nvntc " in result.stdout
    assert "\nrss       missing" in result.stdout
    figures = json.loads(out.read_text(encoding="utf-8"))["corpora"]
    assert figures["vntc"]["n"] == 4
    assert {"precision", "recall", "f1", "ece"} <= set(figures["vntc"])
    assert figures["sms"]["by_origin"]["inbox"]["positives"] == 1
    assert "kept_flag" in figures["long"]
    _says_its_data_is_missing("bench/real_traffic.py", "--shared", str(tmp_path / "absent"))


def test_alerts_benchmark_runs_on_a_small_database() -> None:
    result = subprocess.run(
        [sys.executable, "bench/alerts.py", "--items", "2000", "--feeds", "20"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "sqlite: 2,000 items" in out
    for step in ("spreading", "fast_growth (baseline)", "queue_wait", "feed_silent"):
        assert step in out
    assert "'fast_growth': 1" in out  # the planted story that took off
    assert "second (deduplicated)" in out
    assert out.rstrip().endswith("alerts: 0 {}")
