"""``/account``: the person's own login sessions (end one, or all but this one), app tokens (revoke, after a
confirmation) and two-step sign-in (enrol, new recovery codes, turn off: never for an administrator). Any
signed-in person, or in demo mode the person acted as. Every ending and revoking is audited
(smartoffice.identity.my_account), every two-step change too (smartoffice.identity.second_factor)."""

from contextlib import suppress
from dataclasses import dataclass
from datetime import datetime
from typing import Annotated, Any
from zoneinfo import ZoneInfo

from litestar import Request, get, post
from litestar.params import FromPath, QueryParameter
from litestar.response import Redirect, Template
from litestar.status_codes import HTTP_303_SEE_OTHER
from redis.exceptions import RedisError

from smartoffice import formats
from smartoffice.errors import NotFound
from smartoffice.i18n import Language
from smartoffice.identity.models import ApiToken
from smartoffice.identity.my_account import MyAccountService, SessionsUnavailable
from smartoffice.identity.second_factor import SecondFactorRefused, TotpStatus
from smartoffice.identity.sessions import SESSION_COOKIE, handle_of
from smartoffice.runtime import runtime_of
from smartoffice.web.context import acting_employee_id, current_viewer
from smartoffice.web.identity import see_other
from smartoffice.web.language import language_of
from smartoffice.web.second_step import enrolment_page, second_step_problem
from smartoffice.web.signing_in import enrolments, second_factor

SHOWN_ZONE = ZoneInfo("Asia/Makassar")
"""Instants on this page are shown in WITA, Nusantara's time."""
NOTICES = ("session_ended", "sessions_ended", "token_revoked", "totp_off")


@dataclass(frozen=True, slots=True)
class SessionRow:
    handle: str
    created: str
    last_seen: str | None
    client_address: str | None
    user_agent: str | None
    is_current: bool


@dataclass(frozen=True, slots=True)
class TokenRow:
    id: int
    name: str
    scopes: list[str]
    created: str
    last_used: str | None
    expires: str | None
    expired: bool


@dataclass(frozen=True, slots=True)
class AccountPage:
    signed_in: bool
    sessions: list[SessionRow] | None
    """``None``: sessions cannot be read now (Redis unreachable)."""
    tokens: list[TokenRow]
    totp: TotpStatus
    notice: str | None
    error: str | None


def _when(language: Language, moment: datetime | None) -> str | None:
    if moment is None:
        return None
    local = moment.astimezone(SHOWN_ZONE)
    return f"{formats.short_date(language, local.date())} {formats.clock(language, local.time())} WITA"


def _service(request: Request[Any, Any, Any]) -> MyAccountService:
    runtime = runtime_of(request)
    return MyAccountService(runtime.db, runtime.identity.sessions, runtime.clock)


def _who(request: Request[Any, Any, Any]) -> int | None:
    return acting_employee_id(request)


def _to_sign_in() -> Redirect:
    return Redirect(path="/login?next=/account", status_code=HTTP_303_SEE_OTHER)


def _token_row(language: Language, token: ApiToken, now: datetime) -> TokenRow:
    return TokenRow(
        token.id,
        token.name,
        list(token.scopes),
        _when(language, token.created_at) or "",
        _when(language, token.last_used_at),
        _when(language, token.expires_at),
        not token.is_active(now),
    )


@get("/account", name="account")
async def account_page(
    request: Request[Any, Any, Any],
    notice: Annotated[str | None, QueryParameter()] = None,
    error: Annotated[str | None, QueryParameter()] = None,
) -> Template | Redirect:
    employee_id = _who(request)
    if employee_id is None:
        return _to_sign_in()
    language, service = language_of(request), _service(request)
    current = request.cookies.get(SESSION_COOKIE)
    current_handle = handle_of(current) if current else None
    try:
        sessions: list[SessionRow] | None = [
            SessionRow(
                s.handle,
                _when(language, s.created_at) or "",
                _when(language, s.last_seen_at),
                s.client_address,
                s.user_agent,
                s.handle == current_handle,
            )
            for s in await service.my_sessions(employee_id)
        ]
    except SessionsUnavailable:
        sessions = None
    now = runtime_of(request).clock()
    tokens = [_token_row(language, t, now) for t in await service.my_tokens(employee_id)]
    page = AccountPage(
        signed_in=current_handle is not None and any(s.is_current for s in sessions or []),
        sessions=sessions,
        tokens=tokens,
        totp=await second_factor(request).status(employee_id),
        notice=notice if notice in NOTICES else None,
        error=second_step_problem(language, error) if error and error.startswith("TOTP_") else None,
    )
    return Template(
        template_name="account.html",
        context={"page": page, "viewer": await current_viewer(request)},
        headers={"Cache-Control": "no-store"},
    )


