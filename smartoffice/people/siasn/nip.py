"""Civil-servant numbers: the NIP of a PNS and the NI PPPK of a PPPK, both 18 digits that encode personal data.

::

    PNS   19850312 201001 1 001     birth date YYYYMMDD · first appointment (TMT CPNS) YYYYMM · sex · serial
    PPPK  19920315 2022 2 1 2 004   birth date YYYYMMDD · year appointed YYYY · 2 (PPPK) · round · sex · serial

The PNS layout is BKN's (Peraturan Kepala BKN 22/2007). The NI PPPK layout is as BKN issues them and as public
NIP libraries read them: the 13th digit is always 2; the 14th (the appointment round) is not checked, nor is
anything BKN has not published. Sex is 1 (male) or 2 (female); the serial, among people sharing the first 15
digits, starts at 001.

What can be checked without BKN's register: every part is a real date or an allowed digit, the person was at
least :data:`MIN_AGE_AT_APPOINTMENT` when appointed, the appointment is not after ``today`` (passed in: nothing
here reads the clock), and the birth year is within :data:`MAX_AGE` years of ``today``.
"""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from smartoffice.errors import InvalidInput
from smartoffice.people.models import EmploymentType
from smartoffice.people.siasn.errors import PeopleFileCode

MIN_AGE_AT_APPOINTMENT = 17
"""Years: CPNS and PPPK applicants are at least 18 (PP 11/2017, PP 49/2018); one year of slack for old records."""
MAX_AGE = 80
"""Years: nobody in service is older (retirement is at 58–65, 70 for a few functional posts)."""
PPPK_CODE = "2"


class Sex(StrEnum):
    MALE = "1"
    FEMALE = "2"


@dataclass(frozen=True, slots=True)
class Nip:
    number: str
    employment_type: EmploymentType
    birth_date: date
    appointed: date
    """The first of the month of first appointment (PNS), or 1 January of the year appointed (PPPK)."""
    sex: Sex
    serial: int


def parse_nip(text: str, employment_type: EmploymentType, today: date, *, field: str = "NIP") -> Nip:
    """The number's parts, or :class:`InvalidInput` on ``field`` naming the first part that is wrong."""
    number = text.strip()

    def refuse(code: PeopleFileCode, **params: object) -> InvalidInput:
        return InvalidInput(field, code, value=number, **params)

    if len(number) != 18 or not number.isascii() or not number.isdigit():
        raise refuse(PeopleFileCode.NIP_NOT_18_DIGITS)
    birth = _date_or_none(int(number[0:4]), int(number[4:6]), int(number[6:8]))
    if birth is None:
        raise refuse(PeopleFileCode.NIP_BIRTH_DATE_INVALID)
    low, high = today.year - MAX_AGE, today.year - MIN_AGE_AT_APPOINTMENT
    if not low <= birth.year <= high:
        raise refuse(PeopleFileCode.NIP_BIRTH_YEAR_IMPLAUSIBLE, year=birth.year, low=low, high=high)
    appointed = _appointment(number, employment_type)
    if isinstance(appointed, PeopleFileCode):
        raise refuse(appointed)
    is_pppk = employment_type is EmploymentType.PPPK
    shown = f"{appointed:%Y}" if is_pppk else f"{appointed:%m-%Y}"
    period_end = date(appointed.year, 12, 31) if is_pppk else _month_end(appointed)
    if _years_between(birth, period_end) < MIN_AGE_AT_APPOINTMENT:
        raise refuse(PeopleFileCode.NIP_APPOINTED_TOO_YOUNG, appointed=shown, age=MIN_AGE_AT_APPOINTMENT)
    if appointed > today:
        raise refuse(PeopleFileCode.NIP_APPOINTED_IN_FUTURE, appointed=shown)
    if number[14] not in (Sex.MALE, Sex.FEMALE):
        raise refuse(PeopleFileCode.NIP_SEX_DIGIT_INVALID, digit=number[14])
    if number[15:] == "000":
        raise refuse(PeopleFileCode.NIP_SERIAL_ZERO)
    return Nip(number, employment_type, birth, appointed, Sex(number[14]), int(number[15:]))


def _appointment(number: str, employment_type: EmploymentType) -> date | PeopleFileCode:
    """The start of the appointment period the number records, or why it records none."""
    year = int(number[8:12])
    if employment_type is EmploymentType.PPPK:
        if number[12] != PPPK_CODE:
            return PeopleFileCode.NIP_NOT_PPPK
        return _date_or_none(year, 1, 1) or PeopleFileCode.NIP_APPOINTMENT_INVALID
    month_start = _date_or_none(year, int(number[12:14]), 1)
    if month_start is None and number[12] == PPPK_CODE:
        # a "month" of 20-29 is an NI PPPK's code and round: say that rather than "not a month"
        return PeopleFileCode.NIP_LOOKS_PPPK
    return month_start or PeopleFileCode.NIP_APPOINTMENT_INVALID


def _date_or_none(year: int, month: int, day: int) -> date | None:
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _years_between(earlier: date, later: date) -> int:
    return later.year - earlier.year - ((later.month, later.day) < (earlier.month, earlier.day))


def _month_end(first: date) -> date:
    next_month = date(first.year + first.month // 12, first.month % 12 + 1, 1)
    return date.fromordinal(next_month.toordinal() - 1)
