"""A feed's stored error or warning (``Feed.last_error``/``last_warning``, the collector's English
words) as a Vietnamese sentence: shown on the feed page and in alerts. Kept apart from the web
app so that a worker sending alerts need not import it."""

from __future__ import annotations

import re

# What the collector stores about a feed (``last_error``, ``last_warning``) is English (the log's
# words, and older rows keep them): each known cause gets a Vietnamese sentence, the stored text
# stays in parentheses for whoever digs into the log. First match wins.
_FEED_PROBLEMS: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), vi)
    for pattern, vi in (
        (r"^disabled after (\d+) errors", "Đã tự tắt sau {0} lần lỗi liên tiếp"),
        (r"non-public address", "Bị chặn: địa chỉ thuộc mạng nội bộ, không phải địa chỉ công khai"),
        (r"cannot resolve (\S+)", "Không tìm thấy tên miền {0} (lỗi DNS)"),
        (r"only http and https", "Chỉ tải được địa chỉ http:// hoặc https://"),
        (r"malformed URL|no host in|invalid URL", "Địa chỉ nguồn tin không hợp lệ"),
        (r"^HTTP (404|410)\b", "Máy chủ báo không có trang này (HTTP {0})"),
        (r"^HTTP (401|403)\b", "Máy chủ từ chối truy cập (HTTP {0})"),
        (r"^HTTP (429)\b", "Máy chủ báo lấy tin quá dày, sẽ thử lại sau (HTTP {0})"),
        (r"^HTTP (5\d\d)\b", "Máy chủ nguồn tin đang lỗi (HTTP {0})"),
        (r"^HTTP (\d{3})\b", "Máy chủ trả lỗi HTTP {0}"),
        (r"timed out|took longer than", "Quá thời gian chờ máy chủ trả lời"),
        (r"exceeds the cap", "Nội dung quá lớn, vượt giới hạn cho phép"),
        (
            r"redirect loop|more than \d+ redirects",
            "Địa chỉ chuyển hướng vòng quanh hoặc quá nhiều lần",
        ),
        (r"could not decode", "Không giải mã được nội dung máy chủ gửi"),
        (r"ConnectError|connection refused|ConnectTimeout", "Không kết nối được tới máy chủ"),
        (r"empty body", "Máy chủ trả về nội dung rỗng"),
        (r"not a feed", "Nội dung không phải RSS/Atom"),
        (r"no usable entries", "Nguồn tin không có bài nào dùng được"),
        (r"(\d+) entries could not be stored", "{0} bài không lưu được và đã bỏ qua"),
        (r"(\d+) entries with a date that could not be read", "{0} bài không đọc được ngày đăng"),
        (r"(\d+) unusable entries skipped", "Bỏ qua {0} bài không dùng được"),
        (r"removed or its lease lost", "Nguồn tin bị xóa hoặc đổi lượt trong lúc lấy tin"),
    )
)
_VIETNAMESE = re.compile(r"[ăâđêôơưạảấầẩẫậắằẳẵặẹẻẽếềểễệỉịọỏốồổỗộớờởỡợụủứừửữựỳỵỷỹ]", re.IGNORECASE)


def feed_problem(text: str) -> str:
    """A stored feed error or warning (``Feed.last_error``/``last_warning``, any string) as
    "Vietnamese. (stored text)". Text already in Vietnamese is returned as it is; each
    ``;``-separated part is translated on its own; an unknown cause reads "Lỗi khác"."""
    text = text.strip()
    if not text or _VIETNAMESE.search(text):
        return text
    sentences = []
    for part in (p.strip() for p in text.split(";")):
        if not part:
            continue
        for pattern, vi in _FEED_PROBLEMS:
            if found := pattern.search(part):
                sentence = vi.format(*found.groups())
                break
        else:
            sentence = "Lỗi khác, xem chi tiết trong nhật ký"
        if sentence not in sentences:
            sentences.append(sentence)
    # only separators (";"): no cause named, an unknown one (hypothesis found ";")
    return f"{'; '.join(sentences or ['Lỗi khác, xem chi tiết trong nhật ký'])}. ({text})"
