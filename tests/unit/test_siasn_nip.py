"""NIP (PNS) and NI PPPK numbers: each part checked, each refusal naming its reason."""

from datetime import date

import pytest

from smartoffice.errors import InvalidInput
from smartoffice.people.models import EmploymentType
from smartoffice.people.siasn import PeopleFileCode, Sex, parse_nip

TODAY = date(2026, 12, 4)
PNS, PPPK = EmploymentType.PNS, EmploymentType.PPPK


def refusal(number: str, kind: EmploymentType = PNS, today: date = TODAY) -> InvalidInput:
    with pytest.raises(InvalidInput) as raised:
        parse_nip(number, kind, today)
    return raised.value


def test_a_pns_nip_is_read_into_its_parts() -> None:
    nip = parse_nip(" 198503122010011001 ", PNS, TODAY)

    assert nip.number == "198503122010011001"
    assert (nip.birth_date, nip.appointed) == (date(1985, 3, 12), date(2010, 1, 1))
    assert (nip.sex, nip.serial) == (Sex.MALE, 1)


def test_an_ni_pppk_is_read_into_its_parts() -> None:
    nip = parse_nip("199203152022212004", PPPK, TODAY)

    assert (nip.birth_date, nip.appointed, nip.sex, nip.serial) == (date(1992, 3, 15), date(2022, 1, 1), Sex.FEMALE, 4)


@pytest.mark.parametrize(
    ("number", "kind", "code", "params"),
    [
        ("19850312201001100", PNS, PeopleFileCode.NIP_NOT_18_DIGITS, {}),
        ("1985031220100110011", PNS, PeopleFileCode.NIP_NOT_18_DIGITS, {}),
        ("19850312201001100X", PNS, PeopleFileCode.NIP_NOT_18_DIGITS, {}),
        ("１９８５０３１２２０１００１１００１", PNS, PeopleFileCode.NIP_NOT_18_DIGITS, {}),  # full-width digits
        ("198502302010011001", PNS, PeopleFileCode.NIP_BIRTH_DATE_INVALID, {}),  # 30 February
        ("198513122010011001", PNS, PeopleFileCode.NIP_BIRTH_DATE_INVALID, {}),
        ("194012122010011001", PNS, PeopleFileCode.NIP_BIRTH_YEAR_IMPLAUSIBLE, {"year": 1940, "low": 1946}),
        ("201512122010011001", PNS, PeopleFileCode.NIP_BIRTH_YEAR_IMPLAUSIBLE, {"high": 2009}),
        ("198503122010131001", PNS, PeopleFileCode.NIP_APPOINTMENT_INVALID, {}),  # month 13
        ("198503122010001001", PNS, PeopleFileCode.NIP_APPOINTMENT_INVALID, {}),  # month 00
        ("198503122001061001", PNS, PeopleFileCode.NIP_APPOINTED_TOO_YOUNG, {"appointed": "06-2001", "age": 17}),
        ("198503122027011001", PNS, PeopleFileCode.NIP_APPOINTED_IN_FUTURE, {"appointed": "01-2027"}),
        ("198503122010013001", PNS, PeopleFileCode.NIP_SEX_DIGIT_INVALID, {"digit": "3"}),
        ("198503122010010001", PNS, PeopleFileCode.NIP_SEX_DIGIT_INVALID, {"digit": "0"}),
        ("198503122010011000", PNS, PeopleFileCode.NIP_SERIAL_ZERO, {}),
        ("199203152022212004", PNS, PeopleFileCode.NIP_LOOKS_PPPK, {}),
        ("198503122010011001", PPPK, PeopleFileCode.NIP_NOT_PPPK, {}),
        ("200003152015212004", PPPK, PeopleFileCode.NIP_APPOINTED_TOO_YOUNG, {"appointed": "2015"}),
        ("199203152027212004", PPPK, PeopleFileCode.NIP_APPOINTED_IN_FUTURE, {"appointed": "2027"}),
        ("199203152022214004", PPPK, PeopleFileCode.NIP_SEX_DIGIT_INVALID, {"digit": "4"}),
        ("199203152022212000", PPPK, PeopleFileCode.NIP_SERIAL_ZERO, {}),
    ],
)
def test_each_refusal_names_its_reason(
    number: str, kind: EmploymentType, code: PeopleFileCode, params: dict[str, object]
) -> None:
    error = refusal(number, kind)

    assert error.error_code is code
    assert error.field == "NIP" and error.params["value"] == number
    assert params.items() <= error.params.items()
    for language in ("en", "id"):
        assert "%(" not in error.message_in(language)


def test_the_age_at_appointment_counts_to_the_end_of_the_month() -> None:
    # born 15 March 1990: 17 during March 2007, not yet in February
    assert parse_nip("199003152007031001", PNS, TODAY).appointed == date(2007, 3, 1)
    assert refusal("199003152007021001").error_code is PeopleFileCode.NIP_APPOINTED_TOO_YOUNG


def test_the_future_is_relative_to_the_day_given() -> None:
    assert refusal("198503122026121001", today=date(2026, 11, 30)).error_code is PeopleFileCode.NIP_APPOINTED_IN_FUTURE
    assert parse_nip("198503122026121001", PNS, date(2026, 12, 1)).appointed == date(2026, 12, 1)


def test_the_field_named_is_the_callers() -> None:
    with pytest.raises(InvalidInput) as raised:
        parse_nip("123", PNS, TODAY, field="NIP Baru")
    assert raised.value.field == "NIP Baru"
    assert raised.value.message == "NIP Baru 123 is not a civil-servant number: it must be 18 digits"
