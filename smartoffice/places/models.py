"""Where people sit. Geometry is in metres from the floor plan's top-left corner."""

from datetime import date as date_type
from datetime import datetime, time
from enum import StrEnum

from sqlalchemy import (
    JSON,
    Boolean,
    CheckConstraint,
    Column,
    Date,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Table,
    Time,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from smartoffice.db import Base, UTCDateTime, str_enum, utcnow


class SpaceKind(StrEnum):
    DESK = "desk"
    ROOM = "room"


OpeningHours = dict[str, list[str]]
"""Local hours per ISO weekday, ``{"1": ["07:30", "17:00"], ...}`` (1 = Monday); a weekday missing is closed."""


def hours_on(
    opens_at: time, closes_at: time, opening_hours: OpeningHours | None, day: date_type
) -> tuple[time, time] | None:
    """A building's local hours on ``day``: its own hours for that weekday, ``None`` when closed that weekday.

    ``opening_hours`` ``None`` means ``opens_at``–``closes_at`` on every day (the rule before per-weekday hours).
    """
    if opening_hours is None:
        return opens_at, closes_at
    hours = opening_hours.get(str(day.isoweekday()))
    if not hours:
        return None
    opens, closes = (time.fromisoformat(h) for h in hours)
    return opens, closes


class Site(Base):
    __tablename__ = "sites"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(32), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)
    """Retired places keep their history but are neither shown nor bookable (see ``smartoffice.places``)."""

    buildings: Mapped[list["Building"]] = relationship(back_populates="site", lazy="raise", order_by="Building.code")


