"""The Indonesian working calendar: which local dates are working days, and why the others are not.

A day is a working day when it is Monday to Friday (Perpres 21/2023), is neither a public holiday (*libur
nasional*) nor collective leave (*cuti bersama*), or when an administrator has overridden it to be one. Holidays
and cuti bersama come from the ``holidays`` package; the government moves them during the year, so
:class:`~smartoffice.workcalendar.models.CalendarOverride` rows win over the package.

Days are local dates: callers turn an instant into the building's local date (``Asia/Makassar`` in Nusantara)
before asking. The calendar is national, the same for every employee (see :class:`WorkingCalendar`).
"""

import functools
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from types import MappingProxyType

import holidays
from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.audit.record import Actor, record_change
from smartoffice.db import Database, utcnow
from smartoffice.errors import CommonInputCode, InvalidInput, PermissionDenied
from smartoffice.people import roles
from smartoffice.workcalendar.models import CalendarOverride, DayKind

DayMarks = Mapping[date, tuple[DayKind, str]]
"""Marked days, each with its kind and name: what the package generates, or what overrides say."""

HOLIDAY_NAMES_LANGUAGE = "id"
"""The package's official (Indonesian) names. Left unset, it picks the language of the process's locale."""

MAX_RANGE_DAYS = 366
"""The longest range the API lists at once: a leap year."""

MAX_NAME_LENGTH = 200
"""The length of ``calendar_overrides.name``."""


@functools.lru_cache(maxsize=32)  # bounded: any year can be asked for
def _generated_year(year: int) -> DayMarks:
    days: dict[date, tuple[DayKind, str]] = {}
    # Each category asked separately, as that is what says which kind a day is; a public holiday wins a clash.
    for category, kind in ((holidays.GOVERNMENT, DayKind.COLLECTIVE_LEAVE), (holidays.PUBLIC, DayKind.PUBLIC_HOLIDAY)):
        generated = holidays.country_holidays("ID", years=year, categories=(category,), language=HOLIDAY_NAMES_LANGUAGE)
        days.update((day, (kind, name)) for day, name in generated.items())
    return MappingProxyType(dict(sorted(days.items())))


def generated_days(years: Iterable[int]) -> dict[date, tuple[DayKind, str]]:
    """Public holidays and cuti bersama of the years, as the ``holidays`` package has them, in date order.

    Names are the official Indonesian ones; several holidays on one date share it, their names joined by ``; ``.
    The package only knows the cuti bersama already decreed (through 2027 in holidays 0.109): later years have
    none until an administrator adds them as overrides.
    """
    days: dict[date, tuple[DayKind, str]] = {}
    for year in sorted(set(years)):
        days.update(_generated_year(year))
    return days


@dataclass(frozen=True, slots=True)
class CalendarEntry:
    """A day the calendar marks: a holiday, cuti bersama, or an override (a working day by decision)."""

    day: date
    kind: DayKind
    name: str
    overridden: bool
    """Whether an override says so, rather than the ``holidays`` package."""

    @property
    def is_working_day(self) -> bool:
        return self.kind is DayKind.WORKING_DAY


@dataclass(frozen=True, slots=True, eq=False)
class WorkingCalendar:
    """The working calendar from ``first`` to ``last`` (inclusive); asking about a day outside is a ValueError.

    It is national: every employee has the same one. Staff who must work on cuti bersama (public-service units)
    and take leave elsewhere will get a per-employee calendar: the national overrides with that employee's own
    marks laid over them, built by the same :meth:`build`. Nothing here depends on who is asking until then.
    """

    first: date
    last: date
    entries: Mapping[date, CalendarEntry]
    """Every marked day in the range, in date order (read-only). Unmarked days are ordinary: Monday–Friday
    working, weekends not."""

    def __post_init__(self) -> None:
        if self.last < self.first:
            raise ValueError(f"a calendar's last day {self.last} is before its first {self.first}")

    @classmethod
    def build(cls, first: date, last: date, overrides: DayMarks = MappingProxyType({})) -> "WorkingCalendar":
        """The calendar for the range: generated days, with ``overrides`` winning (those outside are left out)."""
        generated = generated_days(range(first.year, last.year + 1))
        marks = {day: (kind, name, False) for day, (kind, name) in generated.items()}
        marks.update((day, (kind, name, True)) for day, (kind, name) in overrides.items())
        entries = {
            day: CalendarEntry(day, kind, name, overridden)
            for day, (kind, name, overridden) in sorted(marks.items())
            if first <= day <= last
        }
        return cls(first, last, MappingProxyType(entries))

    def kind(self, day: date) -> DayKind | None:
        """How the day is marked, or None for an ordinary day."""
        entry = self._entry(day)
        return entry.kind if entry else None

    def name(self, day: date) -> str | None:
        entry = self._entry(day)
        return entry.name if entry else None

    def is_working_day(self, day: date) -> bool:
        entry = self._entry(day)
        return entry.is_working_day if entry else day.weekday() < 5

    def closure_reason(self, day: date) -> str | None:
        """The holiday's or cuti bersama's name when offices are closed for one, else None (weekends included)."""
        entry = self._entry(day)
        return entry.name if entry and not entry.is_working_day else None

    def working_days(self, first: date, last: date) -> list[date]:
        """The working days from ``first`` to ``last`` (inclusive), in order."""
        self._check(first)
        self._check(last)
        days = (first + timedelta(days=n) for n in range((last - first).days + 1))
        return [day for day in days if self.is_working_day(day)]

    def _entry(self, day: date) -> CalendarEntry | None:
        self._check(day)
        return self.entries.get(day)

    def _check(self, day: date) -> None:
        if not self.first <= day <= self.last:
            raise ValueError(f"{day} is outside the calendar's range {self.first}–{self.last}")


