"""Reading the anchor-day planner page's form (``/capacity/planner``) into a :class:`PlanRequest`, and its apply
form into an :class:`ApplyRequest`.

The preview form is a GET, so everything the manager set travels in the address and comes back in the form of the
result page (adjust, run again). Its fields:

=====================  =====================================================================================
``site``               a site id: plan all its buildings (when no building is ticked)
``building``           building ids (repeated): plan these buildings
``week``               the Monday of the planned week (``YYYY-MM-DD``)
``target``             the target utilisation in per cent, 1 to 100
``pin``                unit ids (repeated) that keep their current anchor days
``forbid``             ``<unit id>:<weekday>`` (repeated): a weekday the unit may not be given
``closed_day``         weekdays (repeated) no unit may be given
``pair``               ``<unit id>-<unit id>`` (repeated): units that must share an anchor day
``pair_a``/``pair_b``  a new pair, from two selects
``siblings``           ``on``: units of one parent share a day (default on; ``run`` marks a sent form)
``staff_unit``/``staff_count``   what if: people added (``12``) or removed (``-5``) per unit, row by row
``closed_floor``       what if: floor ids (repeated) whose desks do not count
``move_unit``/``move_to``        what if: a unit moves to another building, row by row
=====================  =====================================================================================

Weekdays are counted from Monday (0) to Friday (4). A malformed value is kept as it was sent and gets an error
code under its field name (``staff_count_2`` for the third row's number), which the page shows next to the field;
nothing here raises. Which units exist is known only once the planner has answered: :func:`unit_errors` checks
the unit ids against them.
"""

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from smartoffice.date_range import is_supported_day
from smartoffice.db import is_storable_id
from smartoffice.planning.anchor_planner.proposal import ApplyRequest, PlanRequest, WhatIf
from smartoffice.policies.engine import next_monday
from smartoffice.web.forms import FormError, local_path, required_date

WEEKDAYS = range(5)
DEFAULT_TARGET_PERCENT = 85
MAX_STAFF_CHANGE = 100_000
"""People added or removed per unit in a what-if; beyond it the number is a typing mistake."""

Params = Mapping[str, Sequence[str]]
"""A query string or form body: each field name with every value sent for it, in order."""


@dataclass(frozen=True, slots=True)
class FloorOption:
    id: int
    name: str


@dataclass(frozen=True, slots=True)
class BuildingOption:
    id: int
    code: str
    name: str
    site_id: int
    floors: tuple[FloorOption, ...]


@dataclass(frozen=True, slots=True)
class SiteOption:
    id: int
    name: str
    buildings: tuple[BuildingOption, ...]


@dataclass(frozen=True, slots=True)
class WhatIfRow:
    """One what-if row as sent: a unit and a number of people, or a unit and a building."""

    unit: str
    value: str


@dataclass(frozen=True, slots=True)
class PlannerForm:
    """What the manager sent, as sent (the page shows it back, mistakes included)."""

    run: bool = False
    site: str = ""
    buildings: frozenset[str] = frozenset()
    week: str = ""
    target: str = str(DEFAULT_TARGET_PERCENT)
    pinned: frozenset[str] = frozenset()
    forbidden: frozenset[str] = frozenset()
    """``<unit id>:<weekday>``, as the checkboxes' values."""
    closed_days: frozenset[str] = frozenset()
    pairs: tuple[str, ...] = ()
    """``<unit id>-<unit id>``, the new pair included."""
    pair_a: str = ""
    pair_b: str = ""
    siblings: bool = True
    staff: tuple[WhatIfRow, ...] = ()
    closed_floors: frozenset[str] = frozenset()
    moves: tuple[WhatIfRow, ...] = ()

    @property
    def has_what_if(self) -> bool:
        return bool(self.staff or self.closed_floors or self.moves)

    def query(self, *, what_if: bool = True) -> list[tuple[str, str]]:
        """The form as a query string's pairs (the apply form's way back, the "drop the what-if" link)."""
        pairs: list[tuple[str, str]] = [("run", "1")]
        pairs += [("site", self.site)] if self.site else []
        pairs += [("building", b) for b in sorted(self.buildings)]
        pairs += [("week", self.week), ("target", self.target)]
        pairs += [("pin", u) for u in sorted(self.pinned)]
        pairs += [("forbid", f) for f in sorted(self.forbidden)]
        pairs += [("closed_day", d) for d in sorted(self.closed_days)]
        pairs += [("pair", p) for p in self.pairs]
        pairs += [("siblings", "on")] if self.siblings else []
        if what_if:
            for row in self.staff:
                pairs += [("staff_unit", row.unit), ("staff_count", row.value)]
            pairs += [("closed_floor", f) for f in sorted(self.closed_floors)]
            for row in self.moves:
                pairs += [("move_unit", row.unit), ("move_to", row.value)]
        return pairs


