"""A seat quota: the most desks an organisation (or an org unit's subtree) may hold in a place on a weekday.

In Nusantara's shared towers several ministries sit in one building. A facilities manager gives each a share:
"Kementerian PUPR: 120 seats of T2 floor 3 on Tuesdays". A desk booking that would put the holder's people above
the share is refused with a typed error naming the quota (``smartoffice.quotas``), inside the booking
transaction and without a race; availability shows each person what their organisation may still book.
"""

from datetime import datetime

from sqlalchemy import Boolean, CheckConstraint, ForeignKey, Index, Integer, String, false, text
from sqlalchemy.orm import Mapped, mapped_column

from smartoffice.db import Base, UTCDateTime, utcnow

QUOTA_HOLDERS = ("organisation_id", "org_unit_id")
QUOTA_SCOPES = ("building_id", "floor_id", "zone_id")


def _exactly_one(columns: tuple[str, ...]) -> str:
    return " + ".join(f"CAST({c} IS NOT NULL AS INTEGER)" for c in columns) + " = 1"


class SeatQuota(Base):
    __tablename__ = "seat_quotas"
    __table_args__ = (
        CheckConstraint(_exactly_one(QUOTA_HOLDERS), name="exactly_one_holder"),
        CheckConstraint(_exactly_one(QUOTA_SCOPES), name="exactly_one_scope"),
        CheckConstraint("weekday BETWEEN 1 AND 7", name="iso_weekday"),
        CheckConstraint("seats >= 0", name="seats_not_negative"),
        Index(
            "uq_seat_quotas_share",
            *(text(f"coalesce({c}, 0)") for c in (*QUOTA_HOLDERS, *QUOTA_SCOPES)),
            "weekday",
            unique=True,
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    organisation_id: Mapped[int | None] = mapped_column(ForeignKey("organisations.id", ondelete="CASCADE"), index=True)
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_units.id", ondelete="CASCADE"), index=True)
    """A unit's quota binds the people of the unit and every unit below it."""
    building_id: Mapped[int | None] = mapped_column(ForeignKey("buildings.id", ondelete="CASCADE"), index=True)
    floor_id: Mapped[int | None] = mapped_column(ForeignKey("floors.id", ondelete="CASCADE"), index=True)
    zone_id: Mapped[int | None] = mapped_column(ForeignKey("zones.id", ondelete="CASCADE"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    """ISO weekday, 1 = Monday."""
    seats: Mapped[int] = mapped_column(Integer)
    """The most people of the holder with a desk booked in the place on that weekday's local day."""
    exclusive: Mapped[bool] = mapped_column(Boolean, default=False, server_default=false())
    """Zone quotas only: the zone is reserved for the holder that weekday, nobody else may book
    its desks there (the "set of zones" of issue 12). Several holders' exclusive quotas of one zone share it."""
    note: Mapped[str | None] = mapped_column(String(200))
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("employees.id", ondelete="SET NULL"))
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
