"""A person's notifications (NotificationService): the count, the list, marking read, preferences and one-click
unsubscribe; and the bell's count riding on the viewer's one query (PeopleService.find_viewer)."""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, time

import pytest
from sqlalchemy import event, select

from smartoffice.db import Database
from smartoffice.errors import InvalidInput, NotFound
from smartoffice.notifications.kinds import POLICIES
from smartoffice.notifications.models import Notification, NotificationKind, NotificationPreference
from smartoffice.notifications.produce import Channels, Draft, notify
from smartoffice.notifications.service import NotificationService, Schedule, encode_cursor
from smartoffice.notifications.unsubscribe import make_token
from smartoffice.people.models import Employee
from smartoffice.people.service import BELL_CAP
from smartoffice.runtime import Runtime
from tests.factories import Factory

K = NotificationKind
NOW = datetime(2030, 7, 10, 3, 0, tzinfo=UTC)


async def give(db: Database, person: Employee, *keys: str, kind: K = K.BOOKING_CONFIRMED, in_app: bool = True) -> None:
    """One notification per key to ``person``, through the producers' own path."""
    async with db.write() as session:
        drafts = [Draft(person.id, kind, key, {"n": key}, in_app=in_app) for key in keys]
        await notify(session, drafts, NOW)


async def ids_of(db: Database, person: Employee) -> list[int]:
    async with db.read() as session:
        query = select(Notification.id).where(Notification.recipient_id == person.id).order_by(Notification.id)
        return list((await session.scalars(query)).all())


@contextmanager
def counting_queries(db: Database) -> Iterator[list[str]]:
    statements: list[str] = []

    def record(_conn: object, _cursor: object, statement: str, *_args: object) -> None:
        if not statement.strip().upper().startswith("BEGIN"):  # SQLite's BEGIN is transaction control
            statements.append(statement)

    event.listen(db.engine.sync_engine, "before_cursor_execute", record)
    try:
        yield statements
    finally:
        event.remove(db.engine.sync_engine, "before_cursor_execute", record)


class TestTheList:
    async def test_newest_first_in_pages_own_in_app_only(self, runtime: Runtime, factory: Factory) -> None:
        # given five in-app notifications for Siti, one for her only by email, and one for Budi
        siti, budi = await factory.employee(), await factory.employee()
        await give(runtime.db, siti, *(f"k{n}" for n in range(5)))
        await give(runtime.db, siti, "email-only", in_app=False)
        await give(runtime.db, budi, "budi")
        mine = (await ids_of(runtime.db, siti))[:5]

        # when she reads them two at a time
        first = await runtime.notifications.page(siti.id, first=2)
        second = await runtime.notifications.page(siti.id, first=2, after=first.cursor(first.notifications[-1]))
        third = await runtime.notifications.page(siti.id, first=2, after=second.cursor(second.notifications[-1]))

        # then newest first, each once, her in-app ones only
        seen = [n.id for page in (first, second, third) for n in page.notifications]
        assert seen == sorted(mine, reverse=True)
        assert (first.has_next, second.has_next, third.has_next) == (True, True, False)

    async def test_unread_only_and_a_foreign_cursor(self, runtime: Runtime, factory: Factory) -> None:
        siti = await factory.employee()
        await give(runtime.db, siti, "a", "b", "c")
        a, b, c = await ids_of(runtime.db, siti)
        await runtime.notifications.mark_read(siti.id, [b])

        unread = await runtime.notifications.page(siti.id, unread_only=True)
        assert [n.id for n in unread.notifications] == [c, a]
        with pytest.raises(InvalidInput) as bad:
            await runtime.notifications.page(siti.id, after="not-a-cursor")
        assert (bad.value.field, bad.value.code) == ("after", "INVALID_CURSOR")
        assert encode_cursor(a) == unread.cursor(unread.notifications[-1])

    async def test_the_page_size_is_capped(self, runtime: Runtime, factory: Factory) -> None:
        siti = await factory.employee()
        await give(runtime.db, siti, *(f"k{n}" for n in range(3)))
        assert len((await runtime.notifications.page(siti.id, first=0)).notifications) == 1
        assert len((await runtime.notifications.page(siti.id, first=10_000)).notifications) == 3


