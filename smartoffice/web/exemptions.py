"""Exemption pages: a person asks for remote days beyond the policy (special circumstances) and follows the request;
their direct supervisor recommends; the head of their unit decides.

- ``/exemptions``: one's own requests with where each is, and the request form (multipart: the evidence file, PDF,
  PNG or JPEG up to 5 MB, checked by :mod:`smartoffice.policies.evidence`). A refused request shows the form again
  with what was typed (a long reason is not lost to a redirect; the file must be chosen again); an accepted one
  redirects (303) to its page. The form carries an idempotency key: sending it twice makes one request.
- ``/exemptions/queue``: what waits for the visitor: requests to recommend (as direct supervisor) and to decide
  (as unit head or administrator), each with its reason, work plan, evidence and the recommendation, and the forms.
- ``/exemptions/{id}``: one request, for the person, their supervisor, a unit manager over them and administrators;
  the forms the visitor may use on it. ``/exemptions/{id}/withdraw`` asks before withdrawing.
- ``/exemptions/{id}/evidence``: the file, always as a download (``Content-Disposition: attachment``, the stored
  type, ``nosniff``, a sandboxing ``Content-Security-Policy``), never shown inline.

The recommendation, decision and withdrawal forms redirect (303) back with a notice, or with the error shown once
(``web/flash.py``). Who may do what is the policy service's to decide (:mod:`smartoffice.policies.exemptions`).
"""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get, post
from litestar.datastructures import UploadFile
from litestar.exceptions.http_exceptions import RequestEntityTooLarge
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from smartoffice.db import is_storable_id
from smartoffice.errors import DomainError, NotFound
from smartoffice.i18n import Language, gettext
from smartoffice.policies.evidence import MAX_EVIDENCE_BYTES, EvidenceFile, checked_evidence
from smartoffice.policies.exemptions import MAX_TEXT, ExemptionDetails, ExemptionRequest
from smartoffice.policies.models import ExemptionStatus
from smartoffice.runtime import runtime_of
from smartoffice.web.context import Viewer, acting_employee_id, current_viewer
from smartoffice.web.errors import PageError, error_page
from smartoffice.web.flash import see_other_with_error
from smartoffice.web.forms import FormError, idempotency_key, local_path, required_date, required_int
from smartoffice.web.identity import see_other
from smartoffice.web.language import language_of

PAGE = "/exemptions"
QUEUE = "/exemptions/queue"
DONE = ("requested", "withdrawn", "recommended", "approved", "rejected")
"""The notices the forms redirect with (``?done=``), worded in ``_exemption.html``."""
TEXT_FIELDS = ("reason", "evidence", "work_plan")
FIELDS = ("starts_on", "ends_on", "remote_days", *TEXT_FIELDS)


@dataclass(frozen=True, slots=True)
class Stage:
    """Where a request is, as the pages say it: a code (``data-stage``, and the words in ``_exemption.html``)."""

    code: str

    @classmethod
    def of(cls, details: ExemptionDetails) -> "Stage":
        exemption = details.exemption
        if exemption.status != ExemptionStatus.PENDING:
            return cls(exemption.status.value)
        if exemption.recommendation is None:
            has_supervisor = details.employee.supervisor_id is not None
            return cls("awaiting_recommendation" if has_supervisor else "awaiting_decision")
        return cls("recommended" if exemption.recommendation else "not_recommended")


def _row(details: ExemptionDetails) -> dict[str, Any]:
    return {"d": details, "e": details.exemption, "stage": Stage.of(details).code}


def _pick_identity(next_path: str) -> Redirect:
    return see_other("/?" + urlencode({"notice": "pick_identity", "next": next_path}))


def _done(value: str | None) -> str | None:
    return value if value in DONE else None


# the person's page and the request form


@get(PAGE, name="exemptions")
async def exemptions_page(request: Request[Any, Any, Any], done: FromQuery[str | None] = None) -> Template:
    viewer = await current_viewer(request)
    return await _my_page(request, viewer, done=_done(done))


async def _my_page(
    request: Request[Any, Any, Any],
    viewer: Viewer | None,
    *,
    done: str | None = None,
    error: PageError | None = None,
    values: dict[str, str] | None = None,
) -> Template:
    runtime = runtime_of(request)
    mine = await runtime.policies.exemptions_of(viewer.id) if viewer is not None else []
    today = runtime.policies.today()
    return Template(
        template_name="exemptions.html",
        context={
            "viewer": viewer,
            "nav_current": "exemptions",
            "rows": [_row(details) for details in mine],
            "done": done,
            "error": error,
            "values": values or {},
            "today": today,
            "max_mb": MAX_EVIDENCE_BYTES // 1024 // 1024,
            "max_text": MAX_TEXT,
        },
        status_code=error.status if error else 200,
    )


