"""A real SMTP server *process* for tests: aiosmtpd (``python -m aiosmtpd``) keeping each message in a Maildir.

It is a separate process, as a production mail server is: the app talks SMTP to it over loopback TCP, and a test
can stop it (the port refuses connections) and start it again on the same port::

    with running_smtp_server(tmp_path) as smtp:
        settings = dataclasses.replace(settings, smtp_url=smtp.url)
        ...                      # send
        [message] = smtp.messages()
        assert message["To"] == "siti@example.go.id"
        smtp.stop()              # the server is down: connections are refused
        smtp.start()             # and back, same port, same mailbox

:meth:`SmtpProcess.messages` returns every message received so far, oldest first, parsed with
``email.policy.default`` (``EmailMessage``: ``get_body``, ``iter_attachments``, header objects). aiosmtpd adds the
envelope to each: ``X-RcptTo`` (the RCPT TO addresses, comma-separated), ``X-MailFrom`` and ``X-Peer``.

Recipients whose local part starts with ``bounce`` (``bounce-7@example.go.id``) are refused with ``550 5.1.1``, a
permanent failure to test with. A message is in the Maildir before the server answers ``250``: once the sender
has recorded it as sent, :meth:`~SmtpProcess.messages` has it.

This module is also the server's handler (``-c tests.support.smtp.MaildirHandler``), so it imports nothing but
the standard library and aiosmtpd at the top.
"""

import email
import email.policy
import mailbox
import os
import shutil
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from email.message import EmailMessage
from pathlib import Path
from typing import Any

from aiosmtpd.handlers import Mailbox

ROOT = Path(__file__).resolve().parents[2]
STARTUP_SECONDS = 30
REFUSED_PREFIX = "bounce"


class MaildirHandler(Mailbox):
    """aiosmtpd's Maildir handler, refusing recipients whose local part starts with ``bounce``."""

    async def handle_RCPT(self, server: Any, session: Any, envelope: Any, address: str, rcpt_options: list[str]) -> str:
        if address.partition("@")[0].lower().startswith(REFUSED_PREFIX):
            return "550 5.1.1 No such mailbox here"
        envelope.rcpt_tos.append(address)
        return "250 OK"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


class SmtpProcess:
    """An aiosmtpd server process on ``127.0.0.1:port`` storing what it receives in ``directory/maildir``."""

    def __init__(self, directory: Path, port: int | None = None) -> None:
        self.directory = directory
        self.maildir = directory / "maildir"
        self.port = port if port is not None else _free_port()
        self.process: subprocess.Popen[bytes] | None = None
        directory.mkdir(parents=True, exist_ok=True)
        mailbox.Maildir(self.maildir, create=True)

    @property
    def host(self) -> str:
        return "127.0.0.1"

    @property
    def url(self) -> str:
        """For ``SMARTOFFICE_SMTP_URL``: plain SMTP, no login."""
        return f"smtp://{self.host}:{self.port}"

    @property
    def is_running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def start(self) -> None:
        """Start the server (again, on the same port) and return once it accepts connections."""
        if self.is_running:
            return
        command = [sys.executable, "-m", "aiosmtpd", "-n", "-u", "-l", f"{self.host}:{self.port}"]
        command += ["-c", f"{__name__}.{MaildirHandler.__name__}", str(self.maildir)]
        log = (self.directory / "aiosmtpd.log").open("ab")
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=log, stderr=subprocess.STDOUT, env=_env())
        log.close()
        deadline = time.monotonic() + STARTUP_SECONDS
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"aiosmtpd exited with {self.process.returncode}: see {self.directory}")
            try:
                with socket.create_connection((self.host, self.port), timeout=1):
                    return
            except OSError:
                time.sleep(0.05)
        self.stop()
        raise RuntimeError(f"aiosmtpd did not listen on {self.port} within {STARTUP_SECONDS} s")

    def stop(self) -> None:
        """Stop the server; connections to its port are refused until :meth:`start`."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.process = None

    def messages(self) -> list[EmailMessage]:
        """Every message received so far, oldest first."""
        files = [path for folder in ("new", "cur") for path in (self.maildir / folder).iterdir() if path.is_file()]
        files.sort(key=lambda path: (path.stat().st_mtime_ns, path.name))
        parsed = []
        for path in files:
            message = email.message_from_bytes(path.read_bytes(), policy=email.policy.default)
            assert isinstance(message, EmailMessage)
            parsed.append(message)
        return parsed

    def messages_to(self, address: str) -> list[EmailMessage]:
        """The messages whose envelope recipients include ``address``."""
        return [m for m in self.messages() if address in str(m.get("X-RcptTo", "")).split(", ")]

    def clear(self) -> None:
        """Forget the messages received so far."""
        for folder in ("new", "cur", "tmp"):
            shutil.rmtree(self.maildir / folder)
            (self.maildir / folder).mkdir()


def _env() -> dict[str, str]:
    return {**os.environ, "PYTHONPATH": os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))}


@contextmanager
def running_smtp_server(directory: Path, port: int | None = None) -> Iterator[SmtpProcess]:
    """An SMTP server process, started, and stopped at the end whatever happened."""
    server = SmtpProcess(directory, port)
    server.start()
    try:
        yield server
    finally:
        server.stop()
