"""The feedparser process pool, owned by whoever runs collection and shut down by it.

``with ParsePool(settings.parse_processes) as pool:`` — the owner (``collect_due`` for a single
pass, the worker loop for its whole life) passes ``pool`` to the pass and the pool's parser
processes are stopped and joined when the ``with`` block ends, whatever ends it. There is no
module-level pool: a process that never opens one never starts a parser, and one that closed its
pool has none left.

This module is what a parser process imports besides ``collector.parse`` (the initializer below
lives here), so it imports nothing heavy: no database, no HTTP client.
"""

from __future__ import annotations

import multiprocessing
import os
import signal
import threading
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from types import TracebackType

from collector.parse import ParsedFeed, parse

__all__ = ["ParsePool", "ParsePoolClosed"]

# How often a parser process checks that its collector still runs (seconds).
_ORPHAN_CHECK_S = 1.0


class ParsePoolClosed(RuntimeError):
    """A parse was asked of a pool whose owner already shut it down (a programming error: the
    pool was used outside its ``with`` block). Not a ``core.errors.DomainError``: it is no
    refusal of a user's request and must never be rendered as one."""


class ParsePool:
    """Parses feed bodies in ``processes`` parser processes, so feedparser does not hold the
    collector's GIL while its threads fetch; ``processes <= 0`` parses in the calling thread.

    The processes start at the first parse (a pass where every feed answered 304 starts none)
    and are shared by every thread of the owner. Thread-safe. Use it as a context manager; the
    processes are stopped and joined in ``__exit__`` (or ``close()``).
    """

    def __init__(self, processes: int) -> None:
        """``processes``: how many parser processes at most (``Settings.parse_processes``);
        0 or less: no process, parse in the calling thread."""
        self.processes = processes
        self._executor: ProcessPoolExecutor | None = None
        self._lock = threading.Lock()
        self._closed = False

    def __enter__(self) -> ParsePool:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    @property
    def closed(self) -> bool:
        """Whether ``close()`` ran (the pool parses nothing any more)."""
        return self._closed

    def pids(self) -> list[int]:
        """The ids of the parser processes running now (empty before the first parse, after
        ``close()`` and with ``processes <= 0``)."""
        with self._lock:
            executor = self._executor
            if executor is None:
                return []
            return list(executor._processes or {})

    def parse(
        self,
        body: bytes,
        headers: dict[str, str],
        fetched_at: datetime,
        url: str,
        max_entries: int,
    ) -> ParsedFeed:
        """``collector.parse.parse`` of one fetched body (bytes as received, the response's
        headers, the fetch time in UTC, the feed's final URL, at most ``max_entries`` entries
        kept), in a parser process when the pool has any.

        Raises ``collector.parse.ParseError`` when the body is not a usable feed (as the
        in-thread parse does) and ``ParsePoolClosed`` after ``close()``.
        """
        args = (body, headers, fetched_at, url, max_entries)
        executor = self._started()
        # parse() is submitted by its module's name: a parser process imports collector.parse
        # (feedparser, the decoder and the date reader) and this module, nothing else.
        return executor.submit(parse, *args).result() if executor else parse(*args)

    def close(self) -> None:
        """Stop the parser processes and wait for them to exit (a parse in progress is
        finished first). Idempotent."""
        with self._lock:
            executor, self._executor = self._executor, None
            self._closed = True
        if executor is not None:
            executor.shutdown(wait=True)

    def _started(self) -> ProcessPoolExecutor | None:
        """The executor, started on first use; ``None`` when parsing runs in the caller."""
        with self._lock:
            if self._closed:
                raise ParsePoolClosed("the parse pool was used after its owner shut it down")
            if self.processes <= 0:
                return None
            if self._executor is None:
                self._executor = ProcessPoolExecutor(
                    self.processes,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=_ignore_signals,
                    initargs=(os.getpid(),),
                )
            return self._executor


def _ignore_signals(parent: int) -> None:
    """A parser process's start: SIGTERM/SIGINT sent to the whole process group must not kill
    the parsers under the feeds in hand (the collector finishes them, then its pool's owner
    shuts the pool down); and a parser whose collector is gone — killed with -9 — exits within
    ``_ORPHAN_CHECK_S`` instead of living on as an orphan.

    ``parent`` is the collector's pid, handed over at the start: read here, after this
    process's imports, it could already be init's if the collector died meanwhile.
    """
    signal.signal(signal.SIGTERM, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)

    def watch() -> None:
        while os.getppid() == parent:
            time.sleep(_ORPHAN_CHECK_S)
        os._exit(0)

    threading.Thread(target=watch, name="orphan-watch", daemon=True).start()
