"""Every notification in words and as an email, in Indonesian and English (smartoffice.notifications.compose, .ics).

No database and no SMTP server: the messages are built from unsaved notifications (tests/support/
notification_samples.py) and read back with the standard library's email parser and icalendar.
"""

from datetime import UTC, datetime
from email import message_from_bytes, policy
from email.message import EmailMessage
from html import escape

import pytest
from icalendar import Calendar, Event

from smartoffice.i18n import LANGUAGES, Language
from smartoffice.labels import label
from smartoffice.notifications.compose import Addressee, build_email, describe, email_groups
from smartoffice.notifications.kinds import POLICIES
from smartoffice.notifications.models import NotificationKind
from smartoffice.notifications.unsubscribe import read_token
from smartoffice.settings import Settings
from tests.support.notification_samples import SAMPLES, sample_data, sample_notification

K = NotificationKind
SECRET = "test-secret-key"
BASE_URL = "https://kantor.example.id"
NOW = datetime(2026, 12, 8, 10, 5, tzinfo=UTC)
CALENDAR_KINDS = {
    K.BOOKING_CONFIRMED: "PUBLISH",
    K.BOOKING_CANCELLED: "CANCEL",
    K.ROOM_INVITATION: "REQUEST",
    K.APPROVAL_DECIDED: "CANCEL",  # the sample is declined
    K.NO_SHOW_RELEASED: "CANCEL",
    K.WAITLIST_GRANTED: "PUBLISH",
}
REMINDERS = {k for k, p in POLICIES.items() if p.reminder}
LEAKS = ("{{", "{%", "%(", "}}")


def settings() -> Settings:
    return Settings(secret_key=SECRET, public_url=BASE_URL + "/")


def addressee(language: Language) -> Addressee:
    return Addressee(employee_id=5, name="Budi Santoso", email="budi@example.id", language=language)


def sent(message: EmailMessage) -> EmailMessage:
    """The message as a receiver parses it from the wire."""
    parsed = message_from_bytes(message.as_bytes(), policy=policy.default)
    assert isinstance(parsed, EmailMessage)
    return parsed


def subject_of(message: EmailMessage) -> str:
    """The subject as a mail client shows it: Python's parser keeps the space that begins a folded header's
    continuation line ("Subject:\\n Meja A12 ..." when the title fits on the next line but not the first)."""
    return str(message["Subject"]).lstrip()


def text_of(message: EmailMessage, subtype: str) -> str:
    body = message.get_body((subtype,))
    assert body is not None, f"no text/{subtype} part"
    content = body.get_content()
    assert isinstance(content, str)
    return content


def calendars(message: EmailMessage) -> list[tuple[EmailMessage, Calendar]]:
    parts = [p for p in message.walk() if p.get_content_type() == "text/calendar"]
    found = []
    for part in parts:
        content = part.get_content()  # the text/calendar part, decoded from its base64
        assert isinstance(content, str)
        found.append((part, Calendar.from_ical(content)))
    return found


def only_event(calendar: Calendar) -> Event:
    events = calendar.walk("VEVENT")
    assert len(events) == 1
    event = events[0]
    assert isinstance(event, Event)
    return event


