"""Requests from a chosen network peer: litestar's test client always says ``testclient``, which is no address.

:func:`running` runs the app's lifespan in the test's event loop; :func:`client_from` talks to the app through httpx's
ASGI transport, whose ``client`` is the peer the app sees: a browser, a reverse proxy, loopback.
"""

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import httpx
from litestar import Litestar

PROXY = "10.0.0.2"
"""The reverse proxy's address in these tests; they trust ``PROXY_NETWORK``."""
PROXY_NETWORK = "10.0.0.0/24"


@asynccontextmanager
async def running(app: Litestar) -> AsyncIterator[Litestar]:
    """The app with its runtime open (its lifespan), for clients made by :func:`client_from`."""
    async with app.lifespan():  # here, not in litestar's test client's portal: one loop for the runtime
        yield app


def client_from(
    app: Litestar, peer: str, *, headers: dict[str, str] | None = None, base_url: str = "http://testserver.local"
) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(peer, 50000))
    return httpx.AsyncClient(transport=transport, base_url=base_url, headers=headers)


def forwarded(client_address: str, proto: str = "http") -> dict[str, str]:
    """The headers nginx adds (deploy/nginx.conf) for a browser at ``client_address``."""
    return {"x-forwarded-for": client_address, "x-forwarded-proto": proto}
