"""The benchmark scripts still run (their figures are read by people, not asserted here)."""

from __future__ import annotations

import csv
import subprocess
import sys
from pathlib import Path

from core.config import ROOT


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
    missing = subprocess.run(
        [sys.executable, "bench/smishing.py", "--csv", str(tmp_path / "absent.csv")],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert missing.returncode != 0
    assert "not found" in missing.stderr
