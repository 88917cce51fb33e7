"""The inputs and results of the HR imports. A bad item does not raise: the service returns its plan's problems,
each with its index, and the resolver answers them as :class:`HrItemsInvalidError` (nothing written)."""

import datetime as dt
from enum import Enum
from typing import Annotated, Self

import strawberry

from smartoffice.api.errors import Error, ErrorCode, PermissionDeniedError, ValidationError
from smartoffice.hr.errors import HrRecordCode
from smartoffice.hr.plan import ChangeKind, HrPlan
from smartoffice.hr.records import CaseItem, RatingItem
from smartoffice.i18n import Language
from smartoffice.policies import models
from smartoffice.policies.api.policy_types import PerformanceRating


@strawberry.input(description="One person's performance rating (SKP predikat kinerja) for a year.")
class PerformanceRatingItem:
    nip: str = strawberry.field(description="The person's NIP or NI PPPK (18 digits; spaces are ignored).")
    period: int = strawberry.field(description="The SKP year, from 2000 to this year.")
    rating: PerformanceRating = strawberry.field(description="The rating (predikat kinerja).")

    def to_item(self) -> RatingItem:
        return RatingItem(self.nip, self.period, models.Rating[self.rating.name])


@strawberry.input(description="Performance ratings to create or update, at most 5,000.")
class ImportPerformanceRatingsInput:
    ratings: list[PerformanceRatingItem] = strawberry.field(
        description="Matched by NIP and period: a new one is created, a different rating replaces the stored one. "
        "Ratings not listed are left as they are."
    )


@strawberry.enum(description="Where a discipline case stands.")
class DisciplineCaseStatus(Enum):
    PENDING = strawberry.enum_value(models.CaseStatus.PENDING.value, description="Under examination.")
    ACTIVE = strawberry.enum_value(models.CaseStatus.ACTIVE.value, description="A sanction in force.")
    CLOSED = strawberry.enum_value(models.CaseStatus.CLOSED.value, description="Closed on `closedOn`.")


@strawberry.input(description="One discipline case (hukuman disiplin) as the HR system holds it.")
class DisciplineCaseItem:
    nip: str = strawberry.field(description="The person's NIP or NI PPPK (18 digits; spaces are ignored).")
    reference: str = strawberry.field(
        description="The HR system's number for the case (e.g. the decree's number), at most 64 characters: with "
        "the NIP, what a later import matches on."
    )
    status: DisciplineCaseStatus
    opened_on: dt.date = strawberry.field(description="The day the case was opened.")
    closed_on: dt.date | None = strawberry.field(
        default=None, description="The day it closed: required for a CLOSED case, not before `openedOn`; else null."
    )

    def to_item(self) -> CaseItem:
        status = models.CaseStatus[self.status.name]
        return CaseItem(self.nip, self.reference, status, self.opened_on, self.closed_on)


@strawberry.input(description="Discipline cases to create or update, at most 5,000.")
class ImportDisciplineCasesInput:
    cases: list[DisciplineCaseItem] = strawberry.field(
        description="Matched by NIP and reference: a new one is created, a changed status or date updates the "
        "stored one. Cases not listed are left as they are."
    )


@strawberry.type(description="One item that cannot be imported, and why.")
class HrItemProblem:
    index: int = strawberry.field(description="The item's position in the list, from 0.")
    field: str = strawberry.field(description="The item's field at fault (`nip`, `period`, `closedOn` ...).")
    code: Enum = strawberry.field(graphql_type=ErrorCode, description="Stable machine-readable reason.")
    message: str = strawberry.field(description="Why, for people, in the language you asked for.")


@strawberry.type(description="Some items cannot be imported: nothing was written. Each problem names its item.")
class HrItemsInvalidError(Error):
    problems: list[HrItemProblem] = strawberry.field(description="Every problem found, by item.")

    @classmethod
    def of(cls, plan: HrPlan, language: Language) -> Self:
        count = len(plan.problems)
        return cls(
            message=HrRecordCode.ITEMS_INVALID.message_in(language, count=count),
            code=ErrorCode[HrRecordCode.ITEMS_INVALID.name],
            problems=[
                HrItemProblem(
                    index=problem.line,
                    field=problem.column or "",
                    code=ErrorCode[problem.code.name],
                    message=problem.message_in(language),
                )
                for problem in plan.problems
            ],
        )


@strawberry.type(description="What an import changed.")
class HrImportCounts:
    created: int = strawberry.field(description="Items that were new.")
    updated: int = strawberry.field(description="Items that changed a stored one.")
    unchanged: int = strawberry.field(description="Items equal to what was stored (nothing written for them).")

    @classmethod
    def of(cls, plan: HrPlan) -> Self:
        return cls(created=plan.count(ChangeKind.NEW), updated=plan.count(ChangeKind.CHANGED), unchanged=plan.unchanged)


@strawberry.type(description="The ratings are stored, each change audited (performance_rating.create/.update).")
class ImportPerformanceRatingsSuccess:
    counts: HrImportCounts


@strawberry.type(description="The cases are stored, each change audited (discipline_case.create/.update).")
class ImportDisciplineCasesSuccess:
    counts: HrImportCounts


ImportPerformanceRatingsResult = Annotated[
    ImportPerformanceRatingsSuccess | HrItemsInvalidError | ValidationError | PermissionDeniedError,
    strawberry.union("ImportPerformanceRatingsResult"),
]
ImportDisciplineCasesResult = Annotated[
    ImportDisciplineCasesSuccess | HrItemsInvalidError | ValidationError | PermissionDeniedError,
    strawberry.union("ImportDisciplineCasesResult"),
]
