"""Who is asking, and over what: the one place that decides a request's client address and scheme.

Behind a reverse proxy the connection's peer is the proxy, and the browser's address and scheme arrive in
``X-Forwarded-For`` and ``X-Forwarded-Proto``. Those headers are believed only when the peer is one of
``settings.trusted_proxies`` (addresses or CIDR blocks); anyone else could write them. Then the client is found
by walking ``X-Forwarded-For`` from the right (each proxy appends the address it saw), skipping trusted proxies:
the first address that is not a trusted proxy is the client. Entries left of it were written by the client or by
proxies we do not know, so they are never believed. (granian's ``wrap_asgi_with_proxy_headers`` and uvicorn's
``ProxyHeadersMiddleware`` implement the same walk; neither fits here: we are served by granian, tests by
litestar's client, and ``/metrics`` must still see the direct peer, which both overwrite.)

:class:`ForwardedClientMiddleware` rewrites the ASGI scope's ``client`` and ``scheme`` before anything else reads
them, so ``request.client`` and ``request.url`` are right everywhere (the login throttle, logs, cookies, redirect
URLs) and keeps the direct peer for :func:`peer_of`. A response to a request that arrived over HTTPS gets
``Secure`` on every cookie it sets: the login session's, the CSRF token's, the demo picker's, the language's.
"""

import ipaddress
from collections.abc import Iterable
from typing import Any

from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Message, Receive, Scope, Send

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
PEER_KEY = "smartoffice_peer"
SECURE_SCHEMES = frozenset({"https", "wss"})


class TrustedProxies:
    """The reverse proxies whose forwarding headers are believed (``settings.trusted_proxies``)."""

    def __init__(self, entries: Iterable[str]) -> None:
        self.networks = tuple(ipaddress.ip_network(entry.strip(), strict=False) for entry in entries)

    def __bool__(self) -> bool:
        return bool(self.networks)

    def __contains__(self, address: IPAddress | None) -> bool:
        if address is None:
            return False
        address = _unmapped(address)
        return any(address in network for network in self.networks)

    def client_of(self, peer: str | None, forwarded_for: list[str]) -> str | None:
        """The client's address when ``peer`` is a trusted proxy that forwarded one, else ``None`` (keep the peer).

        ``forwarded_for`` are the ``X-Forwarded-For`` header values in order. An entry that is not an IP address
        where the client's should be makes the header worthless: ``None``."""
        if not self or _address(peer) not in self:
            return None
        hops = [hop.strip() for value in forwarded_for for hop in value.split(",")]
        client: str | None = None
        for hop in reversed(hops):
            address = _address(hop)
            if address is None:
                return None
            client = str(_unmapped(address))
            if address not in self:
                return client
        return client  # every hop is a proxy of ours: the leftmost is as close to the client as we know

    def scheme_of(self, peer: str | None, forwarded_proto: str | None) -> str | None:
        """``http`` or ``https`` from a trusted proxy's ``X-Forwarded-Proto`` (its last value), else ``None``."""
        if not forwarded_proto or _address(peer) not in self:
            return None
        scheme = forwarded_proto.rsplit(",", 1)[-1].strip().lower()
        return scheme if scheme in ("http", "https") else None


def _address(text: str | None) -> IPAddress | None:
    try:
        return ipaddress.ip_address(text) if text else None
    except ValueError:
        return None


def _unmapped(address: IPAddress) -> IPAddress:
    """``::ffff:10.0.0.1`` (an IPv4 peer on a dual-stack socket) as ``10.0.0.1``."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        return address.ipv4_mapped
    return address


class ForwardedClientMiddleware(ASGIMiddleware):
    """Puts the client's address and scheme in the scope (see the module docstring); keeps the direct peer."""

    scopes = (ScopeType.HTTP, ScopeType.WEBSOCKET)

    def __init__(self, trusted_proxies: Iterable[str]) -> None:
        self.trusted = TrustedProxies(trusted_proxies)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        client = scope.get("client")
        peer = client[0] if client else None
        scope.setdefault("state", {})[PEER_KEY] = peer
        if self.trusted:
            self._believe_proxy(scope, peer)
        if scope["type"] == ScopeType.HTTP and scope["scheme"] in SECURE_SCHEMES:
            send = _with_secure_cookies(send)
        await next_app(scope, receive, send)

    def _believe_proxy(self, scope: Scope, peer: str | None) -> None:
        headers = list(scope["headers"])
        forwarded_for = [value.decode("latin-1") for name, value in headers if name == b"x-forwarded-for"]
        client = self.trusted.client_of(peer, forwarded_for)
        if client is not None:
            scope["client"] = (client, 0)
        proto = next((value.decode("latin-1") for name, value in headers if name == b"x-forwarded-proto"), None)
        scheme = self.trusted.scheme_of(peer, proto)
        if scheme is not None:
            scope["scheme"] = scheme.replace("http", "ws") if scope["type"] == ScopeType.WEBSOCKET else scheme


def _with_secure_cookies(send: Send) -> Send:
    async def send_secure(message: Message) -> None:
        if message["type"] == "http.response.start":
            message["headers"] = [
                (name, _secure(value) if name.lower() == b"set-cookie" else value)
                for name, value in message.get("headers", [])
            ]
        await send(message)

    return send_secure


def _secure(cookie: bytes) -> bytes:
    attributes = (part.strip().lower() for part in cookie.split(b";")[1:])
    return cookie if b"secure" in attributes else cookie + b"; Secure"


def peer_of(connection: ASGIConnection[Any, Any, Any, Any]) -> str | None:
    """The address of the connection's direct peer (a proxy, or the client itself), never a forwarded one."""
    state = connection.scope.get("state", {})
    if PEER_KEY in state:
        peer: str | None = state[PEER_KEY]
        return peer
    client = connection.scope.get("client")
    return client[0] if client else None


def is_loopback(address: str | None) -> bool:
    parsed = _address(address)
    return parsed is not None and _unmapped(parsed).is_loopback
