"""SSRF guard: the fetcher reaches only public http(s) addresses, unless allow-listed.

Every URL (the feed's and each redirect target's) is checked before a connection is made: the
host is resolved and every address it resolves to must be public — not loopback, private,
link-local, multicast, reserved or unspecified, in IPv4 or IPv6 — or be covered by the allow-list
(``DULUAN_FETCH_ALLOWLIST``: host names or CIDRs). Known gap: a DNS answer that changes between
this check and httpx's own lookup (rebinding) is not caught; run collectors behind an egress
firewall where that matters.
"""

from __future__ import annotations

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


def _public(address: Address) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped:
        address = address.ipv4_mapped
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
    except socket.gaierror as exc:
        raise BlockedURL(f"cannot resolve {host}: {exc.strerror}") from exc
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
            where = f"{host} is" if host == str(address) else f"{host} resolves to"
            raise BlockedURL(
                f"{where} {address}, a non-public address (not in DULUAN_FETCH_ALLOWLIST)"
            )
