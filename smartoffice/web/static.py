"""Files the browser loads, served by the app from ``smartoffice/static/`` (inside the package, so in the wheel).

Nothing a page needs comes from a CDN: government offices run this on closed networks (issue 9).
"""

from pathlib import Path

from litestar.static_files import create_static_files_router
from litestar.types import ControllerRouterHandler

STATIC_PATH = "/static"
STATIC_DIR = Path(__file__).resolve().parents[1] / "static"

STATIC_ROUTES: list[ControllerRouterHandler] = [create_static_files_router(STATIC_PATH, [STATIC_DIR])]


def static_url(path: str) -> str:
    """The URL of a file under ``smartoffice/static/``, e.g. ``static_url("graphiql/start.js")``."""
    return f"{STATIC_PATH}/{path}"
