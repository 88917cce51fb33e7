"""The working calendar without a database: what the ``holidays`` package gives, and how overrides change it."""

import dataclasses
from collections.abc import Iterator
from datetime import date, timedelta

import pytest

from smartoffice.workcalendar import service
from smartoffice.workcalendar.models import DayKind
from smartoffice.workcalendar.service import WorkingCalendar, generated_days

NEW_YEAR_2026 = date(2026, 1, 1)
END_OF_2026 = date(2026, 12, 31)


def every_day(first: date, last: date) -> Iterator[date]:
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


class TestGeneratedDays:
    def test_2026_has_17_public_holidays_and_8_days_of_cuti_bersama(self) -> None:
        days = generated_days([2026])

        kinds = [kind for kind, _name in days.values()]
        assert kinds.count(DayKind.PUBLIC_HOLIDAY) == 17
        assert kinds.count(DayKind.COLLECTIVE_LEAVE) == 8
        assert len(days) == 25

    def test_each_category_gives_its_kind(self) -> None:
        days = generated_days([2026])

        assert days[date(2026, 8, 17)] == (DayKind.PUBLIC_HOLIDAY, "Hari Kemerdekaan Republik Indonesia")
        assert days[date(2026, 3, 21)] == (DayKind.PUBLIC_HOLIDAY, "Hari Raya Idul Fitri")  # a Saturday
        assert days[date(2026, 3, 20)] == (DayKind.COLLECTIVE_LEAVE, "Cuti Bersama Hari Raya Idul Fitri")
        assert days[date(2026, 12, 24)] == (DayKind.COLLECTIVE_LEAVE, "Cuti Bersama Hari Raya Natal")

    def test_several_years_at_once(self) -> None:
        days = generated_days([2026, 2027])

        assert {d.year for d in days} == {2026, 2027}
        assert days[date(2027, 1, 1)] == (DayKind.PUBLIC_HOLIDAY, "Tahun Baru Masehi")

    def test_names_are_indonesian_whatever_the_locale(self, monkeypatch: pytest.MonkeyPatch) -> None:
        # Left to itself the package names holidays in the language of the process's locale.
        monkeypatch.setenv("LANGUAGE", "en_US")
        service._generated_year.cache_clear()
        try:
            assert generated_days([2026])[date(2026, 12, 25)] == (DayKind.PUBLIC_HOLIDAY, "Hari Raya Natal")
        finally:
            service._generated_year.cache_clear()

    def test_callers_cannot_change_the_cached_year(self) -> None:
        days = generated_days([2026])
        days.clear()

        assert len(generated_days([2026])) == 25


class TestWorkingCalendar2026:
    """The calendar of a standard employee: Monday–Friday (Perpres 21/2023) minus holidays and cuti bersama."""

    @pytest.fixture
    def calendar(self) -> WorkingCalendar:
        return WorkingCalendar.build(NEW_YEAR_2026, END_OF_2026)

    def test_240_working_days(self, calendar: WorkingCalendar) -> None:
        working = calendar.working_days(NEW_YEAR_2026, END_OF_2026)

        assert len(working) == 240
        assert all(day.weekday() < 5 for day in working)
        assert working[0] == date(2026, 1, 2)  # 1 January is Tahun Baru Masehi

    def test_working_days_agree_with_is_working_day(self, calendar: WorkingCalendar) -> None:
        expected = [d for d in every_day(NEW_YEAR_2026, END_OF_2026) if calendar.is_working_day(d)]

        assert calendar.working_days(NEW_YEAR_2026, END_OF_2026) == expected

    def test_a_holiday_is_closed_with_its_name(self, calendar: WorkingCalendar) -> None:
        independence_day = date(2026, 8, 17)  # a Monday

        assert calendar.kind(independence_day) is DayKind.PUBLIC_HOLIDAY
        assert calendar.name(independence_day) == "Hari Kemerdekaan Republik Indonesia"
        assert not calendar.is_working_day(independence_day)
        assert calendar.closure_reason(independence_day) == "Hari Kemerdekaan Republik Indonesia"

    def test_cuti_bersama_is_closed_with_its_name(self, calendar: WorkingCalendar) -> None:
        day = date(2026, 3, 23)

        assert calendar.kind(day) is DayKind.COLLECTIVE_LEAVE
        assert not calendar.is_working_day(day)
        assert calendar.closure_reason(day) == "Cuti Bersama Hari Raya Idul Fitri"

    def test_ordinary_days(self, calendar: WorkingCalendar) -> None:
        tuesday, saturday = date(2026, 7, 7), date(2026, 7, 11)

        for day in (tuesday, saturday):
            assert calendar.kind(day) is None
            assert calendar.name(day) is None
            assert calendar.closure_reason(day) is None
        assert calendar.is_working_day(tuesday)
        assert not calendar.is_working_day(saturday)

    def test_entries_list_the_marked_days_in_date_order(self, calendar: WorkingCalendar) -> None:
        entries = list(calendar.entries.values())

        assert len(entries) == 25
        assert [e.day for e in entries] == sorted(e.day for e in entries)
        assert not any(e.overridden for e in entries)
        assert entries[0] == service.CalendarEntry(NEW_YEAR_2026, DayKind.PUBLIC_HOLIDAY, "Tahun Baru Masehi", False)

    def test_days_outside_the_range_are_refused(self, calendar: WorkingCalendar) -> None:
        with pytest.raises(ValueError, match="outside"):
            calendar.is_working_day(date(2027, 1, 4))
        with pytest.raises(ValueError, match="outside"):
            calendar.working_days(date(2025, 12, 29), END_OF_2026)


