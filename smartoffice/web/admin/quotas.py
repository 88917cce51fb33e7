"""``/admin/quotas``: the seat quotas of the places the visitor manages, setting one, removing one after a
confirmation step.

A quota gives an organisation or a unit a share of a building, floor or zone on a weekday ("Kementerian PUPR: 120
seats of Tower 2 · Floor 3 on Tuesdays"); the page says what that means (``quotas/enforcement.py``). The table
groups the quotas by place; each row shows the seats booked on the next day of its weekday, and each place's shares
per weekday are added up against its desks (a total above the desks is allowed, and marked). The form sets a
holder's seats of a place on several weekdays at once. Set and remove are POSTs answered with a redirect
(post/redirect/get); a refusal (:class:`~smartoffice.quotas.service.QuotaService`'s typed errors) is shown on the
page with what was sent, nothing written. The service audits each change, with the visitor as actor through
``page``.
"""

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any
from urllib.parse import urlencode
from zoneinfo import ZoneInfo

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery
from litestar.response import Redirect, Template

from smartoffice.audit.record import Actor
from smartoffice.bookings.place_changes import PlaceLevel, PlaceRef
from smartoffice.errors import DomainError
from smartoffice.formats import short_date, weekday
from smartoffice.i18n import Language, gettext
from smartoffice.quotas.holders import HolderKind, QuotaHolder
from smartoffice.quotas.service import QuotaShare, QuotaView
from smartoffice.runtime import runtime_of
from smartoffice.web.admin.access import StaffVisitor, facilities_visitor
from smartoffice.web.errors import PageError, form_page_error
from smartoffice.web.forms import FormError, optional_int
from smartoffice.web.identity import see_other
from smartoffice.web.language import language_of

VIA = "page"
"""The channel written to the audit log for changes made on these pages."""
LOCAL_ZONE = ZoneInfo("Asia/Makassar")
"""Whose "today" the usage column starts from (WITA, the offices' zone)."""
DONE = ("set", "removed")
FORM_FIELDS = ("holder", "place", "seats", "note", "exclusive")


@dataclass(frozen=True, slots=True)
class QuotaRow:
    quota: QuotaView
    weekday_name: str
    next_day: str
    """The next day on the quota's weekday (today included), as people read it."""
    booked: int | None


@dataclass(frozen=True, slots=True)
class PlaceTotal:
    weekday_name: str
    seats: int
    desks: int

    @property
    def over(self) -> bool:
        return self.seats > self.desks


@dataclass(frozen=True, slots=True)
class PlaceGroup:
    name: str
    desks: int
    rows: Sequence[QuotaRow]
    totals: Sequence[PlaceTotal]


@get("/admin/quotas", name="admin-quotas")
async def admin_quotas(request: Request[Any, Any, Any], done: FromQuery[str | None] = None) -> Template:
    staff = await facilities_visitor(request)
    return await render_quotas(request, staff, done=done if done in DONE else None)


@post("/admin/quotas", name="admin-quotas-set")
async def set_quota(request: Request[Any, Any, Any]) -> Template | Redirect:
    staff = await facilities_visitor(request)
    form = await request.form()
    language = language_of(request)
    values = {name: str(form.get(name) or "") for name in FORM_FIELDS}
    weekdays = [str(v) for v in form.getall("weekdays", [])]
    try:
        share = _share(values, weekdays)
        await runtime_of(request).quotas.set(Actor(staff.id, VIA), share)
    except (DomainError, FormError) as exc:
        error = _form_error(language, exc) if isinstance(exc, FormError) else PageError.of(exc, language)
        return await render_quotas(request, staff, error=error, form=values, form_weekdays=weekdays)
    return see_other("/admin/quotas?" + urlencode({"done": "set"}))


@get("/admin/quotas/{quota_id:int}/remove", name="admin-quotas-remove-confirm")
async def confirm_remove(request: Request[Any, Any, Any], quota_id: FromPath[int]) -> Template:
    """The confirmation step: which quota would be removed, and a button that does it."""
    staff = await facilities_visitor(request)
    language = language_of(request)
    quota = await runtime_of(request).quotas.get(staff.id, quota_id)
    return Template(
        template_name="admin/quotas_remove.html",
        context={**_frame(staff), "quota": quota, "weekday_name": weekday(language, quota.weekday - 1)},
    )


