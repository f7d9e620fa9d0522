"""``/metrics`` in Prometheus text format: request latency and, from the database, items
collected and analysed, the analysis backlog (items waiting, age of the oldest), queue depth by
status, claims and verdicts.

Latency is counted in each API process. With ``DULUAN_METRICS_DIR`` set (``duluan serve
--workers N`` sets it), every process also writes its histogram there every few seconds and
``/metrics`` — whichever process answers — adds them all up, so one scrape sees every worker.

Latency is labelled by the matched route's template (``/api/v1/items/{item_id}``; any path no
route matches is ``<unmatched>``, a method outside the usual ones ``OTHER``), so label values are
bounded by the app's routes whatever clients send.

Who may read it: with ``DULUAN_METRICS_TOKEN`` set, only a request carrying
``Authorization: Bearer <that token>`` (401 otherwise). Without it, a client on the loopback
interface (a Prometheus on the same host) or an admin's API token (401 without a token, 403 for
another role). Behind a reverse proxy on the same host every client looks local unless the
server reads the proxy's forwarded address: set the token there.
"""

from __future__ import annotations

import hmac
import ipaddress
import json
import os
import threading
import time
import uuid
from collections import defaultdict
from datetime import datetime, timedelta
from pathlib import Path

from fastapi import FastAPI, Request, Response
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from api.middleware import Timing
from core.auth import NotAuthenticated, user_for_token
from core.db import utcnow
from core.errors import Forbidden
from core.tables import AuditEvent, Item, ReviewTask, Role, Verdict
from core.vocabulary import STATUSES
from nlp.pending import count_pending

BUCKETS = (0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)


