"""Re-measure the races of the penetration test against ``duluan serve --workers N`` on PostgreSQL.

Builds a fresh schema, starts the API as its own processes, fires simultaneous requests (each burst
released by a barrier) and prints, per finding, what the pen test saw and what happens now:

- concurrent wrong passwords for one account: how many were checked (401) before the lock, and
  whether the right password is then refused (locked);
- three simultaneous identical verdicts per task: verdict rows stored per task;
- the two-person rule with a double tap: tasks decided on one reviewer's verdicts;
- two simultaneous claims by one reviewer: reviewers holding two leases;
- 2,000 anonymous requests to distinct paths: series added to ``/metrics``.

    .venv/bin/python bench/races.py [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]
                                    [--workers 2] [--guesses 38] [--tasks 20] [--users 20]
"""

from __future__ import annotations

import argparse
import os
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
PASSWORD = "bench-password"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _together(n: int, call: Callable[[int], Any]) -> list[Any]:
    barrier = threading.Barrier(n)

    def run(i: int) -> Any:
        barrier.wait()
        return call(i)

    with ThreadPoolExecutor(n) as pool:
        return list(pool.map(run, range(n)))


def _setup(url: str, users: int, tasks: int) -> None:
    from core.accounts import create_user
    from core.db import make_engine, make_sessionmaker
    from core.tables import Base
    from tests.factories import make_task

    engine = make_engine(url)
    Base.metadata.create_all(engine)
    with make_sessionmaker(engine)() as s:
        for u in range(users):
            create_user(s, f"ctv{u}", "collaborator", PASSWORD)
        for i in range(tasks * 3):
            make_task(s, priority=0.9 - i * 0.001)
        s.commit()
    engine.dispose()


def _count(url: str, sql: str) -> Any:
    from sqlalchemy import create_engine, text

    engine = create_engine(url)
    with engine.connect() as conn:
        rows = conn.execute(text(sql)).all()
    engine.dispose()
    return rows


def _verdict(base: str, me: dict[str, str], task: int, n: int) -> None:
    """``n`` simultaneous identical scam verdicts on ``task``."""
    url = f"{base}/api/v1/tasks/{task}/verdict"
    _together(n, lambda _i: httpx.post(url, headers=me, json={"verdict": "scam"}, timeout=60))


def _claims(base: str, me: dict[str, str], n: int) -> None:
    url = f"{base}/api/v1/queue/claim"
    _together(n, lambda _i: httpx.post(url, headers=me, timeout=60))


def _login(base: str, name: str) -> dict[str, str]:
    r = httpx.post(
        f"{base}/api/v1/auth/login", json={"username": name, "password": PASSWORD}, timeout=60
    )
    r.raise_for_status()
    return {"Authorization": f"Bearer {r.json()['access_token']}"}


def lockout(base: str, guesses: int) -> None:
    codes = Counter(
        r.status_code
        for r in _together(
            guesses,
            lambda i: httpx.post(
                f"{base}/api/v1/auth/login",
                json={"username": "ctv0", "password": f"guess-{i}"},
                timeout=120,
            ),
        )
    )
    right = httpx.post(
        f"{base}/api/v1/auth/login", json={"username": "ctv0", "password": PASSWORD}, timeout=60
    )
    print(
        f"lockout: {guesses} simultaneous wrong passwords -> {codes[401]} checked (401), "
        f"{codes[429]} refused (429), other {sum(codes.values()) - codes[401] - codes[429]}; "
        f"right password afterwards: {right.status_code} "
        f"({'locked' if right.status_code == 429 else 'NOT locked'})"
    )
    print("  pen test: 19 of 19 (1 process) and 37 of 38 (2 workers) checked, never locked")


