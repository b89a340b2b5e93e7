"""Feeds fetch public addresses only: a feed entry must not make the watcher read the user's own network.

The check is made where the connection is opened, on the addresses the host name resolves to, so it
holds for every redirect and cannot be dodged by a name that resolves differently a moment later (the
socket connects to the very address that was checked). Networks the user names are allowed as well.
"""
from __future__ import annotations

import ipaddress
import socket

import httpcore
import httpx

Address = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network


class AddressRefused(Exception):
    """A URL whose host is (or resolves to) a loopback, private, link-local, multicast or reserved address."""


def parse_networks(values: list[str] | None) -> list[Network]:
    """CIDR networks (or single addresses) the user allows; a bad one is a ValueError naming it."""
    out = []
    for value in values or []:
        try:
            out.append(ipaddress.ip_network(value.strip(), strict=False))
        except ValueError:
            raise ValueError(f"--allow-network {value!r}: not an address or network such as 192.168.1.0/24") from None
    return out


def kind_of(ip: Address) -> str | None:
    """Why an address is not public, or None when it is."""
    mapped = getattr(ip, "ipv4_mapped", None)
    if mapped is not None:
        ip = mapped
    for kind in ("loopback", "link_local", "multicast", "private", "unspecified", "reserved"):
        if getattr(ip, f"is_{kind}"):
            return kind.replace("_", "-")
    return None if ip.is_global else "non-public"


def refusal(host: str, ip: Address, allowed: list[Network]) -> str | None:
    kind = kind_of(ip)
    if kind is None or any(ip in net for net in allowed if net.version == ip.version):
        return None
    shown = host if host == str(ip) else f"{host} ({ip})"
    return f"{shown} is a {kind} address; feeds fetch public addresses only (allow it with --allow-network)"


def resolve(host: str, port: int) -> list[Address]:
    try:
        infos = socket.getaddrinfo(host.strip("[]"), port, type=socket.SOCK_STREAM)
    except socket.gaierror as e:
        raise httpcore.ConnectError(f"{host}: {e.strerror or e}") from None
    return list(dict.fromkeys(ipaddress.ip_address(info[4][0].split("%")[0]) for info in infos))


class PublicOnlyBackend(httpcore.SyncBackend):
    """Resolves the host itself, refuses it when any of its addresses is not allowed, connects to a checked one."""

    def __init__(self, allowed: list[Network]):
        self.allowed = allowed

    def connect_tcp(self, host, port, timeout=None, local_address=None, socket_options=None):
        addresses = resolve(host, port)
        for ip in addresses:
            reason = refusal(host, ip, self.allowed)
            if reason:
                raise AddressRefused(reason)
        last: Exception | None = None
        for ip in addresses:
            try:
                return super().connect_tcp(str(ip), port, timeout, local_address, socket_options)
            except httpcore.ConnectError as e:
                last = e
        raise last or httpcore.ConnectError(f"{host}: no address")


class PublicOnlyTransport(httpx.HTTPTransport):
    def __init__(self, allowed: list[Network]):
        super().__init__()
        # the same pool httpx builds, over a backend that checks each address it connects to
        self._pool = httpcore.ConnectionPool(ssl_context=httpx.create_ssl_context(),
                                             network_backend=PublicOnlyBackend(allowed))
