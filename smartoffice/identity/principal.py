"""The principal: who a request acts as, and how it proved it."""

from dataclasses import dataclass, field
from enum import StrEnum

from smartoffice.identity.scopes import Scope
from smartoffice.settings import Settings


class PrincipalKind(StrEnum):
    ANONYMOUS = "anonymous"
    SESSION = "session"
    """A person logged in to the pages: a session in Redis named by an HttpOnly cookie."""
    DEMO = "demo"
    """Demo mode only: an employee id in the ``X-Demo-Employee`` header (anyone may claim anyone)."""
    TOKEN = "token"
    """An app with a bearer token: acts as the token's owner, within the token's scopes."""


@dataclass(frozen=True, slots=True)
class Principal:
    kind: PrincipalKind
    employee_id: int | None = None
    scopes: frozenset[Scope] = field(default_factory=frozenset)
    token_id: int | None = None
    cost_budget: int | None = None
    """The token's own GraphQL cost budget, if it has one."""
    rate_limit: int | None = None
    """The token's own requests per window, if it has one."""

    @classmethod
    def anonymous(cls) -> "Principal":
        return cls(PrincipalKind.ANONYMOUS)

    @classmethod
    def for_employee(cls, employee_id: int | None, kind: PrincipalKind = PrincipalKind.DEMO) -> "Principal":
        return cls(kind, employee_id) if employee_id is not None else cls.anonymous()

    @property
    def is_token(self) -> bool:
        return self.kind == PrincipalKind.TOKEN

    def has_scope(self, scope: Scope) -> bool:
        """People (sessions, the demo identity) are not limited by scopes; tokens are."""
        if not self.is_token or scope in self.scopes:
            return True
        return scope == Scope.BOOKINGS_WRITE_SELF and Scope.BOOKINGS_WRITE_ANY in self.scopes

    def may_introspect(self, settings: Settings) -> bool:
        """Outside production anyone may; in production only tokens with ``admin:introspection``."""
        return not settings.is_production or (self.is_token and Scope.ADMIN_INTROSPECTION in self.scopes)