class Building(Base):
    __tablename__ = "buildings"
    __table_args__ = (
        UniqueConstraint("site_id", "code"),
        CheckConstraint("opens_at < closes_at", name="open_before_close"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    time_zone: Mapped[str] = mapped_column(String(64))
    """IANA zone, e.g. ``Asia/Makassar`` (WITA) for IKN."""
    opens_at: Mapped[time] = mapped_column(Time)
    """Local opening time; a whole-day desk booking runs from opening to closing."""
    closes_at: Mapped[time] = mapped_column(Time)
    opening_hours: Mapped[OpeningHours | None] = mapped_column(JSON)
    """Hours per weekday (see :data:`OpeningHours`); ``None``: ``opens_at``–``closes_at`` every day. ``opens_at``
    and ``closes_at`` stay the widest hours of the week (the span a floor-day's slots cover)."""
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    site: Mapped[Site] = relationship(back_populates="buildings", lazy="raise")
    floors: Mapped[list["Floor"]] = relationship(back_populates="building", lazy="raise", order_by="Floor.level")


class Floor(Base):
    __tablename__ = "floors"
    __table_args__ = (UniqueConstraint("building_id", "level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    building_id: Mapped[int] = mapped_column(ForeignKey("buildings.id", ondelete="CASCADE"), index=True)
    level: Mapped[int] = mapped_column(Integer)
    name: Mapped[str] = mapped_column(String(100))
    width: Mapped[float] = mapped_column(Float)
    height: Mapped[float] = mapped_column(Float)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    building: Mapped[Building] = relationship(back_populates="floors", lazy="raise")
    zones: Mapped[list["Zone"]] = relationship(back_populates="floor", lazy="raise", order_by="Zone.code")
    spaces: Mapped[list["Space"]] = relationship(back_populates="floor", lazy="raise", order_by="Space.code")


class Zone(Base):
    """A neighbourhood on a floor, usually the home of one org unit's hot desks."""

    __tablename__ = "zones"
    __table_args__ = (UniqueConstraint("floor_id", "code"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    floor_id: Mapped[int] = mapped_column(ForeignKey("floors.id", ondelete="CASCADE"), index=True)
    code: Mapped[str] = mapped_column(String(32))
    name: Mapped[str] = mapped_column(String(200))
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id", ondelete="SET NULL"), index=True)
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    width: Mapped[float] = mapped_column(Float)
    height: Mapped[float] = mapped_column(Float)
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    floor: Mapped[Floor] = relationship(back_populates="zones", lazy="raise")


class Space(Base):
    """Anything bookable: a desk or a meeting room.

    One table for both so that a single exclusion constraint (space × time range) guards every booking.
    """

    __tablename__ = "spaces"
    __table_args__ = (
        UniqueConstraint("floor_id", "code"),
        CheckConstraint("width > 0 AND height > 0", name="positive_size"),
        CheckConstraint("kind = 'desk' OR capacity >= 1", name="room_capacity"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    floor_id: Mapped[int] = mapped_column(ForeignKey("floors.id", ondelete="CASCADE"), index=True)
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id", ondelete="SET NULL"), index=True)
    kind: Mapped[SpaceKind] = mapped_column(str_enum(SpaceKind, 8))
    code: Mapped[str] = mapped_column(String(32))
    """Human label, unique on its floor, e.g. ``T2-3-B14``."""
    name: Mapped[str | None] = mapped_column(String(200))
    x: Mapped[float] = mapped_column(Float)
    y: Mapped[float] = mapped_column(Float)
    width: Mapped[float] = mapped_column(Float)
    height: Mapped[float] = mapped_column(Float)
    rotation: Mapped[float] = mapped_column(Float, default=0.0)
    amenities: Mapped[list[str]] = mapped_column(JSON, default=list)
    capacity: Mapped[int] = mapped_column(Integer, default=1)
    assigned_employee_id: Mapped[int | None] = mapped_column(
        ForeignKey("employees.id", ondelete="SET NULL"), index=True
    )
    """Desks only: the owner of an assigned desk. Others may book it on days the owner released (DeskRelease)."""
    requires_approval: Mapped[bool] = mapped_column(Boolean, default=False)
    """Rooms only: bookings start pending until one of the room's approvers accepts them."""
    bookable_hours: Mapped[dict[str, list[str]] | None] = mapped_column(JSON)
    """Rooms only: local hours per ISO weekday, ``{"1": ["08:00", "17:00"], ...}`` (1 = Monday); a weekday
    missing from the map is not bookable. ``None`` means the building's opening hours on every day."""
    bookable: Mapped[bool] = mapped_column(Boolean, default=True, server_default="1")
    """False: shown on the plan but nobody may book it (a desk out of service, a room kept for events)."""
    retired_at: Mapped[datetime | None] = mapped_column(UTCDateTime)

    floor: Mapped[Floor] = relationship(back_populates="spaces", lazy="raise")
    zone: Mapped[Zone | None] = relationship(lazy="raise")

    @property
    def is_assigned(self) -> bool:
        return self.assigned_employee_id is not None


class FloorPlan(Base):
    """A floor's plan image (SVG or PNG), drawn under its desks and rooms. Stored in the database, so every
    process serves the same image and a backup holds it; served with a restrictive CSP (an SVG may carry script)."""

    __tablename__ = "floor_plans"

    floor_id: Mapped[int] = mapped_column(ForeignKey("floors.id", ondelete="CASCADE"), primary_key=True)
    content_type: Mapped[str] = mapped_column(String(40))
    data: Mapped[bytes] = mapped_column(LargeBinary)
    digest: Mapped[str] = mapped_column(String(64))
    """SHA-256 of ``data``, hex: the ETag and the cache-busting part of the image's URL."""
    uploaded_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    uploaded_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))


room_approvers = Table(
    "room_approvers",
    Base.metadata,
    Column("space_id", ForeignKey("spaces.id", ondelete="CASCADE"), primary_key=True),
    Column("employee_id", ForeignKey("employees.id", ondelete="CASCADE"), primary_key=True),
)
"""Who may accept or reject bookings of a room that requires approval."""


class DeskRelease(Base):
    """The owner of an assigned desk lets others book it on one local day."""

    __tablename__ = "desk_releases"
    __table_args__ = (UniqueConstraint("space_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    space_id: Mapped[int] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    day: Mapped[date_type] = mapped_column(Date)
    released_by_id: Mapped[int] = mapped_column(ForeignKey("employees.id", ondelete="CASCADE"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


_CLOSURE_SCOPES = ("site_id", "building_id", "floor_id", "zone_id", "space_id")


class Closure(Base):
    """A closure or blackout of a site, building, floor, zone or single space, with a reason.

    Exactly one of the five scope columns is set (foreign keys rather than a polymorphic id, so that deleting a
    place deletes its closures and no closure can point at nothing).
    """

    __tablename__ = "closures"
    __table_args__ = (
        CheckConstraint("start_at < end_at", name="start_before_end"),
        CheckConstraint(
            " + ".join(f"CAST({c} IS NOT NULL AS INTEGER)" for c in _CLOSURE_SCOPES) + " = 1",
            name="exactly_one_scope",
        ),
        Index("ix_closures_time", "start_at", "end_at"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    site_id: Mapped[int | None] = mapped_column(ForeignKey("sites.id", ondelete="CASCADE"))
    building_id: Mapped[int | None] = mapped_column(ForeignKey("buildings.id", ondelete="CASCADE"))
    floor_id: Mapped[int | None] = mapped_column(ForeignKey("floors.id", ondelete="CASCADE"))
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id", ondelete="CASCADE"))
    space_id: Mapped[int | None] = mapped_column(ForeignKey("spaces.id", ondelete="CASCADE"))
    start_at: Mapped[datetime] = mapped_column(UTCDateTime)
    end_at: Mapped[datetime] = mapped_column(UTCDateTime)
    reason: Mapped[str] = mapped_column(String(500))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
