"""Time ``duluan purge`` (``core.retention.purge``) and show that its memory does not grow with
the number of rows it purges.

For each size in ``--items``, fills a scratch database with that many items 400 days old (texts
of ~1,000 characters, one analysis each quoting evidence, 1 % under open review, 1 % confirmed
scams) and runs the purge in a child process (so that its peak RSS is the purge's alone): prints
the dry run's and the purge's wall time, rows per second and the child's peak RSS above its
resident size before the purge.

    .venv/bin/python bench/purge.py [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]
                                    [--items 10000 50000] [--batch 500]

With a PostgreSQL URL the data goes to a fresh schema (dropped afterwards), never ``public``;
``--database-url sqlite`` uses a temporary SQLite file.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

CHUNK = 5_000


def _rss_kb(field: str) -> int:
    """``VmRSS`` (now) or ``VmHWM`` (peak) of this process, in kB (Linux)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(field + ":"):
            return int(line.split()[1])
    return 0


def _fill(url: str, items: int) -> None:
    from sqlalchemy import insert

    from core.db import make_engine, make_sessionmaker, utcnow
    from core.tables import Analysis, Base, Item, ReviewTask, Verdict

    engine = make_engine(url)
    Base.metadata.create_all(engine)
    old = utcnow() - timedelta(days=400)
    body = ("Người dân phản ánh dịch vụ công trực tuyến còn chậm, cần cải thiện. " * 15)[:1000]
    with make_sessionmaker(engine)() as s:
        for start in range(0, items, CHUNK):
            ids = range(start + 1, min(items, start + CHUNK) + 1)
            s.execute(
                insert(Item),
                [
                    {
                        "id": i,
                        "source": f"Nguồn {i % 40}",
                        "title": f"Tin số {i} về chuyển đổi số",
                        "text": body,
                        "search_text": body.lower(),
                        "language": "vi",
                        "content_hash": uuid.uuid4().hex,
                        "canonical_url": f"https://example.org/{i}",
                        "published_at": old,
                        "fetched_at": old,
                        "analyzed_at": old,
                        "minhash": b"\x00" * 512,
                    }
                    for i in ids
                ],
            )
            s.execute(
                insert(Analysis),
                [
                    {
                        "id": i,
                        "item_id": i,
                        "model_versions": {},
                        "relevance": 0.9,
                        "relevant": True,
                        "sentiment": "negative",
                        "sentiment_scores": {},
                        "misinfo": "scam" if i % 100 < 2 else "none",
                        "misinfo_scores": {},
                        "risk": 0.5,
                        "reasons": [
                            {"kind": "cue", "evidence": body[:80], "message": "m", "weight": 0.5}
                        ],
                        "created_at": old,
                    }
                    for i in ids
                ],
            )
            tasks = [i for i in ids if i % 100 < 2]  # 1 % open, 1 % confirmed
            s.execute(
                insert(ReviewTask),
                [
                    {
                        "id": i,
                        "item_id": i,
                        "analysis_id": i,
                        "status": "pending" if i % 100 == 0 else "decided",
                        "reason": "risk",
                        "priority": 0.5,
                        "created_at": old,
                        "updated_at": old,
                    }
                    for i in tasks
                ],
            )
            confirmed = [i for i in tasks if i % 100 == 1]
            if confirmed:
                s.execute(
                    insert(Verdict),
                    [{"task_id": i, "label": "scam", "created_at": old} for i in confirmed],
                )
            s.commit()
    engine.dispose()


def _child(url: str, batch: int) -> None:
    """Run a dry run, then the purge; print JSON figures."""
    from core.config import Settings
    from core.db import make_engine, make_sessionmaker, utcnow
    from core.retention import purge

    settings = Settings(database_url=url, retention_batch_size=batch, _env_file=None)
    engine = make_engine(url)
    factory = make_sessionmaker(engine)
    import report.weekly  # noqa: F401 - imported by the first batch; a one-time cost, not growth

    with factory() as s:  # warm up: imports, connection, first queries
        s.execute(__import__("sqlalchemy").text("SELECT 1"))
    before = _rss_kb("VmRSS")
    started = time.perf_counter()
    with factory() as s:
        dry = purge(s, settings, utcnow(), dry_run=True)
    dry_s = time.perf_counter() - started
    started = time.perf_counter()
    with factory() as s:
        report = purge(s, settings, utcnow())
    run_s = time.perf_counter() - started
    print(
        json.dumps(
            {
                "dry_s": dry_s,
                "run_s": run_s,
                "blanked": report.texts_blanked,
                "would": dry.texts_blanked,
                "analyses": report.analyses_deleted,
                "kept_review": report.kept_under_review,
                "kept_confirmed": report.kept_confirmed,
                "batches": report.batches,
                "rss_before_kb": before,
                "peak_kb": _rss_kb("VmHWM"),
            }
        )
    )
    engine.dispose()


def _scratch(url: str) -> tuple[str, object]:
    """A scratch database for one size: ``(url, cleanup)``."""
    from sqlalchemy import create_engine, text

    if url == "sqlite":
        folder = tempfile.mkdtemp(prefix="duluan-bench-purge-")
        path = Path(folder) / "purge.db"
        return f"sqlite:///{path}", lambda: [p.unlink() for p in Path(folder).glob("*")]
    schema = f"bench_purge_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE SCHEMA "{schema}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        admin.dispose()

    sep = "&" if "?" in url else "?"
    return f"{url}{sep}options=-csearch_path%3D{schema}", drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    parser.add_argument("--items", type=int, nargs="+", default=[10_000, 50_000])
    parser.add_argument("--batch", type=int, default=500)
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child, args.batch)
        return
    kind = "SQLite" if args.database_url == "sqlite" else "PostgreSQL"
    print(f"{kind}, batches of {args.batch}")
    for items in args.items:
        url, cleanup = _scratch(args.database_url)
        try:
            started = time.perf_counter()
            _fill(url, items)
            fill_s = time.perf_counter() - started
            out = subprocess.run(
                [sys.executable, __file__, "--child", url, "--batch", str(args.batch)],
                capture_output=True,
                text=True,
                check=True,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
            f = json.loads(out.stdout.strip().splitlines()[-1])
            print(
                f"{items:>8,} items (filled in {fill_s:.1f} s): dry run {f['dry_s']:.2f} s "
                f"(would blank {f['would']:,}); purge {f['run_s']:.2f} s, "
                f"{f['blanked']:,} texts blanked ({f['blanked'] / f['run_s']:,.0f}/s), "
                f"{f['analyses']:,} analyses deleted, kept {f['kept_review']} under review and "
                f"{f['kept_confirmed']} confirmed, {f['batches']} batches; peak RSS "
                f"{f['peak_kb'] / 1024:.0f} MB ({(f['peak_kb'] - f['rss_before_kb']) / 1024:+.0f} "
                "MB over the resident size before the purge)"
            )
        finally:
            cleanup()  # type: ignore[operator]


if __name__ == "__main__":
    main()
