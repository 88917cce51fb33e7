"""``/admin/audit``: the audit log the visitor may read (:class:`AuditService` decides: administrators every entry,
facilities managers their sites', unit managers their units' and those below), newest first, filtered, one page of
``PAGE_SIZE`` at a time with an "older" link carrying the keyset cursor; ``/admin/audit.csv`` is the same filtered
entries as a CSV file (at most ``CSV_MAX_ROWS``).

Dates in the filter and times shown are **UTC** (the page says so): one deployment may span buildings in several
time zones, and the log is the place where instants must compare without a zone to look up. ``until`` is
inclusive (the whole day). Each entry shows who (or "system"), through what, when, what (action, the thing
changed, its site and unit) and its fields before → after as a table of the fields that changed.
"""

import csv
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from urllib.parse import urlencode

from litestar import Request, Response, get
from litestar.params import FromQuery
from litestar.response import Template
from litestar.status_codes import HTTP_422_UNPROCESSABLE_ENTITY

from smartoffice.audit.models import AuditEntry
from smartoffice.audit.service import AuditPage, AuditSearch
from smartoffice.db import MAX_PAGE_SIZE
from smartoffice.errors import DomainError
from smartoffice.i18n import Language, gettext
from smartoffice.labels import field_words
from smartoffice.people.grant_choices import ScopeChoices, find_people, scope_choices
from smartoffice.runtime import runtime_of
from smartoffice.web.admin.access import StaffVisitor, staff_visitor
from smartoffice.web.errors import PageError
from smartoffice.web.forms import FormError, optional_date, optional_int
from smartoffice.web.language import language_of

PAGE_SIZE = 25
CSV_MAX_ROWS = 10_000
FILTERS = ("action", "kind", "actor", "from", "until", "site", "unit")


@dataclass(frozen=True, slots=True)
class FieldChange:
    field: str
    before: str | None
    """The value as text; None: the field was absent (created, or removed)."""
    after: str | None


@dataclass(frozen=True, slots=True)
class EntryView:
    id: int
    at: str
    """``YYYY-MM-DD HH:MM:SS`` UTC."""
    at_iso: str
    actor_name: str | None
    actor_url: str | None
    via: str
    action: str
    entity_kind: str
    entity_id: int | None
    entity_name: str | None
    site_name: str | None
    unit_name: str | None
    changes: Sequence[FieldChange]


@dataclass(frozen=True, slots=True)
class AuditFilters:
    """The filter form's fields as sent, and the search they make."""

    values: Mapping[str, str]
    search: AuditSearch

    def url(self, path: str = "/admin/audit", **extra: str) -> str:
        fields = {k: v for k, v in {**self.values, **extra}.items() if v}
        return path + ("?" + urlencode(fields) if fields else "")


class ActorNotFound(Exception):
    def __init__(self, error: PageError) -> None:
        super().__init__(error.code)
        self.error = error


@get("/admin/audit", name="admin-audit")
async def admin_audit(request: Request[Any, Any, Any], after: FromQuery[str | None] = None) -> Template:
    staff = await staff_visitor(request)
    language = language_of(request)
    values = {name: (request.query_params.get(name) or "").strip() for name in FILTERS}
    page: AuditPage | None = None
    error: PageError | None = None
    filters = AuditFilters(values, AuditSearch())
    try:
        filters = AuditFilters(values, await _search(request, language, values))
        page = await runtime_of(request).audit.search(staff.id, filters.search, PAGE_SIZE, after or None)
    except (DomainError, FormError) as exc:
        error = PageError.of(exc, language)
    except ActorNotFound as exc:
        error = exc.error
    entries = await _views(request, page, language) if page else []
    return Template(
        template_name="admin/audit.html",
        context={
            "staff": staff,
            "viewer": staff.viewer,
            "admin_current": "audit",
            "nav_current": "admin",
            "filters": filters,
            "entries": entries,
            "older_url": filters.url(after=page.cursor(page.entries[-1])) if page and page.has_next else None,
            "newest_url": filters.url() if after else None,
            "csv_url": filters.url("/admin/audit.csv"),
            "choices": await _filter_choices(request, staff),
            "error": error,
        },
        status_code=error.status if error else 200,
    )


@get("/admin/audit.csv", name="admin-audit-csv")
async def admin_audit_csv(request: Request[Any, Any, Any]) -> Response[str]:
    """The filtered entries, newest first, as CSV (UTF-8; values that a spreadsheet would run as a formula are
    prefixed with ``'``). Refusals and bad filters answer with the pages' error page."""
    staff = await staff_visitor(request)
    language = language_of(request)
    values = {name: (request.query_params.get(name) or "").strip() for name in FILTERS}
    try:
        search = await _search(request, language, values)
    except ActorNotFound as exc:
        raise FormError("actor", "invalid_actor") from exc
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    writer.writerow(["at_utc", "actor_id", "actor", "via", "action", "entity_kind", "entity_id", "site", "unit",
                     "before", "after"])  # fmt: skip
    written, cursor = 0, None
    while written < CSV_MAX_ROWS:
        page = await runtime_of(request).audit.search(staff.id, search, MAX_PAGE_SIZE, cursor)
        for entry in page.entries:
            writer.writerow([_cell(value) for value in _csv_row(entry, page)])
        written += len(page.entries)
        if not page.has_next or not page.entries:
            break
        cursor = page.cursor(page.entries[-1])
    return Response(
        buffer.getvalue(),
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": 'attachment; filename="audit-log.csv"'},
    )


