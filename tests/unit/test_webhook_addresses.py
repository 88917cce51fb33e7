"""Where webhooks may go: the URL check at creation and the address policy the delivery applies (issue 10 item 1)."""

from ipaddress import ip_address

import pytest

from smartoffice.errors import InvalidInput
from smartoffice.integrations.webhook_addresses import AddressPolicy, check_url, parse_target

PUBLIC_ONLY = AddressPolicy()


def refusal_code(url: str, policy: AddressPolicy = PUBLIC_ONLY, *, allow_loopback_http: bool = False) -> str:
    with pytest.raises(InvalidInput) as refused:
        check_url(url, allow_loopback_http=allow_loopback_http, policy=policy)
    assert refused.value.field == "url"
    return refused.value.code


class TestOddIpSpellingsAtCreation:
    @pytest.mark.parametrize(
        "url",
        [
            "https://2130706433:8118/",  # 127.0.0.1 as one integer
            "https://0x7f000001/",  # hex
            "https://127.1/",  # shortened
            "https://0177.0.0.1/",  # octal
            "https://0/",  # 0.0.0.0
            "https://2852039166/",  # 169.254.169.254 as one integer
            "https://0x7f.0.0.1/",
            "https://127.0.0.01/",  # a leading zero: octal to inet_aton
            "https://1.1.1.1.1/",
            "https://127.0.0.0x1/",
            "https://example.0x10/",  # ends in a number: an address to browsers and inet_aton
            "https://1.2.3.4.5/",
        ],
    )
    def test_any_ip_spelling_but_the_dotted_quad_is_refused(self, url: str) -> None:
        # even where the address it spells would be allowed
        assert refusal_code(url, AddressPolicy(["0.0.0.0/0"])) == "WEBHOOK_IP_SPELLING"

    def test_the_message_is_translated(self) -> None:
        with pytest.raises(InvalidInput) as refused:
            check_url("https://127.1/", allow_loopback_http=False, policy=PUBLIC_ONLY)
        assert refused.value.message.startswith("Write an IP address as four decimal numbers")


class TestAddressesAtCreation:
    @pytest.mark.parametrize(
        "url",
        [
            "https://127.0.0.1/",
            "https://10.1.2.3/",
            "https://172.16.0.1/",
            "https://192.168.1.1/",
            "https://169.254.169.254/latest/meta-data/",
            "https://100.64.0.1/",  # carrier-grade NAT
            "https://0.0.0.0/",
            "https://224.0.0.1/",  # multicast
            "https://255.255.255.255/",
            "https://[::1]/",
            "https://[::]/",
            "https://[::ffff:127.0.0.1]/",
            "https://[::ffff:a9fe:a9fe]/",  # ::ffff:169.254.169.254
            "https://[fe80::1]/",
            "https://[fc00::1]/",
            "https://[ff02::1]/",
            "https://[2002:7f00:1::1]/",  # 6to4 around 127.0.0.1
            "https://[64:ff9b::a9fe:a9fe]/",  # NAT64 around 169.254.169.254
            "https://[2001:db8::1]/",  # documentation
            "https://localhost/",
            "https://hooks.localhost/",
        ],
    )
    def test_non_public_literals_are_refused(self, url: str) -> None:
        assert refusal_code(url) == "WEBHOOK_ADDRESS_NOT_PUBLIC"

    def test_a_literal_inside_the_allowed_networks_is_accepted(self) -> None:
        agency = AddressPolicy(["10.20.0.0/16", "fd00:1::/64"])
        assert check_url("https://10.20.3.4/presensi", allow_loopback_http=False, policy=agency) == (
            "https://10.20.3.4/presensi"
        )
        assert check_url("https://[fd00:1::5]:8443/x", allow_loopback_http=False, policy=agency) == (
            "https://[fd00:1::5]:8443/x"
        )
        assert refusal_code("https://10.21.0.1/", agency) == "WEBHOOK_ADDRESS_NOT_PUBLIC"

    @pytest.mark.parametrize("url", ["https://[2606:4700:4700::1111]/hook", "https://[64:ff9b::808:808]/hook"])
    def test_public_ipv6_literals_are_accepted(self, url: str) -> None:
        assert check_url(url, allow_loopback_http=False, policy=PUBLIC_ONLY) == url


