"""Benchmark the review API: 50 reviewers (claim → read → verdict) against the server on PostgreSQL.

Builds a fresh schema with ``--items`` analysed items (a share of them queued), starts
``duluan serve`` on 127.0.0.1 as its own process(es), and drives ``--reviewers`` concurrent
reviewers from another process until the queue is empty or ``--seconds`` pass. Prints
throughput, p50/p95/p99 latency per endpoint and the number of tasks claimed twice (must be 0).

    .venv/bin/python bench/api.py [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]
                                  [--items 20000] [--reviewers 50] [--seconds 60] [--workers 2]
                                  [--think 5]

``--think S`` gives each reviewer a random reading time (exponential, mean S seconds, starts
staggered over S) between reading a task and posting the verdict, as people have. The default, 5 s,
is a very fast reviewer (reading an item and checking its facts takes people 20–60 s). ``--think 0``
is a closed loop with no pause at all: a saturation test, whose latencies are mostly queueing.
"""

from __future__ import annotations

import argparse
import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
import uuid
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _setup(url: str, items: int, reviewers: int, queued_share: float) -> None:
    from sqlalchemy import insert

    from core.accounts import create_user
    from core.db import make_engine, make_sessionmaker, utcnow
    from core.tables import Analysis, Base, Item, ReviewTask

    engine = make_engine(url)
    Base.metadata.create_all(engine)
    now = utcnow()
    with make_sessionmaker(engine)() as s:
        s.execute(
            insert(Item),
            [
                {
                    "id": i + 1,
                    "source": f"Nguồn {i % 40}",
                    "title": f"Tin {i}",
                    "text": f"Nội dung tin số {i} về dịch vụ công trực tuyến",
                    "language": "vi",
                    "content_hash": uuid.uuid4().hex,
                    "fetched_at": now,
                    "analyzed_at": now,
                    "canonical_url": None,
                }
                for i in range(items)
            ],
        )
        s.execute(
            insert(Analysis),
            [
                {
                    "id": i + 1,
                    "item_id": i + 1,
                    "model_versions": {},
                    "relevance": 0.9,
                    "relevant": True,
                    "sentiment": "negative",
                    "sentiment_scores": {},
                    "misinfo": "scam",
                    "misinfo_scores": {"scam": 0.9, "distortion": 0.0},
                    "risk": 0.5 + (i % 50) / 100,
                    "reasons": [{"kind": "model", "evidence": "x", "message": "m", "weight": 0.9}],
                    "created_at": now,
                }
                for i in range(items)
            ],
        )
        queued = int(items * queued_share)
        s.execute(
            insert(ReviewTask),
            [
                {
                    "item_id": i + 1,
                    "analysis_id": i + 1,
                    "status": "pending",
                    "reason": "risk",
                    "priority": 0.5 + (i % 50) / 100,
                    "created_at": now,
                    "updated_at": now,
                }
                for i in range(queued)
            ],
        )
        for r in range(reviewers):
            create_user(s, f"ctv{r}", "collaborator", "bench-password")
        s.commit()
    engine.dispose()