class TestMarkingRead:
    async def test_only_ones_own_and_idempotent(self, runtime: Runtime, factory: Factory) -> None:
        # given Siti's three notifications and Budi's one
        siti, budi = await factory.employee(), await factory.employee()
        await give(runtime.db, siti, "a", "b", "c")
        await give(runtime.db, budi, "x")
        a, b, _c = await ids_of(runtime.db, siti)
        (x,) = await ids_of(runtime.db, budi)

        # when she marks hers and Budi's, twice
        assert await runtime.notifications.mark_read(siti.id, [a, b, x]) == 2
        assert await runtime.notifications.mark_read(siti.id, [a, b, x]) == 0

        # then hers are read, Budi's is not
        assert await runtime.notifications.unread_count(siti.id) == 1
        assert await runtime.notifications.unread_count(budi.id) == 1
        assert await runtime.notifications.mark_read(siti.id, []) == 0

    async def test_all_at_once(self, runtime: Runtime, factory: Factory) -> None:
        siti = await factory.employee()
        await give(runtime.db, siti, "a", "b", "c")
        await give(runtime.db, siti, "email-only", in_app=False)
        assert await runtime.notifications.mark_read(siti.id) == 3
        assert await runtime.notifications.unread_count(siti.id) == 0
        assert await runtime.notifications.mark_read(siti.id) == 0

    async def test_opening_marks_read_and_is_one_own(self, runtime: Runtime, factory: Factory) -> None:
        siti, budi = await factory.employee(), await factory.employee()
        await give(runtime.db, siti, "a")
        (a,) = await ids_of(runtime.db, siti)
        with pytest.raises(NotFound):
            await runtime.notifications.open(budi.id, a)
        opened = await runtime.notifications.open(siti.id, a)
        again = await runtime.notifications.open(siti.id, a)
        assert opened.read_at is not None and again.read_at == opened.read_at
        assert await runtime.notifications.unread_count(siti.id) == 0


class TestPreferences:
    async def test_defaults_until_chosen(self, runtime: Runtime, factory: Factory) -> None:
        siti = await factory.employee()
        preferences = await runtime.notifications.preferences(siti.id)
        assert [c.kind for c in preferences.kinds] == list(K)
        assert all((c.email, c.in_app, c.chosen) == (POLICIES[c.kind].email, True, False) for c in preferences.kinds)
        assert preferences.schedule == Schedule()

    async def test_saving_and_going_back_to_the_defaults(self, runtime: Runtime, factory: Factory) -> None:
        # given Siti turns the weekly reminder's email off and the check-in reminder off in the app
        siti = await factory.employee()
        changes = {K.WEEKLY_REMINDER: Channels(email=False, in_app=True), K.CHECK_IN_REMINDER: Channels(True, False)}
        schedule = Schedule(time(21), time(6), daily_digest=True, digest_at=time(8))
        saved = await runtime.notifications.save_preferences(siti.id, changes, schedule)

        # then those are hers, the rest defaults, and the schedule is kept
        chosen = {c.kind: (c.email, c.in_app) for c in saved.kinds if c.chosen}
        assert chosen == {K.WEEKLY_REMINDER: (False, True), K.CHECK_IN_REMINDER: (True, False)}
        assert (await runtime.notifications.preferences(siti.id)) == saved
        assert saved.schedule == schedule

        # when she sets the weekly reminder back to its defaults: no row is kept for it
        back = await runtime.notifications.save_preferences(siti.id, {K.WEEKLY_REMINDER: Channels(True, True)})
        assert {c.kind for c in back.kinds if c.chosen} == {K.CHECK_IN_REMINDER}
        assert back.schedule == schedule  # not given: unchanged

    @pytest.mark.parametrize(
        ("schedule", "field", "code"),
        [
            (Schedule(quiet_from=time(21)), "schedule.quietUntil", "QUIET_HOURS_INCOMPLETE"),
            (Schedule(quiet_until=time(6)), "schedule.quietFrom", "QUIET_HOURS_INCOMPLETE"),
            (Schedule(time(21), time(21)), "schedule.quietUntil", "QUIET_HOURS_EMPTY"),
            (Schedule(time(21, 0, 30), time(6)), "schedule.quietFrom", "NOT_WHOLE_MINUTE"),
            (Schedule(daily_digest=True, digest_at=time(7, 0, 0, 5)), "schedule.digestAt", "NOT_WHOLE_MINUTE"),
        ],
    )
    async def test_a_refused_schedule_saves_nothing(
        self, runtime: Runtime, factory: Factory, schedule: Schedule, field: str, code: str
    ) -> None:
        siti = await factory.employee()
        with pytest.raises(InvalidInput) as refused:
            await runtime.notifications.save_preferences(siti.id, {K.UNIT_DIGEST: Channels(False, False)}, schedule)
        assert (refused.value.field, refused.value.code) == (field, code)
        assert not any(c.chosen for c in (await runtime.notifications.preferences(siti.id)).kinds)

    async def test_a_kind_turned_off_is_not_made(self, runtime: Runtime, factory: Factory) -> None:
        # given Siti turned booking confirmations off in both channels, and cancellations off in the app
        siti = await factory.employee()
        await runtime.notifications.save_preferences(
            siti.id, {K.BOOKING_CONFIRMED: Channels(False, False), K.BOOKING_CANCELLED: Channels(True, False)}
        )
        # when both are produced for her
        await give(runtime.db, siti, "confirmed", kind=K.BOOKING_CONFIRMED)
        await give(runtime.db, siti, "cancelled", kind=K.BOOKING_CANCELLED)
        # then no confirmation at all, and the cancellation by email only: the bell does not count it
        async with runtime.db.read() as session:
            rows = (await session.scalars(select(Notification).where(Notification.recipient_id == siti.id))).all()
        assert [(n.kind, n.in_app, n.email_status is not None) for n in rows] == [(K.BOOKING_CANCELLED, False, True)]
        assert await runtime.notifications.unread_count(siti.id) == 0


