"""How the pages report failures: one page-error type, in the page's language, with one status per kind of error.

A domain error says what its code's message says (the same catalogue as GraphQL's ``message``), with its days,
times and the kind of thing it names in the page's language; a malformed form field and a framework error
(above all a failed CSRF check) get the pages' own words. base.html shows any :class:`PageError` as ``error``;
``error.html`` is the page for failures with no other page to show them on.
"""

from collections.abc import Awaitable, Mapping
from dataclasses import dataclass
from typing import Any, TypeVar

from litestar import Request, Response
from litestar.exceptions import HTTPException
from litestar.exceptions.responses import create_debug_response, create_exception_response
from litestar.response import Template
from litestar.status_codes import (
    HTTP_403_FORBIDDEN,
    HTTP_404_NOT_FOUND,
    HTTP_409_CONFLICT,
    HTTP_422_UNPROCESSABLE_ENTITY,
    HTTP_500_INTERNAL_SERVER_ERROR,
    HTTP_503_SERVICE_UNAVAILABLE,
)

from smartoffice.busy import BUSY_CODE, ServiceBusy, busy_from
from smartoffice.errors import BookingConflict, DomainError, NotFound, PermissionDenied, PolicyRefusal
from smartoffice.i18n import Language, gettext
from smartoffice.web.forms import FormError
from smartoffice.web.language import language_of


@dataclass(frozen=True, slots=True)
class PageError:
    """A failure as a page says it: a title, what went wrong, and the code behind it (``data-code``)."""

    status: int
    code: str
    title: str
    text: str

    @classmethod
    def of(cls, exc: DomainError | FormError, language: Language) -> "PageError":
        if isinstance(exc, FormError):
            return cls(HTTP_422_UNPROCESSABLE_ENTITY, exc.code, title(language, exc), form_error_text(language, exc))
        return cls(status_for(exc), exc.code, title(language, exc), exc.message_in(language))

    @classmethod
    def of_http(cls, exc: HTTPException, language: Language) -> "PageError":
        return cls(exc.status_code, f"http_{exc.status_code}", title(language, exc), http_error_text(language, exc))

    @classmethod
    def busy(cls, language: Language) -> "PageError":
        return cls(
            HTTP_503_SERVICE_UNAVAILABLE,
            BUSY_CODE,
            gettext(language, "SmartOffice is busy"),
            gettext(language, "Too many people are using SmartOffice at this moment. Try again in a few seconds."),
        )


def form_page_error(language: Language, exc: DomainError | FormError, texts: Mapping[str, str]) -> PageError:
    """A refused form: a domain error as :meth:`PageError.of` says it, a malformed field in the page's own words
    (``texts``, by field) when it has some."""
    if isinstance(exc, FormError) and exc.field in texts:
        return PageError(HTTP_422_UNPROCESSABLE_ENTITY, exc.code, title(language, exc), texts[exc.field])
    return PageError.of(exc, language)


def status_for(exc: DomainError) -> int:
    if isinstance(exc, NotFound):
        return HTTP_404_NOT_FOUND
    if isinstance(exc, BookingConflict):
        return HTTP_409_CONFLICT
    if isinstance(exc, PermissionDenied):
        return HTTP_403_FORBIDDEN
    return HTTP_422_UNPROCESSABLE_ENTITY


def title(language: Language, exc: DomainError | FormError | HTTPException) -> str:
    if isinstance(exc, PolicyRefusal):
        return gettext(language, "Not possible under your office-day policy")
    status = exc.status_code if isinstance(exc, HTTPException) else HTTP_422_UNPROCESSABLE_ENTITY
    if isinstance(exc, DomainError):
        status = status_for(exc)
    match status:
        case 409:
            return gettext(language, "Already booked")
        case 404:
            return gettext(language, "Not found")
        case 403:
            return gettext(language, "Not allowed")
        case 400 | 422:
            return gettext(language, "Please check and try again")
    return gettext(language, "Something went wrong")