@dataclass(frozen=True, slots=True)
class ParsedForm:
    form: PlannerForm
    request: PlanRequest | None
    """``None`` when nothing was asked yet (no place) or the form has errors."""
    errors: Mapping[str, str] = field(default_factory=dict)
    """Field name -> error code (see :func:`smartoffice.web.capacity_planner.field_error_text`)."""
    unit_fields: Mapping[str, int] = field(default_factory=dict)
    """The unit each unit-naming field refers to, for :func:`unit_errors`."""
    base: PlanRequest | None = None
    """The place, week and target alone, when they are right (whatever else is wrong): what the page plans to
    list the units in the form when the request itself cannot be made."""


def parse_planner_form(params: Params, sites: Sequence[SiteOption], today: date) -> ParsedForm:
    """The manager's form as a :class:`PlanRequest`, or the errors that stop it.

    ``sites`` are the sites the visitor may plan (a building or floor of another site is an error); ``today``
    gives the default week, the Monday after it."""
    errors: dict[str, str] = {}
    unit_fields: dict[str, int] = {}

    def first(name: str) -> str:
        values = params.get(name) or [""]
        return values[0].strip()

    def every(name: str) -> list[str]:
        return [v.strip() for v in params.get(name) or [] if v.strip()]

    run = bool(first("run"))
    buildings_by_id = {b.id: b for s in sites for b in s.buildings}
    site_text, building_texts = first("site"), frozenset(every("building"))
    chosen = _chosen_buildings(site_text, building_texts, sites, buildings_by_id, errors)
    if run and not chosen and "place" not in errors:
        errors["place"] = "missing_place"

    week_text = first("week") or next_monday(today).isoformat()
    week = _week(week_text, errors)
    target_text = first("target") or str(DEFAULT_TARGET_PERCENT)
    target = _target(target_text, errors)

    pinned_texts = frozenset(every("pin"))
    pinned = set()
    for text in pinned_texts:
        unit_id = _id(text)
        if unit_id is None:
            errors["pin"] = "invalid_unit"
        else:
            pinned.add(unit_id)
            unit_fields.setdefault(f"pin_{unit_id}", unit_id)

    forbidden_texts = frozenset(every("forbid"))
    forbidden: dict[int, set[int]] = {}
    for text in forbidden_texts:
        unit_text, _, day_text = text.partition(":")
        unit_id, weekday = _id(unit_text), _weekday(day_text)
        if unit_id is None or weekday is None:
            errors["forbid"] = "invalid_forbid"
        else:
            forbidden.setdefault(unit_id, set()).add(weekday)
            unit_fields.setdefault(f"forbid_{unit_id}", unit_id)

    closed_texts = frozenset(every("closed_day"))
    closed = {_weekday(text) for text in closed_texts}
    if None in closed:
        errors["closed_day"] = "invalid_weekday"
    elif len(closed) == len(WEEKDAYS):
        errors["closed_day"] = "all_days_closed"

    pairs, pair_texts = _pairs(every("pair"), first("pair_a"), first("pair_b"), errors, unit_fields)
    siblings = first("siblings") == "on" if run else True

    staff_rows = _rows(params, "staff_unit", "staff_count")
    headcount_change: dict[int, int] = {}
    for index, row in enumerate(staff_rows):
        unit_id, count = _id(row.unit), _signed(row.value)
        if unit_id is None:
            errors[f"staff_unit_{index}"] = "missing_unit" if not row.unit else "invalid_unit"
        elif unit_id in headcount_change:
            errors[f"staff_unit_{index}"] = "repeated_unit"
        else:
            unit_fields[f"staff_unit_{index}"] = unit_id
        if count is None:
            errors[f"staff_count_{index}"] = "missing_count" if not row.value else "invalid_count"
        if unit_id is not None and count is not None and unit_id not in headcount_change:
            headcount_change[unit_id] = count

    floor_texts = frozenset(every("closed_floor"))
    floors_of_chosen = {f.id for b in chosen for f in buildings_by_id[b].floors}
    closed_floors = set()
    for text in floor_texts:
        floor_id = _id(text)
        if floor_id is None or (chosen and floor_id not in floors_of_chosen):
            errors["closed_floor"] = "unknown_floor"
        else:
            closed_floors.add(floor_id)

    move_rows = _rows(params, "move_unit", "move_to")
    moved: dict[int, int] = {}
    for index, row in enumerate(move_rows):
        unit_id, building_id = _id(row.unit), _id(row.value)
        if unit_id is None:
            errors[f"move_unit_{index}"] = "missing_unit" if not row.unit else "invalid_unit"
        elif unit_id in moved:
            errors[f"move_unit_{index}"] = "repeated_unit"
        else:
            unit_fields[f"move_unit_{index}"] = unit_id
        if building_id is None or building_id not in chosen:
            errors[f"move_to_{index}"] = "missing_building" if not row.value else "unknown_building_move"
        elif unit_id is not None and unit_id not in moved:
            moved[unit_id] = building_id

    form = PlannerForm(
        run=run,
        site=site_text,
        buildings=building_texts,
        week=week_text,
        target=target_text,
        pinned=pinned_texts,
        forbidden=forbidden_texts,
        closed_days=closed_texts,
        pairs=pair_texts,
        pair_a=first("pair_a") if "pair_a" in errors or "pair_b" in errors else "",
        pair_b=first("pair_b") if "pair_a" in errors or "pair_b" in errors else "",
        siblings=siblings,
        staff=staff_rows,
        closed_floors=floor_texts,
        moves=move_rows,
    )
    if not chosen or week is None or target is None:
        return ParsedForm(form, None, errors, unit_fields)
    base = PlanRequest(building_ids=tuple(sorted(chosen)), week=week, target_utilisation=target)
    if errors:
        return ParsedForm(form, None, errors, unit_fields, base)
    request = PlanRequest(
        building_ids=tuple(sorted(chosen)),
        week=week,
        target_utilisation=target,
        pinned_unit_ids=frozenset(pinned),
        forbidden_weekdays={unit: frozenset(days) for unit, days in forbidden.items()},
        closed_weekdays=frozenset(d for d in closed if d is not None),
        together=pairs,
        keep_siblings_together=siblings,
        what_if=WhatIf(headcount_change=headcount_change, closed_floor_ids=frozenset(closed_floors), moved_units=moved),
    )
    return ParsedForm(form, request, errors, unit_fields, base)


