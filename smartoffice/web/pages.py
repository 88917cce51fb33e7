"""The server-rendered pages, as one router: its exception handlers answer with pages, not JSON."""

from litestar import Router
from litestar.types import ControllerRouterHandler

from smartoffice.web.account import ACCOUNT_ROUTES
from smartoffice.web.account_data import account_data_page, download_account_data
from smartoffice.web.admin import ADMIN_ROUTES
from smartoffice.web.calendar import booking_ics, calendar_feed
from smartoffice.web.cancel import cancel_booking
from smartoffice.web.checkin import check_in, check_in_page, check_out, space_qr_code
from smartoffice.web.compliance import unit_compliance_page
from smartoffice.web.context import DemoIdentityMiddleware
from smartoffice.web.errors import EXCEPTION_HANDLERS
from smartoffice.web.floor import book_desk, floor_page
from smartoffice.web.home import home
from smartoffice.web.identity import act_as_employee, stop_acting_as_employee
from smartoffice.web.language import PageLanguageMiddleware, switch_language
from smartoffice.web.my_week import my_week_page, plan_work_day

PAGE_ROUTES: list[ControllerRouterHandler] = [
    Router(
        path="/",
        route_handlers=[
            home,
            act_as_employee,
            stop_acting_as_employee,
            floor_page,
            book_desk,
            cancel_booking,
            check_in_page,
            check_in,
            check_out,
            space_qr_code,
            my_week_page,
            account_data_page,
            download_account_data,
            plan_work_day,
            unit_compliance_page,
            calendar_feed,
            booking_ics,
            switch_language,
            *ACCOUNT_ROUTES,
            *ADMIN_ROUTES,
        ],
        middleware=[DemoIdentityMiddleware(), PageLanguageMiddleware()],
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
    )
]
