"""Which forwarded address is the client's (smartoffice.identity.clients): the walk from the right."""

import pytest

from smartoffice.identity.clients import TrustedProxies, is_loopback

PROXIES = TrustedProxies(["10.0.0.0/24", "192.0.2.1", "2001:db8::/32"])


@pytest.mark.parametrize(
    ("peer", "forwarded_for", "client"),
    [
        ("10.0.0.2", ["198.51.100.7"], "198.51.100.7"),
        # the client wrote its own header: only the address our proxy appended is believed
        ("10.0.0.2", ["127.0.0.1, 198.51.100.7"], "198.51.100.7"),
        ("10.0.0.2", ["6.6.6.6", "198.51.100.7"], "198.51.100.7"),  # two headers count as one list
        # a chain of our own proxies is skipped
        ("10.0.0.2", ["198.51.100.7, 192.0.2.1, 10.0.0.9"], "198.51.100.7"),
        ("10.0.0.2", ["2001:db8::5, 203.0.113.4, 2001:db8::6"], "203.0.113.4"),
        ("::ffff:10.0.0.2", ["::ffff:198.51.100.7"], "198.51.100.7"),  # IPv4 on a dual-stack socket
        ("10.0.0.2", ["10.0.0.7"], "10.0.0.7"),  # nothing but our proxies: the leftmost is the nearest we know
        # not from a trusted proxy: the header is anybody's
        ("198.51.100.50", ["203.0.113.4"], None),
        ("10.0.1.2", ["203.0.113.4"], None),
        (None, ["203.0.113.4"], None),
        # no header, or garbage where the client should be
        ("10.0.0.2", [], None),
        ("10.0.0.2", ["unknown"], None),
        ("10.0.0.2", ["198.51.100.7, not-an-address"], None),
    ],
)
def test_the_client_is_the_first_untrusted_address_from_the_right(
    peer: str | None, forwarded_for: list[str], client: str | None
) -> None:
    assert PROXIES.client_of(peer, forwarded_for) == client


def test_nothing_is_believed_without_trusted_proxies() -> None:
    assert TrustedProxies([]).client_of("127.0.0.1", ["198.51.100.7"]) is None
    assert TrustedProxies([]).scheme_of("127.0.0.1", "https") is None


@pytest.mark.parametrize(
    ("peer", "proto", "scheme"),
    [
        ("10.0.0.2", "https", "https"),
        ("10.0.0.2", "HTTP", "http"),
        ("10.0.0.2", "http, https", "https"),  # the last proxy's word
        ("10.0.0.2", "gopher", None),
        ("10.0.0.2", None, None),
        ("198.51.100.50", "https", None),
    ],
)
def test_the_scheme_comes_from_a_trusted_proxy_only(peer: str, proto: str | None, scheme: str | None) -> None:
    assert PROXIES.scheme_of(peer, proto) == scheme


def test_loopback() -> None:
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("::ffff:127.0.0.1")
    assert not is_loopback("10.0.0.2") and not is_loopback("testclient") and not is_loopback(None)
