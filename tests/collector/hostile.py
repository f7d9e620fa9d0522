"""A local HTTP server that misbehaves in every way a real feed has (the hostile-feed corpus).

Each ``Case`` is served at ``/<name>`` and says what the collector must make of it. The server
only ever listens on 127.0.0.1; the one case that redirects elsewhere points at a private
address the SSRF guard must refuse before any connection is made.
"""

from __future__ import annotations

import contextlib
import gzip
import itertools
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from collector.run import Outcome

VI = "Chuyển đổi số ở xã: người dân học kỹ năng số"


def rss(items: str, *, encoding: str = "utf-8", version: str = "2.0", extra: str = "") -> str:
    return (
        f'<?xml version="1.0" encoding="{encoding}"?>\n<rss version="{version}"><channel>'
        f"<title>Kênh thử</title><link>https://feed.example/</link>{extra}{items}</channel></rss>"
    )


_serial = itertools.count(1)


def item(
    n: int,
    *,
    title: str | None = None,
    link: str | None = "default",
    guid: str | None = None,
    date: str = "Mon, 23 Nov 2026 08:15:00 +0700",
    desc: str | None = None,
) -> str:
    """One RSS item; every call is a different article (the store deduplicates across feeds)."""
    k = next(_serial)
    link = f"https://feed.example/bai/{k}" if link == "default" else link
    parts = [f"<title>{title or f'{VI} — bài {n} (#{k})'}</title>"]
    if link:
        parts.append(f"<link>{link}</link>")
    if guid:
        parts.append(f'<guid isPermaLink="false">{guid}</guid>')
    if date:
        parts.append(f"<pubDate>{date}</pubDate>")
    parts.append(
        f"<description>{desc if desc is not None else f'Nội dung bài số {k} về dịch vụ công.'}</description>"
    )
    return "<item>" + "".join(parts) + "</item>"


def items3() -> str:
    return "".join(item(i) for i in range(1, 4))