def _reviewers(base: str, n: int, seconds: float, think: float) -> dict[str, object]:
    import random

    import httpx

    latencies: dict[str, list[float]] = defaultdict(list)
    claimed: list[int] = []
    lock = threading.Lock()
    errors: list[str] = []
    ready = threading.Barrier(n, action=lambda: started.append(time.monotonic()))
    started: list[float] = []
    in_window: list[int] = []  # verdicts given before the deadline (the tail finishes after it)

    def reviewer(i: int) -> None:
        rng = random.Random(i)
        # Browsers and curl set TCP_NODELAY; httpx does not, and without it every request whose
        # headers and body go out in two writes waits ~40 ms for a delayed ACK (Nagle).
        nodelay = httpx.HTTPTransport(socket_options=[(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)])
        with httpx.Client(base_url=base, timeout=30, transport=nodelay) as c:
            token = c.post(
                "/api/v1/auth/login", json={"username": f"ctv{i}", "password": "bench-password"}
            ).json()
            c.headers["Authorization"] = f"Bearer {token['access_token']}"
            ready.wait()  # logins (Argon2, deliberately slow) are not part of the measurement
            if think > 0:  # people do not all click at the same instant
                time.sleep(rng.uniform(0, think))
            deadline = started[0] + seconds
            while time.monotonic() < deadline:
                t = time.perf_counter()
                r = c.post("/api/v1/queue/claim")
                latencies["claim"].append(time.perf_counter() - t)
                if r.status_code == 204:
                    return
                if r.status_code != 200:
                    errors.append(f"claim {r.status_code}")
                    return
                task_id = r.json()["id"]
                with lock:
                    claimed.append(task_id)
                t = time.perf_counter()
                c.get(f"/api/v1/tasks/{task_id}")
                latencies["read"].append(time.perf_counter() - t)
                if think > 0:
                    time.sleep(min(rng.expovariate(1 / think), 10 * think))
                t = time.perf_counter()
                v = c.post(
                    f"/api/v1/tasks/{task_id}/verdict", json={"verdict": "scam", "note": "bench"}
                )
                latencies["verdict"].append(time.perf_counter() - t)
                if time.monotonic() <= deadline:
                    in_window.append(1)
                if v.status_code != 200:
                    errors.append(f"verdict {v.status_code}")

    threads = [threading.Thread(target=reviewer, args=(i,)) for i in range(n)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.monotonic() - started[0]

    def pct(values: list[float], p: float) -> float:
        return statistics.quantiles(values, n=100)[int(p) - 1] * 1000 if len(values) > 1 else 0.0

    return {
        "wall_s": wall,
        "decided": len(latencies["verdict"]),
        "rate": len(in_window) / min(wall, seconds),
        "double_claims": len(claimed) - len(set(claimed)),
        "errors": errors[:5],
        "latency_ms": {
            k: {"p50": pct(v, 50), "p95": pct(v, 95), "p99": pct(v, 99), "n": len(v)}
            for k, v in latencies.items()
        },
    }


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    parser.add_argument("--items", type=int, default=20_000)
    parser.add_argument(
        "--queued", type=float, default=0.25, help="share of items in the review queue"
    )
    parser.add_argument("--reviewers", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument(
        "--think", type=float, default=5.0, help="mean reading time per task, seconds"
    )
    parser.add_argument("--drive", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.drive:
        print(json.dumps(_reviewers(args.drive, args.reviewers, args.seconds, args.think)))
        return

    from sqlalchemy import create_engine, text

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{args.database_url}{'&' if '?' in args.database_url else '?'}options=-csearch_path%3D{schema}"
    server = None
    try:
        started = time.perf_counter()
        _setup(url, args.items, args.reviewers, args.queued)
        print(
            f"{args.items} analysed items, {int(args.items * args.queued)} queued, {args.reviewers} reviewers, "
            f"{args.workers} API processes, reading time {args.think:g} s (setup {time.perf_counter() - started:.1f} s)"
        )
        port = _free_port()
        env = {
            **os.environ,
            "DULUAN_DATABASE_URL": url,
            "DULUAN_LOGIN_ADDRESS_MAX_FAILURES": "10000",
        }
        server = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "cli",
                "serve",
                "--port",
                str(port),
                "--workers",
                str(args.workers),
            ],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        import httpx

        for _ in range(100):
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        driver = subprocess.run(
            [
                sys.executable,
                __file__,
                "--drive",
                base,
                "--reviewers",
                str(args.reviewers),
                "--seconds",
                str(args.seconds),
                "--think",
                str(args.think),
            ],
            capture_output=True,
            text=True,
        )
        if driver.returncode != 0:
            raise SystemExit(f"the reviewers' driver failed:\n{driver.stderr[-3000:]}")
        r = json.loads(driver.stdout.strip().splitlines()[-1])
        print(
            f"decided {r['decided']} tasks in {r['wall_s']:.1f} s: {r['rate']:.1f} verdicts/s "
            "while the clock ran"
        )
        for name, m in r["latency_ms"].items():
            print(
                f"  {name:<8} p50 {m['p50']:6.1f} ms   p95 {m['p95']:6.1f} ms   p99 {m['p99']:6.1f} ms   n={m['n']}"
            )
        print(f"double claims: {r['double_claims']} (must be 0); errors: {r['errors'] or 'none'}")
        print("target: claim p99 < 100 ms")
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
