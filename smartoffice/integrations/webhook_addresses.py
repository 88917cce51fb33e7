"""Where a webhook may be sent: the URL check at creation and the address check at delivery (SSRF defence).

Two gates, because a name can resolve anywhere and change its mind later:

* **At creation** :func:`check_url` accepts only a plain, normalised URL: ``https`` (``http`` only to loopback
  outside production), no user name or password, a host that is either a DNS name (lowercased, IDNA-encoded) or
  an IP literal written canonically. Every other spelling of an IP address that some resolver would accept
  (``2130706433``, ``0x7f000001``, ``127.1``, ``0177.0.0.1``, ``0``) is refused, never "corrected": a host whose
  last label is a number is an IPv4 address to ``inet_aton`` and to browsers, so it must be a dotted quad. A
  literal that is not a public address is refused unless inside ``SMARTOFFICE_WEBHOOK_ALLOWED_NETWORKS``.
* **At delivery** (:mod:`smartoffice.integrations.webhook_transport`) the host is resolved, *every* address is
  judged by :meth:`AddressPolicy.refusal`, and the request goes to the address that was judged.

What "not public" means (:func:`non_public_reason`): loopback, private, link-local, multicast, reserved,
unspecified, site-local, or anything else Python's :mod:`ipaddress` does not call global (CGNAT 100.64/10,
documentation ranges, Teredo...), for IPv4 and IPv6 alike, and for an IPv6 address that embeds an IPv4 one
(IPv4-mapped ``::ffff:a.b.c.d``, IPv4-compatible ``::a.b.c.d``, 6to4 ``2002::/16``, NAT64 ``64:ff9b::/96``) the
embedded address too.
"""

import ipaddress
import re
from collections.abc import Iterable
from dataclasses import dataclass
from ipaddress import IPv4Address, IPv4Network, IPv6Address, IPv6Network
from urllib.parse import SplitResult, urlsplit, urlunsplit

from smartoffice.errors import InvalidInput
from smartoffice.integrations.errors import WebhookInputCode

IPAddress = IPv4Address | IPv6Address
IPNetwork = IPv4Network | IPv6Network

MAX_URL_LENGTH = 500
NAT64_PREFIXES = (IPv6Network("64:ff9b::/96"), IPv6Network("64:ff9b:1::/48"))
"""RFC 6052's well-known prefix and RFC 8215's local-use one: the last 32 bits are the IPv4 address reached."""