RSS091 = (
    '<?xml version="1.0" encoding="utf-8"?><!DOCTYPE rss PUBLIC "-//Netscape Communications//DTD RSS 0.91//EN" '
    '"http://my.netscape.com/publish/formats/rss-0.91.dtd"><rss version="0.91"><channel><title>Cũ</title>'
    "<link>https://old.example/</link><description>d</description><language>vi</language>"
    "<item><title>Tin RSS 0.91</title><link>https://old.example/1</link><description>Nội dung cũ</description></item>"
    "</channel></rss>"
)
RSS10 = (
    '<?xml version="1.0" encoding="utf-8"?><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#" '
    'xmlns="http://purl.org/rss/1.0/" xmlns:dc="http://purl.org/dc/elements/1.1/">'
    '<channel rdf:about="https://rdf.example/"><title>RDF</title><link>https://rdf.example/</link>'
    '<description>d</description><items><rdf:Seq><rdf:li resource="https://rdf.example/1"/></rdf:Seq></items></channel>'
    '<item rdf:about="https://rdf.example/1"><title>Tin RSS 1.0</title><link>https://rdf.example/1</link>'
    "<description>Nội dung RDF</description><dc:date>2026-11-23T08:00:00+07:00</dc:date></item></rdf:RDF>"
)
ATOM_RELATIVE = (
    '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
    "<title>Atom</title><id>tag:a,2026:f</id><updated>2026-11-25T13:30:00+07:00</updated>"
    '<entry><title>Bài Atom</title><link href="/bai/atom-1"/><id>tag:a,2026:1</id>'
    "<updated>2026-11-25T13:30:00+07:00</updated><summary>Tóm tắt Atom</summary></entry></feed>"
)
YOUTUBE = (
    '<?xml version="1.0" encoding="UTF-8"?><feed xmlns:yt="http://www.youtube.com/xml/schemas/2015" '
    'xmlns:media="http://search.yahoo.com/mrss/" xmlns="http://www.w3.org/2005/Atom">'
    '<link rel="self" href="http://www.youtube.com/feeds/videos.xml?channel_id=UC123"/>'
    "<id>yt:channel:UC123</id><yt:channelId>UC123</yt:channelId><title>Kênh Chuyển đổi số</title>"
    "<author><name>Kênh Chuyển đổi số</name><uri>https://www.youtube.com/channel/UC123</uri></author>"
    "<published>2025-01-01T00:00:00+00:00</published>"
    "<entry><id>yt:video:abc123</id><yt:videoId>abc123</yt:videoId><yt:channelId>UC123</yt:channelId>"
    "<title>Hướng dẫn cài VNeID mức 2</title>"
    '<link rel="alternate" href="https://www.youtube.com/watch?v=abc123"/>'
    "<author><name>Kênh Chuyển đổi số</name></author>"
    "<published>2026-11-24T10:00:00+00:00</published><updated>2026-11-24T10:05:00+00:00</updated>"
    "<media:group><media:title>Hướng dẫn cài VNeID mức 2</media:title>"
    "<media:description>Video hướng dẫn từng bước kích hoạt định danh điện tử mức 2 tại nhà.</media:description>"
    "</media:group></entry></feed>"
)
MASTODON = (
    '<?xml version="1.0" encoding="UTF-8"?><rss version="2.0" xmlns:webfeeds="http://webfeeds.org/rss/1.0" '
    'xmlns:media="http://search.yahoo.com/mrss/"><channel><title>Tài khoản Mastodon</title>'
    "<link>https://mastodon.example/@cds</link><description>Public posts</description>"
    '<item><guid isPermaLink="true">https://mastodon.example/@cds/111</guid>'
    "<link>https://mastodon.example/@cds/111</link><pubDate>Tue, 24 Nov 2026 02:00:00 +0000</pubDate>"
    '<description>&lt;p&gt;Cổng dịch vụ công hôm nay lại báo lỗi &lt;a href="https://mastodon.example/tags/cds" '
    'class="mention hashtag"&gt;#&lt;span&gt;cds&lt;/span&gt;&lt;/a&gt;&lt;/p&gt;</description></item>'
    "</channel></rss>"
)
REDDIT = (
    '<?xml version="1.0" encoding="UTF-8"?><feed xmlns="http://www.w3.org/2005/Atom" '
    'xmlns:media="http://search.yahoo.com/mrss/"><category term="VietNam" label="r/VietNam"/>'
    "<updated>2026-11-24T12:00:00+00:00</updated><id>/r/VietNam/.rss</id>"
    '<link rel="self" href="https://www.reddit.com/r/VietNam/.rss" type="application/atom+xml"/>'
    "<title>VietNam</title><entry><author><name>/u/someone</name></author>"
    '<category term="VietNam" label="r/VietNam"/><content type="html">&lt;!-- SC_OFF --&gt;&lt;div class="md"&gt;'
    "&lt;p&gt;Ứng dụng VNeID có an toàn không mọi người?&lt;/p&gt;&lt;/div&gt;&lt;!-- SC_ON --&gt;</content>"
    "<id>t3_abc</id>"
    '<link href="https://www.reddit.com/r/VietNam/comments/abc/vneid/"/>'
    "<updated>2026-11-24T11:00:00+00:00</updated><published>2026-11-24T11:00:00+00:00</published>"
    "<title>VNeID có an toàn không?</title></entry></feed>"
)
PAYLOAD = item(
    1,
    title="Tin &lt;b&gt;đậm&lt;/b&gt;",
    desc=(
        "<![CDATA[<p>Nội dung an toàn.</p><script>alert('x')</script><iframe src=\"https://evil.example\"></iframe>"
        '<img src=x onerror="alert(1)"><a href="javascript:alert(2)">bấm</a>]]>'
    ),
)
BIG = rss("".join(item(i, guid=f"g{i}") for i in range(10_000)))


