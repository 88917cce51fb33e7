"""My week's suggested desks are read from their floors' cached layouts (``FloorLayoutCache.find_many``, one
version read for all of them): a desk changed through one app process is seen by another's next lookup."""

from smartoffice.places.models import Space
from smartoffice.runtime import Runtime
from tests.factories import Factory


async def test_a_desk_changed_in_one_process_is_seen_by_another(
    runtime: Runtime, other: Runtime, factory: Factory
) -> None:
    # given two floors' layouts read by the second process (now in its memory)
    first, second = await factory.floor(), await factory.floor()
    desk = await factory.desk(first, code="A1")
    found = await other.layouts.find_many([first.id, second.id, first.id, 10**9])
    assert sorted(found) == sorted([first.id, second.id])  # an unknown floor is left out
    assert [d.code for d in found[first.id].desks] == ["A1"]
    assert (await other.layouts.find_many([first.id]))[first.id] is found[first.id]  # from the cache

    # when the first process renames the desk
    async with runtime.db.write() as session:
        row = await session.get(Space, desk.id)
        assert row is not None
        row.code = "B7"

    # then the second process's next lookup reads the new layout
    again = await other.layouts.find_many([first.id, second.id])
    assert [d.code for d in again[first.id].desks] == ["B7"]
