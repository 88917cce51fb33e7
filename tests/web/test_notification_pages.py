"""The bell on every page, ``/notifications`` (open one, mark all read, pages), ``/notifications/preferences``, and
the one-click unsubscribe link, over the ASGI app as a browser without JavaScript sees them."""

import re

from smartoffice.notifications.models import NotificationKind
from smartoffice.notifications.service import Schedule
from smartoffice.notifications.unsubscribe import make_token
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.notifications import notified_bookings
from tests.support.pages import PageClient

K = NotificationKind
BELL = re.compile(r'<a class="bell" href="/notifications" data-unread="(\d+)"')


def bell(html: str) -> int:
    match = BELL.search(html)
    assert match, "no bell in the header"
    return int(match.group(1))


class TestTheBell:
    async def test_every_page_shows_the_count(self, pages: PageClient, runtime: Runtime, factory: Factory) -> None:
        siti = await factory.employee(name="Siti Rahmawati")
        await pages.act_as(siti.id)

        # given nothing unread: a bell without a badge
        page = await pages.get("/my-bookings")
        assert bell(page.text) == 0 and 'class="bell__count"' not in page.text
        assert '<span class="visually-hidden">Notifications</span>' in page.text

        # when three notifications arrive: the count on any page, with its accessible name
        await notified_bookings(runtime, factory, siti, count=3)
        for path in ("/my-bookings", "/my-week", "/account", "/notifications/preferences"):
            page = await pages.get(path)
            assert bell(page.text) == 3, path
            assert '<span class="bell__count" aria-hidden="true">3</span>' in page.text
            assert "Notifications, 3 unread" in page.text

        pages.http.headers["accept-language"] = "id"
        assert "Notifikasi, 3 belum dibaca" in (await pages.get("/my-bookings")).text

    async def test_nobody_acting_has_no_bell(self, pages: PageClient) -> None:
        assert BELL.search((await pages.get("/")).text) is None


class TestTheList:
    async def test_open_marks_read_and_leads_on(self, pages: PageClient, runtime: Runtime, factory: Factory) -> None:
        # given two notifications for Siti
        siti = await factory.employee(name="Siti Rahmawati")
        older, newer = await notified_bookings(runtime, factory, siti, count=2)
        await pages.act_as(siti.id)

        # when she opens her list: newest first, both unread, and looking changed nothing
        page = await pages.get("/notifications")
        assert re.findall(r'data-notification-id="(\d+)" data-unread', page.text) == [str(newer), str(older)]
        assert f"N-{siti.id}-1" in page.text and "Budi Santoso" in page.text
        assert bell((await pages.get("/notifications")).text) == 2

        # when she opens the newer one: it is read, and she is on the page it leads to
        opened = await pages.submit(f"/notifications/{newer}/open", {}, from_page="/notifications")
        assert (opened.status_code, opened.headers["location"]) == (303, "/my-bookings")
        page = await pages.get("/notifications")
        assert bell(page.text) == 1
        assert f'data-notification-id="{newer}">' in page.text  # no longer data-unread
        assert f'data-notification-id="{older}" data-unread' in page.text

    async def test_anothers_notification_cannot_be_opened(
        self, pages: PageClient, runtime: Runtime, factory: Factory
    ) -> None:
        siti, budi = await factory.employee(), await factory.employee()
        (hers,) = await notified_bookings(runtime, factory, siti)
        await pages.act_as(budi.id)
        response = await pages.submit(f"/notifications/{hers}/open", {}, from_page="/notifications")
        assert response.status_code == 404
        assert await runtime.notifications.unread_count(siti.id) == 1

    async def test_mark_all_as_read(self, pages: PageClient, runtime: Runtime, factory: Factory) -> None:
        siti = await factory.employee()
        await notified_bookings(runtime, factory, siti, count=3)
        await pages.act_as(siti.id)
        assert "Mark all as read" in (await pages.get("/notifications")).text

        done = await pages.submit("/notifications/read", {}, from_page="/notifications")
        assert (done.status_code, done.headers["location"]) == (303, "/notifications?notice=all_read")
        page = await pages.get(done.headers["location"])
        assert "All your notifications are marked as read." in page.text
        assert bell(page.text) == 0 and "Mark all as read" not in page.text
        assert " data-unread>" not in page.text

    async def test_pages_and_unread_only(self, pages: PageClient, runtime: Runtime, factory: Factory) -> None:
        siti = await factory.employee()
        ids = await notified_bookings(runtime, factory, siti, count=23)
        await runtime.notifications.mark_read(siti.id, ids[:20])
        await pages.act_as(siti.id)

        first = await pages.get("/notifications")
        assert len(re.findall(r"data-notification-id=", first.text)) == 20
        older = re.search(r'<a href="(/notifications\?after=[^"]+)">Older notifications</a>', first.text)
        assert older, "no link to the older ones"
        second = await pages.get(older.group(1).replace("&amp;", "&"))
        assert len(re.findall(r"data-notification-id=", second.text)) == 3
        assert "Older notifications" not in second.text

        unread = await pages.get("/notifications?unread=1")
        assert re.findall(r'data-notification-id="(\d+)"', unread.text) == [str(i) for i in reversed(ids[20:])]

    async def test_empty_and_signed_out(self, pages: PageClient, factory: Factory) -> None:
        answer = await pages.http.get("/notifications", follow_redirects=False)
        assert answer.status_code == 303 and "next=%2Fnotifications" in answer.headers["location"]
        await pages.act_as((await factory.employee()).id)
        assert "You have no notifications yet." in (await pages.get("/notifications")).text
        assert "You have no unread notifications." in (await pages.get("/notifications?unread=1")).text
        assert (await pages.get("/notifications?after=rubbish")).status_code == 422


