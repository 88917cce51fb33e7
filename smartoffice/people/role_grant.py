"""The roles that can be granted, and one role held: the vocabulary of granting (:mod:`smartoffice.people.grants`)
and of listing (:mod:`smartoffice.people.role_listing`)."""

from dataclasses import dataclass
from enum import StrEnum

from smartoffice.people.models import RoleSource


class GrantableRole(StrEnum):
    ADMIN = "admin"
    FACILITIES_MANAGER = "facilities_manager"
    UNIT_MANAGER = "unit_manager"
    ROOM_APPROVER = "room_approver"


SCOPE_KIND = {
    GrantableRole.FACILITIES_MANAGER: "Site",
    GrantableRole.UNIT_MANAGER: "OrgUnit",
    GrantableRole.ROOM_APPROVER: "MeetingRoom",
}
"""The kind of thing each role is scoped to (admin: none)."""


@dataclass(frozen=True, slots=True)
class RoleGrant:
    """One role held: ``scope_id`` is a site, org unit or room id (by ``role``), None for admin. ``derived``: the
    head of the unit by position (no row; not revocable). ``source``: who manages the row (listing only; grant and
    revoke act on manual rows)."""

    employee_id: int
    role: GrantableRole
    scope_id: int | None
    derived: bool = False
    source: RoleSource = RoleSource.MANUAL