class TestOverrides:
    def test_moving_a_holiday(self) -> None:
        # given: the government moves Maulid Nabi (Tue 25 Aug 2026) to Friday 28 Aug
        maulid, friday = date(2026, 8, 25), date(2026, 8, 28)
        moved = {
            maulid: (DayKind.WORKING_DAY, "Maulid Nabi dipindahkan"),
            friday: (DayKind.PUBLIC_HOLIDAY, "Maulid Nabi Muhammad"),
        }

        # when
        calendar = WorkingCalendar.build(date(2026, 8, 1), date(2026, 8, 31), moved)

        # then
        assert calendar.is_working_day(maulid)
        assert calendar.kind(maulid) is DayKind.WORKING_DAY
        assert calendar.closure_reason(maulid) is None
        assert not calendar.is_working_day(friday)
        assert calendar.closure_reason(friday) == "Maulid Nabi Muhammad"
        assert calendar.entries[friday].overridden
        unmoved = WorkingCalendar.build(date(2026, 8, 1), date(2026, 8, 31))
        assert len(calendar.working_days(date(2026, 8, 1), date(2026, 8, 31))) == len(
            unmoved.working_days(date(2026, 8, 1), date(2026, 8, 31))
        )

    def test_a_saturday_made_a_working_day(self) -> None:
        saturday = date(2026, 3, 28)
        calendar = WorkingCalendar.build(saturday, saturday, {saturday: (DayKind.WORKING_DAY, "Hari kerja pengganti")})

        assert calendar.is_working_day(saturday)
        assert calendar.working_days(saturday, saturday) == [saturday]
        assert calendar.name(saturday) == "Hari kerja pengganti"

    def test_cuti_bersama_made_a_public_holiday_keeps_the_override_name(self) -> None:
        day = date(2026, 12, 24)
        calendar = WorkingCalendar.build(day, day, {day: (DayKind.PUBLIC_HOLIDAY, "Malam Natal")})

        assert calendar.kind(day) is DayKind.PUBLIC_HOLIDAY
        assert calendar.closure_reason(day) == "Malam Natal"

    def test_overrides_across_a_year_boundary(self) -> None:
        first, last = date(2026, 12, 21), date(2027, 1, 8)
        overrides = {
            date(2026, 12, 24): (DayKind.WORKING_DAY, "Cuti bersama dibatalkan"),
            date(2027, 1, 2): (DayKind.WORKING_DAY, "Hari kerja pengganti"),  # a Saturday
            date(2027, 1, 4): (DayKind.COLLECTIVE_LEAVE, "Cuti Bersama Tahun Baru Masehi"),
        }

        calendar = WorkingCalendar.build(first, last, overrides)

        assert calendar.is_working_day(date(2026, 12, 24))
        assert not calendar.is_working_day(date(2026, 12, 25))  # Natal, generated for 2026
        assert not calendar.is_working_day(date(2027, 1, 1))  # Tahun Baru, generated for 2027
        assert calendar.is_working_day(date(2027, 1, 2))
        assert calendar.closure_reason(date(2027, 1, 4)) == "Cuti Bersama Tahun Baru Masehi"
        assert [e.day for e in calendar.entries.values() if e.overridden] == sorted(overrides)

    def test_overrides_outside_the_range_are_left_out(self) -> None:
        day = date(2026, 7, 7)
        calendar = WorkingCalendar.build(day, day, {date(2026, 7, 8): (DayKind.PUBLIC_HOLIDAY, "Elsewhere")})

        assert calendar.entries == {}


class TestImmutability:
    def test_the_calendar_cannot_be_changed(self) -> None:
        calendar = WorkingCalendar.build(NEW_YEAR_2026, NEW_YEAR_2026)

        with pytest.raises(dataclasses.FrozenInstanceError):
            calendar.last = END_OF_2026  # type: ignore[misc]
        with pytest.raises(TypeError):
            calendar.entries[NEW_YEAR_2026] = calendar.entries[NEW_YEAR_2026]  # type: ignore[index]

    def test_a_backwards_range_is_refused(self) -> None:
        with pytest.raises(ValueError, match="before"):
            WorkingCalendar.build(END_OF_2026, NEW_YEAR_2026)
