"""How the pages report failures: one status per kind of error, and one error page for what has no other."""

from dataclasses import dataclass
from typing import Any

from litestar import Request
from litestar.exceptions import HTTPException
from litestar.response import Template
from litestar.status_codes import (
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_422_UNPROCESSABLE_ENTITY,
)

from smartoffice.errors import BookingConflict, DomainError, NotFound, PermissionDenied
from smartoffice.web.forms import FormError


@dataclass(frozen=True, slots=True)
class PageError:
    """An error as a page shows it: ``message`` from a service, or a ``code`` the templates put into words."""

    status: int
    code: str
    message: str | None = None

    @classmethod
    def of(cls, exc: DomainError | FormError) -> "PageError":
        if isinstance(exc, FormError):
            return cls(HTTP_422_UNPROCESSABLE_ENTITY, exc.code)
        return cls(status_for(exc), exc.code, exc.message)


def status_for(exc: DomainError) -> int:
    if isinstance(exc, NotFound):
        return HTTP_404_NOT_FOUND
    if isinstance(exc, BookingConflict):
        return HTTP_409_CONFLICT
    if isinstance(exc, PermissionDenied):
        return HTTP_403_FORBIDDEN
    return HTTP_422_UNPROCESSABLE_ENTITY


def error_page(error: PageError) -> Template:
    return Template(template_name="error.html", context={"error": error}, status_code=error.status)


def render_domain_error(_request: Request[Any, Any, Any], exc: Exception) -> Template:
    assert isinstance(exc, DomainError | FormError)
    return error_page(PageError.of(exc))


def render_http_error(_request: Request[Any, Any, Any], exc: Exception) -> Template:
    """Framework errors on the pages' routes, above all a failed CSRF check (403), as a page, not JSON."""
    assert isinstance(exc, HTTPException)
    return error_page(PageError(exc.status_code, f"http_{exc.status_code}"))


EXCEPTION_HANDLERS = {
    DomainError: render_domain_error,
    FormError: render_domain_error,
    HTTPException: render_http_error,
}