@dataclass(frozen=True)
class Case:
    name: str
    outcome: Outcome
    respond: Callable[[BaseHTTPRequestHandler], None]
    new: int | None = None
    check: Callable[[list[Any]], None] | None = None
    error_has: str = ""
    checks_extra: dict[str, Any] = field(default_factory=dict)


def body(
    data: bytes | str,
    status: int = 200,
    ctype: str = "application/rss+xml; charset=utf-8",
    headers: dict[str, str] | None = None,
) -> Callable[[BaseHTTPRequestHandler], None]:
    raw = data.encode("utf-8") if isinstance(data, str) else data

    def respond(h: BaseHTTPRequestHandler) -> None:
        h.send_response(status)
        if ctype:
            h.send_header("Content-Type", ctype)
        for k, v in (headers or {}).items():
            h.send_header(k, v)
        h.send_header("Content-Length", str(len(raw)))
        h.end_headers()
        h.wfile.write(raw)

    return respond


def redirect(location: str, status: int = 302) -> Callable[[BaseHTTPRequestHandler], None]:
    return body(b"", status, "", {"Location": location})


def drip(h: BaseHTTPRequestHandler) -> None:
    h.send_response(200)
    h.send_header("Content-Type", "application/rss+xml")
    h.end_headers()
    data = rss(items3()).encode()
    try:
        for i in range(0, len(data), 20):
            h.wfile.write(data[i : i + 20])
            h.wfile.flush()
            time.sleep(0.25)
    except (BrokenPipeError, ConnectionResetError):
        pass


def chunked_no_length(data: bytes) -> Callable[[BaseHTTPRequestHandler], None]:
    def respond(h: BaseHTTPRequestHandler) -> None:
        h.send_response(200)
        h.send_header("Content-Type", "application/rss+xml")
        h.end_headers()
        with contextlib.suppress(BrokenPipeError, ConnectionResetError):
            h.wfile.write(data)

    return respond


def _titles(items: list[Any]) -> list[str]:
    return sorted(i.title for i in items)


def _expect(pred: Callable[[list[Any]], bool], what: str) -> Callable[[list[Any]], None]:
    def check(items: list[Any]) -> None:
        assert items, what
        assert pred(items), (
            f"{what}: {[(i.title, i.url, i.text[:60], i.published_at) for i in items]}"
        )

    return check


def to_cp1258(text: str) -> bytes:
    """Vietnamese as Windows-1258 writes it: base letters precomposed, tone marks combining."""
    import unicodedata

    tones = {"\u0300", "\u0301", "\u0303", "\u0309", "\u0323"}
    out = []
    for ch in text:
        parts = unicodedata.normalize("NFD", ch)
        base = unicodedata.normalize("NFC", "".join(c for c in parts if c not in tones))
        out.append(base + "".join(c for c in parts if c in tones))
    return "".join(out).encode("cp1258")


CP1258 = rss(
    item(1, title="Chuyển đổi số", desc="Người dân học kỹ năng số"), encoding="windows-1258"
)

