"""The unit head's pages beside a week's compliance, in both languages: the sub-unit filter, the policy legend (a
policy's text once, not per row), the trend, who is in on a day, the CSV (and its formula guard), the anchor days
(reviewed, then set), and a direct supervisor's team; strangers get the permission-denied page.

The pages' clock is Friday 3 July 2026, 09:00 WITA: the weeks of ``tests.support.policies`` are ahead of it.
"""

import csv
import io
import re
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select

from smartoffice import i18n
from smartoffice.audit.models import AuditEntry
from smartoffice.policies.models import AnchorDay, WorkMode
from smartoffice.runtime import Runtime
from smartoffice.web.compliance_csv import safe_cell
from tests.factories import Factory
from tests.support.clock import Clock, install_clock
from tests.support.pages import PageClient
from tests.support.policies import MON, NEXT_WEEK, TUE, WED, WEEK, Team, build_team

WITA = ZoneInfo("Asia/Makassar")
TODAY = date(2026, 7, 3)


@pytest.fixture
def clock(runtime: Runtime, pages: PageClient, monkeypatch: pytest.MonkeyPatch) -> Clock:
    clock = install_clock(runtime, monkeypatch, Clock(datetime.combine(TODAY, time(9), WITA).astimezone(UTC)))
    return install_clock(pages.http.app.state.runtime, monkeypatch, clock)


@pytest.fixture
async def team(factory: Factory, clock: Clock) -> Team:
    return await build_team(factory)


