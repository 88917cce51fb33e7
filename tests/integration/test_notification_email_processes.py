"""Two server processes on one database, each running the email job every 0.3 s, and one SMTP server process:
every notification is sent, and every email arrives exactly once.

Notifications are produced in waves while both servers run, so that their job runs interleave. The check does
not depend on how compose groups them into digests: every row must end ``sent``, the Message-IDs the server
received must be exactly the rows' ``email_message_id`` values, each received once, and each to the address of
the rows it carries.
"""

import asyncio
from collections import Counter
from contextlib import AsyncExitStack
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from smartoffice.notifications.models import EmailStatus, Notification
from smartoffice.notifications.models import NotificationKind as K
from smartoffice.notifications.produce import Draft, notify
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.live_server import serve, server_env
from tests.support.notification_samples import sample_data
from tests.support.notifications import all_notifications
from tests.support.smtp import running_smtp_server

PEOPLE, PER_PERSON, WAVES = 10, 4, 4
KINDS = (K.BOOKING_CONFIRMED, K.WAITLIST_GRANTED, K.ROOM_INVITATION, K.EXEMPTION_DECIDED)
SETTLE_SECONDS = 120


async def pending(runtime: Runtime) -> int:
    async with runtime.db.read() as session:
        query = select(func.count()).where(Notification.email_status == EmailStatus.PENDING)
        return int(await session.scalar(query) or 0)


async def start_together(stack: AsyncExitStack, env: dict[str, str], count: int) -> None:
    """``count`` servers started side by side (each takes seconds to start), all stopped when ``stack`` closes,
    also when one of them fails to start."""
    started = await asyncio.gather(
        *(stack.enter_async_context(serve(env)) for _ in range(count)), return_exceptions=True
    )
    for result in started:
        if isinstance(result, BaseException):
            raise result


async def test_two_processes_send_each_email_exactly_once(runtime: Runtime, factory: Factory, tmp_path: Path) -> None:
    people = [await factory.employee(language="en" if n % 2 else None) for n in range(PEOPLE)]
    with running_smtp_server(tmp_path / "smtp") as smtp:
        env = {
            **server_env(runtime.settings),
            "SMARTOFFICE_SMTP_URL": smtp.url,
            "SMARTOFFICE_NOTIFICATION_INTERVAL_SECONDS": "0.3",
            "SMARTOFFICE_RUN_JOBS": "1",
        }
        async with AsyncExitStack() as servers:
            await start_together(servers, env, 2)
            # when notifications are made while both processes run their jobs
            for wave in range(WAVES):
                kinds = [KINDS[(wave + n) % len(KINDS)] for n in range(PEOPLE)]
                drafts = [
                    Draft(person.id, kind, f"wave{wave}", sample_data(kind))
                    for person, kind in zip(people, kinds, strict=True)
                ]
                async with runtime.db.write() as session:
                    assert await notify(session, drafts, datetime.now(UTC)) == PEOPLE
                await asyncio.sleep(0.2)  # spreads the waves over several job runs; nothing waits on it

            # and they have all been dealt with (bounded; how long it takes is not asserted)
            deadline = asyncio.get_running_loop().time() + SETTLE_SECONDS
            while await pending(runtime):
                if asyncio.get_running_loop().time() > deadline:
                    pytest.fail(f"emails still pending after {SETTLE_SECONDS} s")
                await asyncio.sleep(0.2)

        # then every notification was sent
        rows = await all_notifications(runtime)
        assert len(rows) == PEOPLE * WAVES
        assert {row.email_status for row in rows} == {EmailStatus.SENT}

        # and each email arrived exactly once, to the address of the notifications it carries
        messages = smtp.messages()
        received = Counter(str(m["Message-ID"]).strip() for m in messages)
        assert set(received.values()) == {1}
        assert set(received) == {row.email_message_id for row in rows}
        recipient_of = {str(m["Message-ID"]).strip(): m["X-RcptTo"] for m in messages}
        assert all(recipient_of[str(row.email_message_id)] == row.email_to for row in rows)
        per_person = Counter(m["X-RcptTo"] for m in messages)
        assert set(per_person) == {person.email for person in people}
