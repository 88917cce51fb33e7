"""What the policy engine's reasons and problems say to people, in their language.

The engine names a reason (:class:`~smartoffice.policies.engine.ReasonCode`) or a problem
(:attr:`~smartoffice.policies.engine.Problem.code`) and its numbers; :func:`explain` puts them into a sentence: days
as the language writes them, counts with the right plural, ratings by their labels. The "my week" page and
GraphQL's ``myWeek`` / ``unitCompliance`` say the same words.
"""

from collections.abc import Iterable, Mapping
from datetime import date

from smartoffice import formats
from smartoffice.i18n import Language, gettext, ngettext
from smartoffice.labels import rating_label
from smartoffice.policies.day_rules import ReasonCode
from smartoffice.policies.models import Rating


def explain(language: Language, code: str, params: Mapping[str, object]) -> str:
    """A reason or a problem of a week's plan in words. Raises ValueError for a code without words."""
    match code:
        # why a day is required in the office, or why the week needs what it needs
        case ReasonCode.OFFICE_EVERY_WORKING_DAY:
            return gettext(language, "Public service: in the office every working day")
        case ReasonCode.ANCHOR_DAY:
            return gettext(language, "Your unit's anchor day")
        case ReasonCode.NOT_ELIGIBLE:
            return gettext(language, "Not eligible for remote days")
        case ReasonCode.OPEN_DISCIPLINE_CASE if params.get("suspends_exemption"):
            return gettext(
                language,
                "A disciplinary case is open or a sanction is in force: it suspends your exemption's remote days",
            )
        case ReasonCode.OPEN_DISCIPLINE_CASE:
            return gettext(language, "A disciplinary case is open or a sanction is in force")
        case ReasonCode.TOO_NEW_IN_POST:
            return ngettext(
                language,
                "%(num)d day in the post; remote days need %(needed)s",
                "%(num)d days in the post; remote days need %(needed)s",
                _count(params, "days"),
                needed=params["needed"],
            )
        case ReasonCode.RATING_NOT_ALLOWED:
            return gettext(
                language,
                "Latest performance rating (%(rating)s) is not one of: %(allowed)s",
                rating=rating_label(language, _rating(params.get("rating"))),
                allowed=", ".join(rating_label(language, _rating(r)) for r in _items(params.get("allowed"))),
            )
        case ReasonCode.MAX_REMOTE_DAYS if params.get("prorated"):
            return ngettext(
                language,
                "At most %(num)d remote day in this week of %(working_days)s working days (pro-rated)",
                "At most %(num)d remote days in this week of %(working_days)s working days (pro-rated)",
                _count(params, "remote_days"),
                working_days=params["working_days"],
            )
        case ReasonCode.MAX_REMOTE_DAYS:
            return ngettext(
                language,
                "At most %(num)d remote day in this week of %(working_days)s working days",
                "At most %(num)d remote days in this week of %(working_days)s working days",
                _count(params, "remote_days"),
                working_days=params["working_days"],
            )
        case ReasonCode.MIN_OFFICE_DAYS:
            return ngettext(
                language,
                "At least %(num)d office day this week",
                "At least %(num)d office days this week",
                _count(params, "office_days"),
            )
        case ReasonCode.SUPERVISOR_COPRESENCE:
            return gettext(language, "Office days shared with your direct supervisor")
        case ReasonCode.EXEMPTION:
            return ngettext(
                language,
                "An approved exemption allows %(num)d remote day this week",
                "An approved exemption allows %(num)d remote days this week",
                _count(params, "remote_days"),
            )
        # what is wrong with a week, or at risk of going wrong
        case "REQUIRED_DAY_MISSED":
            return gettext(language, "Not in the office on %(day)s, a required office day", day=_day(language, params))
        case "REQUIRED_DAY_NOT_PLANNED":
            return gettext(
                language,
                "%(day)s is a required office day and no desk or office day is planned",
                day=_day(language, params),
            )
        case "TOO_FEW_OFFICE_DAYS":
            return ngettext(
                language,
                "%(num)d office day planned or worked; %(needed)s needed",
                "%(num)d office days planned or worked; %(needed)s needed",
                _count(params, "office_days"),
                needed=params["needed"],
            )
        case "TOO_MANY_REMOTE_DAYS":
            return ngettext(
                language,
                "%(num)d remote day; at most %(allowed)s allowed",
                "%(num)d remote days; at most %(allowed)s allowed",
                _count(params, "remote_days"),
                allowed=params["allowed"],
            )
        case "NO_ATTENDANCE_DATA":
            return ngettext(
                language,
                "No attendance data for %(num)d past working day (from %(day)s): not counted as absent",
                "No attendance data for %(num)d past working days (from %(day)s): not counted as absent",
                _count(params, "days"),
                day=_day(language, {"day": params.get("first")}),
            )
        case "TOO_FEW_DAYS_WITH_SUPERVISOR":
            return ngettext(
                language,
                "%(num)d office day with your direct supervisor; %(needed)s needed",
                "%(num)d office days with your direct supervisor; %(needed)s needed",
                _count(params, "shared"),
                needed=params["needed"],
            )
    raise ValueError(f"no words for the policy code {code!r}")


def _count(params: Mapping[str, object], name: str) -> int:
    value = params[name]
    if not isinstance(value, int):
        raise TypeError(f"{name} is not a count: {value!r}")
    return value


def _day(language: Language, params: Mapping[str, object]) -> str:
    day = params["day"]
    return formats.day_month(language, day) if isinstance(day, date) else str(day)


def _rating(value: object) -> Rating | None:
    return Rating(value) if isinstance(value, str) else None


def _items(value: object) -> Iterable[object]:
    return value if isinstance(value, tuple | list) else ()
