"""A unit's anchor days (``/units/{id}/anchor-days``): the weekdays its people meet in the office, for its managers
and admins.

The page shows the anchor days in force today (or those the unit inherits from a unit above) and any scheduled
from a later day; its form picks weekdays and the day they start (default: next Monday). The form first asks
for a review (a GET: nothing changes), which says what changes and what it replaces; confirming posts to the same
address, which sets them through :meth:`PolicyService.set_anchor_days` (audited there, ``via="page"``) and comes
back here (post/redirect/get) with the result, or with the error.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from smartoffice import formats
from smartoffice.db import is_storable_id
from smartoffice.errors import CommonInputCode, DomainError, InvalidInput, NotFound
from smartoffice.i18n import Language, gettext
from smartoffice.policies.unit_days import AnchorSchedule
from smartoffice.runtime import runtime_of
from smartoffice.web.compliance import UnitHead
from smartoffice.web.context import acting_employee_id, current_viewer
from smartoffice.web.errors import PageError
from smartoffice.web.flash import see_other_with_error
from smartoffice.web.forms import FormError, optional_date
from smartoffice.web.identity import see_other
from smartoffice.web.language import language_of
from smartoffice.web.unit_links import unit_url

WEEKDAYS = range(5)


@dataclass(frozen=True, slots=True)
class Review:
    """What confirming the form would change."""

    weekdays: tuple[int, ...]
    effective_from: date
    new_words: str
    before_words: str
    replaces: Sequence[str]
    """Scheduled sets that start on or after the day, which the change replaces (in words)."""


@dataclass(frozen=True, slots=True)
class AnchorPage:
    head: UnitHead
    current: str | None
    """The anchor days in force today, in words (None: none of its own)."""
    inherited: str | None
    """The unit above whose anchor days apply, and they (when the unit has none of its own)."""
    scheduled: Sequence[tuple[date, str]]
    checked: frozenset[int]
    effective_from: date
    weekdays: Sequence[tuple[int, str]]
    review: Review | None
    saved: str | None


@get("/units/{unit_id:int}/anchor-days", name="unit-anchor-days")
async def anchor_days_page(
    request: Request[Any, Any, Any],
    unit_id: FromPath[int],
    review: FromQuery[str | None] = None,
    effective_from: FromQuery[str | None] = None,
    saved: FromQuery[str | None] = None,
) -> Template:
    language = language_of(request)
    if not is_storable_id(unit_id):
        raise NotFound("OrgUnit", unit_id)
    viewer = await current_viewer(request)
    page, error = None, None
    if viewer is not None:
        runtime = runtime_of(request)
        schedule = await runtime.policies.anchor_schedule(viewer.id, unit_id)
        chosen: frozenset[int] | None = None
        start = None
        try:
            if review:
                chosen = _weekdays(request.query_params.getall("weekdays", []))
                start = optional_date(effective_from, "effective_from")
                if start is not None and start < schedule.today:
                    raise InvalidInput("effectiveFrom", CommonInputCode.PAST_DAY)
        except (FormError, DomainError) as exc:
            error, chosen = PageError.of(exc, language), None
        page = anchor_page(language, schedule, chosen, start, _quiet_date(saved))
    return Template(
        template_name="anchor_days.html",
        context={
            "page": page,
            "viewer": viewer,
            "error": error,
            "identity_next": unit_url(unit_id, "anchor-days"),
        },
        status_code=error.status if error else 200,
    )


@post("/units/{unit_id:int}/anchor-days", name="set-unit-anchor-days")
async def set_anchor_days(request: Request[Any, Any, Any], unit_id: FromPath[int]) -> Redirect:
    form = await request.form()
    language = language_of(request)
    back = unit_url(unit_id, "anchor-days")
    viewer_id = acting_employee_id(request)
    if viewer_id is None:
        return see_other("/?" + urlencode({"notice": "pick_identity", "next": back}))
    try:
        if not is_storable_id(unit_id):
            raise NotFound("OrgUnit", unit_id)
        weekdays = _weekdays(form.getall("weekdays") if "weekdays" in form else [])
        start = optional_date(form.get("effective_from"), "effective_from")
        if start is None:
            raise FormError("effective_from", "missing_effective_from")
        await runtime_of(request).policies.set_anchor_days(viewer_id, unit_id, sorted(weekdays), start, via="page")
    except (DomainError, FormError) as exc:
        return see_other_with_error(request, back, PageError.of(exc, language))
    return see_other(unit_url(unit_id, "anchor-days", saved=start) + "#saved")


def anchor_page(
    language: Language,
    schedule: AnchorSchedule,
    chosen: frozenset[int] | None,
    start: date | None,
    saved: date | None,
) -> AnchorPage:
    today = schedule.today
    next_monday = today + timedelta(days=7 - today.weekday())
    effective_from = start or next_monday
    current = schedule.current
    latest = schedule.scheduled[-1] if schedule.scheduled else current
    inherited = None
    if schedule.inherited_from is not None:
        inherited = gettext(
            language,
            "None of its own: those of %(unit)s apply (%(days)s).",
            unit=schedule.inherited_from.name,
            days=days_in_words(language, schedule.inherited),
        )
    review = None
    if chosen is not None:
        before = next(
            (
                s
                for s in reversed([*([current] if current else []), *schedule.scheduled])
                if s.effective_from < effective_from
            ),
            None,
        )
        review = Review(
            weekdays=tuple(sorted(chosen)),
            effective_from=effective_from,
            new_words=days_in_words(language, sorted(chosen)),
            before_words=days_in_words(language, before.weekdays if before else ()),
            replaces=[
                gettext(
                    language,
                    "From %(day)s: %(days)s",
                    day=formats.long_date(language, s.effective_from),
                    days=days_in_words(language, s.weekdays),
                )
                for s in schedule.scheduled
                if s.effective_from >= effective_from
            ],
        )
    saved_words = None
    if saved is not None:
        in_force = next((s for s in schedule.scheduled if s.effective_from == saved), None)
        if in_force is None and current is not None and current.effective_from == saved:
            in_force = current
        saved_words = gettext(
            language,
            "Saved: from %(day)s the anchor days are %(days)s.",
            day=formats.long_date(language, saved),
            days=days_in_words(language, in_force.weekdays if in_force else ()),
        )
    unit = schedule.unit
    head = UnitHead(unit.id, unit.name, None, None, [], today - timedelta(days=today.weekday()), "anchor-days")
    return AnchorPage(
        head=head,
        current=days_in_words(language, current.weekdays) if current else None,
        inherited=inherited,
        scheduled=[(s.effective_from, days_in_words(language, s.weekdays)) for s in schedule.scheduled],
        checked=chosen if chosen is not None else frozenset(latest.weekdays if latest else ()),
        effective_from=effective_from,
        weekdays=[(n, formats.weekday(language, n)) for n in WEEKDAYS],
        review=review,
        saved=saved_words,
    )


def days_in_words(language: Language, weekdays: Sequence[int] | tuple[int, ...]) -> str:
    if not weekdays:
        return gettext(language, "no anchor days")
    return ", ".join(formats.weekday(language, n) for n in sorted(weekdays))


def _weekdays(values: Sequence[Any]) -> frozenset[int]:
    """The checked weekday numbers (0 = Monday … 4 = Friday); anything else is the visitor's mistake."""
    chosen = set()
    for value in values:
        if not isinstance(value, str) or value.strip() not in {str(n) for n in WEEKDAYS}:
            raise FormError("weekdays", "invalid_weekdays")
        chosen.add(int(value))
    return frozenset(chosen)


def _quiet_date(value: str | None) -> date | None:
    try:
        return optional_date(value, "saved")
    except FormError:
        return None
