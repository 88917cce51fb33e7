"""The form to set a policy: its fields, read from :class:`~smartoffice.policies.rules.PolicyRules` (so a new rule
field appears on the form by itself), and the form's text turned into a :class:`PolicyDraft`.

Each rule field becomes an input named ``rule.<path>`` by its type: a number (int or float, with the struct's
bounds), "not stated / yes / no" for an optional yes-or-no (``false`` is a statement), a checkbox for a plain one,
a time, checkboxes for a list of choices (none ticked: not stated), and JSON text for anything else (a list of
day hours). A nested struct (eligibility, working hours) is a fieldset, stated when any of its inputs is. A value
that is not a number or a time is the visitor's mistake, said in their language (:class:`RuleFieldError`); the
rest (bounds included) is :func:`~smartoffice.policies.rules.parse_rules`'s, as for GraphQL.
"""

import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import time
from enum import Enum
from functools import cache
from typing import Any

import msgspec
from msgspec import inspect

from smartoffice.i18n import N_, Language, gettext
from smartoffice.labels import LABELS
from smartoffice.people.models import EmploymentType, PositionKind
from smartoffice.policies.models import PolicyLevel
from smartoffice.policies.policy_changes import PolicyDraft
from smartoffice.policies.rule_words import rule_label
from smartoffice.policies.rules import PolicyRules
from smartoffice.web.forms import FormError, optional_date, optional_int, required_date

TEXT_FIELDS = (
    "code",
    "name",
    "level",
    "is_overlay",
    "legal_basis",
    "set_by",
    "effective_from",
    "effective_until",
    "scope_organisation",
    "scope_unit",
    "scope_position_kind",
    "scope_position_level",
    "scope_employment_type",
    "scope_building",
    "scope_person",
)
RULE_PREFIX = "rule."
LEVEL_NAMES = {level.name.lower(): level for level in PolicyLevel}


@dataclass(frozen=True, slots=True)
class RuleInput:
    path: str
    """``eligibility.min_days_in_post``; the form field is ``rule.<path>``."""
    kind: str
    """``int``, ``float``, ``choice`` (not stated / yes / no), ``flag`` (a checkbox), ``time``, ``many`` (checkboxes),
    ``json``."""
    low: float | None = None
    high: float | None = None
    options: tuple[tuple[str, Enum | None], ...] = ()
    """``many``: each value and its enum member (for its label)."""

    @property
    def name(self) -> str:
        return RULE_PREFIX + self.path

    @property
    def dom_id(self) -> str:
        return "rule-" + self.path.replace(".", "-").replace("_", "-")


@dataclass(frozen=True, slots=True)
class RuleGroup:
    path: str | None
    """A nested struct's field (a fieldset), or None for the rules at the top."""
    inputs: tuple[RuleInput, ...] = field(default_factory=tuple)


class RuleFieldError(Exception):
    """A rule field's text is not what its input takes (a number, a time, JSON)."""

    def __init__(self, path: str, message: str, **params: object) -> None:
        super().__init__(path)
        self.path = path
        self.message = message
        self.params = params

    def text(self, language: Language) -> str:
        return gettext(
            language,
            "%(field)s: %(problem)s",
            field=rule_label(language, self.path),
            problem=gettext(language, self.message, **self.params),
        )


@cache
def rule_groups() -> tuple[RuleGroup, ...]:
    """The top-level rules first (one group), then a fieldset per nested struct, in the struct's order."""
    top: list[RuleInput] = []
    groups: list[RuleGroup] = []
    for info in inspect.type_info(PolicyRules).fields:  # type: ignore[attr-defined]
        kind = _stated(info.type)
        if isinstance(kind, inspect.StructType):
            groups.append(RuleGroup(info.name, tuple(_input(f"{info.name}.{f.name}", f.type) for f in kind.fields)))
        else:
            top.append(_input(info.name, info.type))
    return (RuleGroup(None, tuple(top)), *groups)


def _stated(kind: Any) -> Any:
    """The type without its ``| None``."""
    if isinstance(kind, inspect.UnionType):
        rest = [t for t in kind.types if not isinstance(t, inspect.NoneType)]
        if len(rest) == 1:
            return rest[0]
    return kind


def _input(path: str, declared: Any) -> RuleInput:
    optional = isinstance(declared, inspect.UnionType)
    kind = _stated(declared)
    if isinstance(kind, inspect.BoolType):
        return RuleInput(path, "choice" if optional else "flag")
    if isinstance(kind, inspect.IntType | inspect.FloatType):
        low = kind.ge if kind.ge is not None else kind.gt
        high = kind.le if kind.le is not None else kind.lt
        return RuleInput(path, "int" if isinstance(kind, inspect.IntType) else "float", low, high)
    if isinstance(kind, inspect.TimeType):
        return RuleInput(path, "time")
    if isinstance(kind, inspect.ListType) and isinstance(kind.item_type, inspect.EnumType):
        options = tuple((str(member.value), member) for member in kind.item_type.cls)
        return RuleInput(path, "many", options=options)
    return RuleInput(path, "json")


def option_label(language: Language, member: Enum | None) -> str:
    if member is None:
        return ""
    labels = LABELS.get(type(member))
    return gettext(language, labels[member]) if labels and member in labels else str(member.value)


