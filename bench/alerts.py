"""Time one alerts check (every rule's loader, recording, no delivery) on a large database.

Builds, in a scratch schema of its own (PostgreSQL) or a temporary file (SQLite), ``--items``
items spread over the last 8 days in clusters of about 4 items from ``--sources`` sources and
``--feeds`` feeds, with 1 cluster in 50 decided as a scam, a queue of pending tasks and one new
cluster growing fast; then prints how long each rule's data takes to load and what the whole
``check_and_send`` costs (its first and its second, deduplicated, run).

    .venv/bin/python bench/alerts.py [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]
                                     [--items 200000]

On PostgreSQL a schema ``bench_alerts_<pid>`` is created and dropped afterwards.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _fill(session, items: int, sources: int, feeds: int, now) -> None:  # type: ignore[no-untyped-def]
    from sqlalchemy import insert

    from core.tables import Cluster, Feed, Item, ReviewTask, User, Verdict

    rng = random.Random(15)
    session.execute(
        insert(Feed),
        [
            {
                "url": f"https://nguon{f}.example/rss",
                "name": f"Nguồn {f}",
                "kind": "news",
                "enabled": True,
                "poll_interval_s": 1800,
                "error_count": 3 if f % 97 == 0 else 0,
                "created_at": now - timedelta(days=30),
            }
            for f in range(feeds)
        ],
    )
    clusters = max(1, items // 4)
    starts = [
        now - timedelta(days=8) + timedelta(seconds=rng.uniform(0, 8 * 86400 - 7200))
        for _ in range(clusters)
    ]
    session.execute(
        insert(Cluster),
        [
            {"id": c + 1, "first_seen_at": starts[c], "item_count": 4, "source_count": 4}
            for c in range(clusters)
        ],
    )
    rows = []
    for n in range(items):
        c = n % clusters
        at = starts[c] + timedelta(minutes=rng.uniform(0, 180))
        rows.append(
            {
                "id": n + 1,
                "feed_id": 1 + n % feeds,
                "source": f"Nguồn {rng.randrange(sources)}",
                "title": f"Tin {n}",
                "text": f"Nội dung tin số {n}",
                "language": "vi",
                "content_hash": f"{n:064d}",
                "published_at": at,
                "fetched_at": min(at + timedelta(minutes=5), now),
                "cluster_id": c + 1,
            }
        )
        if len(rows) == 10_000:
            session.execute(insert(Item), rows)
            rows = []
    # a story that began 90 minutes ago and took off in the last hour
    boom = clusters + 1
    session.execute(
        insert(Cluster),
        [
            {
                "id": boom,
                "first_seen_at": now - timedelta(minutes=90),
                "item_count": 40,
                "source_count": 20,
            }
        ],
    )
    rows += [
        {
            "id": items + k + 1,
            "feed_id": 1 + k % feeds,
            "source": f"Nguồn {k % 20}",
            "title": f"Tin lan nhanh {k}",
            "text": "Tin đồn",
            "language": "vi",
            "content_hash": f"b{k:063d}",
            "published_at": now - timedelta(minutes=1 + k),
            "fetched_at": now - timedelta(minutes=k),
            "cluster_id": boom,
        }
        for k in range(40)
    ]
    session.execute(insert(Item), rows)
    session.execute(
        insert(User),
        [
            {
                "id": 1,
                "username": "ctv",
                "role": "collaborator",
                "password_hash": "x",
                "is_active": True,
            }
        ],
    )
    tasks, verdicts = [], []
    for c in range(0, clusters, 50):
        item_id = c + 1  # the cluster's first item (ids wrap by cluster)
        decided = starts[c] + timedelta(minutes=30)
        tasks.append(
            {
                "id": len(tasks) + 1,
                "item_id": item_id,
                "cluster_id": c + 1,
                "status": "decided",
                "created_at": starts[c],
                "updated_at": decided,
                "priority": 0.5,
                "reason": "risk",
            }
        )
        verdicts.append(
            {
                "task_id": len(tasks),
                "reviewer_id": 1,
                "label": "scam",
                "kind": "review",
                "note": "",
                "created_at": decided,
            }
        )
    for k in range(min(200, items // 50 - 1)):
        item_id = 2 + k * 50
        tasks.append(
            {
                "id": len(tasks) + 1,
                "item_id": item_id,
                "status": "pending",
                "created_at": now - timedelta(minutes=k),
                "updated_at": now,
                "priority": 0.5,
                "reason": "risk",
            }
        )
    session.execute(insert(ReviewTask), tasks)
    session.execute(insert(Verdict), verdicts)
    session.commit()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="")
    parser.add_argument("--items", type=int, default=200_000)
    parser.add_argument("--sources", type=int, default=500)
    parser.add_argument("--feeds", type=int, default=300)
    args = parser.parse_args()

    from sqlalchemy import create_engine, text

    from alerts import check_and_send, load
    from core.config import Settings
    from core.db import make_engine, make_sessionmaker, utcnow
    from core.tables import Base

    url, schema, tmp = args.database_url, None, None
    if not url:
        tmp = tempfile.TemporaryDirectory()
        url = f"sqlite:///{tmp.name}/bench.db"
    admin = None
    if url.startswith("postgresql"):
        schema = f"bench_alerts_{os.getpid()}"
        admin = create_engine(url, isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'CREATE SCHEMA "{schema}"'))
        url = f"{url}{'&' if '?' in url else '?'}options=-csearch_path%3D{schema}"
    engine = make_engine(url)
    try:
        Base.metadata.create_all(engine)
        factory = make_sessionmaker(engine)
        now = utcnow()
        started = time.perf_counter()
        with factory() as session:
            _fill(session, args.items, args.sources, args.feeds, now)
        if schema:
            with engine.begin() as conn:
                conn.execute(text("ANALYZE"))
        print(
            f"{engine.dialect.name}: {args.items:,} items, {args.items // 4:,} clusters, "
            f"{args.feeds} feeds (setup {time.perf_counter() - started:.1f} s)"
        )
        settings = Settings(database_url=url, _env_file=None)
        with factory() as session:
            for name, step in (
                (
                    "spreading   (load)",
                    lambda: load.confirmed_clusters(session, now, timedelta(hours=48)),
                ),
                ("fast_growth (new)", lambda: load.new_clusters(session, now, timedelta(hours=24))),
                ("fast_growth (baseline)", lambda: load.growth_baseline(session, now, 7)),
                ("queue_wait  (load)", lambda: load.queue_state(session)),
                ("feed_silent (load)", lambda: load.feed_states(session, now, timedelta(days=30))),
            ):
                t0 = time.perf_counter()
                found = step()
                size = len(found) if isinstance(found, list) else "-"
                print(f"  {name:<24} {1000 * (time.perf_counter() - t0):8.1f} ms   rows: {size}")
            for label in ("first", "second (deduplicated)"):
                t0 = time.perf_counter()
                made = check_and_send(session, settings, now)
                by_rule: dict[str, int] = {}
                for a in made:
                    by_rule[a.rule] = by_rule.get(a.rule, 0) + 1
                print(
                    f"  check_and_send, {label:<22} {1000 * (time.perf_counter() - t0):8.1f} ms   "
                    f"alerts: {len(made)} {by_rule}"
                )
    finally:
        engine.dispose()
        if admin is not None and schema:
            with admin.connect() as conn:
                conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
            admin.dispose()
        if tmp is not None:
            tmp.cleanup()


if __name__ == "__main__":
    main()
