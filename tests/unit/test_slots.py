"""Local days and 15-minute slots, including zones with daylight saving time."""

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from smartoffice.availability.slots import LocalDay, is_on_slot_boundary, local_days, occupy


def test_a_wita_day_starts_at_16_utc_the_day_before_and_has_96_slots() -> None:
    day = LocalDay(date(2026, 11, 23), "Asia/Makassar")
    assert day.start_at == datetime(2026, 11, 22, 16, 0, tzinfo=UTC)
    assert day.end_at == datetime(2026, 11, 23, 16, 0, tzinfo=UTC)
    assert day.slot_count == 96


def test_days_with_a_dst_change_have_92_or_100_slots() -> None:
    assert LocalDay(date(2026, 3, 29), "Europe/Berlin").slot_count == 92
    assert LocalDay(date(2026, 10, 25), "Europe/Berlin").slot_count == 100


def test_slot_range_of_a_working_day() -> None:
    day = LocalDay(date(2026, 11, 23), "Asia/Makassar")
    assert day.slot_range(day.at(time(7, 30)), day.at(time(16, 0))) == (30, 64)


def test_slot_range_rounds_outwards_and_clamps_to_the_day() -> None:
    day = LocalDay(date(2026, 11, 23), "Asia/Makassar")
    assert day.slot_range(day.at(time(9, 5)), day.at(time(9, 20))) == (36, 38)
    before, after = datetime(2026, 11, 22, 10, tzinfo=UTC), datetime(2026, 11, 24, 10, tzinfo=UTC)
    assert day.slot_range(before, after) == (0, 96)


def test_a_booking_made_from_jakarta_maps_to_the_ikn_day() -> None:
    # 08:00 WIB (UTC+7) is 09:00 WITA (UTC+8): the same instant, a different wall clock.
    jakarta_eight = datetime(2026, 11, 23, 8, 0, tzinfo=ZoneInfo("Asia/Jakarta"))
    [day] = local_days(jakarta_eight, jakarta_eight.replace(hour=9), "Asia/Makassar")
    assert day.day == date(2026, 11, 23)
    assert day.slot_of(jakarta_eight) == 36  # 09:00 WITA


def test_local_days_of_a_range_across_the_16_00_utc_boundary() -> None:
    start = datetime(2026, 11, 23, 15, 0, tzinfo=UTC)  # 23:00 WITA on the 23rd
    end = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)  # 01:00 WITA on the 24th
    assert [d.day for d in local_days(start, end, "Asia/Makassar")] == [
        date(2026, 11, 23),
        date(2026, 11, 24),
    ]
    assert [d.day for d in local_days(start, start.replace(hour=16), "Asia/Makassar")] == [date(2026, 11, 23)]


def test_slot_boundaries_and_occupy() -> None:
    day = LocalDay(date(2026, 11, 23), "Asia/Makassar")
    assert is_on_slot_boundary(day.at(time(9, 45)), day)
    assert not is_on_slot_boundary(day.at(time(9, 50)), day)
    assert occupy("0000", 1, 3) == "0110"