async def _search(request: Request[Any, Any, Any], language: Language, values: Mapping[str, str]) -> AuditSearch:
    since = optional_date(values["from"], "date")
    until = optional_date(values["until"], "date")
    actor_id = None
    if values["actor"]:
        people = await find_people(runtime_of(request).db, values["actor"])
        if len(people) != 1:
            raise ActorNotFound(_actor_error(language, several=len(people) > 1))
        actor_id = people[0].id
    return AuditSearch(
        action=values["action"] or None,
        entity_kind=values["kind"] or None,
        actor_id=actor_id,
        since=_start_of(since) if since else None,
        until=_start_of(until + timedelta(days=1)) if until else None,
        site_id=optional_int(values["site"], "site"),
        org_unit_id=optional_int(values["unit"], "unit"),
    )


def _start_of(day: date) -> datetime:
    return datetime.combine(day, time(), tzinfo=UTC)


def _actor_error(language: Language, *, several: bool) -> PageError:
    text = (
        gettext(
            language, "Several people match. Enter the NIP or email of the one you mean, or a longer part of the name."
        )
        if several
        else gettext(language, "Nobody active matches that NIP, email or name.")
    )
    code = "several_people" if several else "no_person"
    return PageError(HTTP_422_UNPROCESSABLE_ENTITY, code, gettext(language, "Please check and try again"), text)


async def _filter_choices(request: Request[Any, Any, Any], staff: StaffVisitor) -> ScopeChoices:
    return await scope_choices(
        runtime_of(request).db, staff.id, is_admin=staff.is_admin, site_ids=staff.facilities_site_ids
    )


async def _views(request: Request[Any, Any, Any], page: AuditPage, language: Language) -> list[EntryView]:
    """The entries as the page shows them; the people they changed named in one query."""
    people_ids = [e.entity_id for e in page.entries if e.entity_kind == "Employee" and e.entity_id is not None]
    people = await runtime_of(request).people.employees_by_id(people_ids) if people_ids else {}
    views = []
    for entry in page.entries:
        actor = page.actors.get(entry.actor_id) if entry.actor_id is not None else None
        changed = people.get(entry.entity_id) if entry.entity_kind == "Employee" and entry.entity_id else None
        site = page.sites.get(entry.site_id) if entry.site_id is not None else None
        unit = page.org_units.get(entry.org_unit_id) if entry.org_unit_id is not None else None
        views.append(
            EntryView(
                id=entry.id,
                at=entry.at.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S"),
                at_iso=entry.at.astimezone(UTC).isoformat(),
                actor_name=actor.name if actor else None,
                actor_url=f"/admin/audit?{urlencode({'actor': actor.email})}" if actor else None,
                via=entry.via,
                action=entry.action,
                entity_kind=entry.entity_kind,
                entity_id=entry.entity_id,
                entity_name=changed.name if changed else None,
                site_name=site.name if site else None,
                unit_name=unit.name if unit else None,
                changes=changes(entry.before, entry.after, language, entry.entity_kind),
            )
        )
    return views


def changes(
    before: Mapping[str, Any] | None,
    after: Mapping[str, Any] | None,
    language: Language = "en",
    entity_kind: str | None = None,
) -> list[FieldChange]:
    """The fields whose values differ (every field, for a creation or a removal), in the order first seen."""
    old, new = before or {}, after or {}
    fields = list(dict.fromkeys([*old, *new]))
    return [
        FieldChange(name, _text(old, name, language, entity_kind), _text(new, name, language, entity_kind))
        for name in fields
        if before is None or after is None or old.get(name, _ABSENT) != new.get(name, _ABSENT)
    ]


_ABSENT = object()


def _text(
    values: Mapping[str, Any], name: str, language: Language = "en", entity_kind: str | None = None
) -> str | None:
    """A field's value for people: enum codes as their labels (``field_words``: *Butuh Perbaikan*, not
    ``butuh_perbaikan``), documents as JSON."""
    if name not in values:
        return None
    value = field_words(language, name, values[name], entity_kind)
    if value is None:
        return "null"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


def _csv_row(entry: AuditEntry, page: AuditPage) -> list[Any]:
    actor = page.actors.get(entry.actor_id) if entry.actor_id is not None else None
    site = page.sites.get(entry.site_id) if entry.site_id is not None else None
    unit = page.org_units.get(entry.org_unit_id) if entry.org_unit_id is not None else None
    return [
        entry.at.astimezone(UTC).isoformat(),
        entry.actor_id,
        actor.name if actor else "",
        entry.via,
        entry.action,
        entry.entity_kind,
        entry.entity_id,
        site.name if site else "",
        unit.name if unit else "",
        "" if entry.before is None else json.dumps(entry.before, ensure_ascii=False, sort_keys=True),
        "" if entry.after is None else json.dumps(entry.after, ensure_ascii=False, sort_keys=True),
    ]


def _cell(value: Any) -> Any:
    """Text a spreadsheet would read as a formula starts with ``'`` (CSV injection)."""
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return "'" + value
    return value
