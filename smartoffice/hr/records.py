"""What a ratings or discipline-cases source says, as records, and the checks a record passes on its own.

Files (:mod:`.reader`) and GraphQL lists (:mod:`.api`) both end here, so a bad NIP, period, rating or pair of
dates is refused in the same words whichever way it came. Where a record is from is its ``position``: the file's
line (the header is line 1 when it is the first; a workbook's row), or its index in a GraphQL list. The field a
problem names is the file's header as it writes it, or the input field.
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum
from typing import TypeVar

from smartoffice.errors import CommonInputCode
from smartoffice.hr.checks import RecordChecker, normalised
from smartoffice.hr.errors import HrRecordCode
from smartoffice.people.siasn.problems import Problem
from smartoffice.policies.models import CaseStatus, Rating

FIRST_PERIOD = 2000
"""The oldest SKP year accepted: anything earlier is a typo (SKP replaced DP3 in 2014; older ratings read nothing)."""
REFERENCE_MAX_LENGTH = 64
T = TypeVar("T")


class RecordKind(StrEnum):
    RATINGS = "ratings"
    CASES = "cases"


class Field(StrEnum):
    NIP = "nip"
    PERIOD = "period"
    RATING = "rating"
    REFERENCE = "reference"
    STATUS = "status"
    OPENED_ON = "opened_on"
    CLOSED_ON = "closed_on"


Names = Mapping[Field, str]
"""How the source calls each field: a file's headers, or GraphQL's input fields."""


@dataclass(frozen=True, slots=True)
class RatingRecord:
    position: int
    nip: str
    period: int
    """The SKP year."""
    rating: Rating


@dataclass(frozen=True, slots=True)
class CaseRecord:
    position: int
    nip: str
    reference: str
    """The HR system's number for the case (a decree's number): with the NIP, what a re-import matches on."""
    status: CaseStatus
    opened_on: date
    closed_on: date | None


Record = RatingRecord | CaseRecord


RATINGS: Mapping[str, Rating] = {normalised(rating.value): rating for rating in Rating}
"""The SKP wording (``Sangat Baik`` … ``Sangat Kurang``) and the enum's values, in any case or spacing."""
STATUSES: Mapping[str, CaseStatus] = {
    **dict.fromkeys(("pending", "pemeriksaan", "dalampemeriksaan", "diperiksa"), CaseStatus.PENDING),
    **dict.fromkeys(("active", "aktif", "berlaku", "menjalanihukuman"), CaseStatus.ACTIVE),
    **dict.fromkeys(("closed", "selesai", "ditutup"), CaseStatus.CLOSED),
}


class Checker(RecordChecker[Field]):
    """Collects one record's problems, each naming the field as the source calls it."""

    def period(self, year: int | None, written: str, today: date) -> int | None:
        if year is None or not FIRST_PERIOD <= year <= today.year:
            self.refuse(Field.PERIOD, HrRecordCode.PERIOD_INVALID, value=written, low=FIRST_PERIOD, high=today.year)
            return None
        return year

    def choice(self, field: Field, text: str | None, choices: Mapping[str, T], code: HrRecordCode) -> T | None:
        value = " ".join((text or "").split())
        if not value:
            self.refuse(field, CommonInputCode.REQUIRED)
            return None
        chosen = choices.get(normalised(value))
        if chosen is None:
            self.refuse(field, code, value=value)
        return chosen

    def reference(self, text: str | None) -> str | None:
        value = " ".join((text or "").split())
        if not value:
            self.refuse(Field.REFERENCE, CommonInputCode.REQUIRED)
            return None
        if len(value) > REFERENCE_MAX_LENGTH:
            self.refuse(Field.REFERENCE, CommonInputCode.TEXT_TOO_LONG, max=REFERENCE_MAX_LENGTH)
            return None
        return value

    def case_dates(self, status: CaseStatus, opened_on: date, closed_on: date | None, written: str) -> bool:
        """A closed case has a closing day, not before its opening; an open one has none."""
        if status == CaseStatus.CLOSED and closed_on is None:
            self.refuse(Field.CLOSED_ON, HrRecordCode.CLOSED_ON_MISSING)
        elif status != CaseStatus.CLOSED and closed_on is not None:
            self.refuse(Field.CLOSED_ON, HrRecordCode.CLOSED_ON_NOT_CLOSED)
        elif closed_on is not None and closed_on < opened_on:
            self.refuse(Field.CLOSED_ON, HrRecordCode.CLOSED_BEFORE_OPENED, value=written, opened=opened_on)
        else:
            return True
        return False


