"""How a clustering pass costs with many recent clusters: the band table against a rebuilt index.

Fills a scratch database (a temporary SQLite file, or ``--database-url``, which is dropped and
created when it is PostgreSQL) with ``--leaders`` clusters of one item each, fetched within the
clustering window, their signatures stored. Then times, each on a fresh chunk of ``--new`` items
(``--twins`` of them near-duplicates of random leaders, the rest new stories):

* the first pass after the ``cluster_band`` table was created: it indexes every leader of the
  window once (``collector.cluster._index_leaders``), then clusters;
* a steady pass: what every later pass costs, the band keys of its items looked up;
* for reference, what each pass did before the band table: read every leader's signature of
  the window and build an in-memory LSH index of them (the same datasketch calls).

Prints seconds, Python peak memory (tracemalloc) and how many twins joined their leader's
cluster (all of them should).

    .venv/bin/python bench/cluster.py [--leaders 100000] [--new 2000] [--twins 0.5]
        [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/benchcluster]
"""

from __future__ import annotations

import argparse
import os
import random
import subprocess
import sys
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from datasketch import MinHashLSH  # noqa: E402
from sqlalchemy import create_engine, insert, make_url, select, text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from collector.cluster import NUM_PERM, _unpack, cluster_pending, pack_signature  # noqa: E402
from core.db import utcnow  # noqa: E402
from core.tables import Cluster, Item  # noqa: E402

_WORDS = (
    "chuyển đổi số xã phường tỉnh dân cổng dịch vụ công trực tuyến hồ sơ thủ tục cấp giấy phép "
    "điện tử định danh tài khoản ngân hàng ứng dụng họp bàn kế hoạch triển khai năm tháng kết quả "
    "nông nghiệp giáo dục y tế trường học bệnh viện giao thông đường cầu vốn đầu tư doanh nghiệp "
    "khoa học công nghệ đổi mới sáng tạo nghị quyết chính phủ bộ ngành hội nghị tập huấn cán bộ"
)
SYLLABLES = tuple(_WORDS.split())


def _story(rng: random.Random) -> str:
    return " ".join(rng.choice(SYLLABLES) + str(rng.randrange(50)) for _ in range(40))


def _twin(story: str, rng: random.Random) -> str:
    words = story.split()

    return " ".join(words[:-1]) + " theo báo khác"


def _database(url: str | None) -> str:
    if url is None:
        return f"sqlite:///{tempfile.mkdtemp(prefix='duluan-bench-cluster-')}/bench.db"
    if url.startswith("postgresql"):
        target = make_url(url)
        admin = create_engine(target.set(database="postgres"), isolation_level="AUTOCOMMIT")
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{target.database}" WITH (FORCE)'))
            conn.execute(text(f'CREATE DATABASE "{target.database}"'))
        admin.dispose()
    return url


def _fill(session: Session, leaders: int, rng: random.Random) -> list[str]:
    now = utcnow()
    stories = [_story(rng) for _ in range(leaders)]
    for start in range(0, leaders, 5_000):
        part = stories[start : start + 5_000]
        rows = [
            {
                "source": f"Nguồn {n % 300}",
                "title": "",
                "text": body,
                "content_hash": f"bench-{start + n}",
                "fetched_at": now - timedelta(minutes=(start + n) % 20_000),
                "minhash": pack_signature("", body),
            }
            for n, body in enumerate(part)
        ]
        ids = list(session.scalars(insert(Item).returning(Item.id), rows))
        clusters = list(
            session.scalars(
                insert(Cluster).returning(Cluster.id),
                [
                    {"first_item_id": i, "first_seen_at": r["fetched_at"], "item_count": 1}
                    for i, r in zip(ids, rows, strict=True)
                ],
            )
        )
        session.execute(
            text("UPDATE item SET cluster_id = :c WHERE id = :i"),
            [{"c": c, "i": i} for c, i in zip(clusters, ids, strict=True)],
        )
    session.commit()
    return stories