def read_form(data: Any) -> dict[str, str]:
    """The form's fields as text (ticked checkboxes of one rule joined by commas)."""
    form = {name: str(data.get(name) or "") for name in TEXT_FIELDS}
    for group in rule_groups():
        for rule in group.inputs:
            if rule.kind == "many":
                values = [str(v) for v in data.getall(rule.name, [])] if hasattr(data, "getall") else []
                form[rule.name] = ",".join(v for value in values for v in value.split(",") if v)
            else:
                form[rule.name] = str(data.get(rule.name) or "")
    return form


def rules_document(form: Mapping[str, str]) -> dict[str, Any]:
    """The rules document the form states. Raises RuleFieldError for text that is not a number, time or JSON."""
    document: dict[str, Any] = {}
    for group in rule_groups():
        values = {}
        for rule in group.inputs:
            value = _value(rule, form.get(rule.name, "").strip())
            if value is not None:
                values[rule.path.rsplit(".", 1)[-1]] = value
        if group.path is None:
            document.update(values)
        elif values:
            document[group.path] = values
    return document


def _value(rule: RuleInput, text: str) -> Any:
    if rule.kind == "flag":
        return True if text else None
    if not text:
        return None
    match rule.kind:
        case "choice":
            return {"yes": True, "no": False}.get(text)
        case "int":
            if not (text.isascii() and text.lstrip("-").isdigit()) or len(text) > 9:
                raise _number_error(rule)
            return int(text)
        case "float":
            try:
                return float(text.replace(",", "."))
            except ValueError:
                raise _number_error(rule) from None
        case "time":
            try:
                return time.fromisoformat(text).isoformat(timespec="seconds")
            except ValueError:
                raise RuleFieldError(rule.path, N_("enter a time as HH:MM.")) from None
        case "many":
            return [value for value in text.split(",") if value]
    try:
        return json.loads(text)
    except ValueError:
        raise RuleFieldError(rule.path, N_("this is not valid JSON.")) from None


def _number_error(rule: RuleInput) -> RuleFieldError:
    if rule.low is not None and rule.high is not None:
        return RuleFieldError(rule.path, N_("enter a number from %(low)s to %(high)s."), low=rule.low, high=rule.high)
    return RuleFieldError(rule.path, N_("enter a number."))


def form_of_rules(rules: PolicyRules) -> dict[str, str]:
    """A policy's rules as the form's text (to start a new policy from an existing one)."""
    document = msgspec.to_builtins(rules)
    form: dict[str, str] = {}
    for group in rule_groups():
        source = document if group.path is None else document.get(group.path) or {}
        for rule in group.inputs:
            value = source.get(rule.path.rsplit(".", 1)[-1])
            form[rule.name] = _text(rule, value)
    return form


def _text(rule: RuleInput, value: Any) -> str:
    if value is None:
        return ""
    if rule.kind == "choice":
        return "yes" if value else "no"
    if rule.kind == "flag":
        return "on" if value else ""
    if rule.kind == "many":
        return ",".join(str(v) for v in value)
    if rule.kind == "time":
        return str(value)[:5]
    if rule.kind == "json":
        return json.dumps(value)
    return str(value)


@dataclass(frozen=True, slots=True)
class DraftParts:
    """The draft, less the person (the form names them by NIP; the page looks the NIP up)."""

    draft: PolicyDraft
    person_nip: str | None


def draft_of(form: Mapping[str, str]) -> DraftParts:
    """The draft the form describes. Raises FormError (a malformed date, id, level or choice) or RuleFieldError."""
    level = LEVEL_NAMES.get(form.get("level", ""))
    if level is None:
        raise FormError("level", "missing_level" if not form.get("level") else "invalid_level")
    scope: dict[str, Any] = {
        "organisation_id": optional_int(form.get("scope_organisation"), "scope_organisation"),
        "org_unit_id": optional_int(form.get("scope_unit"), "scope_unit"),
        "position_kind": _enum(PositionKind, form.get("scope_position_kind", ""), "scope_position_kind"),
        "position_level": form.get("scope_position_level", "").strip() or None,
        "employment_type": _enum(EmploymentType, form.get("scope_employment_type", ""), "scope_employment_type"),
        "building_id": optional_int(form.get("scope_building"), "scope_building"),
    }
    draft = PolicyDraft(
        code=form.get("code", ""),
        name=form.get("name", ""),
        level=level,
        is_overlay=bool(form.get("is_overlay")),
        legal_basis=form.get("legal_basis", ""),
        set_by=form.get("set_by", ""),
        effective_from=required_date(form.get("effective_from"), "effective_from"),
        effective_until=optional_date(form.get("effective_until"), "effective_until"),
        rules=rules_document(form),
        scope={column: value for column, value in scope.items() if value is not None},
    )
    return DraftParts(draft, form.get("scope_person", "").strip() or None)


def _enum(kind: type[Enum], text: str, field_name: str) -> Any:
    if not text.strip():
        return None
    try:
        return kind(text.strip())
    except ValueError:
        raise FormError(field_name, f"invalid_{field_name}") from None


def hidden_fields(form: Mapping[str, str]) -> Sequence[tuple[str, str]]:
    """The form as hidden inputs (the preview's confirm and change buttons send it again)."""
    return [(name, value) for name, value in form.items() if value]
