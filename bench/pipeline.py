"""The continuous pipeline on PostgreSQL: N ``duluan worker`` processes (1, 2, 4 by default) and
``duluan serve --workers 2``, fed by a local server whose feeds gain entries as time passes.

Prints, per run: items/s collected and analysed, publish-to-queue latency p50/p95 (from the
moment an entry appears in its feed to the moment its review task exists, i.e. is claimable;
also publish-to-analysed for every item), double work (analyses of one item, tasks of one item:
must be 0), peak RSS per worker (``VmHWM``), and ``/metrics`` scrape time with its backlog.

Each run uses a scratch database (``--db``, default ``benchpipe``, dropped and created again;
never the test database) holding ``--backlog`` items already analysed (history, stored before
the run) and ``--waiting`` items stored but not analysed yet (a backlog for the workers to
drain while new entries keep arriving).

    .venv/bin/python bench/pipeline.py                        # minutes: backlog 20,000
    .venv/bin/python bench/pipeline.py --backlog 1000000 --workers 2 --duration 120
                                                              # the 1,000,000-item case (~2 GB,
                                                              # ~2 min to insert per run)

Feeds are polled every ``--poll`` seconds (``DULUAN_POLL_INTERVAL_S``/``DULUAN_MIN_INTERVAL_S``
lowered to it): the latency measured is the pipeline's, plus at most one poll interval.
"""

from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import threading
import time
import urllib.request
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

SCAM = "Tài khoản {k} của bạn bị khóa, cung cấp mã OTP tại vcb-xacthuc{k}.top để nhận hỗ trợ gấp"
NEWS = (
    "Nguồn {n} đưa tin {k}: xã {k} triển khai chuyển đổi số, người dân nộp hồ sơ trực tuyến "
    "và thanh toán không dùng tiền mặt, mã {code}."
)


