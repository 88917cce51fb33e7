"""The per-request GraphQL context: the process's runtime, who is asking, and fresh DataLoaders."""

from functools import cached_property
from typing import Any

from strawberry.litestar import BaseContext
from strawberry.types import Info as StrawberryInfo

from smartoffice.api.permissions import MissingScope, SessionsOnly, Unauthenticated
from smartoffice.bookings.api.loaders import BookingsLoaders
from smartoffice.db import is_storable_id
from smartoffice.i18n import DEFAULT_LANGUAGE, Language
from smartoffice.identity.principal import Principal, PrincipalKind
from smartoffice.identity.scopes import Scope
from smartoffice.people.api.loaders import PeopleLoaders
from smartoffice.places.api.loaders import PlacesLoaders
from smartoffice.policies.api.loaders import PoliciesLoaders
from smartoffice.runtime import Runtime

DEMO_IDENTITY_HEADER = "x-demo-employee"


class Loaders:
    """Fresh for each request (and each subscription event): nothing cached outlives it. The people and bookings
    loaders answer as ``principal`` may see (NIPs, occupants' names); without one, as an anonymous caller.

    Each domain's group of DataLoaders is built on first use (some 20 DataLoader objects, ~30 µs, were built for
    every request, ``{ __typename }`` and ``bookDesk`` included, that reads none of them); still one per request."""

    def __init__(self, runtime: Runtime, principal: Principal | None = None) -> None:
        self._runtime = runtime
        self._principal = principal or Principal.anonymous()

    @cached_property
    def places(self) -> PlacesLoaders:
        return PlacesLoaders(self._runtime.places)

    @cached_property
    def policies(self) -> PoliciesLoaders:
        return PoliciesLoaders(self._runtime.policies)

    @cached_property
    def people(self) -> PeopleLoaders:
        return PeopleLoaders(self._runtime.people, self._principal.employee_id)

    @cached_property
    def bookings(self) -> BookingsLoaders:
        principal = self._principal
        return BookingsLoaders(
            self._runtime.bookings,
            principal.employee_id,
            may_see_names=principal.has_scope(Scope.PEOPLE_READ_NAMES),
        )


class Context(BaseContext, kw_only=True):
    runtime: Runtime
    viewer_id: int | None
    language: Language
    """For people-facing messages, from the request's ``Accept-Language`` (``id`` or ``en``)."""
    loaders: Loaders
    principal: Principal
    """How the caller proved who it is: a login session, the demo header, or an app token with scopes."""

    @classmethod
    def for_request(
        cls,
        runtime: Runtime,
        viewer_id: int | None,
        language: Language = DEFAULT_LANGUAGE,
        *,
        principal: Principal | None = None,
    ) -> "Context":
        if principal is None:
            principal = Principal.for_employee(viewer_id, PrincipalKind.DEMO)
        return cls(
            runtime=runtime,
            viewer_id=principal.employee_id,
            language=language,
            loaders=Loaders(runtime, principal),
            principal=principal,
        )

    def require_viewer(self) -> int:
        if self.viewer_id is None:
            raise Unauthenticated(self.language)
        return self.viewer_id

    def require_scope(self, *scopes: Scope) -> None:
        """Tokens must hold every one of ``scopes``; people (sessions, demo) are limited by roles, not scopes."""
        for scope in scopes:
            if not self.principal.has_scope(scope):
                raise MissingScope(scope, self.language)

    def has_scope(self, scope: Scope) -> bool:
        return self.principal.has_scope(scope)

    @property
    def via(self) -> str:
        """Through what a change arrives, as the audit log records it: ``token:<id>`` for an app, else ``api``."""
        return f"token:{self.principal.token_id}" if self.principal.is_token else "api"

    def require_session(self) -> int:
        """A person, not an app: administration is not for tokens. Returns the viewer's id."""
        if self.principal.is_token:
            raise SessionsOnly(self.language)
        return self.require_viewer()


def viewer_from_header(value: str | None) -> int | None:
    """The demo identity: an employee id in a header, honoured in demo mode only (see smartoffice.api.doors)."""
    if value is None or not value.strip().isdigit():
        return None
    return int(value)


async def demo_viewer(runtime: Runtime, value: str | None) -> int | None:
    """Whom the demo identity ``value`` acts as: ``None`` (nobody) for a value that is no employee id, an id of
    nobody, or a person who left (``Employee.active`` false), who no more acts in the demo than signs in. Asked of
    the process's set of present people (``people/present.py``: one Redis read, SQL when Redis cannot vouch)."""
    employee_id = viewer_from_header(value)
    if employee_id is None or not is_storable_id(employee_id):
        return None
    return employee_id if await runtime.people.is_present(employee_id) else None


Info = StrawberryInfo[Context, Any]
