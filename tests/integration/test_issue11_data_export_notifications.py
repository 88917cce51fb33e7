"""The personal-data copy (UU 27/2022) holds the notifications sent to the person, in the app and by email, and their
notification settings: theirs only, in the JSON document and in the CSV archive."""

import csv
import io
import json
import zipfile
from datetime import UTC, datetime, time

from smartoffice.db import Database
from smartoffice.notifications.models import EmailStatus, NotificationKind, NotificationSchedule
from smartoffice.notifications.produce import Draft, notify
from smartoffice.privacy.service import PersonalDataService
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.notification_samples import sample_data
from tests.support.notifications import all_notifications, set_preference

NOW = datetime(2026, 12, 5, 1, 0, tzinfo=UTC)
KIND = NotificationKind.WEEKLY_REMINDER


async def test_the_copy_holds_the_persons_notifications_and_settings(
    runtime: Runtime, db: Database, factory: Factory
) -> None:
    # given Ani with a notification (emailed), a setting and quiet hours, and Budi with a notification of his own
    unit = await factory.unit()
    boss = await factory.employee(unit, name="Kepala Direktorat")
    ani = await factory.employee(unit, name="Ani Lestari", email="ani@example.go.id")
    budi = await factory.employee(unit, name="Budi Santoso", email="budi@example.go.id")
    await set_preference(runtime, ani.id, NotificationKind.CHECK_IN_REMINDER, email=False, in_app=True)
    async with db.write() as session:
        session.add(NotificationSchedule(employee_id=ani.id, quiet_from=time(21), quiet_until=time(6)))
        await notify(
            session,
            [
                Draft(ani.id, KIND, "weekly:ani", sample_data(KIND), actor_id=boss.id),
                Draft(budi.id, KIND, "weekly:budi-secret", sample_data(KIND)),
            ],
            NOW,
        )
    [ani_row] = [n for n in await all_notifications(runtime) if n.recipient_id == ani.id]
    assert ani_row.email_status == EmailStatus.PENDING
    # when Ani downloads her data
    service = PersonalDataService(runtime.db, runtime.identity.sessions, runtime.clock)
    data = await service.my_data(ani.id)
    document = json.loads(data.as_json())
    # then the JSON document lists her notification, with what became of its email, and her settings
    [notification] = document["notifications"]
    assert notification["id"] == ani_row.id and notification["kind"] == "weekly_reminder"
    assert notification["data"] == sample_data(KIND) and notification["caused_by"] == "Kepala Direktorat"
    assert (notification["email_status"], notification["email_to"]) == ("pending", "ani@example.go.id")
    assert notification["in_app"] is True and notification["read_at"] is None
    [preference] = document["notification_preferences"]
    assert (preference["kind"], preference["email"], preference["in_app"]) == ("check_in_reminder", False, True)
    [schedule] = document["notification_schedule"]
    assert (schedule["quiet_from"], schedule["quiet_until"], schedule["daily_digest"]) == (
        "21:00:00",
        "06:00:00",
        False,
    )
    # and nothing of Budi's
    text = data.as_json().decode()
    assert "weekly:budi-secret" not in text and "budi@example.go.id" not in text
    # and the CSV archive has one file per list, with the same rows
    with zipfile.ZipFile(io.BytesIO(data.as_csv_zip())) as archive:
        rows = list(csv.DictReader(io.StringIO(archive.read("notifications.csv").decode())))
        preferences = list(csv.DictReader(io.StringIO(archive.read("notification_preferences.csv").decode())))
        schedules = list(csv.DictReader(io.StringIO(archive.read("notification_schedule.csv").decode())))
    assert [(r["id"], r["kind"], r["email_status"]) for r in rows] == [(str(ani_row.id), "weekly_reminder", "pending")]
    assert json.loads(rows[0]["data"]) == sample_data(KIND)
    assert [(p["kind"], p["email"]) for p in preferences] == [("check_in_reminder", "False")]
    assert [s["quiet_from"] for s in schedules] == ["21:00:00"]


async def test_a_person_without_notifications_gets_empty_lists(runtime: Runtime, factory: Factory) -> None:
    ani = await factory.employee()
    data = await PersonalDataService(runtime.db, runtime.identity.sessions, runtime.clock).my_data(ani.id)
    document = data.as_document()
    assert (document["notifications"], document["notification_preferences"], document["notification_schedule"]) == (
        [],
        [],
        [],
    )
