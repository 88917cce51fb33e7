"""What one process holds while it runs: the database, Redis, and the services built on them.

Opened by the app's lifespan, by CLI commands and by tests, always through :func:`open_runtime`, so every
entry point wires the same parts the same way.
"""

from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from litestar.connection import ASGIConnection
from redis.asyncio import BlockingConnectionPool, Redis

from smartoffice.attendance.service import AttendanceService
from smartoffice.audit.service import AuditService
from smartoffice.availability.index import AvailabilityIndex
from smartoffice.availability.service import AvailabilityService
from smartoffice.bookings.approvals import ApprovalService
from smartoffice.bookings.cancel_range import CancelRangeService
from smartoffice.bookings.checkin import CheckInService
from smartoffice.bookings.desk_search import DeskSearchService
from smartoffice.bookings.facts import BookingFacts
from smartoffice.bookings.my_bookings import MyBookingsService
from smartoffice.bookings.required_days import RequiredDaysService
from smartoffice.bookings.room_search import RoomSearchService
from smartoffice.bookings.rule_editing import BookingRuleService
from smartoffice.bookings.service import BookingService
from smartoffice.db import Database, utcnow
from smartoffice.embedded_redis import EmbeddedRedis
from smartoffice.hr.service import HrRecordsService
from smartoffice.identity import idp_roles
from smartoffice.identity.service import IdentityService
from smartoffice.identity.sessions import SessionStore
from smartoffice.integrations.calendar_feed import CalendarFeedService
from smartoffice.integrations.events import EventPublisher
from smartoffice.integrations.webhooks import WebhookService
from smartoffice.notifications.admin import NotificationAdminService
from smartoffice.notifications.service import NotificationService
from smartoffice.people.grants import RoleService
from smartoffice.people.imports.service import PeopleImportService
from smartoffice.people.present import PresentPeople
from smartoffice.people.service import PeopleService
from smartoffice.places.closures import ClosureService
from smartoffice.places.desk_csv import DeskFileService
from smartoffice.places.editing import PlaceEditor
from smartoffice.places.imports.service import PlacesImportService
from smartoffice.places.layout import FloorLayoutCache
from smartoffice.places.plan_editing import PlanEditingService
from smartoffice.places.plan_images import PlanImageService
from smartoffice.places.service import PlaceService
from smartoffice.planning.anchor_planner.service import AnchorPlannerService
from smartoffice.planning.forecast import ForecastService
from smartoffice.planning.occupancy import OccupancyService
from smartoffice.policies.service import PolicyService
from smartoffice.policies.shared_facts import PolicyFacts
from smartoffice.quotas.service import QuotaService
from smartoffice.settings import Settings
from smartoffice.waitlist.service import WaitlistService
from smartoffice.workcalendar.service import WorkCalendarService

# Short timeouts: the index is an optimisation, and a slow Redis must not make bookings slow (SQL answers).
REDIS_TIMEOUT_SECONDS = 0.5