def _add_chunk(
    session: Session, stories: list[str], n: int, twins: float, rng: random.Random, tag: str
) -> list[tuple[int, int | None]]:
    """Store ``n`` new items; returns (item id, leader item id it is a twin of, or None)."""
    leader_ids: dict[str, int] = dict(
        session.execute(
            select(Item.content_hash, Item.id).where(Item.content_hash.like("bench-%"))
        ).all()
    )
    made = []
    for k in range(n):
        of = rng.randrange(len(stories)) if rng.random() < twins else None
        body = _twin(stories[of], rng) if of is not None else _story(rng)
        item = Item(source="Nguồn mới", title="", text=body, content_hash=f"{tag}-{k}")
        session.add(item)
        made.append((item, leader_ids[f"bench-{of}"] if of is not None else None))
    session.commit()
    return [(item.id, leader) for item, leader in made]


def _measure(run: Callable[[], Any]) -> tuple[float, float, Any]:
    tracemalloc.start()
    started = time.perf_counter()
    result = run()
    seconds = time.perf_counter() - started
    peak = tracemalloc.get_traced_memory()[1] / 2**20
    tracemalloc.stop()
    return seconds, peak, result


def _rebuilt_index(session: Session) -> int:
    """What each pass did before ``cluster_band``: every leader of the window into an LSH."""
    lsh = MinHashLSH(threshold=0.7, num_perm=NUM_PERM)
    since = utcnow() - timedelta(days=14)
    n = 0
    for cid, raw in session.execute(
        select(Cluster.id, Item.minhash)
        .join(Item, Item.id == Cluster.first_item_id)
        .where(Item.minhash.is_not(None), Item.fetched_at >= since)
    ):
        if raw is not None:
            lsh.insert(f"c{cid}", _unpack(raw))
        n += 1
    return n


def _joined(session: Session, made: list[tuple[int, int | None]]) -> tuple[int, int]:
    cluster_of = dict(session.execute(select(Item.id, Item.cluster_id)).all())
    twins = [(i, leader) for i, leader in made if leader is not None]
    return sum(cluster_of[i] == cluster_of[leader] for i, leader in twins), len(twins)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--leaders", type=int, default=100_000)
    ap.add_argument("--new", type=int, default=2_000)
    ap.add_argument("--twins", type=float, default=0.5)
    ap.add_argument("--database-url", default=None)
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args()
    rng = random.Random(args.seed)
    url = _database(args.database_url)
    env = {**os.environ, "DULUAN_DATABASE_URL": url, "PYTHONPATH": str(ROOT)}
    subprocess.run(
        [sys.executable, "-m", "cli", "migrate"], cwd=ROOT, env=env, check=True, capture_output=True
    )
    engine = create_engine(url)
    with Session(engine) as session:
        started = time.perf_counter()
        stories = _fill(session, args.leaders, rng)
        print(
            f"{make_url(url).get_backend_name()}: {args.leaders:,} leaders stored in"
            f" {time.perf_counter() - started:.0f} s; passes of {args.new:,} items,"
            f" {args.twins:.0%} of them twins of a random leader"
        )
        for name, tag in (("first pass (indexes the window)", "a"), ("steady pass", "b")):
            made = _add_chunk(session, stories, args.new, args.twins, rng, tag)
            seconds, peak, done = _measure(lambda: cluster_pending(session))
            session.commit()
            joined, twins = _joined(session, made)
            print(
                f"{name:<34} {seconds:6.2f} s  peak {peak:6.1f} MB  clustered {done:,};"
                f" twins joined {joined:,} / {twins:,}"
            )
        seconds, peak, n = _measure(lambda: _rebuilt_index(session))
        print(
            f"{'before: the index rebuilt per pass':<34} {seconds:6.2f} s  peak {peak:6.1f} MB"
            f"  ({n:,} leaders; the clustering itself not included)"
        )
    engine.dispose()


if __name__ == "__main__":
    main()