class TestPreferences:
    async def test_defaults_save_and_show(self, pages: PageClient, runtime: Runtime, factory: Factory) -> None:
        siti = await factory.employee()
        await pages.act_as(siti.id)
        assert 'href="/notifications/preferences"' in (await pages.get("/account")).text

        # given the defaults: every kind on in both channels, named
        page = await pages.get("/notifications/preferences")
        assert page.text.count(" checked>") == 2 * len(K)
        assert "Weekly reminder of your office days" in page.text

        # when she keeps everything but the weekly reminder's email and the digest in the app, with quiet hours
        token = re.search(r'name="_csrf_token" value="([^"]+)"', page.text)
        assert token
        saved = await pages.http.post(
            "/notifications/preferences",
            data={
                "_csrf_token": token.group(1),
                "email": [k.value for k in K if k != K.WEEKLY_REMINDER],
                "in_app": [k.value for k in K if k != K.UNIT_DIGEST],
                "quiet_from": "21:00",
                "quiet_until": "06:00",
                "daily_digest": "on",
                "digest_at": "08:00",
            },
            follow_redirects=False,
        )

        # then they are hers, and the page shows them
        assert (saved.status_code, saved.headers["location"]) == (303, "/notifications/preferences?notice=saved")
        preferences = await runtime.notifications.preferences(siti.id)
        assert {c.kind: (c.email, c.in_app) for c in preferences.kinds if c.chosen} == {
            K.WEEKLY_REMINDER: (False, True),
            K.UNIT_DIGEST: (True, False),
        }
        assert preferences.schedule.quiet_from is not None and preferences.schedule.daily_digest
        page = await pages.get(saved.headers["location"])
        assert "Your notification settings are saved." in page.text
        assert 'id="email-weekly_reminder" name="email" value="weekly_reminder">' in page.text
        assert 'name="quiet_from" value="21:00"' in page.text
        assert '<option value="08:00" selected>' in page.text

    async def test_a_refused_form_saves_nothing(self, pages: PageClient, runtime: Runtime, factory: Factory) -> None:
        siti = await factory.employee()
        await pages.act_as(siti.id)
        for fields, words in (
            ({"quiet_from": "21:00", "digest_at": "07:00"}, "Give both the start and the end of the quiet hours"),
            ({"quiet_from": "25:00", "quiet_until": "06:00", "digest_at": "07:00"}, "That time is not valid."),
        ):
            refused = await pages.submit("/notifications/preferences", fields, from_page="/notifications/preferences")
            assert refused.status_code == 303
            page = await pages.get(refused.headers["location"])
            assert words in page.text, fields
        preferences = await runtime.notifications.preferences(siti.id)
        # every email was unticked in those forms, yet nothing was saved
        assert not any(c.chosen for c in preferences.kinds) and preferences.schedule == Schedule()


class TestUnsubscribe:
    async def test_one_click_without_cookies_or_csrf(
        self, pages: PageClient, runtime: Runtime, factory: Factory
    ) -> None:
        # given Siti's link from a weekly reminder, posted by her mail client (no cookies, no CSRF token)
        siti = await factory.employee()
        url = "/notifications/unsubscribe/" + make_token(runtime.settings.secret_key, siti.id, K.WEEKLY_REMINDER)
        assert not pages.http.cookies
        first = await pages.http.post(url, data={"List-Unsubscribe": "One-Click"})
        again = await pages.http.post(url, data={"List-Unsubscribe": "One-Click"})

        # then the weekly reminder's email is off, in-app on, and both answers say so
        assert (first.status_code, again.status_code) == (200, 200)
        assert "No more emails: “Weekly reminder of your office days”" in first.text
        choice = {c.kind: c for c in (await runtime.notifications.preferences(siti.id)).kinds}[K.WEEKLY_REMINDER]
        assert (choice.email, choice.in_app) == (False, True)

    async def test_opening_the_link_asks_first(self, pages: PageClient, runtime: Runtime, factory: Factory) -> None:
        siti = await factory.employee()
        url = "/notifications/unsubscribe/" + make_token(runtime.settings.secret_key, siti.id, K.CHECK_IN_REMINDER)
        page = await pages.get(url)
        assert page.status_code == 200
        assert "Stop emails: “Check-in reminder”?" in page.text
        assert "_csrf_token" not in page.text.split('<main id="main"')[1]
        assert not any(c.chosen for c in (await runtime.notifications.preferences(siti.id)).kinds)

    async def test_a_forged_link_is_not_found(self, pages: PageClient, runtime: Runtime, factory: Factory) -> None:
        siti = await factory.employee()
        forged = f"/notifications/unsubscribe/{siti.id}.weekly_reminder.AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA"
        assert (await pages.get(forged)).status_code == 404
        answer = await pages.http.post(forged, data={"List-Unsubscribe": "One-Click"})
        assert answer.status_code == 404 and "This unsubscribe link is not valid." in answer.text
        assert not any(c.chosen for c in (await runtime.notifications.preferences(siti.id)).kinds)
