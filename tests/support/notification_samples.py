"""A notification of every kind, with the ``data`` its producer would give it (smartoffice.notifications.kinds), for
tests that put notifications into words or email without a database.

* ``sample_data(kind, **overrides)`` is that kind's ``data``;
* ``sample_notification(kind, id=, recipient_id=, **overrides)`` an unsaved :class:`Notification` holding it.

The booking is desk A12 (or room "Ruang Rapat Mahakam") in Asia/Makassar (WITA, UTC+8), on Wednesday
9 December 2026 from 08:00 to 17:00 local (00:00-09:00 UTC), for Budi (id 5), booked by Siti (id 6).
"""

from datetime import UTC, datetime
from typing import Any

from smartoffice.notifications.models import Notification, NotificationKind

K = NotificationKind
CREATED_AT = datetime(2026, 12, 8, 10, 0, tzinfo=UTC)

BOOKING: dict[str, Any] = {
    "bookingId": 77,
    "version": 2,
    "status": "booked",
    "spaceKind": "desk",
    "spaceId": 31,
    "spaceName": "A12",
    "floorId": 4,
    "floorName": "Lantai 3",
    "buildingId": 2,
    "buildingName": "Gedung Kemenko",
    "timeZone": "Asia/Makassar",
    "startAt": "2026-12-09T00:00:00+00:00",
    "endAt": "2026-12-09T09:00:00+00:00",
    "title": None,
    "personId": 5,
    "personName": "Budi Santoso",
    "bookedById": 6,
    "bookedByName": "Siti Rahma",
    "actorName": None,
}
ROOM: dict[str, Any] = {
    **BOOKING,
    "spaceKind": "room",
    "spaceId": 32,
    "spaceName": "Ruang Rapat Mahakam",
    "title": "Rapat anggaran",
    "startAt": "2026-12-09T02:00:00+00:00",
    "endAt": "2026-12-09T03:30:00+00:00",
}
EXEMPTION: dict[str, Any] = {
    "exemptionId": 12,
    "personId": 5,
    "personName": "Budi Santoso",
    "startsOn": "2027-01-04",
    "endsOn": "2027-03-26",
    "remoteDaysPerWeek": 2,
    "reason": "Perawatan orang tua",
    "actorName": "Budi Santoso",
}

SAMPLES: dict[NotificationKind, dict[str, Any]] = {
    K.BOOKING_CONFIRMED: {**BOOKING, "actorName": "Siti Rahma"},
    K.BOOKING_CANCELLED: {**BOOKING, "version": 3, "status": "cancelled", "reason": "Banjir", "byClosure": True},
    K.ROOM_INVITATION: {
        **ROOM,
        "method": "REQUEST",
        "organiserName": "Siti Rahma",
        "organiserEmail": "siti@example.id",
        "actorName": "Siti Rahma",
    },
    K.APPROVAL_REQUESTED: {**ROOM, "status": "pending", "actorName": "Siti Rahma"},
    K.APPROVAL_DECIDED: {**ROOM, "approved": False, "note": "Ruangan dipakai pimpinan", "actorName": "Dewi Lestari"},
    K.EXEMPTION_REQUESTED: EXEMPTION,
    K.EXEMPTION_DECIDED: {**EXEMPTION, "approved": True, "note": "Disetujui sampai Maret", "actorName": "Dewi Lestari"},
    K.CHECK_IN_REMINDER: {**BOOKING, "releaseAt": "2026-12-09T01:30:00+00:00"},
    K.NO_SHOW_RELEASED: {**BOOKING, "version": 3, "status": "released"},
    K.WAITLIST_GRANTED: BOOKING,
    K.WEEKLY_REMINDER: {
        "weekStart": "2026-12-14",
        "timeZone": "Asia/Makassar",
        "days": [{"date": "2026-12-15", "booked": True}, {"date": "2026-12-17", "booked": False}],
    },
    K.UNIT_DIGEST: {
        "unitId": 9,
        "unitName": "Direktorat Regional I",
        "weekStart": "2026-12-07",
        "members": 3,
        "compliant": 2,
        "notCompliant": 1,
        "lines": [
            {"personName": "Agus Salim", "required": 3, "attended": 1, "compliant": False},
            {"personName": "Budi Santoso", "required": 3, "attended": 3, "compliant": True},
        ],
    },
}


def sample_data(kind: NotificationKind, **overrides: Any) -> dict[str, Any]:
    return {**SAMPLES[kind], **overrides}


def sample_notification(
    kind: NotificationKind, *, id: int = 1, recipient_id: int = 5, **overrides: Any
) -> Notification:
    return Notification(
        id=id,
        recipient_id=recipient_id,
        kind=kind,
        dedupe_key=f"sample:{id}",
        data=sample_data(kind, **overrides),
        created_at=CREATED_AT,
        in_app=True,
    )