def _too_large(request: Request[Any, Any, Any], _exc: Exception) -> Response[Any]:
    language = language_of(request)
    text = gettext(
        language,
        "The evidence file is larger than %(max_mb)s MB. Upload a smaller file.",
        max_mb=MAX_EVIDENCE_BYTES // 1024 // 1024,
    )
    return error_page(PageError(413, "EVIDENCE_TOO_LARGE", gettext(language, "Please check and try again"), text))


@post(
    PAGE,
    name="request-exemption",
    request_max_body_size=MAX_EVIDENCE_BYTES + 64 * 1024,  # the file and the form's few text fields
    exception_handlers={RequestEntityTooLarge: _too_large},
)
async def request_exemption(request: Request[Any, Any, Any]) -> Template | Redirect:
    form = await request.form()
    language = language_of(request)
    viewer = await current_viewer(request)
    if viewer is None:
        return _pick_identity(PAGE)
    values = {name: value for name in FIELDS if isinstance(value := form.get(name), str)}
    try:
        evidence = await _evidence(form.get("evidence_file"))
        exemption_request = ExemptionRequest(
            employee_id=viewer.id,
            remote_days_per_week=required_int(values.get("remote_days"), "remote_days"),
            starts_on=required_date(values.get("starts_on"), "starts_on"),
            ends_on=required_date(values.get("ends_on"), "ends_on"),
            reason=values.get("reason", ""),
            evidence=values.get("evidence", ""),
            work_plan=values.get("work_plan", ""),
        )
        details = await runtime_of(request).policies.request_exemption(
            viewer.id, exemption_request, evidence, idempotency_key=idempotency_key(form)
        )
    except FormError as exc:
        return await _my_page(request, viewer, error=_form_error(exc, language), values=values)
    except DomainError as exc:
        return await _my_page(request, viewer, error=PageError.of(exc, language), values=values)
    return see_other(f"{PAGE}/{details.exemption.id}?done=requested")


async def _evidence(upload: object) -> EvidenceFile | None:
    """The checked file, or None when no file was chosen (a browser sends an empty part without a name)."""
    if not isinstance(upload, UploadFile) or not upload.filename:
        return None
    content = await upload.read()
    return checked_evidence(upload.filename, content)


def _form_error(exc: FormError, language: Language) -> PageError:
    title = gettext(language, "Please check and try again")
    match exc.field:
        case "starts_on":
            text = gettext(language, "Enter the first day as a date (YYYY-MM-DD).")
        case "ends_on":
            text = gettext(language, "Enter the last day as a date (YYYY-MM-DD).")
        case "remote_days":
            text = gettext(language, "Choose how many remote days a week, from 1 to 5.")
        case "decision" | "recommend":
            text = gettext(language, "Choose one of the buttons of the form.")
        case _:
            return PageError.of(exc, language)
    return PageError(422, exc.code, title, text)


# one request


async def _case_or_404(request: Request[Any, Any, Any], viewer: Viewer, exemption_id: int) -> Any:
    if not is_storable_id(exemption_id):
        raise NotFound("Exemption", exemption_id)
    return await runtime_of(request).policies.exemption_case(viewer.id, exemption_id)


@get(PAGE + "/{exemption_id:int}", name="exemption")
async def exemption_page(
    request: Request[Any, Any, Any], exemption_id: FromPath[int], done: FromQuery[str | None] = None
) -> Template | Redirect:
    viewer = await current_viewer(request)
    if viewer is None:
        return _pick_identity(f"{PAGE}/{exemption_id}")
    case = await _case_or_404(request, viewer, exemption_id)
    return Template(
        template_name="exemption_detail.html",
        context={
            "viewer": viewer,
            "nav_current": "exemptions",
            "case": case,
            "row": _row(case.details),
            "done": _done(done),
            "return_to": f"{PAGE}/{exemption_id}",
        },
    )


@get(PAGE + "/{exemption_id:int}/evidence", name="exemption-evidence")
async def exemption_evidence(request: Request[Any, Any, Any], exemption_id: FromPath[int]) -> Response[bytes]:
    """The evidence file as a download: for the person, their supervisor, a unit manager over them, admins."""
    employee_id = acting_employee_id(request)
    if employee_id is None or not is_storable_id(exemption_id):
        raise NotFound("Exemption", exemption_id)
    evidence = await runtime_of(request).policies.exemption_evidence(employee_id, exemption_id)
    return Response(
        evidence.content,
        media_type=evidence.content_type,
        headers={
            "Content-Disposition": f'attachment; filename="{evidence.file_name}"',
            "X-Content-Type-Options": "nosniff",
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, no-store",
        },
    )