class TestDescribe:
    @pytest.mark.parametrize("kind", list(K))
    def test_every_kind_has_words_in_both_languages(self, kind: NotificationKind) -> None:
        words = {language: describe(kind, sample_data(kind), language) for language in LANGUAGES}
        for described in words.values():
            assert described.title and described.lines and described.link_label
            assert described.link.startswith("/")
            for text in (described.title, described.link_label, *described.lines):
                assert not any(leak in text for leak in LEAKS), text
        assert words["id"].title != words["en"].title
        assert words["id"].link == words["en"].link

    def test_times_are_the_buildings(self) -> None:
        # 23:30 UTC on the 8th is 07:30 on Wednesday the 9th in Asia/Makassar (UTC+8)
        data = sample_data(K.BOOKING_CONFIRMED, startAt="2026-12-08T23:30:00+00:00", endAt="2026-12-09T08:00:00Z")
        english = describe(K.BOOKING_CONFIRMED, data, "en")
        indonesian = describe(K.BOOKING_CONFIRMED, data, "id")
        assert "Wednesday 9 December" in english.title
        assert english.lines[0] == "Wednesday 9 December 2026, 07:30–16:00"
        assert indonesian.lines[0] == "Rabu, 9 Desember 2026, 07.30–16.00"
        assert indonesian.lines[1] == "Meja A12, Lantai 3, Gedung Kemenko"

    def test_a_booking_made_on_someones_behalf_names_who_made_it(self) -> None:
        on_behalf = describe(K.BOOKING_CONFIRMED, sample_data(K.BOOKING_CONFIRMED, actorName="Siti Rahma"), "en")
        own = describe(K.BOOKING_CONFIRMED, sample_data(K.BOOKING_CONFIRMED, actorName="Budi Santoso"), "en")
        by_system = describe(K.BOOKING_CONFIRMED, sample_data(K.BOOKING_CONFIRMED, actorName=None), "en")
        assert on_behalf.title == "Desk A12 on Wednesday 9 December is booked for you by Siti Rahma"
        assert own.title == by_system.title == "Desk A12 on Wednesday 9 December is booked"
        assert on_behalf.link == "/my-bookings"

    def test_a_room_awaiting_approval_is_not_called_booked(self) -> None:
        pending = sample_data(K.BOOKING_CONFIRMED, **{**SAMPLES[K.APPROVAL_REQUESTED], "actorName": None})
        words = describe(K.BOOKING_CONFIRMED, pending, "en")
        assert words.title == "Your request for Ruang Rapat Mahakam on Wednesday 9 December awaits approval"
        assert "You will be told when it is decided." in words.lines
        on_behalf = describe(K.BOOKING_CONFIRMED, {**pending, "actorName": "Siti Rahma"}, "id")
        assert on_behalf.title == (
            "Siti Rahma mengajukan pemesanan Ruang Rapat Mahakam pada Rabu, 9 Desember untuk Anda: menunggu persetujuan"
        )

    def test_a_cancellation_says_why_and_by_whom(self) -> None:
        closure = describe(K.BOOKING_CANCELLED, sample_data(K.BOOKING_CANCELLED), "id")
        assert closure.title == "Meja A12 pada Rabu, 9 Desember dibatalkan: tempatnya ditutup"
        assert "Alasan: Banjir" in closure.lines
        by_person = describe(
            K.BOOKING_CANCELLED,
            sample_data(K.BOOKING_CANCELLED, byClosure=False, actorName="Dewi Lestari", reason="Rapat pimpinan"),
            "en",
        )
        assert by_person.title == "Dewi Lestari cancelled your booking of Desk A12 on Wednesday 9 December"
        assert "Reason: Rapat pimpinan" in by_person.lines

    def test_an_approval_decision_gives_the_outcome_and_the_note(self) -> None:
        declined = describe(K.APPROVAL_DECIDED, sample_data(K.APPROVAL_DECIDED), "en")
        assert declined.title == "Your booking of Ruang Rapat Mahakam on Wednesday 9 December was declined"
        assert "Note: Ruangan dipakai pimpinan" in declined.lines
        assert "Decided by Dewi Lestari." in declined.lines
        approved = describe(K.APPROVAL_DECIDED, sample_data(K.APPROVAL_DECIDED, approved=True, note=None), "id")
        assert approved.title == "Pemesanan Ruang Rapat Mahakam Anda pada Rabu, 9 Desember disetujui"
        assert not any(line.startswith("Catatan") for line in approved.lines)
        requested = describe(K.APPROVAL_REQUESTED, sample_data(K.APPROVAL_REQUESTED), "en")
        assert requested.link == "/approvals"

    def test_the_check_in_reminder_gives_the_release_time_in_the_buildings_zone(self) -> None:
        reminder = describe(K.CHECK_IN_REMINDER, sample_data(K.CHECK_IN_REMINDER), "id")
        assert reminder.title == "Lakukan check-in di Meja A12 sebelum pukul 09.30"
        assert reminder.link == "/check-in/31"

    def test_exemptions_link_to_their_page(self) -> None:
        requested = describe(K.EXEMPTION_REQUESTED, sample_data(K.EXEMPTION_REQUESTED, actorName="Siti Rahma"), "en")
        assert requested.title == (
            "Budi Santoso asks for an exemption from Monday 4 January 2027 to Friday 26 March 2027"
        )
        assert "2 remote days a week." in requested.lines
        assert "Requested on their behalf by Siti Rahma." in requested.lines
        assert requested.link == "/exemptions/12"
        assert describe(K.EXEMPTION_DECIDED, sample_data(K.EXEMPTION_DECIDED), "en").link == "/exemptions/12"

    def test_an_invitation_links_to_the_rooms_floor_on_its_day(self) -> None:
        invitation = describe(K.ROOM_INVITATION, sample_data(K.ROOM_INVITATION), "en")
        assert invitation.title == "Siti Rahma invites you to Rapat anggaran on Wednesday 9 December"
        assert "Organiser: Siti Rahma" in invitation.lines
        assert invitation.link == "/floors/4?date=2026-12-09"
        cancelled = describe(K.ROOM_INVITATION, sample_data(K.ROOM_INVITATION, method="CANCEL"), "id")
        assert cancelled.title == "Dibatalkan: Rapat anggaran pada Rabu, 9 Desember"

    def test_data_missing_a_fact_still_reads_as_its_kind_but_an_email_of_it_fails(self) -> None:
        broken = sample_data(K.BOOKING_CANCELLED)
        del broken["startAt"]
        words = describe(K.BOOKING_CANCELLED, broken, "id")
        assert words == describe(K.BOOKING_CANCELLED, {}, "id")
        assert words.title and words.link == "/notifications" and words.lines == ()
        with pytest.raises(KeyError):
            describe(K.BOOKING_CANCELLED, broken, "id", strict=True)
        with pytest.raises(TypeError):
            build_email(addressee("id"), [sample_notification(K.BOOKING_CANCELLED, startAt=None)], settings(), NOW)

    def test_the_weekly_reminder_lists_the_required_days_and_links_to_that_week(self) -> None:
        reminder = describe(K.WEEKLY_REMINDER, sample_data(K.WEEKLY_REMINDER), "en")
        assert reminder.title == "In the week from Monday 14 December you are needed in the office on 2 days"
        assert reminder.lines == (
            "Tuesday 15 December 2026: a desk is booked.",
            "Thursday 17 December 2026: no desk booked yet.",
        )
        assert reminder.link == "/my-week?week=2026-12-14"
        assert reminder.link_label == "Book my required days"

    def test_the_unit_digest_counts_and_links_to_the_units_compliance(self) -> None:
        digest = describe(K.UNIT_DIGEST, sample_data(K.UNIT_DIGEST), "id")
        assert digest.title == (
            "Direktorat Regional I, minggu mulai Senin, 7 Desember: 2 dari 3 pegawai memenuhi hari wajib kantor"
        )
        assert digest.lines[0] == "1 pegawai tidak memenuhi."
        assert "Agus Salim: hadir di kantor 1 dari 3 hari (tidak memenuhi)." in digest.lines
        assert digest.link == "/units/9/compliance?week=2026-12-07"