def form_error_text(language: Language, exc: FormError) -> str:
    """A malformed or missing form field (``invalid_<field>``, ``missing_<field>``)."""
    missing = exc.code.startswith("missing_")
    match exc.field:
        case "date" if missing:
            return gettext(language, "Choose a date.")
        case "date" | "week" | "saved":
            return gettext(language, "That date is not valid. Use the form YYYY-MM-DD.")
        case "desk_id":
            return gettext(language, "That is not a desk on this floor. Choose a desk from the plan or the list.")
        case "start" | "end":
            return gettext(language, "That time is not valid. Use the form HH:MM.")
        case "mode":
            return gettext(language, "Choose office, home, anywhere, leave, duty travel or no plan.")
        case "employee" | "employee_id":
            return gettext(language, "That is not a valid employee.")
        case "booking_id":
            return gettext(language, "That booking could not be found. Reload the page and try again.")
    return gettext(language, "Please check the form and try again.")


def http_error_text(language: Language, exc: HTTPException) -> str:
    match exc.status_code:
        case 403:
            return gettext(
                language,
                "This form has expired or did not come from this site. Go back, reload the page and try again.",
            )
        case 404:
            return gettext(language, "There is no page at this address.")
        case 400:
            return gettext(language, "The request could not be understood.")
    return gettext(language, "Please try again in a moment.")


T = TypeVar("T")


async def attempt(action: Awaitable[T], language: Language) -> T | PageError:
    """What ``action`` answers, or the :class:`PageError` for the domain error (or malformed form field) it
    raised: for a form handler that shows the failure on its own page rather than on ``error.html``."""
    try:
        return await action
    except (DomainError, FormError) as exc:
        return PageError.of(exc, language)


def error_page(error: PageError, headers: dict[str, str] | None = None) -> Template:
    return Template(template_name="error.html", context={"error": error}, status_code=error.status, headers=headers)


def render_domain_error(request: Request[Any, Any, Any], exc: Exception) -> Template:
    assert isinstance(exc, DomainError | FormError)
    return error_page(PageError.of(exc, language_of(request)))


def render_http_error(request: Request[Any, Any, Any], exc: Exception) -> Template:
    """Framework errors on the pages' routes, above all a failed CSRF check (403), as a page, not JSON."""
    assert isinstance(exc, HTTPException)
    return error_page(PageError.of_http(exc, language_of(request)))


def render_unexpected(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """Anything else: "busy, try again" (503, ``Retry-After``) as a page when no database connection could be had
    (smartoffice.busy), else what litestar answers for a fault."""
    busy = busy_from(exc)
    if busy is not None:
        return error_page(PageError.busy(language_of(request)), {"Retry-After": str(busy.retry_after)})
    if isinstance(exc, HTTPException):
        return render_http_error(request, exc)
    return fault_response(request, exc)


def busy_response(busy: ServiceBusy) -> Response[dict[str, Any]]:
    """The same answer for routes other than the pages (and the GraphQL doors, which answer in GraphQL)."""
    return Response(
        {"status_code": HTTP_503_SERVICE_UNAVAILABLE, "detail": "Service busy, try again.", "code": BUSY_CODE},
        status_code=HTTP_503_SERVICE_UNAVAILABLE,
        headers={"Retry-After": str(busy.retry_after)},
    )


def fault_response(request: Request[Any, Any, Any], exc: Exception) -> Response[Any]:
    """What litestar itself answers for an unhandled exception (a traceback page in debug mode)."""
    if request.app.debug and not isinstance(exc, HTTPException):
        return create_debug_response(request, exc)
    return create_exception_response(request, exc)


EXCEPTION_HANDLERS = {
    DomainError: render_domain_error,
    FormError: render_domain_error,
    HTTPException: render_http_error,
    HTTP_500_INTERNAL_SERVER_ERROR: render_unexpected,
}
