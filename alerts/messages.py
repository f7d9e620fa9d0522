"""An alert's words, in Vietnamese: a title and a plain text that name content and sources (a
cluster's headline and excerpt, source names, counts, a link to the item page) — never a
person: no reviewer, author or account appears, only what was decided and when."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from typing import Any

from core.feed_problems import feed_problem  # the feed page's words
from core.tables import AlertRule

VIETNAM = timezone(timedelta(hours=7))
VERDICT_WORDS = {"distortion": "sai lệch", "scam": "lừa đảo"}
RULE_NAMES = {
    AlertRule.spreading: "Tin đã xác nhận sai lệch/lừa đảo vẫn lan",
    AlertRule.fast_growth: "Câu chuyện mới lan nhanh bất thường",
    AlertRule.queue_wait: "Hàng đợi rà soát chờ quá lâu",
    AlertRule.feed_silent: "Nguồn tin im lặng hoặc đang lỗi",
}


def local(when: datetime | str) -> str:
    """A time as Vietnam time, ``HH:MM dd/mm/yyyy``."""
    if isinstance(when, str):
        when = datetime.fromisoformat(when)
    return when.astimezone(VIETNAM).strftime("%H:%M %d/%m/%Y")


def _names(names: list[str], limit: int = 10) -> str:
    shown = ", ".join(names[:limit])
    return shown + (f" và {len(names) - limit} nguồn khác" if len(names) > limit else "")


def _content(view: dict[str, Any], base_url: str) -> list[str]:
    lines = [f"Nội dung: «{view['title'] or '(không có tiêu đề)'}»"]
    if view["excerpt"]:
        lines.append(f"Trích: {view['excerpt']}")
    lines.append(f"Hiện có {view['items']} tin từ {view['sources']} nguồn.")
    if view["item_id"] is not None:
        lines.append(f"Xem tin: {base_url.rstrip('/')}/items/{view['item_id']}")
    return lines


def compose(
    rule: str, details: dict[str, Any], view: dict[str, Any] | None, base_url: str
) -> tuple[str, str]:
    """(title ≤ 300 characters, text) of an alert of ``rule`` from its finding's ``details``
    and, for a cluster, ``view`` (``alerts.load.cluster_view``); ``base_url`` is the web app's
    address (``DULUAN_PUBLIC_URL``). Raises ``ValueError`` for an unknown rule."""
    if rule == AlertRule.spreading:
        assert view is not None
        word = VERDICT_WORDS.get(details["verdict"], details["verdict"])
        new = details["new_sources"]
        title = f"Tin đã xác nhận là {word} vẫn lan: thêm {len(new)} nguồn mới"
        lines = [
            f"Nội dung này đã được xác nhận là {word} lúc {local(details['decided_at'])}, "
            f"nhưng từ đó có thêm {len(new)} nguồn đăng lại: {_names(new)}.",
            *_content(view, base_url),
        ]
    elif rule == AlertRule.fast_growth:
        assert view is not None
        title = (
            f"Câu chuyện mới lan nhanh bất thường: {details['items']} tin từ "
            f"{details['sources']} nguồn trong 1 giờ qua"
        )
        lines = [
            f"Trong 1 giờ qua có {details['items']} tin từ {details['sources']} nguồn; "
            f"thường vào giờ này câu chuyện lan nhanh nhất chỉ có khoảng "
            f"{details['baseline_items_mean']:g} tin từ {details['baseline_sources_mean']:g} "
            "nguồn mỗi giờ.",
            f"Xuất hiện lần đầu lúc {local(details['first_seen_at'])}.",
            *_content(view, base_url),
        ]
    elif rule == AlertRule.queue_wait:
        hours, minutes = divmod(int(details["oldest_minutes"]), 60)
        waited = f"{hours} giờ {minutes} phút" if hours else f"{minutes} phút"
        title = f"Hàng đợi rà soát chờ quá lâu: tin cũ nhất đã chờ {waited}"
        lines = [
            f"{details['pending']} tin đang chờ rà soát; tin chờ lâu nhất đã chờ {waited}.",
            f"Xem hàng đợi: {base_url.rstrip('/')}/queue",
        ]
    elif rule == AlertRule.feed_silent:
        name = details["feed"]
        if details["why"] == "failing":
            title = f"Nguồn tin «{name}» đang lỗi"
            lines = [f"Nguồn tin «{name}» lỗi {details['errors']} lần liên tiếp hoặc đã bị tắt."]
            if details.get("last_error"):
                lines.append(f"Lỗi gần nhất: {feed_problem(details['last_error'])}")
        else:
            title = f"Nguồn tin «{name}» không có tin mới"
            lines = [
                f"Nguồn tin «{name}» không có tin mới trong {details['silent_hours']:g} giờ, "
                "lâu hơn nhiều so với chu kỳ lấy tin của nó."
            ]
        lines.append(f"Xem tình trạng nguồn tin: {base_url.rstrip('/')}/feeds")
    else:
        raise ValueError(f"unknown alert rule {rule!r}")
    title = " ".join(title.split())  # one line: feed text must not break an e-mail header
    if len(title) > 300:
        title = title[:299] + "…"
    return title, "\n".join(lines)
