"""Time the weekly summary (every format) and the analysts' dashboard on a large week.

Builds a fresh PostgreSQL schema with ``--items`` analysed items of this week (bulk-inserted and
not ANALYZEd, as right after an import, so the planner works with stale statistics) and prints
how long each format and the dashboard take.

    .venv/bin/python bench/report.py [--database-url postgresql+psycopg://postgres@127.0.0.1:5432/test]
                                     [--items 20000]

The database's ``public`` schema is dropped and recreated: point it at a scratch database.
"""

from __future__ import annotations

import argparse
import runpy
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--database-url", default="postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    parser.add_argument("--items", type=int, default=20_000)
    args = parser.parse_args()

    from sqlalchemy import text

    from core.calendar import Week
    from core.db import make_engine, make_sessionmaker, utcnow
    from report.dashboard import dashboard
    from report.formats import build

    engine = make_engine(args.database_url)
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE; CREATE SCHEMA public"))
    setup = runpy.run_path(str(ROOT / "bench" / "api.py"), run_name="bench")["_setup"]
    started = time.perf_counter()
    setup(args.database_url, args.items, 1, 0.25)
    print(f"{args.items:,} analysed items this week (setup {time.perf_counter() - started:.1f} s)")
    factory = make_sessionmaker(engine)
    week = Week.containing(utcnow())
    for fmt in ("md", "csv", "html", "docx"):
        with factory() as session:
            started = time.perf_counter()
            body = build(session, week, fmt)
            print(f"weekly {fmt:<5} {time.perf_counter() - started:6.2f} s  {len(body):>10,} bytes")
    with factory() as session:
        started = time.perf_counter()
        dashboard(session)
        print(f"dashboard    {time.perf_counter() - started:6.2f} s")
    engine.dispose()


if __name__ == "__main__":
    main()