@dataclass
class Runtime:
    settings: Settings
    db: Database
    redis: Redis
    availability: AvailabilityService
    bookings: BookingService
    checkins: CheckInService
    layouts: FloorLayoutCache
    """Floor layouts for availability reads, cached in this process (``places/layout.py``)."""
    policies: PolicyService
    work_calendar: WorkCalendarService
    occupancy: OccupancyService
    anchor_planner: AnchorPlannerService
    """Proposing units' anchor days so that every tower fits, and applying them (``planning/anchor_planner``)."""
    forecast: ForecastService
    """Expected people per building and day in the coming weeks, against the desks (``planning/forecast.py``)."""
    identity: IdentityService
    """App tokens, login sessions (``identity.sessions``) and local accounts."""
    people: PeopleService
    places: PlaceService
    webhooks: WebhookService
    calendar_feeds: CalendarFeedService
    audit: AuditService
    """Reading the audit log (written by each change through ``smartoffice.audit.record``)."""
    people_import: PeopleImportService
    """Importing people from a SIASN-shaped file (``people/imports``)."""
    hr_records: HrRecordsService
    """Performance ratings and discipline cases loaded from HR systems (``hr/``)."""
    roles: RoleService
    """Granting, revoking and listing roles (``people/grants.py``, ``people/role_listing.py``)."""
    places_import: PlacesImportService
    """Creating and updating places from a file (``places/imports``): the command line and the facilities console."""
    quotas: QuotaService
    """Seat quotas: organisations' and units' shares of buildings, floors and zones per weekday (``quotas/``)."""
    place_editor: PlaceEditor
    """Creating, changing and retiring places one at a time (``places/editing.py``): the facilities console."""
    plan_editor: PlanEditingService
    """Placing, copying and renumbering a floor's desks and rooms in one save (``places/plan_editing.py``)."""
    plan_images: PlanImageService
    """A floor's plan image, SVG or PNG: checked, stored and served (``places/plan_images.py``)."""
    desk_files: DeskFileService
    """A floor's desks as CSV: export, and all-or-nothing import (``places/desk_csv.py``)."""
    closures: ClosureService
    """Closing places for a time and cancelling the bookings under a closure (``places/closures.py``)."""
    booking_rules: BookingRuleService
    """Reading and editing the booking rules per building and kind of space (``bookings/rule_editing.py``)."""
    desk_search: DeskSearchService
    """Free desks across floors and buildings, nearest the teammates first (``bookings/desk_search.py``)."""
    cancel_ranges: CancelRangeService
    """Cancelling a person's bookings over a date range at once, going on leave (``bookings/cancel_range.py``)."""
    my_bookings: MyBookingsService
    """A person's booking history, check-in openings and team floor (``bookings/my_bookings.py``)."""
    room_search: RoomSearchService
    """Which meeting rooms fit a meeting, and each room's day (``bookings/room_search.py``)."""
    approvals: ApprovalService
    """Room bookings waiting for their approvers (``bookings/approvals.py``)."""
    required_days: RequiredDaysService
    """Booking a desk near the team on each required day of the coming weeks (``bookings/required_days.py``)."""
    waitlist: WaitlistService
    """Waiting for a desk on a full day (``waitlist/``); freed desks are granted where they are freed."""
    attendance: AttendanceService
    """Attendance from the presensi system: imports, apps' reports, reconciling with bookings (``attendance/``)."""
    notifications: NotificationService
    """A person's notifications: the bell, the list, their preferences (``notifications/service.py``)."""
    notification_admin: NotificationAdminService
    """The email queue and its failures, for administrators (``notifications/admin.py``)."""
    clock: Callable[[], datetime]
    """The one clock of the process (tests pass their own): services take it from here, never ``utcnow()``."""


def runtime_of(connection: ASGIConnection[Any, Any, Any, Any]) -> Runtime:
    """The runtime the app's lifespan opened, from any request or websocket."""
    runtime: Runtime = connection.app.state.runtime
    return runtime


REDIS_MAX_CONNECTIONS = 512
"""Per process. A request holds at most one at a time, but each live subscription holds one for its lifetime
(``integrations/live.py``), so this also bounds a process's open subscriptions; beyond it callers wait
:data:`REDIS_TIMEOUT_SECONDS` for a free connection, then fail like an unreachable Redis (reads fall back to SQL)."""


def redis_client(url: str) -> Redis:
    """A client whose pool *waits* (up to the timeout) for a free connection when all are in use.

    redis-py's default pool raises ``MaxConnectionsError`` at once instead; under a burst (32 clients on a process
    that had just started) that tripped the index's circuit breaker and sent reads to SQL for its cool-down.
    """
    pool = BlockingConnectionPool.from_url(
        url,
        max_connections=REDIS_MAX_CONNECTIONS,
        timeout=REDIS_TIMEOUT_SECONDS,
        socket_timeout=REDIS_TIMEOUT_SECONDS,
        socket_connect_timeout=REDIS_TIMEOUT_SECONDS,
    )
    return Redis.from_pool(pool)