@post("/account/sessions/end", name="account-end-session")
async def end_session(request: Request[Any, Any, Any]) -> Redirect:
    employee_id = _who(request)
    if employee_id is None:
        return _to_sign_in()
    form = await request.form()
    try:
        ended = await _service(request).end_session(employee_id, str(form.get("handle") or ""))
    except SessionsUnavailable:
        return see_other("/account")
    return see_other("/account?notice=session_ended" if ended else "/account")


@post("/account/sessions/end-others", name="account-end-other-sessions")
async def end_other_sessions(request: Request[Any, Any, Any]) -> Redirect:
    employee_id = _who(request)
    if employee_id is None:
        return _to_sign_in()
    try:
        await _service(request).end_other_sessions(employee_id, request.cookies.get(SESSION_COOKIE))
    except SessionsUnavailable:
        return see_other("/account")
    return see_other("/account?notice=sessions_ended")


@get("/account/tokens/{token_id:int}/revoke", name="account-revoke-token-confirm")
async def confirm_token_revocation(request: Request[Any, Any, Any], token_id: FromPath[int]) -> Template | Redirect:
    employee_id = _who(request)
    if employee_id is None:
        return _to_sign_in()
    token = await _service(request).my_token(employee_id, token_id)  # NotFound: the pages' 404
    row = _token_row(language_of(request), token, runtime_of(request).clock())
    return Template(
        template_name="account_revoke_token.html",
        context={"token": row, "viewer": await current_viewer(request)},
    )


@post("/account/tokens/{token_id:int}/revoke", name="account-revoke-token")
async def revoke_token(request: Request[Any, Any, Any], token_id: FromPath[int]) -> Redirect:
    employee_id = _who(request)
    if employee_id is None:
        return _to_sign_in()
    try:
        await _service(request).revoke_my_token(employee_id, token_id)
    except NotFound:
        return see_other("/account")
    return see_other("/account?notice=token_revoked")


@get("/account/totp", name="account-totp-page")
async def totp_enrolment_page(request: Request[Any, Any, Any]) -> Template | Redirect:
    employee_id = _who(request)
    if employee_id is None:
        return _to_sign_in()
    status = await second_factor(request).status(employee_id)
    if status.enabled or not status.has_password:
        return see_other("/account")
    return await enrolment_page(request, employee_id, "/account/totp")


@post("/account/totp", name="account-totp-enrol")
async def enrol_totp(request: Request[Any, Any, Any]) -> Template | Redirect:
    employee_id = _who(request)
    if employee_id is None:
        return _to_sign_in()
    form = await request.form()
    try:
        secret = await enrolments(request).waiting(employee_id)
    except RedisError:
        secret = None
    if secret is None:  # the enrolment ran out (or Redis is away): start it again
        return see_other("/account/totp")
    try:
        codes = await second_factor(request).enrol(employee_id, secret, str(form.get("code") or ""))
    except SecondFactorRefused as refused:
        if refused.problem.value != "TOTP_WRONG_CODE":
            return see_other(f"/account?error={refused.problem.value}")
        return await enrolment_page(request, employee_id, "/account/totp", error=refused.problem.value, status=400)
    with suppress(RedisError):  # it runs out by itself; the factor is on either way
        await enrolments(request).forget(employee_id)
    return _recovery_codes(request, codes)


def _recovery_codes(request: Request[Any, Any, Any], codes: list[str]) -> Template:
    return Template(
        template_name="totp_recovery_codes.html",
        context={"codes": codes, "continue_path": "/account", "viewer": None},
        headers={"Cache-Control": "no-store"},
    )


@post("/account/totp/recovery-codes", name="account-recovery-codes")
async def regenerate_recovery_codes(request: Request[Any, Any, Any]) -> Template | Redirect:
    employee_id = _who(request)
    if employee_id is None:
        return _to_sign_in()
    form = await request.form()
    try:
        codes = await second_factor(request).regenerate_recovery_codes(employee_id, str(form.get("code") or ""))
    except SecondFactorRefused as refused:
        return see_other(f"/account?error={refused.problem.value}")
    return _recovery_codes(request, codes)


@post("/account/totp/off", name="account-totp-off")
async def turn_totp_off(request: Request[Any, Any, Any]) -> Redirect:
    employee_id = _who(request)
    if employee_id is None:
        return _to_sign_in()
    form = await request.form()
    try:
        await second_factor(request).turn_off(employee_id, str(form.get("code") or ""))
    except SecondFactorRefused as refused:
        return see_other(f"/account?error={refused.problem.value}")
    return see_other("/account?notice=totp_off")


ACCOUNT_ROUTES = [
    account_page,
    end_session,
    end_other_sessions,
    confirm_token_revocation,
    revoke_token,
    totp_enrolment_page,
    enrol_totp,
    regenerate_recovery_codes,
    turn_totp_off,
]
