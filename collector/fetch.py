"""HTTP fetching: SSRF guard on every hop, timeouts, a total-time cap, a body-size cap,
limited redirects, gzip/deflate (also gzip sent without a header), conditional GET."""

from __future__ import annotations

import re
import time
import zlib
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from urllib.parse import urljoin

import httpx

from collector.guard import Allowlist, BlockedURL, check_url
from core.config import Settings

_REDIRECTS = {301, 302, 303, 307, 308}
_PERMANENT = {301, 308}
_GZIP_MAGIC = b"\x1f\x8b"
_MAX_AGE_RE = re.compile(r"max-age\s*=\s*(\d+)", re.I)


class FetchError(Exception):
    """A fetch that failed. ``soft`` errors (timeouts, 404, 429, 5xx) are retried with backoff."""

    def __init__(
        self,
        message: str,
        *,
        soft: bool,
        status: int | None = None,
        retry_after: float | None = None,
    ) -> None:
        super().__init__(message)
        self.soft = soft
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True)
class FetchResult:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)
    final_url: str = ""
    # The new address when every redirect on the way was permanent (301/308): the feed moved.
    moved_to: str | None = None

    @property
    def not_modified(self) -> bool:
        return self.status == 304

    @property
    def max_age(self) -> float | None:
        """Seconds from Cache-Control max-age, if the server gave one."""
        m = _MAX_AGE_RE.search(self.headers.get("cache-control", ""))
        return float(m.group(1)) if m else None


@dataclass(frozen=True)
class FetchPolicy:
    """Limits of one fetch, from the settings."""

    max_bytes: int
    total_timeout_s: float
    max_redirects: int
    allowlist: Allowlist

    @classmethod
    def from_settings(cls, settings: Settings, *, max_bytes: int | None = None) -> FetchPolicy:
        return cls(
            max_bytes or settings.max_feed_bytes,
            settings.http_total_timeout_s,
            settings.max_redirects,
            Allowlist.parse(settings.fetch_allowlist),
        )


def make_client(settings: Settings) -> httpx.Client:
    """One client per run (thread-safe): explicit User-Agent, timeouts; redirects are ours to follow."""
    timeout = httpx.Timeout(settings.http_read_timeout_s, connect=settings.http_connect_timeout_s)
    limits = httpx.Limits(
        max_connections=max(10, settings.fetch_concurrency * 2),
        max_keepalive_connections=settings.fetch_concurrency,
    )
    return httpx.Client(
        headers={
            "User-Agent": settings.user_agent,
            "Accept-Encoding": "gzip, deflate",
            "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, "
            "text/xml;q=0.8, */*;q=0.5",
        },
        timeout=timeout,
        follow_redirects=False,
        limits=limits,
        trust_env=False,
    )


def retry_after_seconds(value: str | None, now: float | None = None) -> float | None:
    """Retry-After as seconds from now (delta-seconds or an HTTP date)."""
    if not value:
        return None
    value = value.strip()
    if value.isdigit():
        return float(value)
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - (now or time.time()))
    except (TypeError, ValueError, IndexError):
        return None


def _gunzip(body: bytes, max_bytes: int) -> bytes:
    """Decompress a gzip body that came without Content-Encoding, within the size cap."""
    d = zlib.decompressobj(16 + zlib.MAX_WBITS)
    try:
        out = d.decompress(body, max_bytes + 1)
    except zlib.error:
        return body
    if len(out) > max_bytes:
        raise FetchError(f"decompressed body exceeds the cap of {max_bytes} bytes", soft=False)
    return out


def _read(response: httpx.Response, policy: FetchPolicy, deadline: float) -> bytes:
    declared = response.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > policy.max_bytes:
        raise FetchError(
            f"body of {declared} bytes exceeds the cap of {policy.max_bytes}", soft=False
        )
    chunks, size = [], 0
    for chunk in response.iter_bytes():
        size += len(chunk)
        if size > policy.max_bytes:
            raise FetchError(f"body exceeds the cap of {policy.max_bytes} bytes", soft=False)
        if time.monotonic() > deadline:
            raise FetchError(f"took longer than {policy.total_timeout_s:g} s", soft=True)
        chunks.append(chunk)
    body = b"".join(chunks)
    return _gunzip(body, policy.max_bytes) if body[:2] == _GZIP_MAGIC else body


def fetch(
    client: httpx.Client,
    url: str,
    policy: FetchPolicy,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
) -> FetchResult:
    """GET ``url`` following at most ``policy.max_redirects`` redirects, each hop checked by the guard."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = time.monotonic() + policy.total_timeout_s
    seen: list[str] = []
    permanent = True
    try:
        while True:
            try:
                check_url(url, policy.allowlist)
            except BlockedURL as exc:
                raise FetchError(f"refused: {exc}", soft=False) from exc
            with client.stream("GET", url, headers=headers) as response:
                status = response.status_code
                if status in _REDIRECTS and response.headers.get("location"):
                    permanent = permanent and status in _PERMANENT
                    seen.append(url)
                    url = urljoin(url, response.headers["location"])
                    if url in seen:
                        raise FetchError(f"redirect loop at {url}", soft=False)
                    if len(seen) > policy.max_redirects:
                        raise FetchError(f"more than {policy.max_redirects} redirects", soft=False)
                    continue
                moved_to = url.split("#", 1)[0] if seen and permanent else None
                if status == 304:
                    return FetchResult(304, b"", dict(response.headers), url, moved_to)
                if status >= 400:
                    soft = status in {404, 408, 425, 429} or status >= 500
                    raise FetchError(
                        f"HTTP {status}",
                        soft=soft,
                        status=status,
                        retry_after=retry_after_seconds(response.headers.get("retry-after")),
                    )
                if time.monotonic() > deadline:
                    raise FetchError(f"took longer than {policy.total_timeout_s:g} s", soft=True)
                return FetchResult(
                    status, _read(response, policy, deadline), dict(response.headers), url, moved_to
                )
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out ({type(exc).__name__})", soft=True) from exc
    except httpx.DecodingError as exc:
        raise FetchError(f"could not decode the body: {exc}", soft=False) from exc
    except httpx.InvalidURL as exc:
        raise FetchError(f"invalid URL: {exc}", soft=False) from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"{type(exc).__name__}: {exc}", soft=True) from exc
