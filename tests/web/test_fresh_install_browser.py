"""A fresh install brought to life without SQL, in Chromium (issue 11): the app served as in production
(``SMARTOFFICE_DEMO_MODE=0``, no demo seed), people imported from the repository's example file and two accounts
created with the command line, then everything else in the browser: the administrator follows their invitation
link, sets a password (and enrols the second factor production asks of administrators), grants a facilities
manager of a site on /admin/roles; that person follows their own link, signs out and in again with their password,
and finds their role on /admin and the grant in their site's audit log. axe-core checks the three admin pages at
390 px wide.

Places come first, from the repository's example places file (``smartoffice places import``), so that the people
file's home buildings (``Gedung``) are found and there is a site to grant.
"""

import asyncio
import re
import sys
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import select

from smartoffice.audit.models import AuditEntry
from smartoffice.identity import totp
from smartoffice.people.models import Employee
from smartoffice.places.models import Site
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.support import live_server
from tests.support.browser import PHONE, axe_violations
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS, ROOT, serve, server_env

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium"),
]

PEOPLE_FILE = ROOT / "docs" / "examples" / "people-siasn-example.csv"
PLACES_FILE = ROOT / "docs" / "examples" / "places-example.csv"
ADMIN_EMAIL = "bambang.santoso@contoh.go.id"
MANAGER_EMAIL = "siti.rahayu@contoh.go.id"
MANAGER_NIP = "199204182015032001"
ADMIN_PASSWORD = "kata-sandi-admin-2026"
MANAGER_PASSWORD = "kata-sandi-pengelola-2026"
LINK = re.compile(r"^(http://\S+/login/invite/\S+)$", re.M)


async def smartoffice(env: dict[str, str], *args: str) -> str:
    """Run ``smartoffice ARGS`` as an operator would; its standard output (the test fails on a non-zero exit)."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "smartoffice", *args, env=env, cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await process.communicate()
    assert process.returncode == 0, f"smartoffice {' '.join(args)}: {out.decode()} {err.decode()}"
    return out.decode()


async def set_password(page: Any, link: str, password: str) -> None:
    await page.goto(link)
    await page.get_by_label("New password", exact=True).fill(password)
    await page.get_by_label("New password, again").fill(password)
    await page.get_by_role("button", name="Set password and sign in").click()


async def enrol_second_factor_if_asked(page: Any) -> None:
    """Production asks an administrator to enrol a TOTP authenticator: type the key's current code, as an app would."""
    from playwright.async_api import expect

    heading = page.get_by_role("heading", name="Set up two-step sign-in")
    if not await heading.count():
        return
    secret = re.sub(r"\s", "", await page.locator("#totp-secret").inner_text())
    await page.get_by_label("Code", exact=True).fill(totp.code_at_step(secret, totp.step_at(datetime.now(UTC))))
    await page.get_by_role("button", name="Confirm and turn on").click()
    await expect(heading).to_have_count(0)


