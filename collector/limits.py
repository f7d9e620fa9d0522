"""Politeness: a cap on requests in flight per host and a minimum gap between their starts."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from urllib.parse import urlsplit


class HostLimiter:
    """At most ``per_host`` requests in flight to one host, starting at least ``gap_s`` apart."""

    def __init__(self, per_host: int = 2, gap_s: float = 1.0) -> None:
        self.per_host = max(1, per_host)
        self.gap_s = max(0.0, gap_s)
        self._lock = threading.Lock()
        self._slots: dict[str, threading.BoundedSemaphore] = {}
        self._next_start: dict[str, float] = {}

    @staticmethod
    def host(url: str) -> str:
        try:
            return (urlsplit(url).hostname or "").lower()
        except ValueError:
            return ""

    @contextmanager
    def slot(self, url: str) -> Iterator[None]:
        host = self.host(url)
        with self._lock:
            sem = self._slots.setdefault(host, threading.BoundedSemaphore(self.per_host))
        with sem:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start.get(host, 0.0))
                self._next_start[host] = start + self.gap_s
            if start > now:
                time.sleep(start - now)
            yield
