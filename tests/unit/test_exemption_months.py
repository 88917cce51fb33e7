"""Point 4 of issue 14: "at most 3 months" counts calendar months, not 92 days."""

from datetime import date

import pytest

from smartoffice.policies.exemptions import latest_end, months_end
from smartoffice.policies.rules import PolicyRules


@pytest.mark.parametrize(
    ("starts_on", "months", "last_day"),
    [
        (date(2026, 12, 14), 3, date(2027, 3, 13)),  # the case: 15 March was accepted
        (date(2026, 12, 1), 3, date(2027, 2, 28)),
        (date(2026, 11, 30), 3, date(2027, 2, 28)),  # no 30 February: the month's last day
        (date(2027, 11, 30), 3, date(2028, 2, 29)),  # a leap year
        (date(2026, 12, 31), 3, date(2027, 3, 30)),
        (date(2026, 10, 31), 1, date(2026, 11, 30)),
        (date(2026, 7, 6), 12, date(2027, 7, 5)),
    ],
)
def test_a_period_of_calendar_months_ends_the_day_before_the_same_day(
    starts_on: date, months: int, last_day: date
) -> None:
    assert months_end(starts_on, months) == last_day


def test_three_calendar_months_unless_a_policy_states_a_limit() -> None:
    start = date(2026, 12, 14)

    assert latest_end(start, PolicyRules()) == date(2027, 3, 13)
    assert latest_end(start, PolicyRules(exemption_max_days=92)) == date(2027, 3, 15)  # a day count stays one
    assert latest_end(start, PolicyRules(exemption_max_months=1)) == date(2027, 1, 13)
    assert latest_end(start, PolicyRules(exemption_max_days=30, exemption_max_months=3)) == date(2027, 1, 12)
