"""When a notification's email may go (smartoffice.notifications.produce.email_due_at): quiet hours (also across
midnight), the daily digest (never for urgent kinds), read in the person's zone: WITA, which has no summer time,
and Europe/Amsterdam, which has."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from smartoffice.notifications.models import NotificationKind as K
from smartoffice.notifications.models import NotificationSchedule
from smartoffice.notifications.produce import DEFAULT_ZONE, Recipient, email_due_at, in_quiet_hours

WITA = ZoneInfo("Asia/Makassar")
AMSTERDAM = ZoneInfo("Europe/Amsterdam")
DAY = date(2030, 7, 9)
SPRING_FORWARD = date(2030, 3, 31)
"""Amsterdam's clocks go from 02:00 CET to 03:00 CEST: 02:00-02:59 does not exist that night."""
FALL_BACK = date(2030, 10, 27)
"""Amsterdam's clocks go from 03:00 CEST back to 02:00 CET: 02:00-02:59 happens twice."""


def local(day: date, at: time, zone: ZoneInfo = WITA, fold: int = 0) -> datetime:
    """A wall time in ``zone``, as the UTC instant the database stores."""
    return datetime.combine(day, at, zone).replace(fold=fold).astimezone(UTC)


def person(
    zone: str = DEFAULT_ZONE,
    quiet: tuple[time, time] | None = None,
    digest_at: time | None = None,
) -> Recipient:
    schedule = NotificationSchedule(
        quiet_from=quiet[0] if quiet else None,
        quiet_until=quiet[1] if quiet else None,
        daily_digest=digest_at is not None,
        digest_at=digest_at or time(7),
    )
    return Recipient(1, "budi@example.go.id", zone, schedule)


class TestInQuietHours:
    @pytest.mark.parametrize(
        ("moment", "quiet"),
        [
            (time(21), True),  # from is inside
            (time(23, 59), True),
            (time(0), True),
            (time(5, 59, 59), True),
            (time(6), False),  # until is outside
            (time(12), False),
            (time(20, 59), False),
        ],
    )
    def test_across_midnight(self, moment: time, quiet: bool) -> None:
        assert in_quiet_hours(moment, time(21), time(6)) is quiet

    @pytest.mark.parametrize(("moment", "quiet"), [(time(12), True), (time(12, 59), True), (time(13), False)])
    def test_within_a_day(self, moment: time, quiet: bool) -> None:
        assert in_quiet_hours(moment, time(12), time(13)) is quiet

    def test_the_same_start_and_end_is_never_quiet(self) -> None:
        assert not in_quiet_hours(time(8), time(8), time(8))


class TestQuietHours:
    def test_no_schedule_is_now(self) -> None:
        now = local(DAY, time(23))
        assert email_due_at(Recipient(1, "x@example.go.id", DEFAULT_ZONE, None), K.BOOKING_CONFIRMED, now) == now

    def test_late_evening_waits_until_the_next_morning(self) -> None:
        due = email_due_at(person(quiet=(time(21), time(6))), K.BOOKING_CONFIRMED, local(DAY, time(22, 30)))
        assert due == local(date(2030, 7, 10), time(6))

    def test_after_midnight_waits_until_the_same_morning(self) -> None:
        due = email_due_at(person(quiet=(time(21), time(6))), K.BOOKING_CONFIRMED, local(DAY, time(1, 15)))
        assert due == local(DAY, time(6))

    def test_outside_quiet_hours_is_now(self) -> None:
        now = local(DAY, time(6))
        assert email_due_at(person(quiet=(time(21), time(6))), K.BOOKING_CONFIRMED, now) == now

    def test_urgent_kinds_wait_for_quiet_hours_too(self) -> None:
        due = email_due_at(person(quiet=(time(21), time(6))), K.BOOKING_CANCELLED, local(DAY, time(21)))
        assert due == local(date(2030, 7, 10), time(6))

    def test_quiet_hours_are_the_persons_local_time(self) -> None:
        # 22:30 in Amsterdam (summer, UTC+2) is 04:30 WITA the next day: quiet for the one, not the other
        now = local(DAY, time(22, 30), AMSTERDAM)
        assert email_due_at(person("Europe/Amsterdam", (time(21), time(6))), K.BOOKING_CONFIRMED, now) == local(
            date(2030, 7, 10), time(6), AMSTERDAM
        )
        assert email_due_at(person(DEFAULT_ZONE, (time(21), time(6))), K.BOOKING_CONFIRMED, now) == local(
            date(2030, 7, 10), time(6)
        )

    def test_a_night_that_loses_an_hour_ends_at_the_local_morning(self) -> None:
        # 23:00 CET to 06:00 CEST is six hours, not seven
        now = local(date(2030, 3, 30), time(23), AMSTERDAM)
        due = email_due_at(person("Europe/Amsterdam", (time(22), time(6))), K.BOOKING_CONFIRMED, now)
        assert due == datetime(2030, 3, 31, 4, tzinfo=UTC)
        assert (due - now).total_seconds() == 6 * 3600


