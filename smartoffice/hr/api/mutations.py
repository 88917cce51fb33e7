"""``importPerformanceRatings`` and ``importDisciplineCases``: upserts from an HR system, all or nothing.

Apps need the ``hr:write`` scope, and their owner must be an administrator (as must a person signed in); the
service decides the latter (``PermissionDeniedError``) and refuses more than 5,000 items (``ValidationError``).
"""

import strawberry

from smartoffice.api.context import Info
from smartoffice.audit.record import Actor
from smartoffice.hr.api.types import (
    HrImportCounts,
    HrItemsInvalidError,
    ImportDisciplineCasesInput,
    ImportDisciplineCasesResult,
    ImportDisciplineCasesSuccess,
    ImportPerformanceRatingsInput,
    ImportPerformanceRatingsResult,
    ImportPerformanceRatingsSuccess,
)
from smartoffice.hr.records import RecordKind
from smartoffice.identity.scopes import Scope


@strawberry.type
class HrMutation:
    @strawberry.mutation(
        description="Administrators (apps: hr:write): create or update performance ratings (SKP), at most 5,000 "
        "per call, matched by NIP and period. All or nothing: any bad item (an unknown NIP, a year out of range, "
        "a rating twice) writes none and is listed in HrItemsInvalidError with its index."
    )
    async def import_performance_ratings(
        self, info: Info, input: ImportPerformanceRatingsInput
    ) -> ImportPerformanceRatingsResult:
        owner = info.context.require_viewer()
        info.context.require_scope(Scope.HR_WRITE)
        items = [item.to_item() for item in input.ratings]
        actor = Actor(owner, info.context.via)
        result = await info.context.runtime.hr_records.import_items(RecordKind.RATINGS, items, actor=actor)
        if not result.plan.is_valid:
            return HrItemsInvalidError.of(result.plan, info.context.language)
        return ImportPerformanceRatingsSuccess(counts=HrImportCounts.of(result.plan))

    @strawberry.mutation(
        description="Administrators (apps: hr:write): create or update discipline cases, at most 5,000 per call, "
        "matched by NIP and reference (the HR system's number). All or nothing: any bad item (an unknown NIP, a "
        "closing day before the opening, a case twice) writes none and is listed in HrItemsInvalidError."
    )
    async def import_discipline_cases(
        self, info: Info, input: ImportDisciplineCasesInput
    ) -> ImportDisciplineCasesResult:
        owner = info.context.require_viewer()
        info.context.require_scope(Scope.HR_WRITE)
        items = [item.to_item() for item in input.cases]
        actor = Actor(owner, info.context.via)
        result = await info.context.runtime.hr_records.import_items(RecordKind.CASES, items, actor=actor)
        if not result.plan.is_valid:
            return HrItemsInvalidError.of(result.plan, info.context.language)
        return ImportDisciplineCasesSuccess(counts=HrImportCounts.of(result.plan))