_CANONICAL_IPV4 = re.compile(r"(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)(\.(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)){3}")
_NUMBER_LIKE = re.compile(r"\d+|0x[0-9a-f]*")
"""A label that ``inet_aton`` (and the WHATWG URL parser) reads as a number: decimal, octal or hex."""
_LABEL = re.compile(r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")


@dataclass(frozen=True, slots=True)
class Host:
    """A normalised host: ``name`` is what DNS and TLS see (an IP literal in its canonical text), ``address``
    is set when the host is an IP literal."""

    name: str
    address: IPAddress | None

    @property
    def in_url(self) -> str:
        return f"[{self.name}]" if isinstance(self.address, IPv6Address) else self.name


class AddressPolicy:
    """Public addresses only, plus the operator's ``webhook_allowed_networks``."""

    def __init__(self, allowed_networks: Iterable[str] = ()) -> None:
        self.allowed: tuple[IPNetwork, ...] = tuple(ipaddress.ip_network(n, strict=False) for n in allowed_networks)

    def is_allowed_network(self, address: IPAddress) -> bool:
        return any(address.version == net.version and address in net for net in self.allowed)

    def refusal(self, address: IPAddress) -> str | None:
        """Why ``address`` may not receive webhooks, or ``None`` if it may."""
        if isinstance(address, IPv6Address) and address.ipv4_mapped is not None:
            address = address.ipv4_mapped  # the same host: judge (and allow) it as IPv4
        if self.is_allowed_network(address):
            return None
        return non_public_reason(address, ignore_nat64=True) or next(
            (
                f"{address} embeds {inner}, which is {reason}"
                for inner in embedded_ipv4(address)
                if not self.is_allowed_network(inner) and (reason := non_public_reason(inner))
            ),
            None,
        )


def non_public_reason(address: IPAddress, *, ignore_nat64: bool = False) -> str | None:
    """What kind of non-public address this is (``"loopback"``, ``"private"``...), or ``None`` if public."""
    if ignore_nat64 and isinstance(address, IPv6Address) and any(address in n for n in NAT64_PREFIXES):
        return None  # Python calls 64:ff9b::/96 reserved; it is routable, and judged by the address it embeds
    checks = (
        ("unspecified", address.is_unspecified),
        ("loopback", address.is_loopback),
        ("link-local", address.is_link_local),
        ("multicast", address.is_multicast),
        ("private", address.is_private),
        ("reserved", address.is_reserved),
        ("site-local", isinstance(address, IPv6Address) and address.is_site_local),
        ("not a global address", not address.is_global),
    )
    return next((f"{address} is {kind}" for kind, hit in checks if hit), None)


def embedded_ipv4(address: IPAddress) -> list[IPv4Address]:
    """The IPv4 addresses an IPv6 address carries (mapped, compatible, 6to4, Teredo, NAT64)."""
    if not isinstance(address, IPv6Address):
        return []
    found: list[IPv4Address] = []
    if address.ipv4_mapped is not None:
        found.append(address.ipv4_mapped)
    if address.sixtofour is not None:
        found.append(address.sixtofour)
    if address.teredo is not None:
        found.extend(address.teredo)
    value = int(address)
    if any(address in n for n in NAT64_PREFIXES) or (value >> 32 == 0 and value > 0xFFFF):
        found.append(IPv4Address(value & 0xFFFFFFFF))  # NAT64, or IPv4-compatible ::a.b.c.d
    return found


def normalise_host(hostname: str | None) -> Host:
    """The host of a URL, lowercased and IDNA-encoded; an IP literal only in its canonical spelling."""
    if not hostname:
        raise InvalidInput("url", WebhookInputCode.WEBHOOK_URL_INVALID)
    if ":" in hostname:  # urlsplit gives an IPv6 literal without its brackets
        try:
            v6 = IPv6Address(hostname)
        except ValueError as exc:
            raise InvalidInput("url", WebhookInputCode.WEBHOOK_URL_INVALID) from exc
        if v6.scope_id is not None:  # a zone (fe80::1%eth0) names one of *our* interfaces
            raise InvalidInput("url", WebhookInputCode.WEBHOOK_URL_INVALID)
        return Host(v6.compressed, v6)
    try:
        name = hostname.rstrip(".").encode("idna").decode("ascii").lower()
    except UnicodeError as exc:
        raise InvalidInput("url", WebhookInputCode.WEBHOOK_URL_INVALID) from exc
    labels = name.split(".")
    if _NUMBER_LIKE.fullmatch(labels[-1]):  # "ends in a number": an IPv4 address, so only a dotted quad will do
        if not _CANONICAL_IPV4.fullmatch(name):
            raise InvalidInput("url", WebhookInputCode.WEBHOOK_IP_SPELLING)
        return Host(name, IPv4Address(name))
    if len(name) > 253 or not all(_LABEL.fullmatch(label) for label in labels):
        raise InvalidInput("url", WebhookInputCode.WEBHOOK_URL_INVALID)
    return Host(name, None)


def _split(url: str) -> tuple[SplitResult, Host, int | None]:
    if not url or len(url) > MAX_URL_LENGTH or any(ch.isspace() or ord(ch) < 0x20 for ch in url):
        raise InvalidInput("url", WebhookInputCode.WEBHOOK_URL_INVALID)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise InvalidInput("url", WebhookInputCode.WEBHOOK_URL_INVALID) from exc
    if parts.scheme.lower() not in ("http", "https") or "@" in parts.netloc:
        raise InvalidInput("url", WebhookInputCode.WEBHOOK_URL_NOT_ALLOWED)  # another scheme, or user:password@
    if port == 0:
        raise InvalidInput("url", WebhookInputCode.WEBHOOK_URL_INVALID)
    return parts, normalise_host(parts.hostname), port


def is_loopback_name(host: Host) -> bool:
    return host.name == "localhost" or host.name.endswith(".localhost")


def check_url(url: str, *, allow_loopback_http: bool, policy: AddressPolicy) -> str:
    """The URL as it will be stored, normalised; raises :class:`InvalidInput` (``url``) when refused.

    ``https://`` to a public host (or one inside the allowed networks); ``http://`` only to a loopback host and
    only when ``allow_loopback_http`` (debug, demo, tests). A host *name* is judged again at each delivery,
    where it is resolved."""
    parts, host, port = _split(url.strip())
    scheme = parts.scheme.lower()
    loopback = is_loopback_name(host) or (host.address is not None and host.address.is_loopback)
    if scheme != "https" and not (allow_loopback_http and loopback):
        raise InvalidInput("url", WebhookInputCode.WEBHOOK_URL_NOT_ALLOWED)
    address = IPv4Address("127.0.0.1") if is_loopback_name(host) else host.address
    if address is not None and policy.refusal(address) is not None:
        raise InvalidInput("url", WebhookInputCode.WEBHOOK_ADDRESS_NOT_PUBLIC)
    netloc = host.in_url if port is None else f"{host.in_url}:{port}"
    return urlunsplit((scheme, netloc, parts.path, parts.query, ""))


@dataclass(frozen=True, slots=True)
class Target:
    """Where a stored webhook URL points: what is resolved, what is connected to, what the receiver sees."""

    scheme: str
    host: Host
    port: int
    path_and_query: str

    @property
    def host_header(self) -> str:
        default = 443 if self.scheme == "https" else 80
        return self.host.in_url if self.port == default else f"{self.host.in_url}:{self.port}"

    def url_for(self, address: IPAddress) -> str:
        """The request URL aimed at ``address`` itself: nothing resolves the name a second time."""
        literal = f"[{address.compressed}]" if isinstance(address, IPv6Address) else str(address)
        return f"{self.scheme}://{literal}:{self.port}{self.path_and_query}"


def parse_target(url: str) -> Target:
    """A stored URL taken apart for delivery, with the creation check's syntax rules (rows older than them may
    hold anything); raises :class:`InvalidInput` for a URL that is not acceptable."""
    parts, host, port = _split(url.strip())
    scheme = parts.scheme.lower()
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return Target(scheme, host, port if port is not None else (443 if scheme == "https" else 80), path)
