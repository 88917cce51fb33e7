"""Post/redirect/get, errors included: a form handler that fails redirects back to its page with the error, and
the page shows it once.

The error travels in the signed session cookie (already in the words of the visitor's language) and is taken out
by the next page that renders ``base.html`` (the ``flashed_error`` template global), so reloading that page
neither resends the form nor shows the error again. The redirect is a 303: the browser follows with a GET.
"""

from dataclasses import asdict
from typing import Any

from litestar import Request
from litestar.response import Redirect

from smartoffice.web.errors import PageError
from smartoffice.web.identity import see_other

FLASH_KEY = "flash_error"


def see_other_with_error(request: Request[Any, Any, Any], path: str, error: PageError) -> Redirect:
    """Redirect (303) to ``path`` (a local path the handler built), which will show ``error`` once."""
    session = request.scope.get("session")
    if isinstance(session, dict):
        session[FLASH_KEY] = asdict(error)
    else:
        request.set_session({FLASH_KEY: asdict(error)})
    return see_other(path)


def take_error(request: Request[Any, Any, Any]) -> PageError | None:
    """The error a redirect carried here, once; ``None`` when there is none (or it is malformed)."""
    session = request.scope.get("session")
    if not isinstance(session, dict) or FLASH_KEY not in session:
        return None
    stored = session.pop(FLASH_KEY)
    try:
        return PageError(
            status=int(stored["status"]), code=str(stored["code"]), title=str(stored["title"]), text=str(stored["text"])
        )
    except (KeyError, TypeError, ValueError):
        return None
