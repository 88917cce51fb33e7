"""Issue 11 item 3: the head of a unit by position is derived from the org chart *as the people import leaves it*:
an import that makes someone the struktural head of a unit makes them its unit manager, and the next import that
takes the post away takes the role with it, with no grant written either way."""

from sqlalchemy import func, select

from smartoffice.db import Database
from smartoffice.people import roles
from smartoffice.people.models import RoleAssignment
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.people_files import HEAD_NIP, STAFF_NIP, csv_bytes, head, pppk, staff, valid_rows
from tests.support.people_import import by_nip, towers, units_by_code


async def manages(db: Database, nip: str, unit_code: str) -> bool:
    people, units = await by_nip(db), await units_by_code(db)
    async with db.read() as session:
        return await roles.manages_unit(session, people[nip].id, units[unit_code].id)


async def grants(db: Database) -> int:
    async with db.read() as session:
        return int(await session.scalar(select(func.count()).select_from(RoleAssignment)) or 0)


async def test_an_import_gives_and_takes_the_unit_managers_role(
    runtime: Runtime, db: Database, factory: Factory
) -> None:
    await towers(factory)
    # given the Deputi (struktural, no supervisor) and Agus, a fungsional in the directorate below
    await runtime.people_import.run(csv_bytes(valid_rows()))
    assert await manages(db, HEAD_NIP, "D1") and await manages(db, HEAD_NIP, "D1-DIR1")
    assert not await manages(db, STAFF_NIP, "D1-DIR1")
    # when a file makes Agus the directorate's Direktur (struktural, reporting to the Deputi outside it)
    promoted = staff(Jabatan="Direktur Perencanaan Makro", **{"Jenis Jabatan": "Struktural", "Eselon": "II.a"})
    assert (await runtime.people_import.run(csv_bytes([head(), promoted, pppk()]))).written
    # then he manages the directorate, not the deputy's unit above it
    assert await manages(db, STAFF_NIP, "D1-DIR1") and not await manages(db, STAFF_NIP, "D1")
    # and when the next file makes him fungsional again, the role goes with the post
    assert (await runtime.people_import.run(csv_bytes(valid_rows()))).written
    assert not await manages(db, STAFF_NIP, "D1-DIR1")
    assert await grants(db) == 0
