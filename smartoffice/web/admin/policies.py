"""``/admin/policies``: the office-day policies for HR (administrators) and unit managers: the policies in force on
a day (default today), upcoming and recently ended, filtered by level and organisation; setting a policy with a
preview of whom it affects and how their weeks change; ending one, with the same preview.

Administrators see and may set every policy; a unit manager sees the policies reaching their units and sets (and
ends) UNIT or INDIVIDUAL policies inside them, never overlays (:mod:`~smartoffice.policies.catalogue`,
:func:`~smartoffice.policies.policy_changes.create_policy`). Everyone else gets the permission-denied page.

Setting one takes three steps without JavaScript: the form (``GET /admin/policies/new``), the preview (``POST
/admin/policies/preview``: the page shows what the service would do and changes nothing), and the confirmation
(``POST /admin/policies``, with an idempotency key: sent twice, it sets one policy). A refusal at any step goes
back to the form (post/redirect/get, :mod:`smartoffice.web.flash`) with what was typed kept in the session.
Ending: ``GET /admin/policies/{id}/end?last_day=`` previews, ``POST`` the same path ends it.
"""

from datetime import timedelta
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_404_NOT_FOUND, HTTP_422_UNPROCESSABLE_ENTITY

from smartoffice.errors import DomainError, InvalidInput, NotFound, PermissionDenied
from smartoffice.i18n import N_, Language, gettext
from smartoffice.labels import EMPLOYMENT_TYPES, POSITION_KINDS, label
from smartoffice.policies.catalogue import ScopeNames
from smartoffice.policies.errors import PolicyPermissionCode
from smartoffice.policies.models import LocationKind, PolicyLevel
from smartoffice.policies.policy_changes import MAX_TEXT, PolicyDraft
from smartoffice.policies.rule_words import describe, rule_hint, rule_label
from smartoffice.runtime import runtime_of
from smartoffice.web.admin.access import StaffVisitor, staff_visitor
from smartoffice.web.admin.policy_form import (
    LEVEL_NAMES,
    RuleFieldError,
    draft_of,
    hidden_fields,
    option_label,
    read_form,
    rule_groups,
)
from smartoffice.web.errors import PageError
from smartoffice.web.flash import see_other_with_error
from smartoffice.web.forms import FormError, idempotency_key, optional_date, optional_int
from smartoffice.web.identity import see_other
from smartoffice.web.language import language_of

VIA = "page"
DONE = ("created", "ended")
FORM_KEY = "policy_form"
"""Where a refused form waits in the session for the form page to show it again (post/redirect/get)."""
NEW = "/admin/policies/new"

FIELD_OF_INPUT = {
    "code": "code",
    "name": "name",
    "legalBasis": "legal_basis",
    "setBy": "set_by",
    "effectiveUntil": "effective_until",
    "effectiveFrom": "effective_from",
    "lastDay": "last_day",
}
"""A domain error's field (the API's name) → the form field it marks."""
SCOPE_FIELDS = {
    "Organisation": "scope_organisation",
    "OrgUnit": "scope_unit",
    "Building": "scope_building",
    "Employee": "scope_person",
}


async def policy_visitor(request: Request[Any, Any, Any]) -> StaffVisitor:
    """An administrator or a unit manager; anyone else is refused (``NOT_YOUR_POLICY``)."""
    staff = await staff_visitor(request)
    if not (staff.is_admin or staff.managed_unit_ids):
        raise PermissionDenied(PolicyPermissionCode.NOT_YOUR_POLICY)
    return staff


# the list


@get("/admin/policies", name="admin-policies")
async def admin_policies(
    request: Request[Any, Any, Any],
    day: FromQuery[str | None] = None,
    level: FromQuery[str | None] = None,
    organisation: FromQuery[str | None] = None,
    done: FromQuery[str | None] = None,
) -> Template:
    staff = await policy_visitor(request)
    language = language_of(request)
    service = runtime_of(request).policies
    error = None
    try:
        chosen_day = optional_date(day, "date")
        organisation_id = optional_int(organisation, "organisation")
    except FormError as exc:
        chosen_day, organisation_id, error = None, None, PageError.of(exc, language)
    chosen_level = LEVEL_NAMES.get(level or "")
    listed = await service.policy_catalogue(staff.id, chosen_day, level=chosen_level, organisation_id=organisation_id)
    return Template(
        template_name="admin/policies.html",
        context={
            **_frame(staff),
            "listed": listed,
            "filters": {
                "day": listed.day.isoformat(),
                "level": level if chosen_level else "",
                "organisation": organisation_id,
            },
            "levels": list(PolicyLevel),
            "done": done if done in DONE else None,
            "error": error,
            **_words(language),
        },
        status_code=error.status if error else 200,
    )


# setting a policy


