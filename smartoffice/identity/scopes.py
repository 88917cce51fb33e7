"""What an app token may do. Sessions (people logged in to the pages) are not limited by scopes: they act with
their own roles, and the services' object-level checks decide.

A token acts as its owner (an employee) *and* within its scopes: the scopes narrow the owner's rights, never
widen them. ``bookings:write:self`` books, cancels and checks in for the owner only; ``bookings:write:any``
also for others, as far as the owner may (a manager on behalf of their team, a room's approver deciding).
"""

from enum import StrEnum


class Scope(StrEnum):
    BOOKINGS_READ = "bookings:read"
    BOOKINGS_WRITE_SELF = "bookings:write:self"
    BOOKINGS_WRITE_ANY = "bookings:write:any"
    OCCUPANCY_READ_AGGREGATE = "occupancy:read:aggregate"
    PEOPLE_READ_NAMES = "people:read:names"
    PLACES_READ = "places:read"
    PLACES_WRITE = "places:write"
    CALENDAR_READ = "calendar:read"
    CALENDAR_WRITE = "calendar:write"
    POLICIES_READ = "policies:read"
    POLICIES_WRITE = "policies:write"
    ADMIN_INTROSPECTION = "admin:introspection"
    AUDIT_READ = "audit:read"
    SCIM = "scim"
    HR_WRITE = "hr:write"
    ATTENDANCE_WRITE = "attendance:write"


SCOPE_HELP: dict[Scope, str] = {
    Scope.BOOKINGS_READ: "Read the bookings the owner may see (theirs; as a manager, their people's).",
    Scope.BOOKINGS_WRITE_SELF: "Book, validate, cancel, check in and out, for the owner only.",
    Scope.BOOKINGS_WRITE_ANY: "Also act on others' bookings as far as the owner may (on behalf, approvals).",
    Scope.OCCUPANCY_READ_AGGREGATE: "Availability and occupancy of floors and rooms, without names.",
    Scope.PEOPLE_READ_NAMES: "People's names, and where the owner may see them, NIPs and who sits where "
    "(otherwise an app sees ids and aggregates only).",
    Scope.PLACES_READ: "Sites, buildings, floors, desks and rooms.",
    Scope.PLACES_WRITE: "Manage places, floor plans, closures, booking rules and seat quotas (the owner must be a "
    "facilities manager of the site, or an administrator).",
    Scope.CALENDAR_READ: "The working calendar (holidays, cuti bersama).",
    Scope.CALENDAR_WRITE: "Change the working calendar (the owner must be an administrator).",
    Scope.POLICIES_READ: "Office-day policies and what they require.",
    Scope.POLICIES_WRITE: "Change office-day policies (the owner must hold the right role).",
    Scope.ADMIN_INTROSPECTION: "Introspect the schema in production mode.",
    Scope.AUDIT_READ: "Read the audit log as far as the owner may (administrators, facilities and unit managers).",
    Scope.SCIM: "Provision and deprovision people and groups over SCIM 2.0 at /scim/v2 (the owner must be an "
    "administrator); the identity provider's token.",
    Scope.HR_WRITE: "Load performance ratings (SKP) and discipline cases from an HR system (the owner must be an "
    "administrator).",
    Scope.ATTENDANCE_WRITE: "Report attendance from a presensi system (reportAttendance), for people the owner "
    "manages (the owner must be an administrator, or a unit manager over each person).",
}


def parse_scopes(values: list[str] | tuple[str, ...]) -> list[Scope]:
    """Known scopes in a stable order, duplicates dropped; an unknown one raises ``ValueError`` naming it."""
    scopes = set()
    for value in values:
        try:
            scopes.add(Scope(value.strip()))
        except ValueError:
            raise ValueError(f"unknown scope {value!r}; known: {', '.join(s.value for s in Scope)}") from None
    return [s for s in Scope if s in scopes]
