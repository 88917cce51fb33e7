"""Who has not left, cached per process (``people/present.py``): the demo identity's check. A leaver is nobody on
the next request whichever process serves it (two runtimes on one database and one Redis, as two workers), and
without Redis every check reads SQL."""

from redis.asyncio import Redis

from smartoffice.api.context import demo_viewer
from smartoffice.availability.breaker import CircuitBreaker
from smartoffice.people.present import PRESENT_VERSION_KEY, PresentPeople
from smartoffice.runtime import Runtime, redis_client
from tests.factories import Factory
from tests.support.leavers import mark_left
from tests.support.statements import reads, statements


class TestServedFromMemory:
    async def test_the_second_check_reads_no_sql(self, runtime: Runtime, factory: Factory) -> None:
        person = await factory.employee()
        assert await runtime.people.is_present(person.id)

        with statements(runtime.db) as seen:
            assert await runtime.people.is_present(person.id)
            assert await demo_viewer(runtime, str(person.id)) == person.id
            assert not await runtime.people.is_present(person.id + 1000)  # nobody by that id

        assert reads(seen, "employees") == 0

    async def test_a_lost_version_reloads(self, runtime: Runtime, redis: Redis, factory: Factory) -> None:
        person = await factory.employee()
        assert await runtime.people.is_present(person.id)
        await redis.delete(PRESENT_VERSION_KEY)  # Redis restarted or flushed

        with statements(runtime.db) as seen:
            assert await runtime.people.is_present(person.id)

        assert reads(seen, "employees") == 1

    async def test_without_redis_every_check_reads_sql_and_is_right(self, runtime: Runtime, factory: Factory) -> None:
        stays, leaves = await factory.employee(), await factory.employee()
        dead = redis_client("redis://127.0.0.1:1/0")  # nothing listens on port 1
        try:
            present = PresentPeople.create(runtime.db, dead, CircuitBreaker())
            for _ in range(2):
                with statements(runtime.db) as seen:
                    assert await present.is_present(stays.id)
                assert reads(seen, "employees") == 1
            await mark_left(runtime.db, leaves)
            assert not await present.is_present(leaves.id)
            assert not await present.is_present(leaves.id + 1000)
        finally:
            await dead.aclose()

    async def test_not_cached_with_a_private_redis(self, runtime: Runtime, factory: Factory) -> None:
        # An embedded Redis is the process's own: a command line beside the server could not bump its version.
        person = await factory.employee()
        present = PresentPeople.create(runtime.db, runtime.redis, CircuitBreaker(), cached=False)
        for _ in range(2):
            with statements(runtime.db) as seen:
                assert await present.is_present(person.id)
            assert reads(seen, "employees") == 1


class TestAChangeInOneProcessIsSeenByAnother:
    async def test_a_leaver_is_nobody_at_once(self, runtime: Runtime, other: Runtime, factory: Factory) -> None:
        # given a person the other process has already checked (and cached)
        person = await factory.employee()
        assert await demo_viewer(other, str(person.id)) == person.id

        # when they leave, written through the first process
        await mark_left(runtime.db, person)

        # then the other process's next check says nobody
        assert await demo_viewer(other, str(person.id)) is None
        assert not await other.people.is_present(person.id)

    async def test_a_new_person_is_someone_at_once(self, runtime: Runtime, other: Runtime, factory: Factory) -> None:
        first = await factory.employee()
        assert await other.people.is_present(first.id)

        newcomer = await factory.employee()  # through the first process

        assert await demo_viewer(other, str(newcomer.id)) == newcomer.id

    async def test_a_returning_person_acts_again(self, runtime: Runtime, other: Runtime, factory: Factory) -> None:
        person = await factory.employee(active=False)
        assert await demo_viewer(other, str(person.id)) is None

        async with runtime.db.write() as session:
            (await session.get_one(type(person), person.id)).active = True  # an ORM flush, not a bulk update

        assert await demo_viewer(other, str(person.id)) == person.id
