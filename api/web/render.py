"""Turning untrusted feed text and stored records into what the pages show.

Everything that came from a feed is untrusted. Templates autoescape; the one place that builds
markup (evidence highlighting) escapes every piece itself and passes the result through nh3 with
only ``<mark>`` allowed, and links are kept only for http(s) URLs. The pages also carry a
Content-Security-Policy without inline scripts, so even a mistake here would stay inert.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import nh3
from markupsafe import Markup, escape

from api.web.card import Span
from api.web.i18n import translate as t
from core.feed_problems import feed_problem


def highlight(text: str, spans: Sequence[Span], anchor: str | None = None) -> Markup:
    """``text`` escaped, with each of ``spans`` (character offsets into ``text``, see
    ``api.web.card.marks``) wrapped in ``<mark>``; a warning/refutation cue gets
    ``class="counter"``. Overlapping spans merge (a merged span is a counter only if all its
    parts are). ``anchor``, when given, becomes the ``id`` of the first mark that is evidence
    (else of the first mark): the card's "Xem đoạn bị gắn cờ" link jumps there. Spans outside
    ``text`` are clipped or ignored."""
    merged: list[list[Any]] = []
    for span in sorted(spans, key=lambda s: (s.start, s.end)):
        start, end = max(0, span.start), min(len(text), span.end)
        if start >= end:
            continue
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
            merged[-1][2] = merged[-1][2] and span.counter
        else:
            merged.append([start, end, span.counter])
    target = next((i for i, m in enumerate(merged) if not m[2]), 0)
    parts, pos = [], 0
    for i, (start, end, counter) in enumerate(merged):
        attrs = ' class="counter"' if counter else ""
        if anchor and i == target:
            attrs += f' id="{escape(anchor)}"'
        parts.append(str(escape(text[pos:start])))
        parts.append(f"<mark{attrs}>{escape(text[start:end])}</mark>")
        pos = end
    parts.append(str(escape(text[pos:])))
    allowed = {"class": {"counter"}, **({"id": {anchor}} if anchor else {})}
    return Markup(
        nh3.clean(
            "".join(parts), tags={"mark"}, attributes={}, tag_attribute_values={"mark": allowed}
        )
    )


def safe_url(url: str | None) -> str | None:
    """The URL if it is plain http(s), else ``None`` (``javascript:``, ``data:``… are dropped)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    return url.strip() if parts.scheme in {"http", "https"} and parts.netloc else None


def ago(when: datetime, now: datetime) -> str:
    minutes = max(0, int((now - when).total_seconds() // 60))
    if minutes < 60:
        return t("ago_minutes", n=minutes)
    if minutes < 48 * 60:
        return t("ago_hours", n=minutes // 60)
    return t("ago_days", n=minutes // (24 * 60))


def feed_health(
    feed: Any, now: datetime, stale_after: timedelta = timedelta(days=2)
) -> tuple[str, str]:
    """(level, plain Vietnamese sentence) for a feed: ok, warn or bad."""
    if not feed.enabled:
        return "bad", t("feed_disabled") + (
            f" {feed_problem(feed.last_error)}" if feed.last_error else ""
        )
    if feed.error_count:
        return "bad", t(
            "feed_failing", n=feed.error_count, error=feed_problem(feed.last_error or "") or "?"
        )
    if feed.last_success_at is None:
        return "warn", t("feed_never")
    if now - feed.last_success_at > stale_after:
        return "warn", t("feed_stale", days=(now - feed.last_success_at).days)
    if getattr(feed, "last_warning", None):
        return "warn", t(
            "feed_warning",
            ago=ago(feed.last_success_at, now),
            warning=feed_problem(feed.last_warning),
        )
    return "ok", t("feed_ok", ago=ago(feed.last_success_at, now))


def bar_chart(
    days: list[str], series: list[tuple[str, str, list[int]]], title: str, height: int = 160
) -> Markup:
    """A stacked bar chart as inline SVG (no script, scales with the screen). ``series`` is
    (label, CSS colour class, values per day); the figures are also in the SVG's description."""
    n = len(days)
    totals = [sum(values[i] for _, _, values in series) for i in range(n)]
    top = max(totals + [1])
    width, left, bottom, gap = 100 * n // 4 + 40, 28, 18, 2
    bar_w = (width - left) / max(n, 1) - gap
    plot_h = height - bottom - 6
    parts = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="{escape(title)}" preserveAspectRatio="none">',
        f"<title>{escape(title)}</title>",
        f'<text x="0" y="10" class="axis">{top}</text>',
        f'<text x="0" y="{plot_h + 6}" class="axis">0</text>',
        f'<line x1="{left - 2}" y1="{plot_h + 6}" x2="{width}" y2="{plot_h + 6}" class="base"/>',
    ]
    for i, day in enumerate(days):
        x = left + i * (bar_w + gap)
        y = float(plot_h + 6)
        for label, css, values in series:
            h = plot_h * values[i] / top
            if values[i]:
                parts.append(
                    f'<rect x="{x:.1f}" y="{y - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                    f'class="{escape(css)}"><title>{escape(day)} · {escape(label)}: {values[i]}</title></rect>'
                )
            y -= h
        if i % max(1, n // 7) == 0:
            parts.append(
                f'<text x="{x:.1f}" y="{height - 4}" class="axis">{escape(day[8:10])}/{escape(day[5:7])}</text>'
            )
    parts.append("</svg>")
    legend = "".join(
        f'<li><span class="swatch {escape(css)}"></span>{escape(label)}: {sum(values)}</li>'
        for label, css, values in series
    )
    return Markup("".join(parts) + f'<ul class="legend">{legend}</ul>')