class Farm:
    """Feeds whose entry k appears at ``t0 + offset(feed) + k * step`` (the newest 20 shown)."""

    def __init__(self, feeds: int, step_s: float) -> None:
        self.feeds, self.step_s, self.t0 = feeds, step_s, time.time()
        farm = self

        class Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self) -> None:  # noqa: N802 - stdlib name
                try:
                    n = int(self.path.rsplit("/", 1)[1].split(".")[0])
                except ValueError:
                    n = -1
                body = farm.body(n) if 0 <= n < farm.feeds else b""
                self.send_response(200 if body else 404)
                self.send_header("Content-Type", "application/rss+xml; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True).start()
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}"

    def appears(self, n: int, k: int) -> float:
        return self.t0 + (n / self.feeds) * self.step_s + k * self.step_s

    def body(self, n: int) -> bytes:
        now = time.time()
        visible = (
            int((now - self.appears(n, 0)) // self.step_s) + 1 if now >= self.appears(n, 0) else 0
        )
        entries = []
        for k in range(max(0, visible - 20), visible):
            text_ = (
                SCAM.format(k=n * 100_000 + k)
                if (n + k) % 9 == 0
                else NEWS.format(n=n, k=k, code=n * 7919 + k * 104729)
            )
            when = format_datetime(datetime.fromtimestamp(self.appears(n, k), UTC))
            entries.append(
                f"<item><title>Nguồn {n} tin {k}</title><guid>b-{n}-{k}</guid>"
                f"<link>https://bench.example/{n}/{k}</link><pubDate>{when}</pubDate>"
                f"<description>{text_}</description></item>"
            )
        return (
            '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel>'
            f"<title>Nguồn {n}</title>{''.join(entries)}</channel></rss>"
        ).encode()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def _env(url: str, poll: int, extra: dict[str, str] | None = None) -> dict[str, str]:
    return {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "DULUAN_DATABASE_URL": url,
        "DULUAN_FETCH_ALLOWLIST": "127.0.0.1",
        "DULUAN_PER_HOST_GAP_S": "0",
        "DULUAN_PER_HOST_LIMIT": "8",
        "DULUAN_POLL_INTERVAL_S": str(poll),
        "DULUAN_MIN_INTERVAL_S": str(poll),
        "DULUAN_WORKER_IDLE_S": "1",
        **(extra or {}),
    }


def _fresh_db(admin_url: str, name: str) -> str:
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


def _fill(url: str, backlog: int, waiting: int) -> None:
    """``backlog`` items with an analysis (history) and ``waiting`` without, all in one cluster
    (clustered already), fetched over the previous days. Their texts number them modulo 20,000,
    so that a bigger backlog does not change what the analysis reads: with the item's id in the
    text, ids of seven digits read as account numbers after "số" (an assertion cue) and sent every
    waiting item to the sentence encoder at 1,000,000 stored but not at 20,000."""
    engine = create_engine(url)
    with engine.begin() as conn:
        cluster = conn.execute(
            text(
                "INSERT INTO cluster (item_count, source_count, first_seen_at) "
                "VALUES (0, 1, now()) RETURNING id"
            )
        ).scalar()
        conn.execute(
            text(
                "INSERT INTO item (source, title, text, language, content_hash, search_text, "
                "fetched_at, cluster_id, analyzed_at) SELECT 'Lưu trữ', 'Tin cũ ' || (g % 20000), "
                "'Nội dung lưu trữ về chuyển đổi số số ' || (g % 20000) || ' của xã ' || (g % 997), "
                "'vi', md5('b' || g), 'tin cu ' || g, now() - (g % 20160) * interval '1 minute', :c, "
                "CASE WHEN g <= :b THEN now() END FROM generate_series(1, :n) g ORDER BY g"
            ),
            {"n": backlog + waiting, "b": backlog, "c": cluster},
        )
        conn.execute(
            text(
                "INSERT INTO analysis (item_id, model_versions, relevance, relevant, sentiment, "
                "sentiment_scores, misinfo, misinfo_scores, risk, reasons, created_at, "
                "triaged_at) SELECT id, '{}', 0.8, true, 'neutral', '{}', 'none', '{}', 0.05, "
                "'[]', now(), now() FROM item ORDER BY id LIMIT :n"
            ),
            {"n": backlog},
        )
    engine.dispose()
    # As autovacuum would have left a database that grew over months: statistics and visibility
    # maps up to date (VACUUM cannot run inside a transaction).
    engine = create_engine(url, isolation_level="AUTOCOMMIT")
    with engine.connect() as conn:
        conn.execute(text("VACUUM ANALYZE"))
    engine.dispose()


def _peak_rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return float("nan")


def _pct(values: list[float], p: float) -> float:
    if not values:
        return float("nan")
    values = sorted(values)
    return values[min(len(values) - 1, int(round(p / 100 * (len(values) - 1))))]


def run(args: argparse.Namespace, workers: int) -> None:
    url = _fresh_db(args.pg_url, args.db)
    env = _env(url, args.poll, {"DULUAN_WORKER_BATCH": str(args.batch)})
    subprocess.run(
        [sys.executable, "-m", "cli", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    t_fill = time.monotonic()
    _fill(url, args.backlog, args.waiting)
    fill_s = time.monotonic() - t_fill
    farm = Farm(args.feeds, args.step)
    from core.tables import Feed

    engine = create_engine(url)
    with Session(engine) as session:
        for n in range(args.feeds):
            session.add(
                Feed(url=f"{farm.base}/f/{n}.xml", name=f"Bench {n}", poll_interval_s=args.poll)
            )
        session.commit()
    port = 18000 + os.getpid() % 1000
    api = subprocess.Popen(
        [sys.executable, "-m", "cli", "serve", "--workers", "2", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    start = datetime.now(UTC)
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "cli", "worker"],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for _ in range(workers)
    ]
    scrapes: list[float] = []
    backlog_seen: list[str] = []
    deadline = time.monotonic() + args.duration
    while time.monotonic() < deadline:
        time.sleep(5)
        t = time.monotonic()
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/metrics", timeout=30) as r:
                body = r.read().decode()
            scrapes.append(time.monotonic() - t)
            backlog_seen = [x for x in body.splitlines() if x.startswith("duluan_backlog")]
        except OSError:
            pass
    peaks = [_peak_rss_mb(p.pid) for p in procs]
    for p in procs:
        p.send_signal(signal.SIGTERM)
    codes = [p.wait(120) for p in procs]
    end = datetime.now(UTC)
    api.send_signal(signal.SIGTERM)
    api.wait(60)
    farm.close()
    elapsed = (end - start).total_seconds()
    with engine.connect() as conn:
        collected = conn.execute(
            text("SELECT count(*) FROM item WHERE external_id LIKE 'b-%'")
        ).scalar()
        analysed = conn.execute(
            text("SELECT count(*) FROM analysis WHERE created_at >= :s"), {"s": start}
        ).scalar()
        double_analysis = conn.execute(
            text("SELECT count(*) - count(DISTINCT item_id) FROM analysis")
        ).scalar()
        double_task = conn.execute(
            text("SELECT count(*) - count(DISTINCT item_id) FROM review_task")
        ).scalar()
        rows = conn.execute(
            text(
                "SELECT i.external_id, extract(epoch FROM a.created_at), "
                "extract(epoch FROM t.created_at) FROM item i JOIN analysis a ON a.item_id = i.id "
                "LEFT JOIN review_task t ON t.item_id = i.id WHERE i.external_id LIKE 'b-%'"
            )
        ).all()
        left = conn.execute(
            text(
                "SELECT count(*) FROM item i WHERE NOT EXISTS "
                "(SELECT 1 FROM analysis a WHERE a.item_id = i.id)"
            )
        ).scalar()
    engine.dispose()
    to_analysis, to_task = [], []
    for guid, analysed_at, task_at in rows:
        _, n, k = guid.split("-")
        appeared = farm.appears(int(n), int(k))
        if appeared < start.timestamp():
            continue  # in the feed before the workers started: not a latency
        to_analysis.append(float(analysed_at) - appeared)
        if task_at is not None:
            to_task.append(float(task_at) - appeared)
    print(
        f"\n== {workers} worker(s), backlog {args.backlog:,} analysed + {args.waiting:,} waiting "
        f"(stored in {fill_s:.0f} s), {args.feeds} feeds polled every {args.poll} s, "
        f"{elapsed:.0f} s, exit codes {codes}"
    )
    print(f"collected      {collected} items, {collected / elapsed:.1f} items/s")
    print(
        f"analysed       {analysed} items, {analysed / elapsed:.1f} items/s; {left} still waiting"
    )
    print(
        f"publish→task   p50 {_pct(to_task, 50):.1f} s, p95 {_pct(to_task, 95):.1f} s "
        f"({len(to_task)} tasks)"
    )
    print(
        f"publish→analysed p50 {_pct(to_analysis, 50):.1f} s, p95 {_pct(to_analysis, 95):.1f} s "
        f"({len(to_analysis)} items)"
    )
    print(f"double work    {double_analysis} analyses, {double_task} tasks (must be 0)")
    print("peak RSS/worker " + ", ".join(f"{m:.0f} MB" for m in peaks))
    if scrapes:
        print(
            f"/metrics       median {statistics.median(scrapes) * 1000:.0f} ms, "
            f"max {max(scrapes) * 1000:.0f} ms; last: {'; '.join(backlog_seen)}"
        )


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    ap.add_argument("--pg-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
    ap.add_argument("--db", default="benchpipe", help="scratch database (dropped and created)")
    ap.add_argument("--workers", default="1,2,4")
    ap.add_argument("--backlog", type=int, default=20_000, help="items stored and analysed")
    ap.add_argument("--waiting", type=int, default=2_000, help="items stored, not analysed")
    ap.add_argument("--feeds", type=int, default=50)
    ap.add_argument("--step", type=float, default=10.0, help="seconds between a feed's entries")
    ap.add_argument("--poll", type=int, default=15, help="feed poll interval, seconds")
    ap.add_argument("--duration", type=float, default=90.0, help="seconds per run")
    ap.add_argument("--batch", type=int, default=256)
    args = ap.parse_args()
    if args.db in {"test", "postgres"}:
        sys.exit("--db must be a scratch database, not test or postgres")
    for n in (int(x) for x in args.workers.split(",")):
        run(args, n)


if __name__ == "__main__":
    main()