def unit_errors(parsed: ParsedForm, known_unit_ids: Collection[int]) -> dict[str, str]:
    """``unknown_unit`` for each field naming a unit the planner does not plan (not housed in these buildings)."""
    errors: dict[str, str] = {}
    for name, unit_id in parsed.unit_fields.items():
        if unit_id not in known_unit_ids:
            kind, _, rest = name.partition("_")
            errors[name if rest.isalpha() or kind in ("staff", "move") else kind] = "unknown_unit"
    return errors


@dataclass(frozen=True, slots=True)
class ApplyForm:
    request: ApplyRequest
    back: str


def parse_apply_form(params: Params, default_back: str) -> ApplyForm:
    """The apply form: ``unit`` (repeated: every unit whose days are set), ``days`` (``<unit id>:<weekday>``,
    repeated), ``effective_from`` and ``back`` (the preview's address, to return to). Raises
    :class:`~smartoffice.web.forms.FormError` (``invalid_effective_from`` …): the apply form is the page's own
    hidden fields, only the date is typed."""

    def every(name: str) -> list[str]:
        return [v.strip() for v in params.get(name) or []]

    back = local_path((params.get("back") or [""])[0], default_back)
    if not back.startswith(default_back):
        back = default_back
    units: dict[int, set[int]] = {}
    for text in every("unit"):
        unit_id = _id(text)
        if unit_id is None:
            raise FormError("unit", "invalid_unit")
        units[unit_id] = set()
    for text in every("days"):
        unit_text, _, day_text = text.partition(":")
        unit_id, weekday = _id(unit_text), _weekday(day_text)
        if unit_id is None or weekday is None or unit_id not in units:
            raise FormError("days", "invalid_days")
        units[unit_id].add(weekday)
    if not units:
        raise FormError("unit", "missing_unit")
    effective_from = required_date((params.get("effective_from") or [""])[0], "effective_from")
    request = ApplyRequest({unit: frozenset(days) for unit, days in units.items()}, effective_from)
    return ApplyForm(request, back)


