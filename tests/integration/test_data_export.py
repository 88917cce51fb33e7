"""A person's personal data export (UU 27/2022): everything about them, nothing about anyone else, no secrets; and
the command an administrator answers a data subject's request with, audited."""

import asyncio
import io
import json
import zipfile
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from smartoffice.audit.models import AuditEntry
from smartoffice.bookings.models import BookingStatus
from smartoffice.cli import main
from smartoffice.db import Database
from smartoffice.identity.models import ApiToken, LocalAccount
from smartoffice.integrations.models import CalendarFeed
from smartoffice.people.models import Employee, Role
from smartoffice.policies.models import CaseStatus, ExemptionStatus, Rating, WorkMode
from smartoffice.privacy.export import KINDS, PersonalData
from smartoffice.privacy.retention import run_retention
from smartoffice.privacy.service import PersonalDataService
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.bookings import insert_booking
from tests.support.clock import at

PASSWORD_HASH = "$argon2id$v=19$m=65536,t=3,p=4$c2FsdHNhbHQ$aGFzaGhhc2hoYXNoaGFzaA"
TOKEN_HASHES = {"ani": "a1" * 32, "budi": "b2" * 32}
FEED_HASH = "fe" * 32
ANI_DAY, BUDI_DAY = date(2026, 11, 16), date(2026, 11, 17)


@dataclass
class TwoColleagues:
    ani: Employee
    budi: Employee


async def two_colleagues_sharing_a_desk(factory: Factory, db: Database, runtime: Runtime) -> TwoColleagues:
    """Ani and Budi: one unit, one desk on different days, each with plans, exemptions, HR records, a token and
    audit entries about them."""
    unit = await factory.unit(name="Direktorat Perencanaan")
    boss = await factory.employee(unit, name="Kepala Direktorat")
    ani = await factory.employee(unit, name="Ani Lestari", nip="199203142019032001", supervisor_id=boss.id)
    budi = await factory.employee(unit, name="Budi Santoso", nip="198811022014021003", email="budi.s@example.go.id")
    building = await factory.building(name="Menara Kementerian 2")
    desk = await factory.desk(await factory.floor(building), code="T2-3-B14")
    ani_booking = await insert_booking(db, desk, ani, at(ANI_DAY, 8), at(ANI_DAY, 17), booked_by=boss)
    await insert_booking(db, desk, budi, at(BUDI_DAY, 8), at(BUDI_DAY, 17), status=BookingStatus.CHECKED_IN)
    await factory.work_day(ani, date(2026, 11, 18), planned=WorkMode.HOME, actual=WorkMode.HOME)
    await factory.work_day(budi, date(2026, 11, 18), planned=WorkMode.LEAVE)
    await factory.exemption(
        ani, date(2026, 12, 1), date(2026, 12, 31), reason="Merawat ibu", decided_by_id=boss.id, decision_note="Ok"
    )
    await factory.exemption(budi, date(2026, 12, 1), date(2026, 12, 31), reason="Rahasia Budi: operasi lutut")
    await factory.rating(ani, Rating.SANGAT_BAIK)
    await factory.rating(budi, Rating.KURANG)
    await factory.discipline_case(budi, CaseStatus.ACTIVE)
    await factory.role(ani, Role.UNIT_MANAGER, org_unit_id=unit.id)
    async with db.write() as session:
        session.add(LocalAccount(employee_id=ani.id, password_hash=PASSWORD_HASH))
        session.add(CalendarFeed(employee_id=ani.id, token_hash=FEED_HASH))
        for person, name in ((ani, "ani"), (budi, "budi")):
            session.add(
                ApiToken(
                    key_id=f"key{name}",
                    secret_hash=TOKEN_HASHES[name],
                    name=f"kiosk of {name}",
                    owner_id=person.id,
                    scopes=["bookings:read"],
                )
            )
            session.add(
                AuditEntry(
                    at=datetime(2026, 11, 1, tzinfo=UTC),
                    actor_id=boss.id,
                    via="page",
                    action="employee.update",
                    entity_kind="Employee",
                    entity_id=person.id,
                    after={"position_name": f"Perencana of {name}"},
                )
            )
    await runtime.identity.sessions.create(ani.id, client_address="10.0.0.7", user_agent="Firefox")
    assert ani_booking.id
    return TwoColleagues(ani, budi)


async def ani_export(runtime: Runtime, people: TwoColleagues) -> PersonalData:
    service = PersonalDataService(runtime.db, runtime.identity.sessions, runtime.clock)
    return await service.my_data(people.ani.id)


def csv_files(content: bytes) -> dict[str, str]:
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        return {name: archive.read(name).decode() for name in archive.namelist()}