class TestOneEmail:
    @pytest.mark.parametrize("language", LANGUAGES)
    @pytest.mark.parametrize("kind", list(K))
    def test_every_kind_makes_an_email_in_the_persons_language(
        self, kind: NotificationKind, language: Language
    ) -> None:
        notification = sample_notification(kind, id=41)
        described = describe(kind, notification.data, language)

        message = sent(build_email(addressee(language), [notification], settings(), NOW))

        assert subject_of(message) == described.title
        assert message["To"] == "budi@example.id"
        assert message["From"] == settings().mail_from
        assert message["Content-Language"] == language
        assert message["X-SmartOffice-Notifications"] == "41"
        plain, html = text_of(message, "plain"), text_of(message, "html")
        assert described.title in plain and escape(described.title) in html
        assert all(line in plain for line in described.lines)
        assert f"{BASE_URL}{described.link}" in plain
        assert f'href="{escape(BASE_URL + described.link)}"' in html
        assert f"{BASE_URL}/notifications/preferences" in plain and f"{BASE_URL}/notifications/preferences" in html
        for leak in LEAKS:
            assert leak not in plain and leak not in html

    def test_the_indonesian_email_is_in_indonesian(self) -> None:
        message = sent(build_email(addressee("id"), [sample_notification(K.WAITLIST_GRANTED)], settings(), NOW))
        plain = text_of(message, "plain")
        assert plain.startswith("Yth. Budi Santoso,")
        assert "Atur pemberitahuan yang Anda terima" in plain
        assert "Pemesanan saya: https://kantor.example.id/my-bookings" in plain
        assert '<html lang="id">' in text_of(message, "html")

    def test_the_message_id_is_the_groups_whenever_it_is_built(self) -> None:
        group = [sample_notification(K.BOOKING_CONFIRMED, id=13), sample_notification(K.WAITLIST_GRANTED, id=12)]
        first = build_email(addressee("en"), group, settings(), NOW)
        again = build_email(addressee("id"), list(reversed(group)), settings(), datetime(2026, 12, 9, tzinfo=UTC))
        other = build_email(addressee("en"), group[:1], settings(), NOW)
        assert first["Message-ID"] == again["Message-ID"] == "<notif-12-13@kantor.example.id>"
        assert other["Message-ID"] == "<notif-13@kantor.example.id>"
        assert first["Date"] == "Tue, 08 Dec 2026 10:05:00 +0000"