CASES: list[Case] = [
    Case("rss20", Outcome.ok, body(rss(items3())), 3),
    Case("rss091", Outcome.ok, body(RSS091), 1),
    Case(
        "rss10",
        Outcome.ok,
        body(RSS10),
        1,
        _expect(lambda i: i[0].published_at is not None, "RDF date"),
    ),
    Case(
        "atom-relative",
        Outcome.ok,
        body(ATOM_RELATIVE, ctype="application/atom+xml"),
        1,
        _expect(
            lambda i: i[0].url.endswith("/bai/atom-1") and i[0].url.startswith("http://127.0.0.1"),
            "resolved link",
        ),
    ),
    Case(
        "youtube",
        Outcome.ok,
        body(YOUTUBE, ctype="application/atom+xml"),
        1,
        _expect(
            lambda i: "VNeID" in i[0].title and "định danh" in i[0].text and i[0].author is None,
            "video",
        ),
    ),
    Case(
        "mastodon",
        Outcome.ok,
        body(MASTODON),
        1,
        _expect(
            lambda i: (
                i[0].text.startswith("Cổng dịch vụ công")
                and "<" not in i[0].text
                and i[0].author is None
            ),
            "toot text without author",
        ),
    ),
    Case(
        "reddit",
        Outcome.ok,
        body(REDDIT, ctype="application/atom+xml"),
        1,
        _expect(
            lambda i: "VNeID" in i[0].text and "SC_OFF" not in i[0].text and i[0].author is None,
            "post",
        ),
    ),
    Case(
        "truncated",
        Outcome.ok,
        body(rss(items3())[:-60]),
        None,
        _expect(lambda i: len(i) >= 2, "what came through is kept"),
    ),
    Case("truncated-head", Outcome.hard_error, body(rss(items3())[:80]), error_has="parse"),
    Case(
        "wrong-charset-header",
        Outcome.ok,
        body(rss(items3()), ctype="application/rss+xml; charset=iso-8859-1"),
        3,
        _expect(lambda i: all(VI in x.title for x in i), "UTF-8 text kept"),
    ),
    Case(
        "windows-1258",
        Outcome.ok,
        body(to_cp1258(CP1258), ctype="application/rss+xml"),
        1,
        _expect(
            lambda i: i[0].title == "Chuyển đổi số" and i[0].text == "Người dân học kỹ năng số",
            "NFC text",
        ),
    ),
    Case(
        "utf-16",
        Outcome.ok,
        body(rss(items3(), encoding="utf-16").encode("utf-16"), ctype="application/xml"),
        3,
    ),
    Case(
        "html-page",
        Outcome.hard_error,
        body("<!doctype html><html><body><p>Trang</p></body></html>", ctype="text/html"),
        error_has="parse",
    ),
    Case("empty", Outcome.hard_error, body(b""), error_has="empty"),
    Case(
        "binary-garbage",
        Outcome.hard_error,
        body(bytes(range(256)) * 8, ctype="application/octet-stream"),
    ),
    Case("json", Outcome.hard_error, body('{"items": []}', ctype="application/json")),
    Case(
        "too-big",
        Outcome.hard_error,
        body(rss("".join(item(i) for i in range(40))) + " " * 4_200_000),
        error_has="cap",
    ),
    Case(
        "too-big-no-length",
        Outcome.hard_error,
        chunked_no_length(b" " * 4_200_000),
        error_has="cap",
    ),
    Case(
        "gzip-no-header",
        Outcome.ok,
        body(gzip.compress(rss(items3()).encode()), ctype="application/rss+xml"),
        3,
    ),
    Case(
        "gzip-bomb",
        Outcome.hard_error,
        body(gzip.compress(b" " * 5_000_000), ctype="application/rss+xml"),
        error_has="cap",
    ),
    Case("drip", Outcome.soft_error, drip, error_has="s"),
    Case("redirect-loop", Outcome.hard_error, redirect("/redirect-loop"), error_has="loop"),
    Case(
        "redirect-chain", Outcome.hard_error, redirect("/redirect-chain-2"), error_has="redirects"
    ),
    Case(
        "redirect-private",
        Outcome.hard_error,
        redirect("http://10.255.255.1/feed.xml"),
        error_has="refused",
    ),
    Case(
        "redirect-metadata",
        Outcome.hard_error,
        redirect("http://169.254.169.254/latest/meta-data/"),
        error_has="refused",
    ),
    Case("redirect-ok", Outcome.ok, redirect("/moved-here", 301), 2),
    Case("not-found", Outcome.soft_error, body("no", 404, "text/plain"), error_has="404"),
    Case("gone", Outcome.hard_error, body("gone", 410, "text/plain"), error_has="410"),
    Case(
        "rate-limited",
        Outcome.soft_error,
        body("slow down", 429, "text/plain", {"Retry-After": "7200"}),
        error_has="429",
    ),
    Case("server-error", Outcome.soft_error, body("oops", 500, "text/plain"), error_has="500"),
    Case(
        "unavailable-date",
        Outcome.soft_error,
        body("later", 503, "text/plain", {"Retry-After": "Wed, 21 Oct 2099 07:28:00 GMT"}),
        error_has="503",
    ),
    Case(
        "no-links",
        Outcome.ok,
        body(rss(item(1, link=None) + item(2, link=None))),
        2,
        _expect(lambda i: all(x.url is None for x in i), "no links"),
    ),
    Case(
        "javascript-links",
        Outcome.ok,
        body(rss(item(1, link="javascript:alert(1)"))),
        1,
        _expect(lambda i: i[0].url is None, "javascript: dropped"),
    ),
    Case(
        "duplicate-guids",
        Outcome.ok,
        body(rss("".join(item(i, guid="same") for i in range(1, 5)))),
        4,
    ),
    Case(
        "payloads",
        Outcome.ok,
        body(rss(PAYLOAD)),
        1,
        _expect(
            lambda i: i[0].text == "Nội dung an toàn.\nbấm" and "<" not in i[0].title, "inert text"
        ),
    ),
    Case(
        "future-dates",
        Outcome.ok,
        body(rss(item(1, date="Sat, 01 Jan 2050 00:00:00 +0700"))),
        1,
        _expect(lambda i: i[0].published_at is None, "future date dropped"),
    ),
    Case(
        "vietnamese-dates",
        Outcome.ok,
        body(rss(item(1, date="Thứ hai, 23/11/2026, 08:15 (GMT+7)"))),
        1,
        _expect(
            lambda i: i[0].published_at is not None and i[0].published_at.hour == 1,
            "23/11 08:15 +07",
        ),
    ),
    Case("ten-thousand", Outcome.ok, body(BIG), 10_000),
]

