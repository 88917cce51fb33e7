"""A server process started by the CLI tunes the garbage collector before it builds the app (smartoffice.app)."""

import gc
from collections.abc import Iterator

import pytest

from smartoffice import app
from smartoffice.app import GC_YOUNG_THRESHOLD, app_from_env


@pytest.fixture
def thresholds() -> Iterator[None]:
    before = gc.get_threshold()
    gc.set_threshold(700, 10, 10)
    yield
    gc.set_threshold(*before)


def test_a_server_process_collects_young_objects_less_often(thresholds: None, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(app, "create_app", lambda settings: settings)
    app_from_env()
    assert gc.get_threshold() == (GC_YOUNG_THRESHOLD, 10, 10)
