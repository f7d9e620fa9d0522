from __future__ import annotations

import ipaddress

import pytest
from hypothesis import given
from hypothesis import strategies as st

from collector.guard import Allowlist, BlockedURL, _public, check_registration, check_url

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


# --- IPv6 addresses that carry an IPv4 one ------------------------------------------------------

_V4 = st.builds(ipaddress.IPv4Address, st.integers(min_value=0, max_value=2**32 - 1))


def _sixtofour(v4: ipaddress.IPv4Address, rest: int) -> ipaddress.IPv6Address:
    return ipaddress.IPv6Address((0x2002 << 112) | (int(v4) << 80) | rest)


def _nat64(v4: ipaddress.IPv4Address) -> ipaddress.IPv6Address:
    return ipaddress.IPv6Address((0x64FF9B << 96) | int(v4))


def _teredo(server: ipaddress.IPv4Address, client: ipaddress.IPv4Address) -> ipaddress.IPv6Address:
    return ipaddress.IPv6Address(
        (0x20010000 << 96) | (int(server) << 64) | (int(client) ^ 0xFFFFFFFF)
    )


@pytest.mark.parametrize(
    "url",
    [
        "http://[2002:7f00:1::]/",  # 6to4 of 127.0.0.1
        "http://[2002:a00:1::1]/",  # 6to4 of 10.0.0.1
        "http://[2002:c0a8:101::]/",  # 6to4 of 192.168.1.1
        "http://[2002:a9fe:a9fe::]/",  # 6to4 of 169.254.169.254 (cloud metadata)
        "http://[2001:0:4136:e378:8000:63bf:80ff:fffe]/",  # Teredo, client 127.0.0.1
        "http://[2001:0:808:808::f7f7:f7f7]/",  # Teredo, public server and client
        "http://[64:ff9b::7f00:1]/",  # NAT64 of 127.0.0.1
        "http://[64:ff9b::a9fe:a9fe]/",  # NAT64 of 169.254.169.254
        "http://[64:ff9b:1::808:808]/",  # local-use NAT64: the network's own mapping
        "http://[::ffff:0:7f00:1]/",  # IPv4-translated 127.0.0.1
        "http://[::ffff:a00:1]/",  # IPv4-mapped 10.0.0.1
    ],
)
def test_ipv6_carrying_a_private_ipv4_is_refused(url: str) -> None:
    with pytest.raises(BlockedURL, match="non-public"):
        check_url(url, NONE)


def test_ipv6_carrying_a_public_ipv4_passes() -> None:
    check_url("http://[2002:808:808::1]/", NONE)  # 6to4 of 8.8.8.8
    check_url("http://[64:ff9b::808:808]/", NONE)  # NAT64 (DNS64 networks) of 8.8.8.8
    check_url("http://[::ffff:8.8.8.8]/", NONE)


@given(_V4, st.integers(min_value=0, max_value=2**80 - 1))
def test_sixtofour_is_judged_by_its_ipv4(v4: ipaddress.IPv4Address, rest: int) -> None:
    address = _sixtofour(v4, rest)
    assert address.sixtofour == v4
    assert _public(address) == _public(v4)


@given(_V4)
def test_nat64_and_mapped_are_judged_by_their_ipv4(v4: ipaddress.IPv4Address) -> None:
    assert _public(_nat64(v4)) == _public(v4)
    assert _public(ipaddress.IPv6Address(f"::ffff:{v4}")) == _public(v4)


@given(_V4, _V4)
def test_teredo_is_never_reached(
    server: ipaddress.IPv4Address, client: ipaddress.IPv4Address
) -> None:
    address = _teredo(server, client)
    assert address.teredo == (server, client)
    assert not _public(address)


@given(_V4)
def test_a_non_public_ipv4_is_refused_in_every_ipv6_form(v4: ipaddress.IPv4Address) -> None:
    if _public(v4):
        return
    forms = [
        _sixtofour(v4, 1),
        _nat64(v4),
        ipaddress.IPv6Address(f"::ffff:{v4}"),
        ipaddress.IPv6Address((0xFFFF << 32) | int(v4)),  # ::ffff:0:a.b.c.d
    ]
    for address in forms:
        with pytest.raises(BlockedURL):
            check_url(f"http://[{address}]/feed", NONE)


# --- at registration -----------------------------------------------------------------------------


def test_registration_refuses_what_the_fetch_would_refuse() -> None:
    for url in ("http://127.0.0.1:9/", "http://localhost/feed", "http://[2002:7f00:1::]/"):
        with pytest.raises(BlockedURL, match="non-public"):
            check_registration(url, NONE)
    check_registration("http://127.0.0.1:9/", Allowlist.parse("127.0.0.1"))
    check_registration("https://1.1.1.1/rss", NONE)


def test_the_refusal_names_the_host_and_what_it_resolves_to_once() -> None:
    with pytest.raises(BlockedURL) as literal:
        check_registration("http://127.0.0.1:9/", NONE)
    assert str(literal.value) == (
        "127.0.0.1 is a non-public address (not in DULUAN_FETCH_ALLOWLIST)"
    )  # not "127.0.0.1 is 127.0.0.1"
    with pytest.raises(BlockedURL) as named:
        check_registration("http://localhost/feed", NONE)
    assert str(named.value).startswith("localhost resolves to ")
    assert "which is a non-public address" in str(named.value)


def test_registration_accepts_a_name_that_does_not_resolve_yet() -> None:
    check_registration("https://bao.example/rss", NONE)  # .example never resolves
    with pytest.raises(BlockedURL, match="cannot resolve"):
        check_url("https://bao.example/rss", NONE)  # the fetch still refuses it