@pytest.fixture
def missing_indonesian(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every msgid looked up in Indonesian that the catalogue does not translate."""
    missing: list[str] = []
    translations = i18n.translations("id")
    translated = translations._catalog  # type: ignore[attr-defined]
    gettext, ngettext = translations.gettext, translations.ngettext

    def recording_gettext(message: str) -> str:
        if message not in translated:
            missing.append(message)
        return gettext(message)

    def recording_ngettext(singular: str, plural: str, n: int) -> str:
        if (singular, 0) not in translated:
            missing.append(singular)
        return ngettext(singular, plural, n)

    monkeypatch.setattr(translations, "gettext", recording_gettext)
    monkeypatch.setattr(translations, "ngettext", recording_ngettext)
    return missing


async def in_indonesian(pages: PageClient) -> None:
    switched = await pages.submit("/language", {"language": "id", "next": "/"})
    assert switched.status_code == 303


async def too_many_remote_days(factory: Factory, team: Team) -> None:
    """Staf 1 plans three remote days where the national policy allows two (written past the service's checks)."""
    for day in (MON, TUE, WED):
        await factory.work_day(team.staff[0], day, planned=WorkMode.HOME)


def member_ids(html: str) -> set[int]:
    return {int(n) for n in re.findall(r'<tr id="member-(\d+)"', html)}


class TestCompliancePage:
    async def test_the_sub_unit_filter_and_a_policy_named_once(self, pages: PageClient, team: Team) -> None:
        await pages.act_as(team.head.id)
        whole = await pages.get(f"/units/{team.deputy.id}/compliance?week={MON}")
        filtered = await pages.get(f"/units/{team.deputy.id}/compliance?week={MON}&subunit={team.directorate.id}")
        outside = await pages.get(f"/units/{team.deputy.id}/compliance?week={MON}&subunit={team.stranger.org_unit_id}")

        assert whole.status_code == 200
        assert member_ids(whole.text) == {team.head.id, team.supervisor.id, *(s.id for s in team.staff)}
        assert f'<option value="{team.directorate.id}">' in whole.text.replace("\u00a0", "")
        # nobody planned anything: every row names a problem, the national policy is named once, in the legend
        assert whole.text.count(team.national.name) == 1
        assert whole.text.count('href="#policy-1"') >= 5
        assert '<li id="policy-1" value="1">' in whole.text
        assert filtered.status_code == 200
        assert member_ids(filtered.text) == {team.supervisor.id, *(s.id for s in team.staff)}
        assert "Showing Direktorat Perencanaan and the units below it." in filtered.text
        assert f'<option value="{team.directorate.id}" selected>' in filtered.text
        assert outside.status_code == 404

    async def test_links_to_the_other_views_keep_the_filter(self, pages: PageClient, team: Team) -> None:
        await pages.act_as(team.head.id)
        page = await pages.get(f"/units/{team.deputy.id}/compliance?week={TUE}&subunit={team.directorate.id}")

        base = f"/units/{team.deputy.id}"
        assert f'href="{base}/compliance/trend?subunit={team.directorate.id}&amp;week={MON}"' in page.text
        assert f'href="{base}/compliance/day?subunit={team.directorate.id}&amp;day={MON}"' in page.text
        assert f'href="{base}/anchor-days"' in page.text
        assert f'href="{base}/compliance.csv?subunit={team.directorate.id}&amp;week={MON}"' in page.text

    async def test_in_indonesian(self, pages: PageClient, team: Team, missing_indonesian: list[str]) -> None:
        await pages.act_as(team.head.id)
        await in_indonesian(pages)
        base = f"/units/{team.deputy.id}"
        urls = [
            f"{base}/compliance?week={MON}",
            f"{base}/compliance/trend?week={MON}",
            f"{base}/compliance/day?day={TUE}",
            f"{base}/anchor-days",
            f"{base}/anchor-days?review=1&weekdays=2&effective_from={NEXT_WEEK}",
        ]
        responses = [await pages.get(url) for url in urls]

        assert [r.status_code for r in responses] == [200] * len(urls)
        assert "Kepatuhan" in responses[0].text and "Tren" in responses[1].text
        assert "Rabu" in responses[4].text
        assert sorted(set(missing_indonesian)) == []

    async def test_a_stranger_and_a_supervisor_are_refused(self, pages: PageClient, team: Team) -> None:
        base = f"/units/{team.directorate.id}"
        urls = [
            f"{base}/compliance",
            f"{base}/compliance/trend",
            f"{base}/compliance/day",
            f"{base}/compliance.csv",
            f"{base}/anchor-days",
        ]
        for person in (team.stranger, team.supervisor):
            await pages.act_as(person.id)
            statuses = [(await pages.get(url)).status_code for url in urls]
            assert statuses == [403] * len(urls), person.name
        posted = await pages.submit(
            f"{base}/anchor-days", {"weekdays": "2", "effective_from": NEXT_WEEK.isoformat()}, from_page="/"
        )
        assert posted.status_code == 303
        shown = await pages.get(posted.headers["location"])
        assert shown.status_code == 403


class TestTrendAndDay:
    async def test_the_trend_draws_eight_weeks_with_their_table(
        self, pages: PageClient, team: Team, factory: Factory
    ) -> None:
        await factory.work_day(team.staff[0], MON, planned=WorkMode.HOME)
        await pages.act_as(team.head.id)
        page = await pages.get(f"/units/{team.directorate.id}/compliance/trend?week={MON}")

        assert page.status_code == 200
        assert re.search(r'<svg viewBox="[^"]+" role="img" aria-labelledby="chart-summary"', page.text)
        weeks = re.findall(r'<tr id="week-(\d{4}-\d{2}-\d{2})"', page.text)
        assert weeks == [(MON - timedelta(weeks=n)).isoformat() for n in reversed(range(8))]
        assert "8 weeks up to the week of" in page.text

    async def test_too_many_weeks_is_the_visitors_mistake(self, pages: PageClient, team: Team) -> None:
        await pages.act_as(team.head.id)
        page = await pages.get(f"/units/{team.directorate.id}/compliance/trend?weeks=99")
        assert page.status_code == 422

    async def test_who_is_in_on_a_day(self, pages: PageClient, team: Team, factory: Factory) -> None:
        await factory.work_day(team.staff[0], TUE, planned=WorkMode.OFFICE)
        await factory.work_day(team.staff[1], TUE, planned=WorkMode.HOME)
        await factory.work_day(team.staff[2], TUE, planned=WorkMode.LEAVE)
        await pages.act_as(team.head.id)
        page = await pages.get(f"/units/{team.directorate.id}/compliance/day?day={TUE}")

        assert page.status_code == 200

        def group(presence: str) -> str:
            match = re.search(rf'<section class="card group" id="group-{presence}".*?</section>', page.text, re.S)
            assert match, presence
            return match.group(0)

        assert f'id="person-{team.staff[0].id}"' in group("in_office")
        assert "Office day planned" in group("in_office")
        assert f'id="person-{team.staff[1].id}"' in group("remote") and "Home (WFH)" in group("remote")
        assert f'id="person-{team.staff[2].id}"' in group("away")
        assert f'id="person-{team.supervisor.id}"' in group("no_plan")
        assert 'aria-current="date"' in page.text


class TestCsv:
    async def test_one_row_per_person_in_the_visitors_language(
        self, pages: PageClient, team: Team, factory: Factory
    ) -> None:
        await factory.employee(team.directorate, name='=HYPERLINK("http://x")', nip="@123")
        await too_many_remote_days(factory, team)
        await pages.act_as(team.head.id)
        english = await pages.get(f"/units/{team.directorate.id}/compliance.csv?week={MON}")
        await in_indonesian(pages)
        indonesian = await pages.get(f"/units/{team.directorate.id}/compliance.csv?week={MON}")

        assert english.status_code == 200
        assert english.headers["content-type"].startswith("text/csv")
        assert english.headers["content-disposition"].startswith("attachment; filename=")
        rows = list(csv.reader(io.StringIO(english.text.lstrip("\ufeff"))))
        assert rows[0] == [
            "NIP", "Name", "Unit", "Status", "Office days", "Office days needed", "Remote days",
            "Remote days allowed", "Problems",
        ]  # fmt: skip
        by_name = {row[1]: row for row in rows[1:]}
        assert set(by_name) == {'\'=HYPERLINK("http://x")', "Atasan Langsung", "Staf 1", "Staf 2", "Staf 3"}
        assert by_name['\'=HYPERLINK("http://x")'][0] == "'@123"
        staff = by_name["Staf 1"]
        assert staff[0] == team.staff[0].nip and staff[2] == "Direktorat Perencanaan"
        assert staff[6:8] == ["3", "2"]
        assert team.national.name in staff[8]
        indonesian_rows = list(csv.reader(io.StringIO(indonesian.text.lstrip("\ufeff"))))
        assert indonesian_rows[0][0:3] == ["NIP", "Nama", "Unit kerja"]
        assert len(indonesian_rows) == len(rows)


class TestAnchorDays:
    async def test_reviewed_then_set_and_audited(self, pages: PageClient, team: Team, runtime: Runtime) -> None:
        await pages.act_as(team.head.id)
        base = f"/units/{team.directorate.id}/anchor-days"
        page = await pages.get(base)
        review = await pages.get(f"{base}?review=1&weekdays=1&weekdays=3&effective_from={WEEK}")
        saved = await pages.submit(
            base, {"weekdays": "1", "effective_from": WEEK.isoformat()}, from_page=f"{base}?review=1"
        )
        after = await pages.get(saved.headers["location"])

        assert page.status_code == 200
        assert f'value="{WEEK}"' in page.text  # next Monday by default
        assert "None: no anchor days are set" in page.text
        assert review.status_code == 200
        assert "From Monday 6 July 2026 the anchor days of Direktorat Perencanaan will be: Tuesday, Thursday" in (
            review.text
        )
        assert saved.status_code == 303
        assert "Saved: from Monday 6 July 2026 the anchor days are Tuesday." in after.text
        assert "From Monday 6 July 2026: Tuesday" in after.text
        async with runtime.db.read() as session:
            rows = (await session.scalars(select(AnchorDay).where(AnchorDay.org_unit_id == team.directorate.id))).all()
            entry = await session.scalar(select(AuditEntry).where(AuditEntry.action == "anchor_days.set"))
        assert [(r.weekday, r.effective_from) for r in rows] == [(1, WEEK)]
        assert entry is not None and entry.via == "page"

    async def test_a_past_day_is_refused(self, pages: PageClient, team: Team) -> None:
        await pages.act_as(team.head.id)
        base = f"/units/{team.directorate.id}/anchor-days"
        review = await pages.get(f"{base}?review=1&weekdays=1&effective_from={TODAY - timedelta(days=1)}")
        saved = await pages.submit(base, {"weekdays": "9", "effective_from": WEEK.isoformat()})
        shown = await pages.get(saved.headers["location"])

        assert review.status_code == 422 and "already in the past" in review.text
        assert saved.status_code == 303 and "Please check" in shown.text


class TestTeam:
    async def test_a_direct_supervisor_sees_their_reports(
        self, pages: PageClient, team: Team, factory: Factory
    ) -> None:
        await too_many_remote_days(factory, team)
        await pages.act_as(team.supervisor.id)
        page = await pages.get(f"/team/compliance?week={MON}")
        exported = await pages.get(f"/team/compliance.csv?week={MON}")
        await pages.act_as(team.stranger.id)
        nobody = await pages.get(f"/team/compliance?week={MON}")

        assert page.status_code == 200
        assert member_ids(page.text) == {s.id for s in team.staff}
        assert page.text.count(team.national.name) == 1
        assert len(list(csv.reader(io.StringIO(exported.text)))) == 4
        assert nobody.status_code == 200 and "Nobody has you as their direct supervisor." in nobody.text


def test_the_formula_guard_prefixes_text_only() -> None:
    cells = ["=1+1", "+62 812", "-5", "@SUM(A1)", "\tx", "Staf 1", "", 3, -2]
    assert [safe_cell(c) for c in cells] == ["'=1+1", "'+62 812", "'-5", "'@SUM(A1)", "'\tx", "Staf 1", "", 3, -2]
