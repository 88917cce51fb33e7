"""Running the ``smartoffice`` command in-process against the tests' database, as an operator would at a shell."""

import asyncio

import pytest

from smartoffice.cli import main


def command_environment(monkeypatch: pytest.MonkeyPatch, database_url: str, tmp_path: object) -> None:
    """What the command reads from the environment: the tests' database, and a data directory of its own."""
    monkeypatch.setenv("SMARTOFFICE_DATABASE_URL", database_url)
    monkeypatch.setenv("SMARTOFFICE_DATA_DIR", str(tmp_path))


async def run(argv: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str]:
    """``smartoffice ARGV``'s exit status and standard output."""
    code = await asyncio.to_thread(main, argv)  # the command runs its own event loop
    return code, capsys.readouterr().out
