"""What a page handler needs from the request: the runtime, and who the visitor is acting as.

The identity is the demo one: an employee id kept in the signed session cookie, chosen on the home page. Real
login replaces it; handlers only ever ask :func:`acting_employee_id`, so they will not change when it does.
"""

from dataclasses import dataclass
from typing import Any

from litestar import Request

from smartoffice.errors import NotFound
from smartoffice.people import service as people
from smartoffice.runtime import runtime_of

SESSION_KEY = "employee_id"


def acting_employee_id(request: Request[Any, Any, Any]) -> int | None:
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


async def current_viewer(request: Request[Any, Any, Any]) -> Viewer | None:
    """The acting employee, or ``None``; a session naming someone who no longer exists counts as nobody."""
    employee_id = acting_employee_id(request)
    if employee_id is None:
        return None
    try:
        async with runtime_of(request).db.read() as session:
            employee = await people.get_employee(session, employee_id)
    except NotFound:
        return None
    unit = employee.org_unit
    return Viewer(employee.id, employee.name, unit.name, unit.organisation.name)
