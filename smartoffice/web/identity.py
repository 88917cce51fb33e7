"""Choosing who you are in demo mode: act as any employee (see smartoffice.web.context). Outside demo mode the
picker does not exist (404), whatever a form posts."""

from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from litestar import Request, post
from litestar.exceptions import NotFoundException
from litestar.response import Redirect
from litestar.status_codes import HTTP_303_SEE_OTHER

from smartoffice.runtime import runtime_of
from smartoffice.web.context import act_as, stop_acting
from smartoffice.web.forms import FormError, local_path, required_int


@post("/identity", name="act-as")
async def act_as_employee(request: Request[Any, Any, Any]) -> Redirect:
    if not runtime_of(request).settings.is_demo:
        raise NotFoundException()
    form = await request.form()
    target = local_path(form.get("next"))
    try:
        employee_id = required_int(form.get("employee_id"), "employee_id")
    except FormError:
        return see_other(with_notice("/", "unknown_employee"))
    employee = await runtime_of(request).people.find_employee(employee_id)
    if employee is None or not employee.active:  # a person who left acts in the demo no more than they sign in
        stop_acting(request)  # asked to be someone else: not silently still the previous person
        return see_other(with_notice("/", "unknown_employee"))
    act_as(request, employee_id)
    return see_other(with_notice(target, "acting"))


@post("/identity/clear", name="stop-acting")
async def stop_acting_as_employee(request: Request[Any, Any, Any]) -> Redirect:
    stop_acting(request)
    return see_other(with_notice("/", "stopped_acting"))


def see_other(path: str) -> Redirect:
    """After a POST, always 303: the browser follows with a GET, so reloading never resends the form."""
    return Redirect(path=path, status_code=HTTP_303_SEE_OTHER)


def with_notice(path: str, notice: str) -> str:
    parts = urlsplit(path)
    query = [(k, v) for k, v in parse_qsl(parts.query) if k != "notice"] + [("notice", notice)]
    return urlunsplit(("", "", parts.path, urlencode(query), parts.fragment))
