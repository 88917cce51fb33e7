"""Sending email over SMTP (aiosmtplib): where ``SMARTOFFICE_SMTP_URL`` points, one connection per batch.

The URL names the server and how to reach it:

* ``smtp://user:pass@mail.example.go.id:587?starttls=1``: plain connection upgraded with STARTTLS, then login;
* ``smtps://user:pass@mail.example.go.id:465``: TLS from the first byte (implicit TLS);
* ``smtp://127.0.0.1:1025``: plain, no login (a local mail catcher or relay).

User and password are percent-decoded (``p%40ss`` is ``p@ss``). A user and password are refused over a plain
connection to anything but loopback: they would cross the network readable. Certificates are verified.

:meth:`Mailer.send` never raises for a message: each gets a :class:`Delivery` saying whether it went, failed on its
own (the server refused it: retried, finally failed) or was not this message's fault (the server could not be
reached, the connection dropped, the batch ran out of time: retried while the server comes back).
"""

import asyncio
import ipaddress
import logging
from collections.abc import Sequence
from dataclasses import dataclass, field
from email.message import EmailMessage
from enum import StrEnum
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

import aiosmtplib

if TYPE_CHECKING:
    from smartoffice.settings import Settings

log = logging.getLogger(__name__)

SETTING = "SMARTOFFICE_SMTP_URL"
CONNECT_TIMEOUT = 10.0
"""Seconds to connect (TCP and TLS handshake)."""
COMMAND_TIMEOUT = 30.0
"""Seconds for each SMTP command, the message's DATA included."""
MAX_REASON_LENGTH = 500
TRUE, FALSE = frozenset({"1", "true", "yes", "on"}), frozenset({"0", "false", "no", "off"})


@dataclass(frozen=True, slots=True)
class SmtpServer:
    """Where and how to send, parsed from ``SMARTOFFICE_SMTP_URL`` by :func:`parse_smtp_url`."""

    host: str
    port: int
    use_tls: bool
    """``smtps://``: TLS from the start."""
    start_tls: bool
    """``?starttls=1``: upgrade the plain connection before anything else is said."""
    username: str | None = None
    password: str | None = field(default=None, repr=False)


def parse_smtp_url(url: str) -> SmtpServer:
    """The server ``url`` names; a ValueError naming the problem (never the password) when it is not usable."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as exc:
        raise ValueError(f"{SETTING} is not a valid URL ({exc})") from None
    scheme = parts.scheme.lower()
    if scheme not in ("smtp", "smtps"):
        raise ValueError(f"{SETTING} must start with smtp:// or smtps://, not {scheme + '://' if scheme else url!r}")
    if not parts.hostname:
        raise ValueError(f"{SETTING} names no host (smtp://host:port)")
    if parts.path not in ("", "/") or parts.fragment:
        raise ValueError(f"{SETTING} takes no path or fragment after the host and port")
    start_tls = _start_tls(parts.query)
    if scheme == "smtps" and start_tls:
        raise ValueError(f"{SETTING}: smtps:// is TLS from the start; starttls=1 is for smtp:// only")
    username = unquote(parts.username) if parts.username else None
    password = unquote(parts.password) if parts.password else None
    if (username is None) != (password is None):
        raise ValueError(f"{SETTING} needs both a user and a password (smtp://user:password@host), or neither")
    use_tls = scheme == "smtps"
    if username is not None and not (use_tls or start_tls) and not _is_loopback(parts.hostname):
        raise ValueError(
            f"{SETTING} would send the password unencrypted: use smtps:// or add ?starttls=1 "
            f"(plain smtp:// with a login is allowed to this machine only)"
        )
    default_port = 465 if use_tls else 587 if start_tls else 25
    return SmtpServer(parts.hostname, port or default_port, use_tls, start_tls, username, password)


def _start_tls(query: str) -> bool:
    try:
        options = parse_qs(query, keep_blank_values=True, strict_parsing=bool(query))
    except ValueError:
        raise ValueError(f"{SETTING}: cannot read the options after '?' ({query!r})") from None
    unknown = sorted(set(options) - {"starttls"})
    if unknown:
        raise ValueError(f"{SETTING}: unknown option {', '.join(unknown)} (the only option is starttls=1)")
    values = options.get("starttls", ["0"])
    value = values[-1].strip().lower()
    if len(values) > 1 or value not in TRUE | FALSE:
        raise ValueError(f"{SETTING}: starttls must be 1 or 0, not {values[-1]!r}")
    return value in TRUE


def _is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


class Outcome(StrEnum):
    SENT = "sent"
    REFUSED = "refused"
    """This message failed on its own (the server refused it, it could not be written): retried, finally failed."""
    UNREACHABLE = "unreachable"
    """The server could not be reached, refused the login, or the connection broke: not the message's fault."""
    NOT_ATTEMPTED = "not_attempted"
    """The batch ran out of time (its lease) before this message's turn: it never left."""