async def test_the_json_copy_holds_the_persons_data(runtime: Runtime, factory: Factory, db: Database) -> None:
    people = await two_colleagues_sharing_a_desk(factory, db, runtime)

    document = json.loads((await ani_export(runtime, people)).as_json())

    assert document["person"]["name"] == "Ani Lestari"
    assert document["person"]["nip"] == "199203142019032001"
    assert document["person"]["supervisor"] == "Kepala Direktorat"
    [booking] = document["bookings"]
    assert booking["building"] == "Menara Kementerian 2"
    assert booking["space_code"] == "T2-3-B14"
    assert booking["start_at"] == "2026-11-16T08:00:00+08:00"  # the building's local time, with its offset
    assert booking["booked_by"] == "Kepala Direktorat"
    assert [(w["day"], w["mode"]) for w in document["work_plans"]] == [("2026-11-18", "home")]
    assert [(w["day"], w["mode"]) for w in document["attendance"]] == [("2026-11-18", "home")]
    [exemption] = document["exemptions"]
    assert (exemption["reason"], exemption["status"], exemption["decided_by"]) == (
        "Merawat ibu",
        ExemptionStatus.APPROVED.value,
        "Kepala Direktorat",
    )
    assert [r["rating"] for r in document["performance_ratings"]] == ["sangat_baik"]
    assert document["discipline_cases"] == []
    assert [g["role"] for g in document["role_grants"]] == ["unit_manager"]
    assert [t["name"] for t in document["app_tokens"]] == ["kiosk of ani"]
    assert document["local_account"][0]["has_password"] is True
    assert len(document["calendar_feed"]) == 1
    [login] = document["login_sessions"]
    assert (login["client_address"], login["user_agent"]) == ("10.0.0.7", "Firefox")
    [entry] = document["audit_entries"]
    assert entry["after"] == {"position_name": "Perencana of ani"}
    assert set(KINDS) <= set(document)


async def test_nobody_elses_data_and_no_secret_appears(runtime: Runtime, factory: Factory, db: Database) -> None:
    people = await two_colleagues_sharing_a_desk(factory, db, runtime)
    data = await ani_export(runtime, people)

    for content in (
        data.as_json(),
        b"".join(data_file.encode() for data_file in csv_files(data.as_csv_zip()).values()),
    ):
        text = content.decode()
        for other in ("Budi", "198811022014021003", "budi.s@example.go.id", "Rahasia Budi", "kurang", "2026-11-17"):
            assert other not in text
        for secret in (PASSWORD_HASH, FEED_HASH, *TOKEN_HASHES.values(), "keyani"):
            assert secret not in text
        assert "so:session" not in text


async def test_the_csv_copy_is_a_zip_of_one_file_per_kind(runtime: Runtime, factory: Factory, db: Database) -> None:
    people = await two_colleagues_sharing_a_desk(factory, db, runtime)

    files = csv_files((await ani_export(runtime, people)).as_csv_zip())

    assert set(files) == {"person.csv", *(f"{kind}.csv" for kind in KINDS)}
    bookings = files["bookings.csv"].splitlines()
    assert bookings[0].startswith("id,space_kind,space_code")
    assert len(bookings) == 2 and "2026-11-16T08:00:00+08:00" in bookings[1]
    assert files["discipline_cases.csv"].strip() == ""  # no rows, no columns to name
    assert "sangat_baik" in files["performance_ratings.csv"]


@pytest.fixture
def _cli_environment(monkeypatch: pytest.MonkeyPatch, database_url: str, redis_url: str, tmp_path: Path) -> None:
    monkeypatch.setenv("SMARTOFFICE_DATABASE_URL", database_url)
    monkeypatch.setenv("SMARTOFFICE_REDIS_URL", redis_url)
    monkeypatch.setenv("SMARTOFFICE_DATA_DIR", str(tmp_path))


@pytest.mark.usefixtures("_cli_environment")
async def test_an_admin_answers_a_request_from_the_command_line_audited(
    runtime: Runtime, factory: Factory, db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people = await two_colleagues_sharing_a_desk(factory, db, runtime)
    output = tmp_path / "ani.zip"

    code = await asyncio.to_thread(
        main, ["people", "export-data", "199203142019032001", "--format", "csv", "--output", str(output)]
    )

    assert code == 0, capsys.readouterr()
    assert output.stat().st_mode & 0o777 == 0o600
    assert "Ani Lestari" in csv_files(output.read_bytes())["person.csv"]
    async with db.read() as session:
        [entry] = (await session.scalars(select(AuditEntry).where(AuditEntry.action == "personal_data.export"))).all()
    assert (entry.actor_id, entry.via, entry.entity_kind, entry.entity_id, entry.after) == (
        None,
        "cli",
        "Employee",
        people.ani.id,
        {"format": "csv"},
    )
    # by email too, as JSON
    json_output = tmp_path / "ani.json"
    assert (
        await asyncio.to_thread(main, ["people", "export-data", people.ani.email.upper(), "--output", str(json_output)])
        == 0
    )
    assert json.loads(json_output.read_text())["person"]["id"] == people.ani.id


@pytest.mark.usefixtures("_cli_environment")
async def test_an_unknown_person_is_refused_and_nothing_is_written(
    runtime: Runtime, db: Database, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    output = tmp_path / "nobody.json"

    code = await asyncio.to_thread(main, ["people", "export-data", "nobody@example.go.id", "--output", str(output)])

    assert code == 1
    assert "nobody has the NIP or email" in capsys.readouterr().err
    assert not output.exists()
    async with db.read() as session:
        assert (await session.scalars(select(AuditEntry))).all() == []


async def test_expired_rows_are_no_longer_in_the_copy(runtime: Runtime, factory: Factory, db: Database) -> None:
    people = await two_colleagues_sharing_a_desk(factory, db, runtime)
    await run_retention(db, datetime(2026, 11, 18, tzinfo=UTC) + timedelta(days=740), 730)

    document = json.loads((await ani_export(runtime, people)).as_json())

    assert (document["bookings"], document["work_plans"], document["attendance"]) == ([], [], [])
    assert len(document["exemptions"]) == 1  # kept: the agency's personnel record