async def test_a_fresh_install_comes_to_life_without_sql(
    settings: Settings, runtime: Runtime, monkeypatch: pytest.MonkeyPatch
) -> None:
    from playwright.async_api import async_playwright, expect

    # Four CLI runs and a production start of granian take a while on a loaded 2-core machine: no flaky start.
    monkeypatch.setattr(live_server, "STARTUP_SECONDS", 120)

    env = server_env(settings, demo=False)
    placed = await smartoffice(env, "places", "import", str(PLACES_FILE))
    assert placed.startswith("sites 1 new"), placed
    async with runtime.db.read() as session:
        site = (await session.scalars(select(Site).where(Site.code == "KIPP"))).one()
    imported = await smartoffice(env, "people", "import", str(PEOPLE_FILE))
    violations: dict[str, list[str]] = {}

    async with serve(env) as server:
        admin_out = await smartoffice(env, "accounts", "create", "--employee", ADMIN_EMAIL, "--role", "admin",
                                      "--base-url", server)  # fmt: skip
        manager_out = await smartoffice(env, "accounts", "create", "--employee", MANAGER_NIP, "--base-url", server)
        admin_link, manager_link = LINK.search(admin_out), LINK.search(manager_out)
        assert admin_link and manager_link, (admin_out, manager_out)

        async with async_playwright() as playwright:
            browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            try:
                # the administrator sets a password from the invitation and grants a facilities manager
                admin = await browser.new_page(viewport=PHONE)
                await set_password(admin, admin_link.group(1), ADMIN_PASSWORD)
                await enrol_second_factor_if_asked(admin)
                await admin.goto(f"{server}/")
                await expect(admin.get_by_text("Signed in as Bambang Santoso")).to_be_visible()
                await admin.get_by_role("navigation", name="Main").get_by_role("link", name="Administration").click()
                await expect(admin.get_by_role("heading", name="Administration", level=1)).to_be_visible()
                violations["overview"] = await axe_violations(admin)

                await admin.goto(f"{server}/admin/roles")
                await admin.get_by_label("Person").first.fill(MANAGER_EMAIL)
                await admin.locator("#grant-role").select_option("facilities_manager")
                await admin.locator("#grant-site").select_option(label="Kawasan Inti Pusat Pemerintahan")
                await admin.get_by_role("button", name="Grant role").click()
                await expect(admin.get_by_role("status")).to_contain_text("The role is granted.")
                row = admin.locator('tr[data-role="facilities_manager"]')
                await expect(row).to_contain_text("Siti Rahayu")
                await expect(row).to_contain_text("Kawasan Inti Pusat Pemerintahan")
                violations["roles"] = await axe_violations(admin)

                await admin.goto(f"{server}/admin/audit")
                await expect(admin.locator('li[data-action="role.grant"]').first).to_contain_text("Siti Rahayu")
                violations["audit (admin)"] = await axe_violations(admin)
                await admin.close()

                # the facilities manager sets a password, signs out, signs in with it, and sees their pages
                manager = await browser.new_page(viewport=PHONE)
                await set_password(manager, manager_link.group(1), MANAGER_PASSWORD)
                await manager.get_by_role("button", name="Sign out").click()
                await manager.goto(f"{server}/login")
                await manager.get_by_label("Email").fill(MANAGER_EMAIL)
                await manager.get_by_label("Password").fill(MANAGER_PASSWORD)
                await manager.get_by_role("button", name="Sign in").click()
                await expect(manager.get_by_text("Signed in as Siti Rahayu")).to_be_visible()

                await manager.get_by_role("link", name="Administration").click()
                held = manager.locator('li[data-role="facilities_manager"]')
                await expect(held).to_contain_text("Facilities manager")
                await expect(held).to_contain_text("Kawasan Inti Pusat Pemerintahan")
                violations["overview (manager)"] = await axe_violations(manager)

                await (
                    manager.get_by_role("navigation", name="Administration")
                    .get_by_role("link", name="Audit log")
                    .click()
                )
                grant = manager.locator('li[data-action="role.grant"]')
                await expect(grant).to_have_count(1)
                await expect(grant).to_contain_text("Bambang Santoso")  # who granted it
                await expect(grant).to_contain_text("Kawasan Inti Pusat Pemerintahan")
                await expect(manager.locator('li[data-action="account.create"]')).to_have_count(0)  # no site: not hers
                violations["audit"] = await axe_violations(manager)
            finally:
                await browser.close()

    assert imported.startswith("people: 8 new") and "warning" not in imported, imported
    assert violations == {page: [] for page in violations} and len(violations) == 5
    async with runtime.db.read() as session:
        grants = (await session.scalars(select(AuditEntry).where(AuditEntry.action == "role.grant"))).all()
        names = {ident: name for ident, name in (await session.execute(select(Employee.id, Employee.name))).all()}
    assert [(names.get(e.actor_id or 0), e.via, e.site_id, names.get(e.entity_id or 0)) for e in grants] == [
        (None, "cli", None, "Bambang Santoso"),  # accounts create --role admin
        ("Bambang Santoso", "page", site.id, "Siti Rahayu"),
    ]