class TestCalendar:
    @pytest.mark.parametrize("language", LANGUAGES)
    @pytest.mark.parametrize("kind", list(K))
    def test_booking_changes_carry_their_calendar_file(self, kind: NotificationKind, language: Language) -> None:
        notification = sample_notification(kind)
        found = calendars(sent(build_email(addressee(language), [notification], settings(), NOW)))
        if kind not in CALENDAR_KINDS:
            assert found == []
            return
        [(part, calendar)] = found
        data = notification.data
        event = only_event(calendar)
        assert str(calendar["METHOD"]) == CALENDAR_KINDS[kind]
        assert part.get_param("method") == CALENDAR_KINDS[kind]
        assert str(event["UID"]) == f"booking-{data['bookingId']}@smartoffice-nusantara"  # as the calendar feed
        assert event.decoded("DTSTART") == datetime.fromisoformat(data["startAt"])
        assert event.decoded("DTEND") == datetime.fromisoformat(data["endAt"])
        assert event.decoded("SEQUENCE") == data["version"] - 1  # as the calendar feed counts
        assert data["buildingName"] in str(event["SUMMARY"]) and data["floorName"] in str(event["LOCATION"])
        assert (str(event["STATUS"]) == "CANCELLED") == (CALENDAR_KINDS[kind] == "CANCEL")

    def test_an_invitation_is_a_request_from_the_organiser_to_the_attendee(self) -> None:
        message = sent(build_email(addressee("en"), [sample_notification(K.ROOM_INVITATION)], settings(), NOW))
        [(part, calendar)] = calendars(message)
        event = only_event(calendar)
        assert part.get_content_type() == "text/calendar" and part.get_param("method") == "REQUEST"
        assert part.get_content_disposition() is None  # inline, an alternative of the text: clients show buttons
        [attached] = message.iter_attachments()
        assert attached.get_content_type() == "application/ics" and attached.get_filename() == "invite-77.ics"
        assert attached.get_content() == part.get_content().encode()
        assert str(event["ORGANIZER"]) == "mailto:siti@example.id"
        assert str(event["ATTENDEE"]) == "mailto:budi@example.id"
        assert event["ATTENDEE"].params["CN"] == "Budi Santoso"
        assert str(event["SUMMARY"]) == "Rapat anggaran, Gedung Kemenko"

    def test_a_cancelled_invitation_cancels_the_same_event(self) -> None:
        cancel = sample_notification(K.ROOM_INVITATION, method="CANCEL", version=3, status="cancelled")
        [(part, calendar)] = calendars(sent(build_email(addressee("id"), [cancel], settings(), NOW)))
        event = only_event(calendar)
        assert str(calendar["METHOD"]) == "CANCEL" and part.get_param("method") == "CANCEL"
        assert str(event["STATUS"]) == "CANCELLED"
        assert str(event["UID"]) == "booking-77@smartoffice-nusantara"
        assert event.decoded("SEQUENCE") == 2

    def test_a_decision_told_to_whoever_booked_it_for_someone_carries_no_calendar_file(self) -> None:
        booker = Addressee(employee_id=6, name="Siti Rahma", email="siti@example.id", language="en")
        approved = sample_notification(K.APPROVAL_DECIDED, approved=True)
        assert calendars(sent(build_email(booker, [approved], settings(), NOW))) == []
        assert len(calendars(sent(build_email(addressee("en"), [approved], settings(), NOW)))) == 1

    def test_an_invitation_without_the_organisers_address_comes_from_the_service(self) -> None:
        invitation = sample_notification(K.ROOM_INVITATION, organiserEmail=None)
        [(_part, calendar)] = calendars(sent(build_email(addressee("en"), [invitation], settings(), NOW)))
        assert str(only_event(calendar)["ORGANIZER"]) == "mailto:no-reply@smartoffice.invalid"


