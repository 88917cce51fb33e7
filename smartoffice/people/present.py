"""Who may act now: the ids of the people who exist and have not left (``Employee.active``), per process.

Every request that names its person by the demo's header or the demo picker's cookie asks "is this someone who
has not left?" (:func:`smartoffice.api.context.demo_viewer`, :mod:`smartoffice.web.context`). As a primary-key
read that cost ~1.7 ms of CPU per request at tier M (a pool ping, ``BEGIN``, the read, ``COMMIT``): half of a
floor's availability. Here the answer is one set of ids per process, kept by a
:class:`~smartoffice.policies.cache.VersionedCache` under :data:`PRESENT_VERSION_KEY`:

* Any committed change to ``employees`` made through ``Database.write()`` (a leaver imported, a person created,
  a language saved) bumps the version after commit, and every process reloads the set on its next read: a
  leaver is locked out by the next request, whichever worker serves it.
* Redis down, or its breaker open: the version is unknown, and each check reads the person's row (never a set
  that may be stale).
* An embedded Redis (no ``SMARTOFFICE_REDIS_URL``) is private to its process, so a command line run beside the
  server could not bump the server's version: there is no cache then (``cached=False``), every check reads SQL.
* Writers outside ``Database.write()`` must call :func:`~smartoffice.policies.cache.bump_version` with
  :data:`PRESENT_VERSION_KEY` after their commit.

The set holds ints only (12,000 people: ~0.5 MB, loaded in one indexed query when the version changes).
"""

from redis.asyncio import Redis
from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from smartoffice.availability.breaker import CircuitBreaker
from smartoffice.db import Database, is_storable_id
from smartoffice.people.models import Employee
from smartoffice.policies.cache import VersionedCache

PRESENT_VERSION_KEY = "so:people:present-version"
PRESENT_KEY = "present"


class PresentPeople:
    """Whether an employee id names someone who has not left; one per runtime (its ``after_commit`` is a
    ``Database`` hook)."""

    def __init__(self, db: Database, cache: VersionedCache | None) -> None:
        self.db = db
        self.cache = cache

    @classmethod
    def create(cls, db: Database, redis: Redis, breaker: CircuitBreaker, *, cached: bool = True) -> "PresentPeople":
        cache = VersionedCache(redis, breaker, version_key=PRESENT_VERSION_KEY, models=(Employee,)) if cached else None
        return cls(db, cache)

    async def is_present(self, employee_id: int) -> bool:
        """Someone by that id exists and has not left (``Employee.active``)."""
        if not is_storable_id(employee_id):
            return False
        snapshot = await self.cache.snapshot() if self.cache is not None else None
        if snapshot is None or snapshot.version is None:  # no cache, or Redis cannot vouch for it: ask SQL
            async with self.db.read() as session:
                return bool(await session.scalar(select(Employee.active).where(Employee.id == employee_id)))
        present = await snapshot.get(PRESENT_KEY, self._load)
        return employee_id in present

    async def _load(self) -> frozenset[int]:
        async with self.db.read() as session:
            return frozenset(await session.scalars(select(Employee.id).where(Employee.active)))

    async def after_commit(self, session: AsyncSession) -> None:
        if self.cache is not None:
            await self.cache.after_commit(session)
