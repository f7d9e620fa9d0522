"""Benchmark the collector against a naive sequential ``feedparser.parse(url)`` loop.

Serves ``--feeds`` feeds of ``--items`` items from local HTTP servers on ``--hosts`` loopback
addresses (127.0.1.1, 127.0.1.2, …), each response delayed by ``--latency`` seconds as a real
publisher's would be, then runs, each in its own process so memory is measured apart:

* the collector: ``collect_due`` into a fresh SQLite database (or ``--database-url``), with its
  politeness rules on (at most 2 requests in flight per host, ``--gap`` seconds between starts);
* the naive loop: ``feedparser.parse(url)`` for every feed, one after another, storing nothing.

Prints wall time, items/s, CPU time and peak memory of each (the collector's parser process
included: its max RSS is added to the main process's), and the speed ratio.

    .venv/bin/python bench/collect.py [--feeds 500] [--items 20] [--hosts 50] [--latency 0.1]
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _serve(args: argparse.Namespace) -> tuple[list[str], list[object]]:
    from tests.collector.feedfarm import FeedFarm

    per_host = -(-args.feeds // args.hosts)
    farms, urls = [], []
    for h in range(args.hosts):
        count = min(per_host, args.feeds - h * per_host)
        if count <= 0:
            break
        farm = FeedFarm(count, args.items, latency_s=args.latency, host=f"127.0.1.{h + 1}")
        # distinct content per host: the store would otherwise deduplicate across hosts
        farm.bodies = {
            p: b.replace(b"farm.example", f"farm{h}.example".encode()).replace(
                "Nguồn ".encode(), f"Nguồn {h}-".encode()
            )
            for p, b in farm.bodies.items()
        }
        farms.append(farm)
        urls += farm.urls()
    return urls, farms


def _phase_collector(urls: list[str], args: argparse.Namespace) -> dict[str, float]:
    from collector.fetch import make_client
    from collector.run import collect_due
    from core.config import Settings
    from core.db import make_engine, make_sessionmaker
    from core.tables import Base, Feed, Item

    db_url = args.database_url or f"sqlite:///{tempfile.mkdtemp()}/bench.db"
    settings = Settings(
        database_url=db_url,
        fetch_allowlist="127.0.0.0/8",
        per_host_gap_s=args.gap,
        fetch_concurrency=args.concurrency,
        _env_file=None,
    )
    engine = make_engine(db_url)
    Base.metadata.drop_all(engine)
    Base.metadata.create_all(engine)
    factory = make_sessionmaker(engine)
    with factory() as s:
        s.add_all(Feed(url=u, name=u.split("//", 1)[1]) for u in urls)
        s.commit()
    started = time.perf_counter()
    # The pass owns its parser processes and has joined them when it returns, so their
    # memory and CPU are counted below.
    with make_client(settings) as client:
        summary = collect_due(factory, client, settings)
    wall = time.perf_counter() - started
    with factory() as s:
        from sqlalchemy import func, select

        stored = s.scalar(select(func.count(Item.id)))
    ok = sum(r.outcome == "ok" for r in summary.results)
    errors = sorted({f"{r.outcome}: {r.error}" for r in summary.results if r.error})
    return {
        "wall_s": wall,
        "items": stored,
        "feeds_ok": ok,
        "clustered": summary.clustered,
        "errors": errors[:5],
    }


def _phase_naive(urls: list[str], args: argparse.Namespace) -> dict[str, float]:
    import feedparser

    started = time.perf_counter()
    items = 0
    for url in urls:
        items += len(feedparser.parse(url).entries)
    return {"wall_s": time.perf_counter() - started, "items": items, "feeds_ok": len(urls)}


def _child(phase: str, urls: list[str], args: argparse.Namespace) -> dict[str, float]:
    """Run one phase in a fresh interpreter so its peak memory is its own."""
    cmd = [sys.executable, __file__, "--phase", phase, *sys.argv[1:]]
    proc = subprocess.run(
        cmd,
        input=json.dumps(urls),
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "PYTHONWARNINGS": "ignore"},
    )
    if proc.returncode != 0:
        raise SystemExit(f"{phase} failed:\n{proc.stderr}")
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument("--items", type=int, default=20)
    parser.add_argument("--hosts", type=int, default=50)
    parser.add_argument(
        "--latency", type=float, default=0.1, help="seconds each response is delayed"
    )
    parser.add_argument("--gap", type=float, default=0.5, help="politeness gap per host, seconds")
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--database-url", default=None)
    parser.add_argument("--phase", choices=["collector", "naive"], help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.phase:
        urls = json.loads(sys.stdin.read())
        result = (
            _phase_collector(urls, args) if args.phase == "collector" else _phase_naive(urls, args)
        )
        usage = resource.getrusage(resource.RUSAGE_SELF)
        children = resource.getrusage(resource.RUSAGE_CHILDREN)  # the collector's parser process
        result["peak_mb"] = (usage.ru_maxrss + children.ru_maxrss) / 1024
        result["cpu_s"] = usage.ru_utime + usage.ru_stime + children.ru_utime + children.ru_stime
        print(json.dumps(result))
        return

    urls, farms = _serve(args)
    print(
        f"{len(urls)} feeds × {args.items} items on {len(farms)} hosts, {args.latency * 1000:.0f} ms latency; "
        f"collector: {args.concurrency} workers, ≤2 per host, {args.gap:g} s gap"
    )
    results = {}
    for phase in ("collector", "naive"):
        r = _child(phase, urls, args)
        results[phase] = r
        print(
            f"{phase:<10} {r['wall_s']:7.1f} s  {r['items'] / r['wall_s']:8.0f} items/s  "
            f"{r['items']:>6.0f} items  {r['feeds_ok']:>4.0f} feeds ok  cpu {r['cpu_s']:5.1f} s  peak {r['peak_mb']:.0f} MB"
        )
    print(
        f"speed-up: {results['naive']['wall_s'] / results['collector']['wall_s']:.1f}× "
        f"(target ≥ 10×; target wall < 30 s, memory < 300 MB)"
    )
    for farm in farms:
        farm.close()  # type: ignore[attr-defined]


if __name__ == "__main__":
    main()