class Latency:
    """A latency histogram per (method, route), optionally shared through ``folder``."""

    def __init__(self, folder: Path | None = None, every_s: float = 2.0) -> None:
        self.lock = threading.Lock()
        self.counts: dict[tuple[str, str], list[int]] = defaultdict(
            lambda: [0] * (len(BUCKETS) + 1)
        )
        self.sums: dict[tuple[str, str], float] = defaultdict(float)
        self.folder, self.every_s, self.written = folder, every_s, 0.0
        if folder is not None:
            folder.mkdir(parents=True, exist_ok=True)
            self.file = folder / f"latency-{os.getpid()}-{uuid.uuid4().hex[:8]}.json"

    def observe(self, method: str, route: str, seconds: float) -> None:
        with self.lock:
            counts = self.counts[(method, route)]
            for i, bound in enumerate(BUCKETS):
                if seconds <= bound:
                    counts[i] += 1
            counts[-1] += 1
            self.sums[(method, route)] += seconds
        if self.folder is not None and time.monotonic() - self.written > self.every_s:
            self.dump()

    def dump(self) -> None:
        """Write this process's histogram (atomically) for the others to read."""
        if self.folder is None:
            return
        with self.lock:
            data = [[m, r, list(c), self.sums[(m, r)]] for (m, r), c in self.counts.items()]
            self.written = time.monotonic()
        tmp = self.file.with_suffix(".tmp")
        tmp.write_text(json.dumps(data), encoding="utf-8")
        os.replace(tmp, self.file)

    def merged(self) -> tuple[dict[tuple[str, str], list[int]], dict[tuple[str, str], float]]:
        """Every process's histograms added up (just this one's without a folder)."""
        if self.folder is None:
            with self.lock:
                return {k: list(v) for k, v in self.counts.items()}, dict(self.sums)
        self.dump()
        counts: dict[tuple[str, str], list[int]] = defaultdict(lambda: [0] * (len(BUCKETS) + 1))
        sums: dict[tuple[str, str], float] = defaultdict(float)
        for path in sorted(self.folder.glob("latency-*.json")):
            try:
                data = json.loads(path.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                continue  # a file being replaced or a process gone mid-write: next scrape
            for method, route, c, total in data:
                key = (method, route)
                counts[key] = [a + b for a, b in zip(counts[key], c, strict=True)]
                sums[key] += total
        return dict(counts), dict(sums)

    def lines(self) -> list[str]:
        counts_by_route, sums = self.merged()
        scope = "every API process" if self.folder is not None else "this process"
        out = [
            f"# HELP duluan_request_seconds API request latency ({scope}).",
            "# TYPE duluan_request_seconds histogram",
        ]
        for (method, route), counts in sorted(counts_by_route.items()):
            labels = f'method="{method}",route="{route}"'
            for bound, n in zip(BUCKETS, counts, strict=False):
                out.append(f'duluan_request_seconds_bucket{{{labels},le="{bound}"}} {n}')
            out.append(f'duluan_request_seconds_bucket{{{labels},le="+Inf"}} {counts[-1]}')
            out.append(f"duluan_request_seconds_sum{{{labels}}} {sums[(method, route)]:.6f}")
            out.append(f"duluan_request_seconds_count{{{labels}}} {counts[-1]}")
        return out


def _bearer(request: Request) -> str | None:
    scheme, _, credentials = request.headers.get("authorization", "").partition(" ")
    return (credentials.strip() or None) if scheme.lower() == "bearer" else None


def _loopback(request: Request) -> bool:
    try:
        return request.client is not None and ipaddress.ip_address(request.client.host).is_loopback
    except ValueError:  # not an address (a test client's name, a Unix socket)
        return False


def check_access(request: Request, session: Session) -> None:
    """Let the scrape through, or raise ``AuthError`` (401) / ``DomainError`` (403): the metrics
    token when ``DULUAN_METRICS_TOKEN`` is set (not empty); otherwise a loopback client or an admin's token."""
    token = _bearer(request)
    secret = request.app.state.settings.metrics_token
    expected = secret.get_secret_value() if secret is not None else ""
    if expected:  # an empty DULUAN_METRICS_TOKEN counts as unset
        if token is None or not hmac.compare_digest(token.encode(), expected.encode()):
            raise NotAuthenticated("Cần mã truy cập số liệu. (Metrics token required.)")
        return
    if _loopback(request):
        return
    if token is None:
        raise NotAuthenticated("Cần đăng nhập. (Authentication required.)")
    idle = timedelta(minutes=request.app.state.settings.session_idle_minutes)
    if user_for_token(session, token, idle=idle).role != Role.admin:
        raise Forbidden("Chỉ quản trị viên xem được số liệu. (Admins only.)")


def _age_s(oldest: datetime | None) -> float:
    return max(0.0, (utcnow() - oldest).total_seconds()) if oldest is not None else 0.0


def install(app: FastAPI) -> None:
    latency = Latency(app.state.settings.metrics_dir)
    app.state.latency = latency

    app.add_middleware(Timing, observe=latency.observe)

    @app.get("/metrics", include_in_schema=False)
    def metrics(request: Request) -> Response:
        with request.app.state.sessionmaker() as session:
            check_access(request, session)
            # One pass over ``item`` for both (``analyzed_at`` is set with an item's first
            # analysis), where counting distinct ``analysis.item_id`` read every analysis too.
            items, analysed = session.execute(
                select(func.count(Item.id), func.count(Item.analyzed_at))
            ).one()
            waiting, oldest = count_pending(session)
            depth = dict(
                session.execute(
                    select(ReviewTask.status, func.count(ReviewTask.id)).group_by(ReviewTask.status)
                ).all()
            )
            claims = (
                session.scalar(
                    select(func.count(AuditEvent.id)).where(AuditEvent.action == "task.claim")
                )
                or 0
            )
            verdicts = dict(
                session.execute(
                    select(Verdict.label, func.count(Verdict.id)).group_by(Verdict.label)
                ).all()
            )
        lines = [
            "# HELP duluan_items_total Items collected.",
            "# TYPE duluan_items_total gauge",
            f"duluan_items_total {items}",
            "# HELP duluan_items_analysed_total Items with at least one analysis.",
            "# TYPE duluan_items_analysed_total gauge",
            f"duluan_items_analysed_total {analysed}",
            "# HELP duluan_backlog_items Items waiting for analysis.",
            "# TYPE duluan_backlog_items gauge",
            f"duluan_backlog_items {waiting}",
            "# HELP duluan_backlog_oldest_seconds Age of the oldest item waiting for analysis "
            "(since it was fetched; 0 when none waits).",
            "# TYPE duluan_backlog_oldest_seconds gauge",
            f"duluan_backlog_oldest_seconds {_age_s(oldest):.0f}",
            "# HELP duluan_queue_tasks Review tasks by status.",
            "# TYPE duluan_queue_tasks gauge",
            *[f'duluan_queue_tasks{{status="{s}"}} {depth.get(s, 0)}' for s in STATUSES],
            "# HELP duluan_claims_total Tasks claimed.",
            "# TYPE duluan_claims_total counter",
            f"duluan_claims_total {claims}",
            "# HELP duluan_verdicts_total Verdicts given, by verdict.",
            "# TYPE duluan_verdicts_total counter",
            *[f'duluan_verdicts_total{{verdict="{v}"}} {n}' for v, n in sorted(verdicts.items())],
            *latency.lines(),
        ]
        return Response(
            "\n".join(lines) + "\n", media_type="text/plain; version=0.0.4; charset=utf-8"
        )
