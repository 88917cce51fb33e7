"""What a page handler needs from the request: the runtime, and who the visitor is acting as.

Who: the person signed in (a login session in Redis, see smartoffice.identity), or, in demo mode only, the
employee chosen with the demo's "act as" picker (an id in the signed client-side session cookie). Handlers only
ever ask :func:`acting_employee_id`.

A picker cookie naming a person who left (``Employee.active`` false) acts as nobody, as their login sessions
count for nothing: :class:`DemoIdentityMiddleware` checks the person once per page request (demo mode, no login,
a cookie naming someone; else it costs nothing) and :func:`acting_employee_id` answers what it found.
"""

from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.connection import ASGIConnection
from litestar.enums import ScopeType
from litestar.middleware import ASGIMiddleware
from litestar.types import ASGIApp, Receive, Scope, Send

from smartoffice.identity.http import login_of
from smartoffice.runtime import Runtime, runtime_of

SESSION_KEY = "employee_id"
STATE_KEY = "smartoffice_demo_employee"


def acting_employee_id(request: Request[Any, Any, Any]) -> int | None:
    login = login_of(request)
    if login is not None:
        return login.employee_id
    if not runtime_of(request).settings.is_demo:
        return None  # the demo's picker cookie means nothing outside demo mode
    state = request.scope.get("state", {})
    if STATE_KEY in state:
        found: int | None = state[STATE_KEY]
        return found
    return _picked(request)  # a route outside the pages' router, where the middleware does not run


class DemoIdentityMiddleware(ASGIMiddleware):
    """In demo mode, checks once per page request that the picker's cookie names a person who has not left."""

    scopes = (ScopeType.HTTP,)

    async def handle(self, scope: Scope, receive: Receive, send: Send, next_app: ASGIApp) -> None:
        connection: ASGIConnection[Any, Any, Any, Any] = ASGIConnection(scope)
        runtime = runtime_of(connection)
        employee_id = _picked(connection) if runtime.settings.is_demo and login_of(connection) is None else None
        if employee_id is not None and not await _is_present(runtime, employee_id):
            employee_id = None  # nobody: the page offers the picker, and actions ask to choose first
        scope.setdefault("state", {})[STATE_KEY] = employee_id
        await next_app(scope, receive, send)


async def _is_present(runtime: Runtime, employee_id: int) -> bool:
    """Someone by that id exists and has not left."""
    return await runtime.people.is_present(employee_id)  # cached per process, see people/present.py


def _picked(connection: ASGIConnection[Any, Any, Any, Any]) -> int | None:
    """The employee id the picker's cookie holds, unchecked."""
    session = connection.scope.get("session")
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
    holds_role: bool = False
    """Holds a role (granted, or unit manager by position): base.html then links to the administration pages."""
    unread_notifications: int = 0
    """The bell's count in base.html: unread in-app notifications, at most ``people.service.BELL_CAP``."""


async def current_viewer(request: Request[Any, Any, Any]) -> Viewer | None:
    """The acting employee, or ``None``; a session naming someone who no longer exists, or who left, is nobody."""
    employee_id = acting_employee_id(request)
    if employee_id is None:
        return None
    found = await runtime_of(request).people.find_viewer(employee_id)
    if found is None or not found.employee.active:
        return None
    employee, unit = found.employee, found.employee.org_unit
    signed_in = login_of(request) is not None
    return Viewer(
        employee.id,
        employee.name,
        unit.name,
        unit.organisation.name,
        signed_in,
        found.holds_role,
        found.unread_notifications,
    )