def _chosen_buildings(
    site_text: str,
    building_texts: frozenset[str],
    sites: Sequence[SiteOption],
    buildings_by_id: Mapping[int, BuildingOption],
    errors: dict[str, str],
) -> frozenset[int]:
    if building_texts:
        ids = {_id(text) for text in building_texts}
        if None in ids or not ids <= buildings_by_id.keys():
            errors["place"] = "unknown_building"
            return frozenset()
        return frozenset(i for i in ids if i is not None)
    if site_text:
        site_id = _id(site_text)
        site = next((s for s in sites if s.id == site_id), None)
        if site is None:
            errors["place"] = "unknown_site"
            return frozenset()
        if not site.buildings:
            errors["place"] = "site_without_buildings"
        return frozenset(b.id for b in site.buildings)
    return frozenset()


def _week(text: str, errors: dict[str, str]) -> date | None:
    try:
        week = date.fromisoformat(text)
    except ValueError:
        errors["week"] = "invalid_week"
        return None
    if not is_supported_day(week):
        errors["week"] = "invalid_week"
        return None
    if week.weekday() != 0:
        errors["week"] = "week_not_monday"
        return None
    return week


def _target(text: str, errors: dict[str, str]) -> float | None:
    cleaned = text.removesuffix("%").strip()
    if not (cleaned.isascii() and cleaned.isdigit()) or not 1 <= int(cleaned) <= 100:
        errors["target"] = "invalid_target"
        return None
    return int(cleaned) / 100


def _pairs(
    texts: list[str], a_text: str, b_text: str, errors: dict[str, str], unit_fields: dict[str, int]
) -> tuple[tuple[tuple[int, int], ...], tuple[str, ...]]:
    pairs: list[tuple[int, int]] = []
    kept: list[str] = []
    for text in texts:
        left, _, right = text.partition("-")
        a, b = _id(left), _id(right)
        if a is None or b is None or a == b:
            errors["pair"] = "invalid_pair"
            continue
        pair = (min(a, b), max(a, b))
        if pair not in pairs:
            pairs.append(pair)
            kept.append(f"{pair[0]}-{pair[1]}")
            unit_fields.setdefault(f"pair_{a}", a)
            unit_fields.setdefault(f"pair_{b}", b)
    if a_text or b_text:
        a, b = _id(a_text), _id(b_text)
        if a is None or b is None:
            errors["pair_a" if a is None else "pair_b"] = "missing_pair_unit"
        elif a == b:
            errors["pair_b"] = "same_pair_unit"
        elif (min(a, b), max(a, b)) not in pairs:
            pairs.append((min(a, b), max(a, b)))
            kept.append(f"{min(a, b)}-{max(a, b)}")
            unit_fields["pair_a"], unit_fields["pair_b"] = a, b
    return tuple(pairs), tuple(kept)


def _rows(params: Params, unit_name: str, value_name: str) -> tuple[WhatIfRow, ...]:
    """The rows of a what-if list (a unit select and a value beside it); rows left blank are dropped."""
    units = [v.strip() for v in params.get(unit_name) or []]
    values = [v.strip() for v in params.get(value_name) or []]
    length = max(len(units), len(values))
    units += [""] * (length - len(units))
    values += [""] * (length - len(values))
    return tuple(WhatIfRow(u, v) for u, v in zip(units, values, strict=True) if u or v)


def _id(text: str) -> int | None:
    text = text.strip()
    if not (text.isascii() and text.isdigit()) or not is_storable_id(int(text)):
        return None
    return int(text)


def _weekday(text: str) -> int | None:
    text = text.strip()
    return int(text) if text in {str(n) for n in WEEKDAYS} else None


def _signed(text: str) -> int | None:
    """A whole number of people, ``12``, ``+12`` or ``-5`` (a typographic minus too); not 0."""
    cleaned = text.strip().replace("\u2212", "-")
    sign = -1 if cleaned.startswith("-") else 1
    digits = cleaned.lstrip("+-").strip()
    if not (digits.isascii() and digits.isdigit()) or len(cleaned) - len(cleaned.lstrip("+-")) > 1:
        return None
    value = sign * int(digits)
    return value if value != 0 and abs(value) <= MAX_STAFF_CHANGE else None
