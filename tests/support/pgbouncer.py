"""A real PgBouncer process for tests, in transaction pooling mode in front of the tests' PostgreSQL.

Debian's ``pgbouncer`` package (1.18, installed by ``.ci/run``). It is configured in a temporary directory with
``auth_type = trust`` (PostgreSQL trusts loopback connections here) and listens on a free loopback port. PgBouncer
refuses to run as root, so as root it switches to the ``postgres`` user (``-u``).
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy.engine import make_url

PGBOUNCER = shutil.which("pgbouncer") or ("/usr/sbin/pgbouncer" if Path("/usr/sbin/pgbouncer").exists() else None)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def pgbouncer_config(server_url: str, port: int, userlist: Path, **settings: str | int) -> str:
    """The ``pgbouncer.ini`` text: every database of ``server_url``'s server, transaction pooling, trust auth."""
    server = make_url(server_url)
    options = {
        "listen_addr": "127.0.0.1",
        "listen_port": port,
        "unix_socket_dir": "",
        "auth_type": "trust",
        "auth_file": str(userlist),
        "pool_mode": "transaction",
        "max_client_conn": 200,
        "default_pool_size": 20,
        **settings,
    }
    lines = ["[databases]", f"* = host={server.host or '127.0.0.1'} port={server.port or 5432}", "[pgbouncer]"]
    lines += [f"{key} = {value}" for key, value in options.items()]
    return "\n".join(lines) + "\n"


@contextmanager
def running_pgbouncer(server_url: str, **settings: str | int) -> Iterator[str]:
    """Run PgBouncer in front of ``server_url``'s server; yields ``server_url`` rewritten to go through it.

    ``settings`` are ``[pgbouncer]`` options (e.g. ``max_client_conn=1``, ``default_pool_size=1``).
    """
    assert PGBOUNCER is not None, "pgbouncer is not installed"
    workdir = Path(tempfile.mkdtemp(prefix="pgbouncer-"))
    workdir.chmod(0o755)  # readable by the postgres user PgBouncer switches to when we are root
    user = make_url(server_url).username or "postgres"
    userlist = workdir / "userlist.txt"
    userlist.write_text(f'"{user}" ""\n')
    port = free_port()
    config = workdir / "pgbouncer.ini"
    config.write_text(pgbouncer_config(server_url, port, userlist, **settings))
    for path in (userlist, config):
        path.chmod(0o644)
    command = [PGBOUNCER, *(["-u", "postgres"] if os.geteuid() == 0 else []), str(config)]
    with (workdir / "pgbouncer.log").open("wb") as log:
        process = subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT)
    try:
        _wait_listening(process, port, workdir / "pgbouncer.log")
        yield make_url(server_url).set(host="127.0.0.1", port=port).render_as_string(hide_password=False)
    finally:
        process.terminate()
        process.wait(timeout=10)
        shutil.rmtree(workdir, ignore_errors=True)


def _wait_listening(process: subprocess.Popen[bytes], port: int, log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"pgbouncer exited ({process.returncode}): {log.read_text()}")
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)  # readiness poll of a process we started, not a synchronisation of the test
    raise RuntimeError(f"pgbouncer did not listen on port {port}: {log.read_text()}")