class TestUnsubscribe:
    @pytest.mark.parametrize("kind", list(K))
    def test_reminders_and_only_reminders_carry_the_one_click_unsubscribe(self, kind: NotificationKind) -> None:
        message = sent(build_email(addressee("id"), [sample_notification(kind)], settings(), NOW))
        if kind not in REMINDERS:
            assert message["List-Unsubscribe"] is None and message["List-Unsubscribe-Post"] is None
            assert "/notifications/unsubscribe/" not in message.as_string()
            return
        assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
        header = str(message["List-Unsubscribe"])
        assert header.startswith(f"<{BASE_URL}/notifications/unsubscribe/") and header.endswith(">")
        url = header[1:-1]
        token = url.rsplit("/", 1)[1]
        unsubscribe = read_token([SECRET], token)
        assert unsubscribe is not None
        assert (unsubscribe.employee_id, unsubscribe.kind) == (5, kind)
        assert read_token(["another-key"], token) is None
        kind_name = label("id", kind)
        assert f"Berhenti menerima email jenis ini ({kind_name}): {url}" in text_of(message, "plain")
        assert f'href="{url}"' in text_of(message, "html")


class TestDigest:
    def test_invitations_go_alone_and_the_rest_of_a_persons_rows_together(self) -> None:
        confirmed = sample_notification(K.BOOKING_CONFIRMED, id=1)
        invitation = sample_notification(K.ROOM_INVITATION, id=2)
        reminder = sample_notification(K.WEEKLY_REMINDER, id=3)
        second_invitation = sample_notification(K.ROOM_INVITATION, id=4)
        someone_else = sample_notification(K.EXEMPTION_DECIDED, id=5, recipient_id=8)
        groups = email_groups([confirmed, invitation, reminder, second_invitation, someone_else])
        assert [[n.id for n in group] for group in groups] == [[1, 3], [2], [4], [5]]
        assert email_groups([confirmed]) == [[confirmed]]
        assert email_groups([]) == []

    @pytest.mark.parametrize(("language", "subject"), [("en", "SmartOffice: 3 notifications"), ("id", None)])
    def test_a_digest_lists_each_notification_with_each_bookings_calendar(
        self, language: Language, subject: str | None
    ) -> None:
        rows = [
            sample_notification(K.BOOKING_CONFIRMED, id=21),
            sample_notification(K.UNIT_DIGEST, id=22),
            sample_notification(K.BOOKING_CANCELLED, id=23, bookingId=78, version=4),
        ]

        message = sent(build_email(addressee(language), rows, settings(), NOW))

        assert subject_of(message) == (subject or "SmartOffice: 3 pemberitahuan")
        assert message["X-SmartOffice-Notifications"] == "21,22,23"
        assert message["Message-ID"] == "<notif-21-22-23@kantor.example.id>"
        plain, html = text_of(message, "plain"), text_of(message, "html")
        for row in rows:
            described = describe(row.kind, row.data, language)
            assert described.title in plain and escape(described.title) in html
        found = calendars(message)
        assert [(str(c["METHOD"]), str(only_event(c)["UID"])) for _p, c in found] == [
            ("PUBLISH", "booking-77@smartoffice-nusantara"),
            ("CANCEL", "booking-78@smartoffice-nusantara"),
        ]
        assert all(part.get_content_disposition() == "attachment" for part, _c in found)
        # the unit digest is a reminder: the digest offers to stop that kind
        token = str(message["List-Unsubscribe"])[1:-1].rsplit("/", 1)[1]
        unsubscribe = read_token([SECRET], token)
        assert unsubscribe is not None and unsubscribe.kind == K.UNIT_DIGEST

    def test_a_digest_of_several_reminder_kinds_unsubscribes_from_the_first(self) -> None:
        rows = [sample_notification(K.WEEKLY_REMINDER, id=31), sample_notification(K.UNIT_DIGEST, id=32)]
        message = build_email(addressee("en"), rows, settings(), NOW)
        unsubscribe = read_token([SECRET], str(message["List-Unsubscribe"])[1:-1].rsplit("/", 1)[1])
        assert unsubscribe is not None and unsubscribe.kind == K.WEEKLY_REMINDER


def test_every_sample_is_of_a_kind_with_a_policy() -> None:
    assert set(SAMPLES) == set(K) == set(POLICIES)