@get(NEW, name="admin-policies-new")
async def new_policy(request: Request[Any, Any, Any]) -> Template:
    staff = await policy_visitor(request)
    kept = _take_form(request)
    service = runtime_of(request).policies
    choices = await service.policy_form_choices(staff.id)
    form = kept.get("form") or {
        "effective_from": service.today().isoformat(),
        "level": "unit" if not staff.is_admin else "agency",
    }
    return Template(
        template_name="admin/policies_form.html",
        context={
            **_frame(staff),
            "form": form,
            "error_field": kept.get("field"),
            "choices": choices,
            "groups": rule_groups(),
            "position_kinds": list(POSITION_KINDS.items()),
            "employment_types": list(EMPLOYMENT_TYPES.items()),
            **_words(language_of(request)),
        },
    )


@post("/admin/policies/preview", name="admin-policies-preview")
async def preview_policy(request: Request[Any, Any, Any]) -> Template | Redirect:
    staff = await policy_visitor(request)
    language = language_of(request)
    form = read_form(await request.form())
    try:
        draft = await _draft(request, form)
        preview = await runtime_of(request).policies.preview_policy(staff.id, draft)
    except (DomainError, FormError, RuleFieldError, _NoSuchPerson) as exc:
        return _back_to_form(request, form, exc, language)
    return Template(
        template_name="admin/policies_preview.html",
        context={
            **_frame(staff),
            "preview": preview,
            "hidden": hidden_fields(form),
            "rules": describe(language, preview.policy.rules),
            **_words(language),
        },
    )


@post("/admin/policies/edit", name="admin-policies-edit")
async def edit_policy_form(request: Request[Any, Any, Any]) -> Redirect:
    """The preview's "Change" button: back to the form with what was entered."""
    await policy_visitor(request)
    _keep_form(request, read_form(await request.form()), None)
    return see_other(NEW)


@post("/admin/policies", name="admin-policies-create")
async def create_policy(request: Request[Any, Any, Any]) -> Redirect:
    staff = await policy_visitor(request)
    language = language_of(request)
    data = await request.form()
    form = read_form(data)
    try:
        draft = await _draft(request, form)
        await runtime_of(request).policies.create_policy_once(
            staff.id, draft, via=VIA, idempotency_key=idempotency_key(data)
        )
    except (DomainError, FormError, RuleFieldError, _NoSuchPerson) as exc:
        return _back_to_form(request, form, exc, language)
    return see_other("/admin/policies?" + urlencode({"done": "created"}))


# ending a policy


@get("/admin/policies/{policy_id:int}/end", name="admin-policies-end-confirm")
async def confirm_end(
    request: Request[Any, Any, Any], policy_id: FromPath[int], last_day: FromQuery[str | None] = None
) -> Template:
    staff = await policy_visitor(request)
    language = language_of(request)
    service = runtime_of(request).policies
    row = await service.policy_row(staff.id, policy_id)
    preview, error = None, None
    try:
        day = optional_date(last_day, "last_day") or service.today()
        preview = await service.preview_end_policy(staff.id, policy_id, day)
    except (DomainError, FormError) as exc:
        if isinstance(exc, NotFound | PermissionDenied):
            raise
        day, error = service.today(), _page_error(exc, language)
    return Template(
        template_name="admin/policies_end.html",
        context={
            **_frame(staff),
            "row": row,
            "rules": describe(language, row.rules),
            "last_day": last_day if error else day.isoformat(),
            "preview": preview,
            "error": error,
            **_words(language),
        },
        status_code=error.status if error else 200,
    )


@post("/admin/policies/{policy_id:int}/end", name="admin-policies-end")
async def end_policy(request: Request[Any, Any, Any], policy_id: FromPath[int]) -> Redirect:
    staff = await policy_visitor(request)
    language = language_of(request)
    data = await request.form()
    text = str(data.get("last_day") or "")
    back = f"/admin/policies/{policy_id}/end?" + urlencode({"last_day": text})
    try:
        day = optional_date(text, "last_day")
        if day is None:
            raise FormError("last_day", "missing_last_day")
        await runtime_of(request).policies.end_policy(staff.id, policy_id, day, via=VIA)
    except (DomainError, FormError) as exc:
        if isinstance(exc, NotFound):
            raise
        return see_other_with_error(request, back, _page_error(exc, language))
    return see_other("/admin/policies?" + urlencode({"done": "ended"}))


# helpers


class _NoSuchPerson(Exception):
    def __init__(self, nip: str) -> None:
        super().__init__(nip)
        self.nip = nip


async def _draft(request: Request[Any, Any, Any], form: dict[str, str]) -> PolicyDraft:
    parts = draft_of(form)
    if parts.person_nip is None:
        return parts.draft
    employee_id = await runtime_of(request).policies.employee_id_by_nip(parts.person_nip)
    if employee_id is None:
        raise _NoSuchPerson(parts.person_nip)
    return PolicyDraft(**{**_fields(parts.draft), "scope": {**parts.draft.scope, "employee_id": employee_id}})


def _fields(draft: PolicyDraft) -> dict[str, Any]:
    return {name: getattr(draft, name) for name in PolicyDraft.__dataclass_fields__}


def _back_to_form(
    request: Request[Any, Any, Any], form: dict[str, str], exc: Exception, language: Language
) -> Redirect:
    _keep_form(request, form, _field_of(exc))
    return see_other_with_error(request, NEW, _page_error(exc, language))


