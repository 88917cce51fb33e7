"""The server under test, started the way a user starts it: ``smartoffice serve --workers N`` in its own process."""

import asyncio
import os
import signal
import socket
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import psutil

from smartoffice.bench.http import HttpConnection
from smartoffice.settings import PREFIX

LOOPBACK = "127.0.0.1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        port: int = sock.getsockname()[1]
        return port


@dataclass
class ServerProcess:
    process: subprocess.Popen[bytes]
    port: int
    log_path: Path
    _log: IO[bytes]

    @property
    def host(self) -> str:
        return LOOPBACK

    def log_tail(self, lines: int = 30) -> str:
        self._log.flush()
        return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])

    def cpu_seconds(self) -> float:
        """User + system CPU of the server and its worker processes so far (psutil; exited ones drop out)."""
        try:
            root = psutil.Process(self.process.pid)
            processes = [root, *root.children(recursive=True)]
        except psutil.NoSuchProcess:
            return float("nan")
        total = 0.0
        for process in processes:
            try:
                times = process.cpu_times()
            except psutil.NoSuchProcess:
                continue
            total += times.user + times.system
        return total

    def stop(self, timeout: float = 15.0) -> int:
        """SIGTERM (granian stops its workers gracefully), then SIGKILL to the server's own process group."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        self._log.close()
        return self.process.returncode


def start_server(*, settings_env: dict[str, str], workers: int, data_dir: Path, name: str) -> ServerProcess:
    """Start ``smartoffice serve`` on a free loopback port with ``SMARTOFFICE_*`` variables from ``settings_env``
    (names without the prefix); the process's own ``SMARTOFFICE_*`` environment is not inherited."""
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith(PREFIX)}
    env.update({PREFIX + k: v for k, v in settings_env.items()})
    env.update({PREFIX + "DATA_DIR": str(data_dir), PREFIX + "MIGRATE_ON_START": "0"})
    data_dir.mkdir(parents=True, exist_ok=True)
    log_path = data_dir / f"{name}.log"
    log = log_path.open("wb")
    command = [sys.executable, "-m", "smartoffice", "serve", "--host", LOOPBACK, "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--workers", str(workers)],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,  # its own process group: a stuck worker can be killed with it, and only it
    )
    return ServerProcess(process, port, log_path, log)


async def wait_ready(server: ServerProcess, within: float = 90.0) -> None:
    """Poll ``/health`` until it answers 200; raise with the server's log when it dies or never answers."""
    deadline = time.monotonic() + within
    connection = HttpConnection(server.host, server.port)
    try:
        while time.monotonic() < deadline:
            if server.process.poll() is not None:
                raise RuntimeError(f"the server exited with {server.process.returncode}:\n{server.log_tail()}")
            try:
                if (await connection.request("GET", "/health")).status == 200:
                    return
            except (OSError, asyncio.IncompleteReadError, ValueError):
                pass
            await asyncio.sleep(0.2)
    finally:
        await connection.close()
    raise RuntimeError(f"the server did not become ready in {within:.0f} s:\n{server.log_tail()}")
