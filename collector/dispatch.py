"""Politeness for one collector pass: which leased feed may start fetching now."""

from __future__ import annotations

import time
from collections import Counter, deque
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, wait
from typing import Generic, TypeVar

from collector.leases import FeedJob
from collector.limits import HostLimiter
from core.config import Settings

__all__ = ["Dispatcher"]

T = TypeVar("T")


class Dispatcher(Generic[T]):
    """Keeps up to ``concurrency`` fetches in flight, never more than ``per_host`` to one host and
    never two starts to one host closer than ``gap_s``: a worker never sits waiting for a host.
    ``T`` is what a started job's future yields. Not thread-safe: the pass's loop alone uses it.
    """

    def __init__(self, settings: Settings) -> None:
        """Limits from ``settings``: ``fetch_concurrency`` (at least 1), ``per_host_limit``
        (at least 1) and ``per_host_gap_s`` (seconds, at least 0)."""
        self.concurrency = max(1, settings.fetch_concurrency)
        self.per_host = max(1, settings.per_host_limit)
        self.gap_s = max(0.0, settings.per_host_gap_s)
        self.queues: dict[str, deque[FeedJob]] = {}
        self.busy: Counter[str] = Counter()
        self.next_start: dict[str, float] = {}
        self.in_flight: dict[Future[T], FeedJob] = {}

    def add(self, jobs: list[FeedJob]) -> None:
        """Queue leased feeds, each behind the others of its host."""
        for job in jobs:
            self.queues.setdefault(HostLimiter.host(job.url), deque()).append(job)

    @property
    def queued(self) -> int:
        """How many feeds wait to start."""
        return sum(len(q) for q in self.queues.values())

    def start_ready(self, submit: Callable[[FeedJob], Future[T]]) -> float:
        """Start (``submit``) what may start now; returns seconds (at least 0.01, at most 0.5)
        until a waiting host may start again."""
        now = time.monotonic()
        soonest = 0.5
        for host, queue in self.queues.items():
            while (
                queue and len(self.in_flight) < self.concurrency and self.busy[host] < self.per_host
            ):
                ready_at = self.next_start.get(host, 0.0)
                if ready_at > now:
                    soonest = min(soonest, ready_at - now)
                    break
                job = queue.popleft()
                self.in_flight[submit(job)] = job
                self.busy[host] += 1
                self.next_start[host] = now + self.gap_s
        return max(soonest, 0.01)

    def finished(self, timeout: float | None) -> list[tuple[Future[T], FeedJob]]:
        """The fetches that end within ``timeout`` seconds (``None``: wait for the first one),
        with their feeds; their hosts' slots are freed. Empty when nothing is in flight."""
        if not self.in_flight:
            return []
        done, _ = wait(self.in_flight, timeout=timeout, return_when=FIRST_COMPLETED)
        out = []
        for future in done:
            job = self.in_flight.pop(future)
            self.busy[HostLimiter.host(job.url)] -= 1
            out.append((future, job))
        return out

    def drain_queued(self) -> list[FeedJob]:
        """Take every feed that has not started out of the queue (to release its lease)."""
        jobs = [j for q in self.queues.values() for j in q]
        self.queues.clear()
        return jobs
