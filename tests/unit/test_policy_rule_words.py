"""A policy's rules in words and on the form, read from PolicyRules: every field has a label, and the form's text
states exactly the rules it was filled from."""

from datetime import time

import msgspec
from msgspec import inspect

from smartoffice.policies.models import LocationKind, Rating
from smartoffice.policies.rule_words import RULE_LABELS, describe
from smartoffice.policies.rules import Eligibility, PolicyRules, WorkingHours, parse_rules
from smartoffice.web.admin.policy_form import form_of_rules, rule_groups, rules_document


def _paths(kind: object, prefix: str = "") -> list[str]:
    """Every field path of a struct, nested structs (and lists of them) included."""
    paths = []
    for info in inspect.type_info(kind).fields:  # type: ignore[attr-defined]
        path = f"{prefix}{info.name}"
        paths.append(path)
        declared = info.type
        types = declared.types if isinstance(declared, inspect.UnionType) else (declared,)
        for t in types:
            if isinstance(t, inspect.ListType):
                t = t.item_type
            if isinstance(t, inspect.StructType):
                paths.extend(_paths(t.cls, f"{path}."))
    return paths


def test_every_rule_field_has_a_label() -> None:
    assert [path for path in _paths(PolicyRules) if path not in RULE_LABELS] == []


def test_the_form_offers_every_top_level_rule() -> None:
    offered = {rule.path.split(".")[0] for group in rule_groups() for rule in group.inputs}
    assert offered == set(PolicyRules.__struct_fields__)


def test_the_forms_text_states_the_rules_it_was_filled_from() -> None:
    rules = PolicyRules(
        max_remote_days_per_week=2,
        office_every_working_day=False,
        eligibility=Eligibility(no_discipline_case=True, ratings=[Rating.SANGAT_BAIK, Rating.BAIK]),
        working_hours=WorkingHours(time(8), 32.5),
        allowed_location_kinds=[LocationKind.REGISTERED_HOME],
    )

    assert parse_rules(rules_document(form_of_rules(rules))) == rules
    assert rules_document(form_of_rules(PolicyRules())) == {}


def test_rules_in_words_in_both_languages() -> None:
    rules = PolicyRules(max_remote_days_per_week=2, anchor_days_required=False, eligibility=Eligibility(True))

    assert describe("en", rules) == [
        "Most remote days a week: 2",
        "In the office on the unit's anchor days: no",
        "Who may have remote days: No open disciplinary case: yes",
    ]
    assert describe("id", rules)[0] == "Paling banyak hari kerja jarak jauh per minggu: 2"
    assert msgspec.structs.asdict(rules)["max_remote_days_per_week"] == 2


def test_ticked_choices_survive_the_preview_s_hidden_fields() -> None:
    from litestar.datastructures import FormMultiDict

    from smartoffice.web.admin.policy_form import hidden_fields, read_form

    ticked = read_form(
        FormMultiDict(
            [("rule.allowed_location_kinds", "registered_home"), ("rule.allowed_location_kinds", "agency_office")]
        )
    )
    resent = read_form(FormMultiDict(hidden_fields(ticked)))

    assert resent["rule.allowed_location_kinds"] == "registered_home,agency_office"
    assert rules_document(resent)["allowed_location_kinds"] == ["registered_home", "agency_office"]
