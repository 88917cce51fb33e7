"""Every ORM model, imported in one place so that ``Base.metadata`` is complete (Alembic, tests)."""

from smartoffice.attendance.models import AttendanceImport, AttendanceReport
from smartoffice.audit.models import AuditEntry
from smartoffice.bookings.models import Booking, BookingAttendee, BookingRule, BookingSeries, IdempotencyKey
from smartoffice.db import Base
from smartoffice.identity.models import ApiToken, LocalAccount
from smartoffice.identity.totp_models import RecoveryCode, TotpCredential
from smartoffice.integrations.models import BookingEvent, CalendarFeed, WebhookDelivery, WebhookSubscription
from smartoffice.notifications.models import Notification, NotificationPreference, NotificationSchedule
from smartoffice.people.models import Employee, Organisation, OrgUnit, RoleAssignment
from smartoffice.places.models import (
    Building,
    Closure,
    DeskRelease,
    Floor,
    FloorPlan,
    Site,
    Space,
    Zone,
    room_approvers,
)
from smartoffice.policies.models import (
    AnchorDay,
    DisciplineCase,
    Exemption,
    PerformanceRating,
    Policy,
    WorkDay,
)
from smartoffice.privacy.models import AttendanceDaily, OccupancyDaily, RetentionFold
from smartoffice.quotas.models import SeatQuota
from smartoffice.scim.models import ScimGroup, ScimGroupMember, ScimUser
from smartoffice.waitlist.models import WaitlistEntry
from smartoffice.workcalendar.models import CalendarOverride

__all__ = [
    "AnchorDay",
    "ApiToken",
    "AttendanceDaily",
    "AttendanceImport",
    "AttendanceReport",
    "AuditEntry",
    "Base",
    "Booking",
    "BookingAttendee",
    "BookingEvent",
    "BookingRule",
    "BookingSeries",
    "Building",
    "CalendarFeed",
    "CalendarOverride",
    "Closure",
    "DeskRelease",
    "DisciplineCase",
    "Employee",
    "Exemption",
    "Floor",
    "FloorPlan",
    "IdempotencyKey",
    "LocalAccount",
    "Notification",
    "NotificationPreference",
    "NotificationSchedule",
    "OccupancyDaily",
    "OrgUnit",
    "Organisation",
    "PerformanceRating",
    "Policy",
    "RecoveryCode",
    "RetentionFold",
    "RoleAssignment",
    "ScimGroup",
    "ScimGroupMember",
    "ScimUser",
    "SeatQuota",
    "Site",
    "Space",
    "TotpCredential",
    "WaitlistEntry",
    "WebhookDelivery",
    "WebhookSubscription",
    "WorkDay",
    "Zone",
    "room_approvers",
]