@asynccontextmanager
async def open_runtime(settings: Settings, clock: Callable[[], datetime] = utcnow) -> AsyncIterator[Runtime]:
    embedded = EmbeddedRedis().start() if settings.is_embedded_redis else None
    redis_url = embedded.url if embedded else settings.redis_url
    assert redis_url is not None
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    db = Database.from_settings(settings)
    redis = redis_client(redis_url)
    try:
        if settings.migrate_on_start:
            from smartoffice.migrations import upgrade

            await upgrade(db.engine)
        availability = AvailabilityService(db, AvailabilityIndex(redis), read_index=settings.availability_index)
        db.after_commit.append(EventPublisher(redis).after_commit)  # booking events → Redis pub/sub
        layouts = FloorLayoutCache(db, redis, availability.breaker)
        idp_roles.configure(settings.idp_role_mapping, clock)  # the sync's mapping (see its module docstring)
        db.after_commit.append(layouts.after_commit)  # a change to places bumps the layout version
        policy_facts = PolicyFacts.create(redis, availability.breaker)
        db.after_commit.append(policy_facts.after_commit)  # a change to policies, calendar, units bumps its version
        booking_facts = BookingFacts.create(redis, availability.breaker)
        db.after_commit.append(booking_facts.after_commit)  # a change to rules, places, calendar, policies bumps it
        # Who has not left, for the demo identity; none with a private embedded Redis (a CLI could not bump it).
        present = PresentPeople.create(db, redis, availability.breaker, cached=not settings.is_embedded_redis)
        db.after_commit.append(present.after_commit)  # a change to employees bumps its version
        yield Runtime(
            settings=settings,
            db=db,
            redis=redis,
            availability=availability,
            bookings=BookingService(db, availability, clock, booking_facts),
            checkins=CheckInService(db, availability, clock),
            layouts=layouts,
            policies=PolicyService(db, clock, facts=policy_facts),
            work_calendar=WorkCalendarService(db, clock),
            occupancy=OccupancyService(db),
            anchor_planner=AnchorPlannerService(db, clock),
            forecast=ForecastService(db, clock),
            identity=IdentityService(db, SessionStore(redis, settings.session_ttl_seconds, clock), clock),
            people=PeopleService(db, present),
            places=PlaceService(db),
            webhooks=WebhookService.from_settings(db, settings, clock),
            calendar_feeds=CalendarFeedService(db, clock),
            roles=RoleService(db, clock),
            audit=AuditService(db, clock),
            hr_records=HrRecordsService(db, redis, clock),
            places_import=PlacesImportService(db, redis, clock),
            quotas=QuotaService(db, clock),
            place_editor=PlaceEditor(db, availability, clock),
            plan_editor=PlanEditingService(db, clock),
            plan_images=PlanImageService(db, clock),
            desk_files=DeskFileService(db, clock),
            people_import=PeopleImportService(
                db, availability, SessionStore(redis, settings.session_ttl_seconds, clock), clock
            ),
            closures=ClosureService(db, availability, clock),
            booking_rules=BookingRuleService(db, clock),
            waitlist=WaitlistService(db, clock),
            desk_search=DeskSearchService(db, clock),
            cancel_ranges=CancelRangeService(db, availability, clock),
            my_bookings=MyBookingsService(db, clock),
            room_search=RoomSearchService(db, clock, facts=policy_facts, layouts=layouts),
            approvals=ApprovalService(db, clock),
            required_days=RequiredDaysService(db, availability, clock),
            attendance=AttendanceService(db, redis, clock),
            notifications=NotificationService(
                db, clock, secret_keys=(settings.secret_key, *settings.previous_secret_keys)
            ),
            notification_admin=NotificationAdminService(db, clock, email_enabled=settings.is_email_enabled),
            clock=clock,
        )
    finally:
        await redis.aclose()
        await db.dispose()
        if embedded:
            embedded.stop()
