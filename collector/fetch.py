"""HTTP fetching with timeouts, a body-size cap, redirects limits and conditional GET."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from urllib.parse import urlsplit

import httpx

from core.config import Settings


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

    @property
    def not_modified(self) -> bool:
        return self.status == 304


def make_client(settings: Settings) -> httpx.Client:
    """One client per run: explicit User-Agent, timeouts, redirect limit."""
    timeout = httpx.Timeout(settings.http_read_timeout_s, connect=settings.http_connect_timeout_s)
    return httpx.Client(
        headers={
            "User-Agent": settings.user_agent,
            "Accept-Encoding": "gzip, deflate",
            "Accept": "application/rss+xml, application/atom+xml, application/xml;q=0.9, text/xml;q=0.8, */*;q=0.5",
        },
        timeout=timeout,
        follow_redirects=True,
        max_redirects=settings.max_redirects,
    )


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        from email.utils import parsedate_to_datetime

        try:
            return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
        except (TypeError, ValueError):
            return None


def fetch(
    client: httpx.Client,
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    max_bytes: int = 10_000_000,
    total_timeout_s: float = 30.0,
) -> FetchResult:
    """GET ``url`` and return its body, or raise ``FetchError``; stops reading past ``max_bytes``."""
    if urlsplit(url).scheme not in {"http", "https"}:
        raise FetchError(f"only http and https URLs are fetched, not {url!r}", soft=False)
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    deadline = time.monotonic() + total_timeout_s
    try:
        with client.stream("GET", url, headers=headers) as response:
            status = response.status_code
            if status == 304:
                return FetchResult(304, b"", dict(response.headers), str(response.url))
            if status >= 400:
                soft = status in {404, 408, 429} or status >= 500
                raise FetchError(
                    f"HTTP {status}",
                    soft=soft,
                    status=status,
                    retry_after=_retry_after(response.headers.get("retry-after")),
                )
            declared = response.headers.get("content-length")
            if declared and declared.isdigit() and int(declared) > max_bytes:
                raise FetchError(
                    f"body of {declared} bytes exceeds the cap of {max_bytes}", soft=False
                )
            chunks, size = [], 0
            for chunk in response.iter_bytes():
                size += len(chunk)
                if size > max_bytes:
                    raise FetchError(f"body exceeds the cap of {max_bytes} bytes", soft=False)
                if time.monotonic() > deadline:
                    raise FetchError(f"took longer than {total_timeout_s:.0f} s", soft=True)
                chunks.append(chunk)
            return FetchResult(status, b"".join(chunks), dict(response.headers), str(response.url))
    except httpx.TooManyRedirects as exc:
        raise FetchError(f"too many redirects: {exc}", soft=False) from exc
    except httpx.TimeoutException as exc:
        raise FetchError(f"timed out: {type(exc).__name__}", soft=True) from exc
    except httpx.DecodingError as exc:
        raise FetchError(f"could not decode the body: {exc}", soft=False) from exc
    except httpx.HTTPError as exc:
        raise FetchError(f"{type(exc).__name__}: {exc}", soft=True) from exc
