"""SSRF guard: the fetcher reaches only public http(s) addresses, unless allow-listed.

Every URL (the feed's and each redirect target's) is checked before a connection is made: the
host is resolved and every address it resolves to must be public — not loopback, private,
link-local, multicast, reserved or unspecified, in IPv4 or IPv6 — or be covered by the allow-list
(``DULUAN_FETCH_ALLOWLIST``: host names or CIDRs). An IPv6 address that carries an IPv4 one is
judged by that IPv4 address: IPv4-mapped (``::ffff:0:0/96``), IPv4-translated
(``::ffff:0:0:0/96``), NAT64 (``64:ff9b::/96``) and 6to4 (``2002::/16``:
``http://[2002:7f00:1::]/`` is 127.0.0.1). Teredo (``2001::/32``) and local-use NAT64
(``64:ff9b:1::/48``, whose mapping is the network's own) are refused whatever they carry.

``check_registration`` applies the same rule when a feed is registered, so a loopback or private
address is refused at once rather than at every fetch; a host name that does not resolve yet
is accepted there (the fetch checks it again). Known gap: a DNS answer that changes between
this check and httpx's own lookup (rebinding) is not caught; run collectors behind an egress
firewall where that matters.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
from dataclasses import dataclass, field
from urllib.parse import urlsplit

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class BlockedURL(ValueError):
    """The URL may not be fetched."""


@dataclass(frozen=True)
class Allowlist:
    hosts: frozenset[str] = frozenset()
    networks: tuple[Network, ...] = field(default_factory=tuple)

    @classmethod
    def parse(cls, spec: str) -> Allowlist:
        hosts, nets = set(), []
        for part in (p.strip() for p in spec.split(",")):
            if not part:
                continue
            try:
                nets.append(ipaddress.ip_network(part, strict=False))
            except ValueError:
                hosts.add(part.lower().rstrip("."))
        return cls(frozenset(hosts), tuple(nets))

    def allows(self, host: str, address: Address | None = None) -> bool:
        if host in self.hosts:
            return True
        return address is not None and any(address in net for net in self.networks)


class Unresolvable(BlockedURL):
    """The host name does not resolve (now)."""


_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")
_NAT64_LOCAL = ipaddress.IPv6Network("64:ff9b:1::/48")
_TRANSLATED = ipaddress.IPv6Network("::ffff:0:0:0/96")
_TEREDO = ipaddress.IPv6Network("2001::/32")


def _low32(address: ipaddress.IPv6Address) -> ipaddress.IPv4Address:
    return ipaddress.IPv4Address(int(address) & 0xFFFFFFFF)


def _public(address: Address) -> bool:
    """Whether ``address`` (or the IPv4 address an IPv6 one carries) is globally reachable."""
    if isinstance(address, ipaddress.IPv6Address):
        if address in _TEREDO or address in _NAT64_LOCAL:
            return False
        if address.ipv4_mapped is not None:
            return _public(address.ipv4_mapped)
        if address in _NAT64 or address in _TRANSLATED:
            return _public(_low32(address))
        if address.sixtofour is not None and not _public(address.sixtofour):
            return False
    return not (
        address.is_private
        or address.is_loopback
        or address.is_link_local
        or address.is_multicast
        or address.is_reserved
        or address.is_unspecified
        or not address.is_global
    )


def _resolve(host: str, port: int) -> list[Address]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError) as exc:
        raise Unresolvable(
            f"cannot resolve {host}: {getattr(exc, 'strerror', None) or exc}"
        ) from exc
    return [ipaddress.ip_address(str(info[4][0]).split("%", 1)[0]) for info in infos]


def check_url(url: str, allowlist: Allowlist) -> None:
    """Raise ``BlockedURL`` unless ``url`` is http(s) and every address of its host may be reached."""
    try:
        parts = urlsplit(url)
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError as exc:
        raise BlockedURL(f"malformed URL {url!r}") from exc
    if parts.scheme not in {"http", "https"}:
        raise BlockedURL(f"only http and https URLs are fetched, not {parts.scheme or 'no'} scheme")
    host = (parts.hostname or "").lower().rstrip(".")
    if not host:
        raise BlockedURL(f"no host in {url!r}")
    if allowlist.allows(host):
        return
    try:
        addresses = [ipaddress.ip_address(host)]
    except ValueError:
        addresses = _resolve(host, port)
    for address in addresses:
        if not _public(address) and not allowlist.allows(host, address):
            what = host if host == str(address) else f"{host} resolves to {address}, which"
            raise BlockedURL(f"{what} is a non-public address (not in DULUAN_FETCH_ALLOWLIST)")


def check_registration(url: str, allowlist: Allowlist) -> None:
    """``check_url`` for a feed being registered: raise ``BlockedURL`` for a URL that is not
    http(s), has no host, is a non-public address literal, or whose host resolves to a
    non-public address (not allow-listed); a host that does not resolve now is accepted."""
    # A name that does not resolve (DNS down, a name not yet live) is checked again at each fetch.
    with contextlib.suppress(Unresolvable):
        check_url(url, allowlist)
