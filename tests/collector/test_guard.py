from __future__ import annotations

import pytest

from collector.guard import Allowlist, BlockedURL, check_url

NONE = Allowlist()


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/feed",
        "http://localhost:8000/x",
        "http://10.1.2.3/",
        "http://172.16.0.1/",
        "http://192.168.1.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[fe80::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://224.0.0.1/",
        "http://0.0.0.0/",
        "http://100.64.0.1/",
        "http://[fc00::1]/",
        "http://240.0.0.1/",
    ],
)
def test_non_public_addresses_are_refused(url: str) -> None:
    with pytest.raises(BlockedURL, match="non-public"):
        check_url(url, NONE)


@pytest.mark.parametrize(
    "url", ["ftp://example.org/feed", "file:///etc/passwd", "gopher://x/", "//x/y", "http://"]
)
def test_only_http_and_https_with_a_host(url: str) -> None:
    with pytest.raises(BlockedURL):
        check_url(url, NONE)


def test_public_literal_addresses_pass_without_dns() -> None:
    check_url("https://1.1.1.1/feed.xml", NONE)
    check_url("http://[2606:4700:4700::1111]/feed.xml", NONE)


def test_allowlist_by_host_and_cidr() -> None:
    allow = Allowlist.parse("127.0.0.1, intranet.local ,10.20.0.0/16")
    check_url("http://127.0.0.1:9000/feed", allow)
    check_url("http://10.20.3.4/feed", allow)
    check_url("http://intranet.local/feed", allow)  # allowed by name: no lookup needed
    with pytest.raises(BlockedURL):
        check_url("http://10.21.0.1/feed", allow)
