"""The address residents' phones reach this server at: the base of the status URL printed in every QR.

LOKET_PUBLIC_URL when the office set it (recommended: e.g. http://192.168.1.10:5000 on the office
Wi-Fi, or https://antrean.dukcapil.example.go.id). Otherwise the address the kiosk reached the server
at, worked out so that a phone can use it: a loopback address (a kiosk browser on the server itself)
becomes this machine's LAN address, with the same port. The Host header is not trusted blindly (a
device could otherwise print tickets whose QR sends residents elsewhere): a name is kept only when it
is this machine's own name or in Flask's TRUSTED_HOSTS, an address only when it is one of this
machine's; anything else gives the LAN address.
"""

from __future__ import annotations

import ipaddress
import socket
import time
from functools import lru_cache

from flask import current_app, has_request_context, request

from loket.core.qr import STATUS_PATH


def status_url(code: str) -> str:
    """The status page of a code, as printed in the QR: <public base>/s/<code>."""
    return public_base() + STATUS_PATH + code


def public_base() -> str:
    """LOKET_PUBLIC_URL, else the address this request reached us at (see the module's doc), no trailing /."""
    configured = (current_app.config.get("PUBLIC_URL") or "").strip()
    if configured:
        return configured.rstrip("/")
    if not has_request_context():
        return f"http://{_host(lan_address())}"
    host, port = _split(request.host)
    scheme = request.scheme if request.scheme in ("http", "https") else "http"
    if not _trusted(host):
        host = lan_address()
    suffix = f":{port}" if port else ""
    return f"{scheme}://{_host(host)}{suffix}"


def _split(netloc: str) -> tuple[str, str]:
    """('host', 'port') of a Host header ('[::1]:5000' -> ('::1', '5000'))."""
    if netloc.startswith("["):
        host, _, rest = netloc[1:].partition("]")
        return host, rest.removeprefix(":")
    host, _, port = netloc.partition(":")
    return host, port if port.isdigit() else ""


def _host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _trusted(host: str) -> bool:
    host = host.lower().rstrip(".")
    try:
        address = ipaddress.ip_address(host)
    except ValueError:
        if host == "localhost":
            return False
        own = {socket.gethostname().lower(), socket.getfqdn().lower()}
        trusted = {str(h).lower() for h in current_app.config.get("TRUSTED_HOSTS") or ()}
        return host in own or host in trusted
    if address.is_loopback or address.is_unspecified:
        return False
    return str(address) in _own_addresses(int(time.monotonic() // 60))


def lan_address() -> str:
    """This machine's address on its network (the one it would send from), else 127.0.0.1."""
    return _lan_address(int(time.monotonic() // 60))


@lru_cache(maxsize=2)
def _lan_address(_minute: int) -> str:
    for probe in ("192.0.2.1", "10.255.255.255"):  # no packet is sent: a UDP "connect" only picks the route
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe_socket:
                probe_socket.connect((probe, 9))
                address = probe_socket.getsockname()[0]
        except Exception:  # no route (an offline LAN), or a sandbox that forbids it: no answer from this probe
            continue
        if not ipaddress.ip_address(address).is_loopback:
            return address
    for address in sorted(_own_addresses(_minute)):
        if not ipaddress.ip_address(address).is_loopback and ":" not in address:
            return address
    return "127.0.0.1"


@lru_cache(maxsize=2)
def _own_addresses(_minute: int) -> frozenset[str]:
    """This machine's addresses (its name's, and the one it routes from), read again each minute."""
    found: set[str] = set()
    try:
        for info in socket.getaddrinfo(socket.gethostname(), None):
            found.add(str(ipaddress.ip_address(str(info[4][0]).split("%")[0])))
    except (OSError, ValueError):
        pass
    for probe in ("192.0.2.1", "10.255.255.255"):
        try:
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe_socket:
                probe_socket.connect((probe, 9))
                found.add(probe_socket.getsockname()[0])
        except Exception:  # as in _lan_address
            continue
    return frozenset(found)