def verdicts(base: str, url: str, tasks: int) -> None:
    me = _login(base, "ctv1")
    for _ in range(tasks):
        task = httpx.post(f"{base}/api/v1/queue/claim", headers=me, timeout=60).json()["id"]
        _verdict(base, me, task, 3)
    rows = _count(
        url,
        "SELECT v.task_id, count(*) FROM verdict v JOIN user_account u ON u.id = v.reviewer_id "
        "WHERE u.username = 'ctv1' GROUP BY v.task_id",
    )
    dup = sum(1 for _, n in rows if n > 1)
    print(
        f"verdicts: {tasks} tasks x 3 simultaneous identical verdicts -> {dup} tasks with more "
        f"than one row (rows per task: {dict(Counter(n for _, n in rows))})"
    )
    print("  pen test: 2-3 rows on 10 of 10 tasks")


def two_person(base: str, url: str, tasks: int) -> None:
    me = _login(base, "ctv2")
    for _ in range(tasks):
        r = httpx.post(f"{base}/api/v1/queue/claim", headers=me, timeout=60)
        if r.status_code != 200:
            break
        _verdict(base, me, r.json()["id"], 5)
    rows = _count(
        url,
        "SELECT t.id FROM review_task t JOIN verdict v ON v.task_id = t.id "
        "WHERE t.status = 'decided' GROUP BY t.id HAVING count(DISTINCT v.reviewer_id) < 2",
    )
    print(
        f"two-person rule: {tasks} tasks x 5 simultaneous scam verdicts by one reviewer -> "
        f"{len(rows)} decided on one reviewer's verdicts"
    )
    print("  pen test: 5 of 20 tasks")


def leases(base: str, url: str, users: int) -> None:
    tokens = [_login(base, f"ctv{u}") for u in range(3, users)]
    for me in tokens:
        _claims(base, me, 2)
    rows = _count(
        url,
        "SELECT lease_holder_id, count(*) FROM review_task WHERE status = 'claimed' "
        "GROUP BY lease_holder_id HAVING count(*) > 1",
    )
    print(
        f"leases: {len(tokens)} reviewers x 2 simultaneous claims -> {len(rows)} reviewers "
        "holding two leases"
    )
    print("  pen test: 10 of 20 users on PostgreSQL")


def metrics(base: str) -> None:
    def series() -> int:
        text = httpx.get(f"{base}/metrics", timeout=60).text
        return sum(
            1 for line in text.splitlines() if line.startswith("duluan_request_seconds_count")
        )

    before = series()
    with httpx.Client(timeout=60) as c:
        for i in range(2000):
            c.get(f"{base}/api/v1/users/account{i}")
    print(f"metrics: 2,000 anonymous distinct paths -> {series() - before} new latency series")
    print("  pen test: 2,000 series added (347 KB -> 2.7 MB)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--guesses", type=int, default=38)
    parser.add_argument("--tasks", type=int, default=20)
    parser.add_argument("--users", type=int, default=23)
    args = parser.parse_args()

    from sqlalchemy import create_engine, text

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(args.database_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))
    url = f"{args.database_url}{'&' if '?' in args.database_url else '?'}options=-csearch_path%3D{schema}"
    server = None
    try:
        _setup(url, args.users, args.tasks)
        port = _free_port()
        env = {**os.environ, "DULUAN_DATABASE_URL": url, "DULUAN_TWO_PERSON_RULE": "true"}
        server = subprocess.Popen(
            [sys.executable, "-m", "cli", "serve", "--port", str(port)]
            + ["--workers", str(args.workers)],
            cwd=ROOT,
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        base = f"http://127.0.0.1:{port}"
        for _ in range(150):
            try:
                if httpx.get(f"{base}/api/v1/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                time.sleep(0.2)
        print(f"duluan serve --workers {args.workers} on PostgreSQL (schema {schema})")
        lockout(base, args.guesses)
        verdicts(base, url, args.tasks)
        two_person(base, url, args.tasks)
        leases(base, url, args.users)
        metrics(base)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()


if __name__ == "__main__":
    main()
