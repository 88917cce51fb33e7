"""Accounts with a password and, for some, an authenticator app enrolled; codes computed as the app would."""

import time
from dataclasses import dataclass, replace

import httpx
import pyotp

from smartoffice.db import utcnow
from smartoffice.identity import totp
from smartoffice.identity.accounts import set_password
from smartoffice.identity.second_factor import SecondFactorService
from smartoffice.people.models import Role
from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.pages import PageClient

PASSWORD = "rahasia-kantor-2026"


@dataclass(frozen=True, slots=True)
class Account:
    employee_id: int
    email: str


@dataclass(frozen=True, slots=True)
class Enrolled:
    secret: str
    recovery_codes: list[str]
    confirming_code: str
    """The code the enrolment was confirmed with (its step is spent): kept, not recomputed, since a 30-s step may
    have passed since."""


async def password_account(factory: Factory, runtime: Runtime, name: str, *, admin: bool = False) -> Account:
    email = f"{name.lower().replace(' ', '.')}@example.go.id"
    person = await factory.employee(name=name, email=email)
    if admin:
        await factory.role(person, Role.ADMIN)
    async with runtime.db.write() as session:
        await set_password(session, person.id, PASSWORD, utcnow())
    return Account(person.id, email)


def second_factor_service(runtime: Runtime) -> SecondFactorService:
    settings = runtime.settings
    return SecondFactorService(runtime.db, totp.secret_box(settings), runtime.clock, demo_mode=settings.is_demo)


async def enrol(runtime: Runtime, employee_id: int) -> Enrolled:
    """An app enrolled for the person, as the enrolment page does it (the confirming code's step is spent)."""
    secret = totp.new_secret()
    confirming = code(secret, -1)
    codes = await second_factor_service(runtime).enrol(employee_id, secret, confirming)
    return Enrolled(secret, codes, confirming)


def code(secret: str, steps_from_now: int = 0) -> str:
    """The code the app shows now, or ``steps_from_now`` steps of 30 s away (the server accepts one either side)."""
    return pyotp.TOTP(secret).at(time.time() + steps_from_now * totp.STEP_SECONDS)


def production(settings: Settings) -> Settings:
    return replace(settings, demo_mode=False)


async def sign_in(pages: PageClient, email: str, password: str = PASSWORD, next_: str = "/") -> httpx.Response:
    return await pages.submit("/login", {"email": email, "password": password, "next": next_}, from_page="/login")


async def type_code(pages: PageClient, typed: str, url: str = "/login/totp") -> httpx.Response:
    return await pages.submit(url, {"code": typed}, from_page="/login")
