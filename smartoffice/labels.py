"""Words for the enum values people read: a rating, a booking's status, a post, a day, a work mode, a week's status.

A value's code (``butuh_perbaikan``) is for programs; people read its label (*Butuh Perbaikan*, "Needs
improvement"), translated like every other text: each label below is an English msgid marked with ``N_``.

>>> label("id", Rating.BUTUH_PERBAIKAN)
'Butuh Perbaikan'
"""

from collections.abc import Mapping
from enum import Enum
from typing import Any

from smartoffice.bookings.models import BookingStatus
from smartoffice.i18n import N_, Language, gettext
from smartoffice.notifications.models import NotificationKind
from smartoffice.people.models import EmploymentType, PositionKind, Role
from smartoffice.policies.engine import ComplianceStatus, Requirement
from smartoffice.policies.models import ExemptionStatus, LocationKind, PolicyLevel, Rating, WorkMode
from smartoffice.workcalendar.models import DayKind

RATINGS: Mapping[Rating, str] = {
    # Translators: predikat kinerja (SKP); the official Indonesian terms are Sangat Baik, Baik, Butuh Perbaikan,
    # Kurang and Sangat Kurang.
    Rating.SANGAT_BAIK: N_("Very good"),
    Rating.BAIK: N_("Good"),
    Rating.BUTUH_PERBAIKAN: N_("Needs improvement"),
    Rating.KURANG: N_("Poor"),
    Rating.SANGAT_KURANG: N_("Very poor"),
}
NO_RATING = N_("none recorded")
"""What a missing rating reads as, inside a sentence."""

BOOKING_STATUSES: Mapping[BookingStatus, str] = {
    BookingStatus.PENDING: N_("Awaiting approval"),
    BookingStatus.BOOKED: N_("Booked"),
    BookingStatus.CHECKED_IN: N_("Checked in"),
    BookingStatus.CANCELLED: N_("Cancelled"),
    BookingStatus.REJECTED: N_("Rejected"),
    BookingStatus.RELEASED: N_("Released: nobody checked in"),
}

POSITION_KINDS: Mapping[PositionKind, str] = {
    PositionKind.MANAGERIAL: N_("Managerial post"),
    PositionKind.FUNCTIONAL: N_("Functional post"),
    PositionKind.EXECUTOR: N_("Executor post"),
}

ROLES: Mapping[Role, str] = {
    Role.ADMIN: N_("Administrator"),
    Role.FACILITIES_MANAGER: N_("Facilities manager"),
    Role.UNIT_MANAGER: N_("Unit manager"),
}
NO_ROLE = N_("Employee")
"""What someone without a role is."""

EMPLOYMENT_TYPES: Mapping[EmploymentType, str] = {
    EmploymentType.PNS: N_("PNS (permanent civil servant)"),
    EmploymentType.PPPK: N_("PPPK (civil servant on contract)"),
}

DAY_KINDS: Mapping[DayKind, str] = {
    DayKind.PUBLIC_HOLIDAY: N_("Public holiday"),
    DayKind.COLLECTIVE_LEAVE: N_("Collective leave (cuti bersama)"),
    DayKind.WORKING_DAY: N_("Working day"),
}

REQUIREMENTS: Mapping[Requirement, str] = {
    Requirement.REQUIRED: N_("Required in the office"),
    Requirement.FLEXIBLE: N_("Flexible"),
    Requirement.NOT_WORKING: N_("Not a working day"),
}

WORK_MODES: Mapping[WorkMode, str] = {
    WorkMode.OFFICE: N_("Office (WFO)"),
    WorkMode.HOME: N_("Home (WFH)"),
    WorkMode.ANYWHERE: N_("Anywhere (WFA)"),
    WorkMode.LEAVE: N_("Leave"),
    WorkMode.DUTY_TRAVEL: N_("Duty travel"),
    WorkMode.ABSENT: N_("Absent"),
}

LOCATION_KINDS: Mapping[LocationKind, str] = {
    LocationKind.REGISTERED_HOME: N_("Registered home"),
    LocationKind.AGENCY_OFFICE: N_("Another office of the agency"),
    LocationKind.DESIGNATED_PLACE: N_("A place the agency designates"),
}

COMPLIANCE_STATUSES: Mapping[ComplianceStatus, str] = {
    ComplianceStatus.COMPLIANT: N_("Compliant"),
    ComplianceStatus.AT_RISK: N_("At risk"),
    ComplianceStatus.NON_COMPLIANT: N_("Not compliant"),
    ComplianceStatus.NO_DATA: N_("No attendance data"),
}

