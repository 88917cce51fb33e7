"""Webhook test support: a real receiving HTTP server on loopback, a test resolver, and the services wired the way
the runtime wires them (plus the tests' allowance for loopback receivers).

The receiver is ``http.server`` in a thread: it checks each request's signature the way the README tells
integrators to (HMAC-SHA256 over ``t.body``, five minutes of tolerance) with nothing of ours, and answers the
statuses (or redirects) the test scripts.
"""

import hashlib
import hmac
import json
import socket
import threading
import time as wall
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from ipaddress import ip_address
from typing import Any

from sqlalchemy import select

from smartoffice.integrations.models import WebhookDelivery
from smartoffice.integrations.sealing import SecretBox
from smartoffice.integrations.webhook_addresses import AddressPolicy, IPAddress
from smartoffice.integrations.webhook_delivery import WebhookDispatcher
from smartoffice.integrations.webhooks import WebhookService
from smartoffice.runtime import Runtime

LOOPBACK_ALLOWED = ("127.0.0.1/32",)
"""What the tests' receivers need: they listen on 127.0.0.1, which production refuses unless allowed."""


@dataclass
class Received:
    headers: dict[str, str]
    body: bytes
    signature_ok: bool

    @property
    def json(self) -> dict[str, Any]:
        result: dict[str, Any] = json.loads(self.body)
        return result


@dataclass
class Receiver:
    """A webhook endpoint: verifies signatures with ``secret``, answers ``statuses`` in turn (then 200); a
    ``redirect_to`` answers 302 with that Location instead."""

    server: ThreadingHTTPServer
    secret: str = ""
    statuses: list[int] = field(default_factory=list)
    redirect_to: str | None = None
    requests: list[Received] = field(default_factory=list)

    @property
    def port(self) -> int:
        return int(self.server.server_address[1])

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}/hooks/smartoffice"


def verify_like_an_integrator(secret: str, header: str, body: bytes) -> bool:
    """The README's recipe, written without our code."""
    parts = dict(item.split("=", 1) for item in header.split(","))
    timestamp = int(parts["t"])
    if abs(wall.time() - timestamp) > 300:
        return False
    expected = hmac.new(secret.encode(), f"{timestamp}.".encode() + body, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, parts["v1"])


@contextmanager
def running_receiver() -> Iterator[Receiver]:
    state: dict[str, Receiver] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            endpoint = state["receiver"]
            body = self.rfile.read(int(self.headers["Content-Length"]))
            header = self.headers.get("X-SmartOffice-Signature", "")
            ok = bool(header) and verify_like_an_integrator(endpoint.secret, header, body)
            endpoint.requests.append(Received(dict(self.headers.items()), body, ok))
            if endpoint.redirect_to is not None:
                self.send_response(302)
                self.send_header("Location", endpoint.redirect_to)
            else:
                status = endpoint.statuses.pop(0) if endpoint.statuses else 200
                self.send_response(status if ok else 401)
            self.send_header("Content-Length", "2")
            self.end_headers()
            self.wfile.write(b"ok")

        def log_message(self, format: str, *args: Any) -> None:  # keep the test output quiet
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state["receiver"] = endpoint = Receiver(server)
    thread = threading.Thread(target=server.serve_forever, name="webhook-receiver", daemon=True)
    thread.start()
    try:
        yield endpoint
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


class TestResolver:
    """Names the tests make up (``*.test``), resolved without DNS; it records every lookup it answers."""

    __test__ = False  # not a pytest class

    def __init__(self, names: Mapping[str, Sequence[str]]) -> None:
        self.names = {name: [ip_address(a) for a in addresses] for name, addresses in names.items()}
        self.lookups: list[str] = []

    async def __call__(self, host: str, port: int) -> list[IPAddress]:
        self.lookups.append(host)
        if host not in self.names:
            raise OSError(f"test resolver: {host} is unknown")
        return self.names[host]


def webhook_service(runtime: Runtime, allowed: Sequence[str] = LOOPBACK_ALLOWED, **overrides: Any) -> WebhookService:
    """The runtime's webhook service, but allowing ``allowed`` (by default the tests' loopback receivers)."""
    options: dict[str, Any] = {
        "allow_loopback_http": True,
        "policy": AddressPolicy(allowed),
        "box": SecretBox.from_settings(runtime.settings),
    }
    return WebhookService(runtime.db, **(options | overrides))


def webhook_dispatcher(
    runtime: Runtime, clock: Any, allowed: Sequence[str] = LOOPBACK_ALLOWED, **overrides: Any
) -> WebhookDispatcher:
    """The job's dispatcher as :func:`~smartoffice.integrations.webhook_delivery.run_webhooks` builds it, with a
    fixed jitter (0.5: the first retry is due 22.5 s after a failure) and ``allowed`` networks."""
    options: dict[str, Any] = {
        "box": SecretBox.from_settings(runtime.settings),
        "policy": AddressPolicy(allowed),
        "jitter": lambda: 0.5,
    }
    return WebhookDispatcher(runtime.db, clock, **(options | overrides))


async def all_deliveries(runtime: Runtime) -> list[WebhookDelivery]:
    async with runtime.db.read() as session:
        return list((await session.scalars(select(WebhookDelivery).order_by(WebhookDelivery.id))).all())


class Listener:
    """A bare listening socket on 127.0.0.1 that never accepts: the kernel still completes any TCP handshake and
    queues the connection, so :meth:`connections` (after the code under test returned) counts every connection
    made to it, with no waiting."""

    def __init__(self) -> None:
        self.socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self.socket.bind(("127.0.0.1", 0))
        self.socket.listen(16)
        self.socket.setblocking(False)
        self.accepted = 0

    @property
    def port(self) -> int:
        return int(self.socket.getsockname()[1])

    def connections(self) -> int:
        while True:
            try:
                conn, _ = self.socket.accept()
            except BlockingIOError:
                return self.accepted
            conn.close()
            self.accepted += 1

    def close(self) -> None:
        self.socket.close()


@contextmanager
def listening_socket() -> Iterator[Listener]:
    listener = Listener()
    try:
        yield listener
    finally:
        listener.close()
