"""``/admin/accounts``: administrators list local accounts and create, reset, disable and enable them.

The list is every employee with their account's state (active; invited, with when the link expires; invitation
expired; disabled; no account), searched by name, NIP or email and filtered by state, :data:`PAGE_SIZE` a page.
Creating an account (for an employee named by NIP or email) or resetting one issues an invitation link: it is shown
**once**, on the page the browser is sent to after the change (a one-time value in Redis, read and deleted), as an
absolute URL to hand to the person. Reset and disable ask for confirmation first. Every change is made by
:class:`~smartoffice.identity.account_commands.AccountAdministration` (administrators only, audited via ``web``).
"""

import json
import secrets
from dataclasses import dataclass
from typing import Annotated, Any
from urllib.parse import urlencode

from litestar import Request, get, post
from litestar.params import FromPath, FromQuery, QueryParameter
from litestar.response import Redirect, Template
from redis.exceptions import RedisError

from smartoffice import formats
from smartoffice.db import is_storable_id
from smartoffice.errors import NotFound
from smartoffice.i18n import Language, gettext
from smartoffice.identity.account_commands import AccountAdministration, IssuedInvitation
from smartoffice.identity.invitations import NO_ACCOUNT, AccountListing, AccountState
from smartoffice.runtime import runtime_of
from smartoffice.uploads import TOKEN
from smartoffice.web.admin.access import StaffVisitor, admin_visitor
from smartoffice.web.errors import PageError, attempt
from smartoffice.web.identity import see_other
from smartoffice.web.language import language_of

PAGE_SIZE = 50
ACCOUNTS_PATH = "/admin/accounts"
SHOWN_LINK_TTL_SECONDS = 10 * 60
"""How long a new invitation link waits in Redis for the page that shows it (once)."""
FILTERS: dict[str, AccountState | str] = {
    "active": AccountState.ACTIVE,
    "invited": AccountState.INVITED,
    "expired": AccountState.EXPIRED,
    "disabled": AccountState.DISABLED,
    "none": NO_ACCOUNT,
}
"""The state filter as the query string names it → the directory's filter."""
STATE_KEYS = {value: key for key, value in FILTERS.items()}
NOTICES = ("disabled", "enabled")


def administration(request: Request[Any, Any, Any]) -> AccountAdministration:
    runtime = runtime_of(request)
    return AccountAdministration(runtime.db, runtime.identity.sessions, runtime.clock)


@dataclass(frozen=True, slots=True)
class AccountRowView:
    account: AccountListing
    state_key: str
    expires: str | None
    """When a pending invitation expires, in the page's language (UTC)."""


@dataclass(frozen=True, slots=True)
class Notice:
    """What the last change did (``disabled``, ``enabled``) and to whom."""

    done: str
    name: str


@dataclass(frozen=True, slots=True)
class ShownLink:
    name: str
    url: str
    expires: str
    reset: bool


def _row(language: Language, account: AccountListing) -> AccountRowView:
    expires = account.invitation_expires_at
    when = f"{formats.short_date(language, expires.date())} {expires:%H:%M} UTC" if expires else None
    return AccountRowView(account, STATE_KEYS.get(account.state, "none") if account.state else "none", when)


def _page_url(search: str, state: str, page: int) -> str:
    query = {k: v for k, v in (("q", search), ("state", state), ("page", str(page) if page > 1 else "")) if v}
    return ACCOUNTS_PATH + ("?" + urlencode(query) if query else "")