EXEMPTION_STATUSES: Mapping[ExemptionStatus, str] = {
    ExemptionStatus.PENDING: N_("Awaiting the unit head's decision"),
    ExemptionStatus.APPROVED: N_("Approved"),
    ExemptionStatus.REJECTED: N_("Rejected"),
    ExemptionStatus.WITHDRAWN: N_("Withdrawn"),
}

POLICY_LEVELS: Mapping[PolicyLevel, str] = {
    PolicyLevel.NATIONAL: N_("National"),
    PolicyLevel.AGENCY: N_("Agency"),
    PolicyLevel.UNIT: N_("Unit"),
    PolicyLevel.INDIVIDUAL: N_("Individual"),
}

NOTIFICATION_KINDS: Mapping[NotificationKind, str] = {
    NotificationKind.BOOKING_CONFIRMED: N_("A booking is made for you"),
    NotificationKind.BOOKING_CANCELLED: N_("Someone else cancels your booking"),
    NotificationKind.ROOM_INVITATION: N_("Meeting room invitations"),
    NotificationKind.APPROVAL_REQUESTED: N_("A room booking awaits your approval"),
    NotificationKind.APPROVAL_DECIDED: N_("Your room booking is approved or rejected"),
    NotificationKind.EXEMPTION_REQUESTED: N_("Someone asks you for an exemption"),
    NotificationKind.EXEMPTION_DECIDED: N_("Your exemption request is decided"),
    NotificationKind.CHECK_IN_REMINDER: N_("Check-in reminder"),
    NotificationKind.NO_SHOW_RELEASED: N_("Your booking is released as a no-show"),
    NotificationKind.WAITLIST_GRANTED: N_("A desk from the waitlist is booked for you"),
    NotificationKind.WEEKLY_REMINDER: N_("Weekly reminder of your office days"),
    NotificationKind.UNIT_DIGEST: N_("Weekly compliance digest of your unit"),
}
"""What the notification preferences call each kind."""

LABELS: Mapping[type[Enum], Mapping[Any, str]] = {
    Rating: RATINGS,
    BookingStatus: BOOKING_STATUSES,
    PositionKind: POSITION_KINDS,
    Role: ROLES,
    EmploymentType: EMPLOYMENT_TYPES,
    DayKind: DAY_KINDS,
    Requirement: REQUIREMENTS,
    WorkMode: WORK_MODES,
    LocationKind: LOCATION_KINDS,
    ComplianceStatus: COMPLIANCE_STATUSES,
    ExemptionStatus: EXEMPTION_STATUSES,
    PolicyLevel: POLICY_LEVELS,
    NotificationKind: NOTIFICATION_KINDS,
}
"""Each enum people read, and its labels. Keyed by type: ``BookingStatus.PENDING == ExemptionStatus.PENDING``."""


def label(language: Language, value: Enum) -> str:
    """The label of an enum value, in ``language``. Raises KeyError for an enum without labels."""
    return gettext(language, LABELS[type(value)][value])


def rating_label(language: Language, rating: Rating | None) -> str:
    return label(language, rating) if rating is not None else gettext(language, NO_RATING)


def role_label(language: Language, role: Role | None) -> str:
    return label(language, role) if role is not None else gettext(language, NO_ROLE)


FIELD_ENUMS: Mapping[str, type[Enum]] = {
    "rating": Rating,
    "ratings": Rating,
    "planned": WorkMode,
    "actual": WorkMode,
    "mode": WorkMode,
    "location_kind": LocationKind,
    "allowed_location_kinds": LocationKind,
    "position_kind": PositionKind,
    "employment_type": EmploymentType,
    "role": Role,
}
"""The fields (of audit entries, of stored rules documents) whose values are codes of a labelled enum."""
STATUS_ENUMS: Mapping[str, type[Enum]] = {"Exemption": ExemptionStatus, "Booking": BookingStatus}
"""A ``status`` is a code of the enum of its entity's kind (``pending`` is a booking's or an exemption's)."""


def field_words(language: Language, name: str, value: Any, entity_kind: str | None = None) -> Any:
    """``value`` of the field ``name`` with each enum code in it as its label, for people to read (issue 14: an
    Indonesian audit entry says *Butuh Perbaikan*, not ``butuh_perbaikan``). Lists are read item by item, documents
    (a policy's rules) key by key; what is not a known code is left as it is."""
    if isinstance(value, Mapping):
        return {key: field_words(language, str(key), item, entity_kind) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [field_words(language, name, item, entity_kind) for item in value]
    enum = STATUS_ENUMS.get(entity_kind or "") if name == "status" else FIELD_ENUMS.get(name)
    if enum is None or not isinstance(value, str):
        return value
    try:
        return label(language, enum(value))
    except (ValueError, KeyError):
        return value
