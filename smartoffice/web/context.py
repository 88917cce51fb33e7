"""What a page handler needs from the request: the runtime, and who the visitor is acting as.

Who: the person signed in (a login session in Redis, see smartoffice.identity), or, in demo mode only, the
employee chosen with the demo's "act as" picker (an id in the signed client-side session cookie). Handlers only
ever ask :func:`acting_employee_id`.
"""

from dataclasses import dataclass
from typing import Any

from litestar import Request

from smartoffice.identity.http import login_of
from smartoffice.runtime import runtime_of

SESSION_KEY = "employee_id"


def acting_employee_id(request: Request[Any, Any, Any]) -> int | None:
    login = login_of(request)
    if login is not None:
        return login.employee_id
    if not runtime_of(request).settings.is_demo:
        return None  # the demo's picker cookie means nothing outside demo mode
    session = request.scope.get("session")
    value = session.get(SESSION_KEY) if isinstance(session, dict) else None
    return value if isinstance(value, int) else None


def act_as(request: Request[Any, Any, Any], employee_id: int) -> None:
    request.set_session({SESSION_KEY: employee_id})


def stop_acting(request: Request[Any, Any, Any]) -> None:
    request.clear_session()


@dataclass(frozen=True, slots=True)
class Viewer:
    """The person the visitor acts as, as the pages show them."""

    id: int
    name: str
    unit_name: str
    organisation_name: str
    signed_in: bool = False
    """Signed in with a password (a login session), rather than acting as someone in the demo."""


async def current_viewer(request: Request[Any, Any, Any]) -> Viewer | None:
    """The acting employee, or ``None``; a session naming someone who no longer exists counts as nobody."""
    employee_id = acting_employee_id(request)
    if employee_id is None:
        return None
    employee = await runtime_of(request).people.find_employee(employee_id)
    if employee is None:
        return None
    unit = employee.org_unit
    return Viewer(employee.id, employee.name, unit.name, unit.organisation.name, login_of(request) is not None)