class TestNormalisation:
    def test_host_is_lowercased_idna_encoded_and_the_fragment_dropped(self) -> None:
        url = "HTTPS://Bücher.Example.GO.ID:8443/Path?q=1#frag"
        normalised = check_url(url, allow_loopback_http=False, policy=PUBLIC_ONLY)
        assert normalised == "https://xn--bcher-kva.example.go.id:8443/Path?q=1"

    def test_a_trailing_dot_is_dropped(self) -> None:
        assert check_url("https://8.8.8.8./x", allow_loopback_http=False, policy=PUBLIC_ONLY) == "https://8.8.8.8/x"
        assert check_url("https://example.go.id./", allow_loopback_http=False, policy=PUBLIC_ONLY) == (
            "https://example.go.id/"
        )

    def test_ipv6_literals_are_compressed(self) -> None:
        url = "https://[2606:4700:4700:0000:0000:0000:0000:1111]/x"
        assert check_url(url, allow_loopback_http=False, policy=PUBLIC_ONLY) == "https://[2606:4700:4700::1111]/x"

    @pytest.mark.parametrize(
        ("url", "code"),
        [
            ("https://user@example.go.id/", "WEBHOOK_URL_NOT_ALLOWED"),
            ("https://:pw@example.go.id/", "WEBHOOK_URL_NOT_ALLOWED"),
            ("https://example.go.id:99999/", "WEBHOOK_URL_INVALID"),
            ("https://example.go.id:0/", "WEBHOOK_URL_INVALID"),
            ("https://exa mple.go.id/", "WEBHOOK_URL_INVALID"),
            ("https://under_score.go.id/", "WEBHOOK_URL_INVALID"),
            ("https://[fe80::1%25eth0]/", "WEBHOOK_URL_INVALID"),
            ("https://" + "a" * 64 + ".go.id/", "WEBHOOK_URL_INVALID"),
            ("https://example.go.id/" + "x" * 500, "WEBHOOK_URL_INVALID"),
            ("javascript:alert(1)", "WEBHOOK_URL_NOT_ALLOWED"),
        ],
    )
    def test_malformed_urls_are_refused(self, url: str, code: str) -> None:
        assert refusal_code(url) == code

    def test_http_only_to_loopback_and_only_outside_production(self) -> None:
        loopback = AddressPolicy(["127.0.0.1/32"])
        assert check_url("http://localhost:9/x", allow_loopback_http=True, policy=loopback) == "http://localhost:9/x"
        assert refusal_code("http://localhost:9/x", loopback) == "WEBHOOK_URL_NOT_ALLOWED"
        assert refusal_code("http://hooks.example.go.id/x", loopback, allow_loopback_http=True) == (
            "WEBHOOK_URL_NOT_ALLOWED"
        )


class TestAddressPolicy:
    @pytest.mark.parametrize(
        "address",
        [
            "127.0.0.1",
            "127.8.9.10",
            "10.0.0.1",
            "169.254.169.254",
            "0.0.0.0",
            "100.64.0.1",
            "192.0.2.1",
            "224.0.0.251",
            "240.0.0.1",
            "::1",
            "::",
            "::ffff:127.0.0.1",
            "::127.0.0.1",  # IPv4-compatible
            "fe80::1",
            "fec0::1",  # site-local
            "fd12:3456::1",
            "ff05::2",
            "2002:a9fe:a9fe::1",  # 6to4 around 169.254.169.254
            "2001:0:4136:e378:8000:63bf:3fff:fdd2",  # Teredo
            "64:ff9b::7f00:1",  # NAT64 around 127.0.0.1
            "64:ff9b:1::a00:1",  # local-use NAT64 around 10.0.0.1
        ],
    )
    def test_non_public_addresses_are_refused(self, address: str) -> None:
        assert PUBLIC_ONLY.refusal(ip_address(address)) is not None

    @pytest.mark.parametrize("address", ["1.1.1.1", "203.194.112.10", "2606:4700::1111", "2002:808:808::1"])
    def test_public_addresses_pass(self, address: str) -> None:
        assert PUBLIC_ONLY.refusal(ip_address(address)) is None

    def test_allowed_networks_cover_their_ipv4_mapped_forms(self) -> None:
        policy = AddressPolicy(["127.0.0.1/32"])
        assert policy.refusal(ip_address("127.0.0.1")) is None
        assert policy.refusal(ip_address("::ffff:127.0.0.1")) is None
        assert policy.refusal(ip_address("127.0.0.2")) is not None
        assert policy.refusal(ip_address("::1")) is not None

    def test_the_reason_names_the_kind_of_address(self) -> None:
        assert PUBLIC_ONLY.refusal(ip_address("127.0.0.1")) == "127.0.0.1 is loopback"
        assert PUBLIC_ONLY.refusal(ip_address("::ffff:169.254.169.254")) == "169.254.169.254 is link-local"


class TestDeliveryTargets:
    def test_a_stored_url_is_aimed_at_the_checked_address_with_the_real_host_alongside(self) -> None:
        target = parse_target("https://Hooks.Example.go.id:8443/in?x=1")
        assert target.url_for(ip_address("203.0.113.7")) == "https://203.0.113.7:8443/in?x=1"
        assert target.url_for(ip_address("2001:db8::7")) == "https://[2001:db8::7]:8443/in?x=1"
        assert (target.host.name, target.host_header) == ("hooks.example.go.id", "hooks.example.go.id:8443")
        assert parse_target("https://hooks.example.go.id").host_header == "hooks.example.go.id"

    def test_a_legacy_row_with_an_odd_spelling_is_refused_at_delivery_too(self) -> None:
        with pytest.raises(InvalidInput):
            parse_target("https://0177.0.0.1/")