class TestUnsubscribe:
    async def test_turns_the_kinds_email_off_once(self, runtime: Runtime, factory: Factory) -> None:
        siti = await factory.employee()
        token = make_token(runtime.settings.secret_key, siti.id, K.WEEKLY_REMINDER)
        assert (await runtime.notifications.unsubscribe_link(token)).kind == K.WEEKLY_REMINDER

        first = await runtime.notifications.unsubscribe(token)
        again = await runtime.notifications.unsubscribe(token)

        assert (first.kind, first.changed, again.changed) == (K.WEEKLY_REMINDER, True, False)
        choice = {c.kind: c for c in (await runtime.notifications.preferences(siti.id)).kinds}[K.WEEKLY_REMINDER]
        assert (choice.email, choice.in_app) == (False, True)

    async def test_keeps_in_app_as_it_was(self, runtime: Runtime, factory: Factory) -> None:
        siti = await factory.employee()
        await runtime.notifications.save_preferences(siti.id, {K.UNIT_DIGEST: Channels(email=True, in_app=False)})
        await runtime.notifications.unsubscribe(make_token(runtime.settings.secret_key, siti.id, K.UNIT_DIGEST))
        async with runtime.db.read() as session:
            row = await session.get(NotificationPreference, (siti.id, K.UNIT_DIGEST))
        assert row is not None and (row.email, row.in_app) == (False, False)

    async def test_an_earlier_key_still_opens_old_links(self, runtime: Runtime, factory: Factory) -> None:
        siti = await factory.employee()
        service = NotificationService(runtime.db, secret_keys=("new-key", "old-key"))
        done = await service.unsubscribe(make_token("old-key", siti.id, K.CHECK_IN_REMINDER))
        assert done.changed

    @pytest.mark.parametrize("forged", ["nonsense", "{id}.weekly_reminder.AAAA", "{id}.no_such_kind.AAAA"])
    async def test_a_link_we_did_not_sign_changes_nothing(
        self, runtime: Runtime, factory: Factory, forged: str
    ) -> None:
        siti = await factory.employee()
        token = forged.format(id=siti.id)
        with pytest.raises(NotFound):
            await runtime.notifications.unsubscribe_link(token)
        with pytest.raises(NotFound):
            await runtime.notifications.unsubscribe(token)
        assert not any(c.chosen for c in (await runtime.notifications.preferences(siti.id)).kinds)

    async def test_a_link_of_someone_gone(self, runtime: Runtime, factory: Factory) -> None:
        with pytest.raises(NotFound):
            await runtime.notifications.unsubscribe(make_token(runtime.settings.secret_key, 999_999, K.UNIT_DIGEST))


class TestTheBell:
    async def test_the_viewers_one_query_counts_unread(self, runtime: Runtime, factory: Factory) -> None:
        # given Siti's three notifications, one read, one for email only
        siti = await factory.employee()
        await give(runtime.db, siti, "a", "b", "c")
        await give(runtime.db, siti, "email-only", in_app=False)
        a, *_ = await ids_of(runtime.db, siti)
        await runtime.notifications.mark_read(siti.id, [a])

        # when a page asks who she is
        with counting_queries(runtime.db) as statements:
            found = await runtime.people.find_viewer(siti.id)

        # then one query tells her name, her roles and her two unread
        assert found is not None and (found.employee.id, found.unread_notifications) == (siti.id, 2)
        assert len(statements) == 1, statements
        assert found.unread_notifications == await runtime.notifications.unread_count(siti.id)

    async def test_the_count_stops_at_the_cap(self, runtime: Runtime, factory: Factory) -> None:
        siti = await factory.employee()
        await give(runtime.db, siti, *(f"k{n}" for n in range(BELL_CAP + 5)))
        found = await runtime.people.find_viewer(siti.id)
        assert found is not None and found.unread_notifications == BELL_CAP
        assert await runtime.notifications.unread_count(siti.id) == BELL_CAP + 5
