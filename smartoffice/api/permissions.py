"""Authentication and scope failures: top-level GraphQL errors with a machine-readable ``extensions.code``.

Decided: *who you are and what your credential allows* fails at the top level, like a malformed document,
because it is about the request, not the object (``UNAUTHENTICATED``, ``INSUFFICIENT_SCOPE`` with the missing
``scope``, ``SESSIONS_ONLY``). *What you may do to this object* stays in the services and comes back as a
``PermissionDeniedError`` member of the result union. These subclass ``PermissionError`` so the error masking
(``error_codes.is_client_error``) lets their message through.
"""

from typing import Any

from smartoffice.i18n import DEFAULT_LANGUAGE, Language
from smartoffice.identity.errors import AuthCode
from smartoffice.identity.scopes import Scope


class AuthError(PermissionError):
    code = AuthCode.UNAUTHENTICATED

    def __init__(self, language: Language = DEFAULT_LANGUAGE, **params: Any) -> None:
        super().__init__(self.code.message_in(language, **params))
        self.extensions: dict[str, Any] = {"code": self.code.name, **params}
        """graphql-core copies an original error's ``extensions`` into the response."""


class Unauthenticated(AuthError):
    code = AuthCode.UNAUTHENTICATED


class MissingScope(AuthError):
    code = AuthCode.INSUFFICIENT_SCOPE

    def __init__(self, scope: Scope, language: Language = DEFAULT_LANGUAGE) -> None:
        super().__init__(language, scope=scope.value)


class SessionsOnly(AuthError):
    code = AuthCode.SESSIONS_ONLY