class TestDailyDigest:
    def test_waits_for_the_next_digest(self) -> None:
        due = email_due_at(person(digest_at=time(7)), K.BOOKING_CONFIRMED, local(DAY, time(8)))
        assert due == local(date(2030, 7, 10), time(7))

    def test_before_the_digest_hour_it_is_today(self) -> None:
        due = email_due_at(person(digest_at=time(7)), K.EXEMPTION_DECIDED, local(DAY, time(6, 59)))
        assert due == local(DAY, time(7))

    def test_at_the_digest_hour_it_is_now(self) -> None:
        now = local(DAY, time(7))
        assert email_due_at(person(digest_at=time(7)), K.WEEKLY_REMINDER, now) == now

    @pytest.mark.parametrize("kind", [K.BOOKING_CANCELLED, K.CHECK_IN_REMINDER, K.APPROVAL_REQUESTED])
    def test_urgent_kinds_skip_the_digest(self, kind: K) -> None:
        now = local(DAY, time(8))
        assert email_due_at(person(digest_at=time(7)), kind, now) == now

    def test_urgent_kinds_skip_the_digest_but_not_quiet_hours(self) -> None:
        due = email_due_at(
            person(quiet=(time(21), time(6)), digest_at=time(7)), K.NO_SHOW_RELEASED, local(DAY, time(23))
        )
        assert due == local(date(2030, 7, 10), time(6))

    def test_a_digest_hour_skipped_by_summer_time_comes_an_hour_later_that_day(self) -> None:
        # 02:30 does not exist on the night clocks go forward: it is read as 03:30 CEST, still ahead at 03:10
        now = local(SPRING_FORWARD, time(3, 10), AMSTERDAM)
        due = email_due_at(person("Europe/Amsterdam", digest_at=time(2, 30)), K.BOOKING_CONFIRMED, now)
        assert due == local(SPRING_FORWARD, time(3, 30), AMSTERDAM)
        assert due > now

    def test_a_digest_hour_that_happens_twice_is_never_in_the_past(self) -> None:
        # at 02:15 CET (the second 02:15) the first 02:30 has gone; the second is 15 minutes ahead
        now = local(FALL_BACK, time(2, 15), AMSTERDAM, fold=1)
        due = email_due_at(person("Europe/Amsterdam", digest_at=time(2, 30)), K.BOOKING_CONFIRMED, now)
        assert due == local(FALL_BACK, time(2, 30), AMSTERDAM, fold=1)
        assert (due - now).total_seconds() == 15 * 60

    def test_wita_has_no_summer_time(self) -> None:
        # the same wall time every day: 07:00 WITA is 23:00 UTC the evening before, in March as in October
        for day in (SPRING_FORWARD, FALL_BACK):
            due = email_due_at(person(digest_at=time(7)), K.BOOKING_CONFIRMED, local(day, time(8)))
            assert due.astimezone(WITA).time() == time(7)
            assert due.astimezone(UTC).time() == time(23)
