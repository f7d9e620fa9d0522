"""Full-text extraction for feeds that carry only summaries (trafilatura)."""

from __future__ import annotations

import logging

import httpx

from collector.fetch import FetchError, FetchPolicy, fetch

log = logging.getLogger(__name__)


def extract_text(html: bytes | str) -> str:
    """The main text of an article page ('' when trafilatura finds none)."""
    import trafilatura  # heavy import; only feeds with extraction on need it

    text = trafilatura.extract(
        html, include_comments=False, include_tables=False, favor_precision=True
    )
    return (text or "").strip()


def full_text(
    client: httpx.Client, url: str, policy: FetchPolicy, summary: str, min_chars: int
) -> str:
    """The article's extracted text when it has at least ``min_chars`` characters, else ``summary``."""
    try:
        page = fetch(client, url, policy)
        text = extract_text(page.body)
    except FetchError as exc:
        log.info("full text of %s not fetched: %s", url, exc)
        return summary
    return text if len(text) >= min_chars else summary