async def _list_page(
    request: Request[Any, Any, Any],
    staff: StaffVisitor,
    *,
    search: str = "",
    state: str = "",
    page: int = 1,
    error: PageError | None = None,
    employee_field: str = "",
    shown: ShownLink | None = None,
    notice: "Notice | None" = None,
) -> Template:
    language = language_of(request)
    wanted = FILTERS.get(state)
    state = state if wanted else ""
    page = max(1, min(page, 10_000))
    directory = await administration(request).directory(
        staff.id, search=search[:200], state=wanted, offset=(page - 1) * PAGE_SIZE, limit=PAGE_SIZE
    )
    pages = max(1, -(-directory.total // PAGE_SIZE))
    return Template(
        template_name="admin/accounts.html",
        context={
            "staff": staff,
            "viewer": staff.viewer,
            "admin_current": "accounts",
            "nav_current": "admin",
            "rows": [_row(language, row) for row in directory.rows],
            "total": directory.total,
            "search": search,
            "state": state,
            "filters": list(FILTERS),
            "page": page,
            "pages": pages,
            "previous_url": _page_url(search, state, page - 1) if page > 1 else None,
            "next_url": _page_url(search, state, page + 1) if page < pages else None,
            "error": error,
            "employee_field": employee_field,
            "shown": shown,
            "done": notice,
        },
        status_code=error.status if error else 200,
        headers={"Cache-Control": "no-store"} if shown else None,
    )


@get(ACCOUNTS_PATH, name="admin-accounts")
async def accounts_page(
    request: Request[Any, Any, Any],
    q: FromQuery[str] = "",
    state_filter: Annotated[str, QueryParameter(name="state")] = "",
    page: FromQuery[int] = 1,
    done: FromQuery[str] = "",
    employee: FromQuery[int | None] = None,
) -> Template:
    staff = await admin_visitor(request)
    notice = None
    if done in NOTICES and employee is not None and is_storable_id(employee):
        notice = Notice(done, (await administration(request).listing(staff.id, employee)).name)
    return await _list_page(request, staff, search=q, state=state_filter, page=page, notice=notice)


# ---- create and reset: the link shown once ------------------------------------------------------------------


async def _show_once(
    request: Request[Any, Any, Any], staff: StaffVisitor, issued: IssuedInvitation, *, reset: bool
) -> Template | Redirect:
    """Keep the link for the next page (303), or when Redis fails show it right here (not cached)."""
    language = language_of(request)
    expires = issued.invitation.expires_at
    link = ShownLink(
        issued.name,
        str(request.base_url).rstrip("/") + issued.invitation.path,
        f"{formats.short_date(language, expires.date())} {expires:%H:%M} UTC",
        reset,
    )
    token = secrets.token_urlsafe(24)
    value = json.dumps({"actor": staff.id, "name": link.name, "url": link.url, "expires": link.expires, "reset": reset})
    try:
        await runtime_of(request).redis.set(_link_key(token), value, ex=SHOWN_LINK_TTL_SECONDS)
    except RedisError:
        return await _list_page(request, staff, shown=link)
    return see_other(f"{ACCOUNTS_PATH}/link/{token}")


def _link_key(token: str) -> str:
    return f"admin:accounts:link:{token}"


@get(ACCOUNTS_PATH + "/link/{token:str}", name="admin-accounts-link")
async def shown_link(request: Request[Any, Any, Any], token: FromPath[str]) -> Template:
    """The new invitation link, this once: the value is deleted as it is read."""
    staff = await admin_visitor(request)
    language = language_of(request)
    raw = None
    if TOKEN.fullmatch(token):
        try:
            raw = await runtime_of(request).redis.getdel(_link_key(token))
        except RedisError:
            raw = None
    kept = json.loads(raw) if raw else None
    if not kept or kept.get("actor") != staff.id:
        error = PageError(
            404,
            "account_link_shown",
            gettext(language, "Not found"),
            gettext(language, "An invitation link is shown only once. Reset the account to issue a new one."),
        )
        return await _list_page(request, staff, error=error)
    link = ShownLink(kept["name"], kept["url"], kept["expires"], bool(kept["reset"]))
    return await _list_page(request, staff, shown=link)


@post(ACCOUNTS_PATH, name="admin-accounts-create")
async def create_account(request: Request[Any, Any, Any]) -> Template | Redirect:
    staff = await admin_visitor(request)
    language = language_of(request)
    form = await request.form()
    wanted = str(form.get("employee") or "").strip()[:200]
    if not wanted:
        text = gettext(language, "Type the person's NIP or email.")
        error = PageError(422, "missing_employee", gettext(language, "Please check and try again"), text)
        return await _list_page(request, staff, error=error)
    issued = await attempt(administration(request).create(staff.id, wanted), language)
    if isinstance(issued, PageError):
        return await _list_page(request, staff, error=issued, employee_field=wanted)
    return await _show_once(request, staff, issued, reset=False)


# ---- reset, disable, enable of one person ----------------------------------------------------------------------


def _employee_id(employee_id: int) -> int:
    if not is_storable_id(employee_id):
        raise NotFound("Employee", employee_id)
    return employee_id


@get(ACCOUNTS_PATH + "/{employee_id:int}/reset", name="admin-accounts-confirm-reset")
async def confirm_reset(request: Request[Any, Any, Any], employee_id: FromPath[int]) -> Template:
    return await _confirm_page(request, employee_id, "reset")


@get(ACCOUNTS_PATH + "/{employee_id:int}/disable", name="admin-accounts-confirm-disable")
async def confirm_disable(request: Request[Any, Any, Any], employee_id: FromPath[int]) -> Template:
    return await _confirm_page(request, employee_id, "disable")


async def _confirm_page(request: Request[Any, Any, Any], employee_id: int, action: str) -> Template:
    """Reset and disable ask first: what will happen, and a button that does it."""
    staff = await admin_visitor(request)
    account = await administration(request).listing(staff.id, _employee_id(employee_id))
    return Template(
        template_name="admin/accounts_confirm.html",
        context={
            "staff": staff,
            "viewer": staff.viewer,
            "admin_current": "accounts",
            "nav_current": "admin",
            "account": account,
            "action": action,
        },
    )


@post(ACCOUNTS_PATH + "/{employee_id:int}/reset", name="admin-accounts-reset")
async def reset_account(request: Request[Any, Any, Any], employee_id: FromPath[int]) -> Template | Redirect:
    staff = await admin_visitor(request)
    language = language_of(request)
    issued = await attempt(administration(request).reset(staff.id, _employee_id(employee_id)), language)
    if isinstance(issued, PageError):
        return await _list_page(request, staff, error=issued)
    return await _show_once(request, staff, issued, reset=True)


@post(ACCOUNTS_PATH + "/{employee_id:int}/disable", name="admin-accounts-disable")
async def disable_account(request: Request[Any, Any, Any], employee_id: FromPath[int]) -> Template | Redirect:
    staff = await admin_visitor(request)
    language = language_of(request)
    name = await attempt(administration(request).disable(staff.id, _employee_id(employee_id)), language)
    if isinstance(name, PageError):
        return await _list_page(request, staff, error=name)
    return see_other(_done_url("disabled", employee_id))


@post(ACCOUNTS_PATH + "/{employee_id:int}/enable", name="admin-accounts-enable")
async def enable_account(request: Request[Any, Any, Any], employee_id: FromPath[int]) -> Template | Redirect:
    staff = await admin_visitor(request)
    language = language_of(request)
    name = await attempt(administration(request).enable(staff.id, _employee_id(employee_id)), language)
    if isinstance(name, PageError):
        return await _list_page(request, staff, error=name)
    return see_other(_done_url("enabled", employee_id))


def _done_url(done: str, employee_id: int) -> str:
    return f"{ACCOUNTS_PATH}?{urlencode({'done': done, 'employee': employee_id})}"


ACCOUNT_ROUTES = [
    accounts_page,
    shown_link,
    create_account,
    confirm_reset,
    confirm_disable,
    reset_account,
    disable_account,
    enable_account,
]