@post("/admin/quotas/{quota_id:int}/remove", name="admin-quotas-remove")
async def remove_quota(request: Request[Any, Any, Any], quota_id: FromPath[int]) -> Template | Redirect:
    staff = await facilities_visitor(request)
    try:
        await runtime_of(request).quotas.remove(Actor(staff.id, VIA), quota_id)
    except DomainError as exc:
        return await render_quotas(request, staff, error=PageError.of(exc, language_of(request)))
    return see_other("/admin/quotas?" + urlencode({"done": "removed"}))


QUOTA_ROUTES = [admin_quotas, set_quota, confirm_remove, remove_quota]


def _share(values: dict[str, str], weekdays: list[str]) -> QuotaShare:
    holder_kind, _, holder_id = values["holder"].partition("-")
    place_level, _, place_id = values["place"].partition("-")
    if holder_kind not in HolderKind._value2member_map_ or not holder_id.isdigit():
        raise FormError("holder", "missing_holder")
    if place_level not in ("building", "floor", "zone") or not place_id.isdigit():
        raise FormError("place", "missing_place")
    seats = optional_int(values["seats"], "seats")
    if seats is None:
        raise FormError("seats", "missing_seats")
    days = [optional_int(day, "weekdays") for day in weekdays]
    return QuotaShare(
        QuotaHolder(HolderKind(holder_kind), int(holder_id)),
        PlaceRef(PlaceLevel(place_level), int(place_id)),
        [d for d in days if d is not None],
        seats,
        values["note"],
        exclusive=values["exclusive"] == "on",
    )


def _form_error(language: Language, exc: FormError) -> PageError:
    texts = {
        "holder": gettext(language, "Choose the organisation or unit the share is given to."),
        "place": gettext(language, "Choose the building, floor or zone."),
        "seats": gettext(language, "Enter the number of seats, a whole number from 0."),
        "weekdays": gettext(language, "Choose the weekdays from the list."),
    }
    return form_page_error(language, exc, texts)


def _frame(staff: StaffVisitor) -> dict[str, Any]:
    return {"staff": staff, "viewer": staff.viewer, "admin_current": "quotas", "nav_current": "admin"}


async def render_quotas(
    request: Request[Any, Any, Any],
    staff: StaffVisitor,
    *,
    done: str | None = None,
    error: PageError | None = None,
    form: dict[str, str] | None = None,
    form_weekdays: Sequence[str] = (),
) -> Template:
    language = language_of(request)
    runtime = runtime_of(request)
    today = runtime.clock().astimezone(LOCAL_ZONE).date()
    usage = await runtime.quotas.usage(staff.id, today, today + timedelta(days=6))
    choices = await runtime.quotas.choices(staff.id)
    return Template(
        template_name="admin/quotas.html",
        context={
            **_frame(staff),
            "groups": _groups(language, usage),
            "choices": choices,
            "weekdays": [(n, weekday(language, n - 1)) for n in range(1, 8)],
            "done": done,
            "error": error,
            "form": form or {},
            "form_weekdays": set(form_weekdays),
        },
        status_code=error.status if error else 200,
    )


def _groups(language: Language, usage: Sequence[Any]) -> list[PlaceGroup]:
    by_place: dict[PlaceRef, list[QuotaRow]] = defaultdict(list)
    for item in usage:
        quota: QuotaView = item.quota
        day, booked = item.days[0] if item.days else (None, None)
        by_place[quota.place].append(
            QuotaRow(
                quota=quota,
                weekday_name=weekday(language, quota.weekday - 1),
                next_day=short_date(language, day) if isinstance(day, date) else "",
                booked=booked,
            )
        )
    groups = []
    for rows in by_place.values():
        first = rows[0].quota
        seats: dict[int, int] = defaultdict(int)
        for row in rows:
            seats[row.quota.weekday] += row.quota.seats
        totals = [PlaceTotal(weekday(language, day - 1), total, first.desks) for day, total in sorted(seats.items())]
        rows.sort(key=lambda r: (r.quota.weekday, r.quota.holder_name.casefold()))
        groups.append(PlaceGroup(first.place_name, first.desks, rows, totals))
    groups.sort(key=lambda g: g.name.casefold())
    return groups