def _field_of(exc: Exception) -> str | None:
    if isinstance(exc, RuleFieldError):
        return "rule." + exc.path
    if isinstance(exc, FormError):
        return exc.field
    if isinstance(exc, _NoSuchPerson):
        return "scope_person"
    if isinstance(exc, NotFound):
        return SCOPE_FIELDS.get(exc.kind)
    if isinstance(exc, InvalidInput):
        return FIELD_OF_INPUT.get(exc.field)
    return None


FORM_TEXTS = {
    "level": N_("Choose the level of the policy."),
    "effective_from": N_("Choose the first day in force (YYYY-MM-DD)."),
    "effective_until": N_("The last day is not a valid date. Use the form YYYY-MM-DD."),
    "last_day": N_("Choose the last day in force (YYYY-MM-DD)."),
    "scope_organisation": N_("Choose an organisation from the list."),
    "scope_unit": N_("Choose a unit from the list."),
    "scope_building": N_("Choose a building from the list."),
    "scope_position_kind": N_("Choose a kind of post from the list."),
    "scope_employment_type": N_("Choose an employment type from the list."),
}


def _page_error(exc: Exception, language: Language) -> PageError:
    title = gettext(language, "Please check and try again")
    if isinstance(exc, RuleFieldError):
        return PageError(HTTP_422_UNPROCESSABLE_ENTITY, "invalid_rule", title, exc.text(language))
    if isinstance(exc, _NoSuchPerson):
        text = gettext(language, "No employee has the NIP %(nip)s.", nip=exc.nip)
        return PageError(HTTP_404_NOT_FOUND, "NOT_FOUND", gettext(language, "Not found"), text)
    if isinstance(exc, FormError) and exc.field in FORM_TEXTS:
        return PageError(HTTP_422_UNPROCESSABLE_ENTITY, exc.code, title, gettext(language, FORM_TEXTS[exc.field]))
    assert isinstance(exc, DomainError | FormError)
    return PageError.of(exc, language)


def _keep_form(request: Request[Any, Any, Any], form: dict[str, str], field: str | None) -> None:
    """Each value is cut to just over the longest text a policy takes, so that the error still shows while the
    signed session cookie stays a few kilobytes."""
    kept = {"form": {name: value[: MAX_TEXT + 1] for name, value in form.items()}, "field": field}
    session = request.scope.get("session")
    if isinstance(session, dict):
        session[FORM_KEY] = kept
    else:
        request.set_session({FORM_KEY: kept})


def _take_form(request: Request[Any, Any, Any]) -> dict[str, Any]:
    session = request.scope.get("session")
    if not isinstance(session, dict):
        return {}
    kept = session.pop(FORM_KEY, None)
    if not isinstance(kept, dict) or not isinstance(kept.get("form"), dict):
        return {}
    return {"form": {str(k): str(v) for k, v in kept["form"].items()}, "field": kept.get("field")}


def _frame(staff: StaffVisitor) -> dict[str, Any]:
    return {"staff": staff, "viewer": staff.viewer, "admin_current": "policies", "nav_current": "admin"}


def _words(language: Language) -> dict[str, Any]:
    """What the templates use to put rules, scopes and choices into words."""
    return {
        "rule_label": lambda path: rule_label(language, path),
        "describe_rules": lambda rules: describe(language, rules),
        "rule_hint": lambda path: rule_hint(language, path),
        "option_label": lambda member: option_label(language, member),
        "scope_words": lambda policy, names: scope_words(language, policy, names),
        "level_words": lambda level: level_words(language, level),
        "location_kinds": list(LocationKind),
        "one_day": timedelta(days=1),
    }


def level_words(language: Language, level: int) -> str:
    return label(language, PolicyLevel(level))


def scope_words(language: Language, policy: Any, names: ScopeNames) -> list[str]:
    """Whom a policy (a row or a PolicyView) covers, one line per scope column set; "Everyone" if none is."""
    lines = []
    if policy.organisation_id is not None:
        lines.append(gettext(language, "Organisation: %(name)s", name=names.organisation or policy.organisation_id))
    if policy.org_unit_id is not None:
        lines.append(gettext(language, "Unit: %(name)s and its sub-units", name=names.unit or policy.org_unit_id))
    if policy.position_kind is not None:
        lines.append(gettext(language, "Post: %(kind)s", kind=gettext(language, POSITION_KINDS[policy.position_kind])))
    if policy.position_level is not None:
        lines.append(gettext(language, "Post level: %(level)s", level=policy.position_level))
    if policy.employment_type is not None:
        kind = gettext(language, EMPLOYMENT_TYPES[policy.employment_type])
        lines.append(gettext(language, "Employment: %(kind)s", kind=kind))
    if policy.building_id is not None:
        lines.append(gettext(language, "Building: %(name)s", name=names.building or policy.building_id))
    if policy.employee_id is not None:
        person = f"{names.person} ({names.person_nip})" if names.person else str(policy.employee_id)
        lines.append(gettext(language, "Person: %(name)s", name=person))
    return lines or [gettext(language, "Everyone")]


POLICY_ROUTES = [
    admin_policies,
    new_policy,
    preview_policy,
    edit_policy_form,
    create_policy,
    confirm_end,
    end_policy,
]
