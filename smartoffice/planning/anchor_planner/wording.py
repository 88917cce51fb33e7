"""The planner's binding constraints in words, for people (GraphQL's ``description``, the planner page)."""

from smartoffice.formats import number, weekday
from smartoffice.i18n import N_, Language, gettext
from smartoffice.planning.anchor_planner.proposal import Binding, BindingKind, PlanResult

WORDS = {
    BindingKind.CAPACITY: N_("%(building)s can hold at most %(limit)s people on %(weekday)s"),
    BindingKind.PINNED: N_("%(unit)s is pinned to its anchor days (%(days)s)"),
    BindingKind.FORBIDDEN: N_("%(unit)s may not meet on %(days)s"),
    BindingKind.CLOSED_DAY: N_("No unit may meet on %(weekday)s"),
    BindingKind.TOGETHER: N_("%(unit)s and %(other)s must share an anchor day"),
    BindingKind.SIBLINGS: N_("%(unit)s and its sibling units should share an anchor day"),
}
NO_DAYS = N_("no day")


def describe_binding(binding: Binding, result: PlanResult, language: Language) -> str:
    """One constraint of :attr:`PlanResult.binding` as a sentence, e.g. "T5 can hold at most 385.9 people on
    Tuesday", "Direktorat A is pinned to its anchor days (Tuesday)"."""
    units = {u.unit_id: u for u in result.units}

    def unit_name(unit_id: int) -> str:
        return units[unit_id].name if unit_id in units else str(unit_id)

    def days(values: frozenset[int]) -> str:
        return ", ".join(weekday(language, d) for d in sorted(values)) or gettext(language, NO_DAYS)

    params: dict[str, object] = {}
    if binding.weekday is not None:
        params["weekday"] = weekday(language, binding.weekday)
    if binding.building_id is not None:
        load = next((d for d in result.loads if d.building_id == binding.building_id), None)
        params["building"] = load.building_code if load else str(binding.building_id)
        params["limit"] = number(language, round(load.limit, 1)) if load else "?"
    if binding.unit_ids:
        first = binding.unit_ids[0]
        params["unit"] = unit_name(first)
        if len(binding.unit_ids) > 1:
            params["other"] = unit_name(binding.unit_ids[1])
        if binding.kind == BindingKind.PINNED:
            params["days"] = days(units[first].before if first in units else frozenset())
        elif binding.kind == BindingKind.FORBIDDEN:
            params["days"] = days(result.request.forbidden_weekdays.get(first, frozenset()))
    return gettext(language, WORDS[binding.kind], **params)