def rating_record(
    position: int, names: Names, problems: list[Problem], today: date, *, nip: str | None, period: int | None,
    period_written: str, rating: str | None,
) -> RatingRecord | None:  # fmt: skip
    """A rating from its values as text (a file's cells) or typed (GraphQL), or None with its problems added."""
    check = Checker(position, names, problems)
    number = check.nip(Field.NIP, nip)
    year = check.period(period, period_written, today)
    chosen = check.choice(Field.RATING, rating, RATINGS, HrRecordCode.RATING_UNKNOWN)
    if check.failed or number is None or year is None or chosen is None:
        return None
    return RatingRecord(position, number, year, chosen)


def case_record(
    position: int, names: Names, problems: list[Problem], *, nip: str | None, reference: str | None,
    status: str | None, opened_on: date | None, closed_on: date | None, closed_written: str,
) -> CaseRecord | None:  # fmt: skip
    """A case from its values (dates already read: a file's bad date is reported where it is read)."""
    check = Checker(position, names, problems)
    number = check.nip(Field.NIP, nip)
    ref = check.reference(reference)
    chosen = check.choice(Field.STATUS, status, STATUSES, HrRecordCode.CASE_STATUS_UNKNOWN)
    if chosen is None or opened_on is None or (closed_on is None and closed_written):
        return None  # a day that could not be read is reported already
    if not check.case_dates(chosen, opened_on, closed_on, closed_written):
        return None
    if check.failed or number is None or ref is None:
        return None
    return CaseRecord(position, number, ref, chosen, opened_on, closed_on)


@dataclass(frozen=True, slots=True)
class RatingItem:
    """A rating as an app sends it (GraphQL): typed, not yet checked."""

    nip: str
    period: int
    rating: Rating


@dataclass(frozen=True, slots=True)
class CaseItem:
    """A case as an app sends it (GraphQL): typed, not yet checked."""

    nip: str
    reference: str
    status: CaseStatus
    opened_on: date
    closed_on: date | None


ITEM_NAMES: Names = {
    Field.NIP: "nip",
    Field.PERIOD: "period",
    Field.RATING: "rating",
    Field.REFERENCE: "reference",
    Field.STATUS: "status",
    Field.OPENED_ON: "openedOn",
    Field.CLOSED_ON: "closedOn",
}
"""The GraphQL input fields, as a problem with an item names them."""


def item_records(
    items: Sequence[RatingItem | CaseItem], problems: list[Problem], today: date
) -> list[RatingRecord | CaseRecord]:
    """Each item checked as a file's row is, its index as its position."""
    records: list[RatingRecord | CaseRecord | None] = []
    for index, item in enumerate(items):
        if isinstance(item, RatingItem):
            records.append(
                rating_record(
                    index,
                    ITEM_NAMES,
                    problems,
                    today,
                    nip=item.nip,
                    period=item.period,
                    period_written=str(item.period),
                    rating=item.rating.value,
                )
            )
        else:
            records.append(
                case_record(
                    index,
                    ITEM_NAMES,
                    problems,
                    nip=item.nip,
                    reference=item.reference,
                    status=item.status.value,
                    opened_on=item.opened_on,
                    closed_on=item.closed_on,
                    closed_written=item.closed_on.isoformat() if item.closed_on else "",
                )
            )
    return [record for record in records if record is not None]