def check_range(first: date, last: date) -> None:
    """A range a client may ask for: not backwards, at most :data:`MAX_RANGE_DAYS` days."""
    if last < first:
        raise InvalidInput("to", CommonInputCode.RANGE_REVERSED)
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise InvalidInput("to", CommonInputCode.RANGE_TOO_LONG, max_days=MAX_RANGE_DAYS)


async def load_calendar(session: AsyncSession, first: date, last: date) -> WorkingCalendar:
    """The calendar for the range with the overrides stored for it (one query; generated days are cached)."""
    rows = await session.execute(
        select(CalendarOverride.day, CalendarOverride.kind, CalendarOverride.name).where(
            CalendarOverride.day.between(first, last)
        )
    )
    return WorkingCalendar.build(first, last, {day: (kind, name) for day, kind, name in rows})


async def set_override(
    session: AsyncSession, actor_id: int, day: date, kind: DayKind, name: str, *, now: datetime | None = None
) -> CalendarOverride:
    """Make ``day`` a ``kind`` day named ``name``, replacing any override of it. Admins only.

    Setting what is already set changes nothing; a new kind or name records the admin who set it, and when
    (``now``, by default the wall clock). Raises PermissionDenied, or InvalidInput for the name.
    """
    await _require_admin(session, actor_id)
    name = name.strip()
    if not name:
        raise InvalidInput("name", CommonInputCode.REQUIRED)
    if len(name) > MAX_NAME_LENGTH:
        raise InvalidInput("name", CommonInputCode.NAME_TOO_LONG, max_length=MAX_NAME_LENGTH)
    # One statement, so that two admins saving the same day at once cannot both insert it.
    insert = sqlite.insert if session.get_bind().dialect.name == "sqlite" else postgresql.insert
    statement = insert(CalendarOverride).values(
        day=day, kind=kind, name=name, created_by_id=actor_id, created_at=now or utcnow()
    )
    new = statement.excluded
    await session.execute(
        statement.on_conflict_do_update(
            index_elements=[CalendarOverride.day],
            set_={"kind": new.kind, "name": new.name, "created_by_id": new.created_by_id, "created_at": new.created_at},
            where=(CalendarOverride.kind != new.kind) | (CalendarOverride.name != new.name),
        )
    )
    saved = await session.scalar(
        select(CalendarOverride).where(CalendarOverride.day == day).execution_options(populate_existing=True)
    )
    assert saved is not None
    return saved


async def remove_override(session: AsyncSession, actor_id: int, day: date) -> None:
    """Let ``day`` follow the ``holidays`` package again. Admins only; removing no override is not an error."""
    await _require_admin(session, actor_id)
    await session.execute(delete(CalendarOverride).where(CalendarOverride.day == day))


async def _require_admin(session: AsyncSession, actor_id: int) -> None:
    if not await roles.is_admin(session, actor_id):
        raise PermissionDenied()


class WorkCalendarService:
    """The working calendar for people and apps: each method owns its transaction."""

    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock

    async def calendar(self, first: date, last: date) -> WorkingCalendar:
        """The calendar for a range a client asked for: InvalidInput when it is reversed or too long (see
        :func:`check_range`)."""
        check_range(first, last)
        async with self.db.read() as session:
            return await load_calendar(session, first, last)

    async def set_override(
        self, actor_id: int, day: date, kind: DayKind, name: str, *, via: str = "api"
    ) -> CalendarEntry:
        """Override ``day`` (see :func:`set_override`); the day as the calendar now marks it. A change is audited
        (``calendar_override.set``); setting what is already set writes no entry."""
        now = self.clock()
        async with self.db.write() as session:
            before = await _override_of(session, day)
            saved = await set_override(session, actor_id, day, kind, name, now=now)
            after = {"day": day, "kind": saved.kind, "name": saved.name}
            if before != after:
                _audit(session, Actor(actor_id, via), "calendar_override.set", now, saved.id, before, after)
            calendar = await load_calendar(session, day, day)
        return calendar.entries[day]

    async def remove_override(self, actor_id: int, day: date, *, via: str = "api") -> CalendarEntry | None:
        """Remove ``day``'s override (see :func:`remove_override`); the day as the calendar now marks it, or None
        for an ordinary day. A removal is audited (``calendar_override.remove``); removing none writes no entry."""
        now = self.clock()
        async with self.db.write() as session:
            override_id = await session.scalar(select(CalendarOverride.id).where(CalendarOverride.day == day))
            before = await _override_of(session, day)
            await remove_override(session, actor_id, day)
            if before is not None:
                _audit(session, Actor(actor_id, via), "calendar_override.remove", now, override_id, before, None)
            calendar = await load_calendar(session, day, day)
        return calendar.entries.get(day)


async def _override_of(session: AsyncSession, day: date) -> dict[str, object] | None:
    """The day's override as its audit entry shows it, or None."""
    row = (
        await session.execute(select(CalendarOverride.kind, CalendarOverride.name).where(CalendarOverride.day == day))
    ).first()
    return None if row is None else {"day": day, "kind": row.kind, "name": row.name}


def _audit(
    session: AsyncSession,
    actor: Actor,
    action: str,
    at: datetime,
    override_id: int | None,
    before: dict[str, object] | None,
    after: dict[str, object] | None,
) -> None:
    """Calendar overrides are national: no site or unit, so only administrators read these entries."""
    record_change(
        session, actor, action, at=at, entity_kind="CalendarOverride", entity_id=override_id, before=before, after=after
    )