ROUTES = {f"/{c.name}": c.respond for c in CASES} | {
    "/redirect-chain-2": redirect("/redirect-chain-3"),
    "/redirect-chain-3": redirect("/redirect-chain-4"),
    "/redirect-chain-4": redirect("/redirect-chain-5"),
    "/redirect-chain-5": redirect("/redirect-chain-6"),
    "/redirect-chain-6": redirect("/redirect-chain-7"),
    "/redirect-chain-7": redirect("/rss20"),
    "/moved-here": body(rss(item(101) + item(102))),
    "/short-summaries": body(
        rss(
            item(201, link="/article-long", desc="Tóm tắt ngắn.")
            + item(202, link="/article-empty", desc="Tóm tắt ngắn thứ hai.")
        )
    ),
    "/article-long": body(
        "<!doctype html><html><head><title>Bài đầy đủ</title></head><body><nav>Trang chủ | Thời sự</nav>"
        "<article><h1>Xã Thanh Bình ra mắt tổ công nghệ số</h1>"
        + "".join(
            f"<p>Đoạn {i}: tổ công nghệ số cộng đồng hướng dẫn người dân cài đặt và sử dụng "
            f"dịch vụ công trực tuyến, thanh toán không dùng tiền mặt và nhận biết lừa đảo.</p>"
            for i in range(6)
        )
        + "</article><footer>Bản quyền</footer><script>track()</script></body></html>",
        ctype="text/html",
    ),
    "/article-empty": body(
        "<!doctype html><html><body><div>Đăng nhập</div></body></html>", ctype="text/html"
    ),
}


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_GET(self) -> None:  # noqa: N802 - stdlib name
        route = ROUTES.get(self.path)
        if route is None:
            body("unknown case", 404, "text/plain")(self)
            return
        route(self)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 - stdlib signature
        pass


def start() -> ThreadingHTTPServer:
    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, args=(0.05,), daemon=True).start()
    return server