@dataclass(frozen=True, slots=True)
class Delivery:
    outcome: Outcome
    reason: str | None = None


SENT = Delivery(Outcome.SENT)


def reason(exc: BaseException) -> str:
    """An exception as an admin reads it in the queue (``SMTPRecipientsRefused: ...``), at most 500 characters."""
    text = str(exc) or repr(exc)
    return f"{type(exc).__name__}: {text}"[:MAX_REASON_LENGTH]


class Mailer:
    """Sends batches of messages over one SMTP connection each."""

    def __init__(
        self,
        server: SmtpServer,
        *,
        local_hostname: str | None = None,
        connect_timeout: float = CONNECT_TIMEOUT,
        timeout: float = COMMAND_TIMEOUT,
    ) -> None:
        self.server = server
        self.local_hostname = local_hostname
        """The name said in EHLO; None: this machine's fully qualified name."""
        self.connect_timeout = connect_timeout
        self.timeout = timeout

    @classmethod
    def from_settings(cls, settings: "Settings") -> "Mailer":
        if not settings.smtp_url:
            raise ValueError(f"{SETTING} is not set")
        public_host = urlsplit(settings.public_url).hostname if settings.public_url else None
        return cls(parse_smtp_url(settings.smtp_url), local_hostname=public_host)

    async def send(self, messages: Sequence[EmailMessage], deadline: float | None = None) -> list[Delivery]:
        """Each message's :class:`Delivery`, in order. ``deadline`` (the event loop's clock): no message is begun
        unless its last command's timeout still ends before it, so a batch never outlives its lease."""
        if not messages:
            return []
        client = aiosmtplib.SMTP(
            hostname=self.server.host,
            port=self.server.port,
            use_tls=self.server.use_tls,
            start_tls=self.server.start_tls,
            username=self.server.username,
            password=self.server.password,
            local_hostname=self.local_hostname,
            timeout=self.timeout,
        )
        try:
            await client.connect(timeout=self.connect_timeout)  # TLS and login too
        except Exception as exc:  # refused, timed out, TLS, login: the server's, every message waits for it
            log.warning("SMTP server %s:%s unavailable: %s", self.server.host, self.server.port, reason(exc))
            return [Delivery(Outcome.UNREACHABLE, reason(exc))] * len(messages)
        deliveries: list[Delivery] = []
        try:
            async with client:  # QUIT at the end
                deliveries = await self._send_each(client, messages, deadline)
        except Exception as exc:  # QUIT failed (what was sent is sent), or a bug in sending: nothing known sent
            log.warning("SMTP session with %s ended badly", self.server.host, exc_info=True)
            if not deliveries:
                return [Delivery(Outcome.UNREACHABLE, reason(exc))] * len(messages)
        return deliveries

    async def _send_each(
        self, client: aiosmtplib.SMTP, messages: Sequence[EmailMessage], deadline: float | None
    ) -> list[Delivery]:
        loop = asyncio.get_running_loop()
        deliveries: list[Delivery] = []
        for index, message in enumerate(messages):
            left = len(messages) - index
            if deadline is not None and loop.time() + self.timeout > deadline:
                return deliveries + [Delivery(Outcome.NOT_ATTEMPTED, "not attempted: the batch ran out of time")] * left
            try:
                await client.send_message(message)
            except (aiosmtplib.SMTPServerDisconnected, aiosmtplib.SMTPTimeoutError, ConnectionError) as exc:
                # The connection is gone or in an unknown state: this message (which may or may not have arrived)
                # and the rest wait for the next run.
                return deliveries + [Delivery(Outcome.UNREACHABLE, reason(exc))] * left
            except Exception as exc:  # this message's alone (a refused recipient, a bad header)
                deliveries.append(Delivery(Outcome.REFUSED, reason(exc)))
            else:
                deliveries.append(SENT)
        return deliveries
