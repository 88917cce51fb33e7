"""One webhook POST, to an address checked just before: resolve, judge every address, connect to the one judged.

The name is resolved once, here (``loop.getaddrinfo``); if *any* address it has is refused by the
:class:`~smartoffice.integrations.webhook_addresses.AddressPolicy` nothing is sent (a name that answers one
public and one private address could otherwise be raced). The request URL then names the IP address itself,
so no second lookup can answer differently (DNS rebinding); the ``Host`` header carries the real host, and the
``sni_hostname`` request extension makes httpcore send it as TLS SNI and verify the certificate against it
(``httpcore/_async/connection.py``: ``server_hostname = sni_hostname or origin host``).

Connections are not kept alive: httpcore pools by origin, here an IP address, so a kept connection verified for
one host name could carry a request for another name on the same address. Redirects are never followed (a 3xx
is a failed attempt), proxies from the environment are ignored (a proxy would resolve the name itself).
"""

import asyncio
import ipaddress
import socket
from collections.abc import Awaitable, Callable, Mapping, Sequence

import httpx

from smartoffice.integrations.webhook_addresses import AddressPolicy, IPAddress, Target

Resolver = Callable[[str, int], Awaitable[Sequence[IPAddress]]]
"""``(host, port) -> addresses``; tests pass their own names."""

TIMEOUT = httpx.Timeout(10.0, connect=3.0)


class AddressRefused(Exception):
    """The receiver's address is not one webhooks may reach; the delivery's recorded reason says why."""


async def system_resolver(host: str, port: int) -> list[IPAddress]:
    loop = asyncio.get_running_loop()
    infos = await loop.getaddrinfo(host, port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP)
    addresses: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if address not in addresses:
            addresses.append(address)
    return addresses


async def checked_address(target: Target, policy: AddressPolicy, resolver: Resolver) -> IPAddress:
    """The address to connect to; :class:`AddressRefused` if the host has none or any of its is refused."""
    host = target.host
    addresses = [host.address] if host.address is not None else list(await resolver(host.name, target.port))
    if not addresses:
        raise AddressRefused(f"{host.name} has no address")
    for address in addresses:
        reason = policy.refusal(address)
        if reason is not None:
            shown = "" if host.address is not None else f"{host.name} resolves to {address}: "
            raise AddressRefused(f"address refused: {shown}{reason}")
    return addresses[0]


def webhook_client(transport: httpx.AsyncBaseTransport | None = None) -> httpx.AsyncClient:
    return httpx.AsyncClient(
        timeout=TIMEOUT,
        follow_redirects=False,
        trust_env=False,
        limits=httpx.Limits(max_keepalive_connections=0),
        transport=transport,
    )


async def post_to(
    client: httpx.AsyncClient, target: Target, address: IPAddress, body: bytes, headers: Mapping[str, str]
) -> tuple[int, str | None]:
    """POST ``body`` to ``address`` as ``target``'s host: the status code, and why it is a failure (if it is)."""
    request = client.build_request(
        "POST",
        target.url_for(address),
        content=body,
        headers={**headers, "Host": target.host_header},
        extensions={"sni_hostname": target.host.name},
    )
    # Stream, and never read the body: a receiver's answer is its status code, however much it sends.
    response = await client.send(request, stream=True)
    try:
        status = response.status_code
        if response.is_success:
            return status, None
        if response.is_redirect:
            location = response.headers.get("Location", "")[:200]
            return status, f"HTTP {status}: redirect to {location or '(no Location)'} not followed"
        return status, f"HTTP {status}"
    finally:
        await response.aclose()
