"""``/admin/policies`` over HTTP without JavaScript: the list with scopes and rules in words, setting a policy
through its preview (post/redirect/get, refusals keep the input and change nothing), ending one, and who may."""

from datetime import date
from typing import Any

from sqlalchemy import func, select

from smartoffice.audit.models import AuditEntry
from smartoffice.policies.models import Policy, PolicyLevel
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.pages import PageClient
from tests.support.policies import MON, Team, build_team


def unit_form(team: Team, **overrides: Any) -> dict[str, Any]:
    return {
        "code": "UNIT-DITREN",
        "name": "Satu hari jarak jauh",
        "level": "unit",
        "legal_basis": "Keputusan Direktur Nomor 7 Tahun 2026",
        "set_by": "Direktur Perencanaan",
        "effective_from": MON.isoformat(),
        "scope_unit": team.directorate.id,
        "rule.max_remote_days_per_week": "1",
        **overrides,
    }


async def count(runtime: Runtime, model: Any) -> int:
    async with runtime.db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(model)) or 0)


async def test_an_admin_lists_previews_sets_and_ends_a_unit_policy(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    team = await build_team(factory)
    elsewhere = await factory.policy(
        {"max_remote_days_per_week": 0}, level=int(PolicyLevel.UNIT), org_unit_id=team.stranger.org_unit_id
    )
    await pages.act_as(team.admin.id)

    listed = await pages.get(f"/admin/policies?day={MON}")
    ours = await pages.get(f"/admin/policies?day={MON}&organisation={team.deputy.organisation_id}")
    preview = await pages.submit("/admin/policies/preview", unit_form(team), from_page="/admin/policies/new")
    created = await pages.submit(
        "/admin/policies", {**unit_form(team), "idempotency_key": "k1"}, from_page="/admin/policies"
    )
    again = await pages.submit(
        "/admin/policies", {**unit_form(team), "idempotency_key": "k1"}, from_page="/admin/policies"
    )
    after = await pages.get(created.headers["location"])
    async with runtime.db.read() as session:
        policy = await session.scalar(select(Policy).where(Policy.code == "UNIT-DITREN"))
    assert policy is not None
    end_page = await pages.get(f"/admin/policies/{policy.id}/end?last_day=2026-07-10")
    ended = await pages.submit(
        f"/admin/policies/{policy.id}/end", {"last_day": "2026-07-10"}, from_page="/admin/policies"
    )

    assert listed.status_code == 200 and "Batas kerja fleksibel lokasi nasional" in listed.text
    assert "Most remote days a week: 2" in listed.text and "Everyone" in listed.text
    assert f'id="policy-{elsewhere.id}"' in listed.text and f'id="policy-{elsewhere.id}"' not in ours.text
    assert f'id="policy-{team.national.id}"' in ours.text  # it names no organisation: it applies in every one
    assert preview.status_code == 200, preview.text
    assert "4 people are covered on the first day." in preview.text
    assert "Remote days allowed change for 4 people: 2 → 1 days (4)" in preview.text
    assert "Office days required change for 4 people: 3 → 4 days (4)" in preview.text
    assert "Unit: Direktorat Perencanaan and its sub-units" in preview.text
    assert preview.text.count("<tr data-employee-id=") == 4
    assert created.status_code == 303 and created.headers["location"] == "/admin/policies?done=created"
    assert again.status_code == 303  # the same form sent twice sets one policy
    assert "The policy is set." in after.text and "UNIT-DITREN" in after.text
    assert end_page.status_code == 200 and "End it after" in end_page.text
    assert "4 people are covered by this policy." in end_page.text
    assert ended.status_code == 303 and ended.headers["location"] == "/admin/policies?done=ended"
    async with runtime.db.read() as session:
        assert (await session.get_one(Policy, policy.id)).effective_until == date(2026, 7, 10)
        actions = list(await session.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == policy.id)))
        vias = set(await session.scalars(select(AuditEntry.via).where(AuditEntry.entity_id == policy.id)))
    assert sorted(actions) == ["policy.create", "policy.end"] and vias == {"page"}
    assert await count(runtime, Policy) == 3


async def test_an_employee_is_refused(pages: PageClient, factory: Factory) -> None:
    team = await build_team(factory)
    await pages.act_as(team.staff[0].id)

    listed = await pages.get("/admin/policies")
    new = await pages.get("/admin/policies/new")
    preview = await pages.submit("/admin/policies/preview", unit_form(team), from_page="/")

    assert (listed.status_code, new.status_code, preview.status_code) == (403, 403, 403)


