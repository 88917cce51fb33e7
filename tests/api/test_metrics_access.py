"""``/metrics`` is for Prometheus only (issue 10, item 9): the bearer of ``SMARTOFFICE_METRICS_TOKEN``, or with
no token set, a loopback peer (the direct one: an address a proxy forwarded does not count). ``/health`` stays
open to anyone."""

from dataclasses import replace

import pytest

from smartoffice.app import create_app
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.support.peers import PROXY, PROXY_NETWORK, client_from, forwarded, running

TOKEN = "scrape-me-0123456789"


async def scrape(settings: Settings, peer: str, headers: dict[str, str] | None = None) -> tuple[int, int]:
    """The status codes of ``/metrics`` and ``/health`` for a request from ``peer``."""
    app = create_app(replace(settings, trusted_proxies=(PROXY_NETWORK,)))
    async with running(app), client_from(app, peer, headers=headers) as http:
        metrics, health = await http.get("/metrics"), await http.get("/health")
    if metrics.status_code == 200:
        assert "smartoffice_" in metrics.text
    return metrics.status_code, health.status_code


@pytest.mark.parametrize(
    ("authorization", "status"),
    [(f"Bearer {TOKEN}", 200), (f"bearer  {TOKEN}", 200), (None, 401), ("Bearer wrong", 401), (TOKEN, 401)],
    ids=["token", "token-spaced", "none", "wrong", "no-scheme"],
)
async def test_with_a_token_set_a_scrape_must_bear_it(
    settings: Settings, runtime: Runtime, authorization: str | None, status: int
) -> None:
    headers = {"authorization": authorization} if authorization else None

    from_afar = await scrape(replace(settings, metrics_token=TOKEN), "198.51.100.7", headers)
    from_loopback = await scrape(replace(settings, metrics_token=TOKEN), "127.0.0.1", headers)

    assert (from_afar, from_loopback) == ((status, 200), (status, 200))  # with a token, loopback is no pass


@pytest.mark.parametrize(
    ("peer", "headers", "status"),
    [
        ("127.0.0.1", None, 200),
        ("::1", None, 200),
        ("198.51.100.7", None, 403),
        (PROXY, forwarded("127.0.0.1"), 403),  # a forwarded loopback address is no loopback peer
        ("198.51.100.7", {"authorization": f"Bearer {TOKEN}"}, 403),  # no token set: none is accepted
    ],
    ids=["loopback-v4", "loopback-v6", "remote", "forwarded-loopback", "unset-token"],
)
async def test_without_a_token_only_loopback_peers_may_scrape(
    settings: Settings, runtime: Runtime, peer: str, headers: dict[str, str] | None, status: int
) -> None:
    assert await scrape(replace(settings, metrics_token=None), peer, headers) == (status, 200)
