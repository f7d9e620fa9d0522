"""The collector tests' own checks: no parser process outlives the run."""

from __future__ import annotations

from collections.abc import Iterator

import psutil
import pytest


def parser_children() -> list[psutil.Process]:
    """This process's multiprocessing children (parser processes are spawned ones; the
    resource tracker is not a multiprocessing child and is not counted: it is one per process
    and exits with it)."""
    found = []
    for child in psutil.Process().children(recursive=True):
        try:
            cmdline = " ".join(child.cmdline())
            if "multiprocessing.spawn" in cmdline and child.status() != psutil.STATUS_ZOMBIE:
                found.append(child)
        except (psutil.NoSuchProcess, psutil.ZombieProcess):
            continue
    return found


@pytest.fixture(autouse=True, scope="session")
def _no_parser_process_left() -> Iterator[None]:
    """Before: the collector's parse pool was a module global nobody shut down, and every test
    run left a parser process behind. Every pool now has an owner that joins it; after the
    session none may remain."""
    yield
    left = parser_children()
    if left:
        pytest.fail(
            "parser processes left running after the tests: "
            + ", ".join(f"{p.pid} ({' '.join(p.cmdline())[:80]})" for p in left)
            + "; whoever opens a collector.parse_pool.ParsePool must close it (use `with`)",
            pytrace=False,
        )