async def test_a_unit_manager_sets_unit_policies_only(pages: PageClient, factory: Factory, runtime: Runtime) -> None:
    team = await build_team(factory)
    elsewhere = await factory.policy(
        {"max_remote_days_per_week": 0}, level=int(PolicyLevel.UNIT), org_unit_id=team.stranger.org_unit_id
    )
    personal = await factory.policy(
        {"max_remote_days_per_week": 1}, level=int(PolicyLevel.INDIVIDUAL), employee_id=team.staff[0].id
    )
    await pages.act_as(team.head.id)

    listed = await pages.get(f"/admin/policies?day={MON}")
    form = await pages.get("/admin/policies/new")
    agency = await pages.submit(
        "/admin/policies/preview", unit_form(team, level="agency"), from_page="/admin/policies/new"
    )
    refused = await pages.get(agency.headers["location"])
    overlay = await pages.submit(
        "/admin/policies", {**unit_form(team), "is_overlay": "on"}, from_page="/admin/policies/new"
    )
    await pages.get(overlay.headers["location"])
    own = await pages.submit("/admin/policies", unit_form(team), from_page="/admin/policies/new")

    assert listed.status_code == 200 and "As a unit manager you may set unit and individual policies" in listed.text
    assert f'href="/admin/policies/{team.national.id}/end"' not in listed.text  # the national policy is not theirs
    assert f'id="policy-{elsewhere.id}"' not in listed.text  # another organisation's unit
    assert f'id="policy-{personal.id}"' in listed.text and "Person: Staf 1 (" in listed.text  # one of their people
    assert form.status_code == 200 and 'value="agency"' not in form.text and 'name="is_overlay"' not in form.text
    assert agency.status_code == 303 and agency.headers["location"] == "/admin/policies/new"
    assert refused.status_code == 200 and 'data-code="NOT_YOUR_POLICY"' in refused.text
    assert 'value="UNIT-DITREN"' in refused.text  # what was typed is kept
    assert overlay.status_code == 303 and overlay.headers["location"] == "/admin/policies/new"
    assert own.status_code == 303 and own.headers["location"] == "/admin/policies?done=created"
    async with runtime.db.read() as session:
        policy = await session.scalar(select(Policy).where(Policy.code == "UNIT-DITREN"))
    assert policy is not None and not policy.is_overlay and policy.level == PolicyLevel.UNIT


async def test_bad_input_goes_back_to_the_form_and_changes_nothing(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    team = await build_team(factory)
    await pages.act_as(team.admin.id)
    before = await count(runtime, Policy), await count(runtime, AuditEntry)

    word = await pages.submit(
        "/admin/policies/preview", unit_form(team, **{"rule.max_remote_days_per_week": "lima"}), from_page="/"
    )
    word_page = await pages.get(word.headers["location"])
    too_many = await pages.submit(
        "/admin/policies", unit_form(team, **{"rule.max_remote_days_per_week": "9"}), from_page="/"
    )
    too_many_page = await pages.get(too_many.headers["location"])
    no_person = await pages.submit("/admin/policies", unit_form(team, scope_person="199999999999999999"), from_page="/")
    no_person_page = await pages.get(no_person.headers["location"])
    reversed_dates = await pages.submit("/admin/policies", unit_form(team, effective_until="2026-07-01"), from_page="/")
    reversed_page = await pages.get(reversed_dates.headers["location"])
    shown_again = await pages.get("/admin/policies/new")  # the error and the kept form are shown once

    assert word.status_code == 303 and word.headers["location"] == "/admin/policies/new"
    assert "Most remote days a week: enter a number from 0 to 5." in word_page.text
    assert (
        'value="lima" type="text" inputmode="numeric" '
        'aria-describedby="rule-max-remote-days-per-week-hint" aria-invalid="true"' in word_page.text
    )
    assert 'data-code="INVALID_RULES"' in too_many_page.text and 'value="9"' in too_many_page.text
    assert "No employee has the NIP 199999999999999999." in no_person_page.text
    assert 'data-code="RANGE_REVERSED"' in reversed_page.text
    assert (
        'name="effective_until" value="2026-07-01" aria-describedby="policy-until-hint" aria-invalid="true"'
        in reversed_page.text
    )
    assert "RANGE_REVERSED" not in shown_again.text and 'value="2026-07-01"' not in shown_again.text
    assert (await count(runtime, Policy), await count(runtime, AuditEntry)) == before


async def test_ending_before_the_start_is_refused_in_indonesian(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    team = await build_team(factory)
    await pages.act_as(team.admin.id)
    await pages.submit("/language", {"language": "id"})

    page = await pages.get(f"/admin/policies/{team.national.id}/end")
    ended = await pages.submit(
        f"/admin/policies/{team.national.id}/end", {"last_day": "2025-01-01"}, from_page="/admin/policies"
    )
    refused = await pages.get(ended.headers["location"])

    assert page.status_code == 200 and "Akhiri kebijakan" in page.text
    assert ended.status_code == 303
    assert (
        'data-code="RANGE_REVERSED"' in refused.text
        and "Tanggal akhir tidak boleh sebelum tanggal awal" in refused.text
    )
    async with runtime.db.read() as session:
        assert (await session.get_one(Policy, team.national.id)).effective_until is None


async def test_the_preview_in_indonesian_and_back_to_the_form(pages: PageClient, factory: Factory) -> None:
    team = await build_team(factory)
    await factory.policy({"max_remote_days_per_week": 1}, level=int(PolicyLevel.UNIT), org_unit_id=team.deputy.id)
    await pages.act_as(team.admin.id)
    await pages.submit("/language", {"language": "id"})

    national = await pages.get(f"/admin/policies?day={MON}&level=national")
    units = await pages.get(f"/admin/policies?day={MON}&level=unit")
    preview = await pages.submit(
        "/admin/policies/preview", unit_form(team, **{"rule.max_remote_days_per_week": "0"}), from_page="/"
    )
    change = await pages.submit("/admin/policies/edit", unit_form(team), from_page="/")
    form = await pages.get(change.headers["location"])

    assert f'id="policy-{team.national.id}"' in national.text and "Kedeputian Pendanaan" not in national.text
    assert f'id="policy-{team.national.id}"' not in units.text
    assert "Unit kerja: Kedeputian Pendanaan beserta unit di bawahnya" in units.text
    assert "4 pegawai tercakup pada hari pertama." in preview.text
    assert "Hari kerja jarak jauh yang dibolehkan berubah untuk 4 pegawai: 1 → 0 hari (4)" in preview.text
    assert "Tetapkan kebijakan ini" in preview.text and "Ubah kebijakan" in preview.text
    assert change.status_code == 303 and 'value="UNIT-DITREN"' in form.text and "Tetapkan kebijakan baru" in form.text