@get(PAGE + "/{exemption_id:int}/withdraw", name="confirm-withdraw-exemption")
async def confirm_withdraw(request: Request[Any, Any, Any], exemption_id: FromPath[int]) -> Template | Redirect:
    viewer = await current_viewer(request)
    if viewer is None:
        return _pick_identity(PAGE)
    case = await _case_or_404(request, viewer, exemption_id)
    return Template(
        template_name="exemption_withdraw.html",
        context={"viewer": viewer, "nav_current": "exemptions", "case": case, "row": _row(case.details)},
    )


@post(PAGE + "/{exemption_id:int}/withdraw", name="withdraw-exemption")
async def withdraw(request: Request[Any, Any, Any], exemption_id: FromPath[int]) -> Redirect:
    viewer_id = acting_employee_id(request)
    if viewer_id is None:
        return _pick_identity(PAGE)
    try:
        if not is_storable_id(exemption_id):
            raise NotFound("Exemption", exemption_id)
        await runtime_of(request).policies.withdraw_exemption(viewer_id, exemption_id, via="page")
    except DomainError as exc:
        return see_other_with_error(request, PAGE, PageError.of(exc, language_of(request)))
    return see_other(f"{PAGE}?done=withdrawn#exemption-{exemption_id}")


# the supervisor's recommendation and the head's decision


@get(QUEUE, name="exemption-queue")
async def queue_page(request: Request[Any, Any, Any], done: FromQuery[str | None] = None) -> Template:
    viewer = await current_viewer(request)
    to_recommend: list[ExemptionDetails] = []
    to_decide: list[ExemptionDetails] = []
    if viewer is not None:
        to_recommend, to_decide = await runtime_of(request).policies.exemption_queue(viewer.id)
    return Template(
        template_name="exemption_queue.html",
        context={
            "viewer": viewer,
            "nav_current": "exemptions",
            "to_recommend": [_row(details) for details in to_recommend],
            "to_decide": [_row(details) for details in to_decide],
            "done": _done(done),
            "return_to": QUEUE,
        },
    )


@post(PAGE + "/{exemption_id:int}/recommendation", name="recommend-exemption")
async def recommend(request: Request[Any, Any, Any], exemption_id: FromPath[int]) -> Redirect:
    form = await request.form()
    return_to = local_path(_text(form.get("return_to")), QUEUE)
    viewer_id = acting_employee_id(request)
    if viewer_id is None:
        return _pick_identity(return_to)
    choice = form.get("recommend")
    try:
        if choice not in ("yes", "no"):
            raise FormError("recommend", "invalid_recommend")
        if not is_storable_id(exemption_id):
            raise NotFound("Exemption", exemption_id)
        await runtime_of(request).policies.recommend_exemption(
            viewer_id, exemption_id, recommend=choice == "yes", note=_text(form.get("note")), via="page"
        )
    except (DomainError, FormError) as exc:
        return see_other_with_error(request, return_to, _error(exc, language_of(request)))
    return see_other(_with_done(return_to, "recommended"))


@post(PAGE + "/{exemption_id:int}/decision", name="decide-exemption")
async def decide(request: Request[Any, Any, Any], exemption_id: FromPath[int]) -> Redirect:
    form = await request.form()
    return_to = local_path(_text(form.get("return_to")), QUEUE)
    viewer_id = acting_employee_id(request)
    if viewer_id is None:
        return _pick_identity(return_to)
    decision = form.get("decision")
    try:
        if decision not in ("approve", "reject"):
            raise FormError("decision", "invalid_decision")
        if not is_storable_id(exemption_id):
            raise NotFound("Exemption", exemption_id)
        await runtime_of(request).policies.decide_exemption(
            viewer_id,
            exemption_id,
            approve=decision == "approve",
            note=_text(form.get("note")),
            overrides_discipline=form.get("overrides_discipline") == "on",
            via="page",
        )
    except (DomainError, FormError) as exc:
        return see_other_with_error(request, return_to, _error(exc, language_of(request)))
    return see_other(_with_done(return_to, "approved" if decision == "approve" else "rejected"))


def _error(exc: DomainError | FormError, language: Language) -> PageError:
    return _form_error(exc, language) if isinstance(exc, FormError) else PageError.of(exc, language)


def _text(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _with_done(path: str, done: str) -> str:
    base = path.split("?", 1)[0].split("#", 1)[0]
    return f"{base}?done={done}"


EXEMPTION_ROUTES = [
    exemptions_page,
    request_exemption,
    queue_page,
    exemption_page,
    exemption_evidence,
    confirm_withdraw,
    withdraw,
    recommend,
    decide,
]
