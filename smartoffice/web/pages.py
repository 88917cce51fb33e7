"""The server-rendered pages, as one router: its exception handlers answer with pages, not JSON."""

from litestar import Router
from litestar.types import ControllerRouterHandler

from smartoffice.web.account import ACCOUNT_ROUTES
from smartoffice.web.account_data import account_data_page, download_account_data
from smartoffice.web.admin import ADMIN_ROUTES
from smartoffice.web.approvals import approvals_page, confirm_decline, decide_booking
from smartoffice.web.calendar import booking_ics, calendar_feed
from smartoffice.web.cancel import cancel_booking, confirm_cancel_booking
from smartoffice.web.capacity import CAPACITY_ROUTES
from smartoffice.web.capacity_forecast import CAPACITY_FORECAST_ROUTES
from smartoffice.web.capacity_planner import CAPACITY_PLANNER_ROUTES
from smartoffice.web.checkin import check_in, check_in_page, check_out, space_qr_card, space_qr_code
from smartoffice.web.compliance import unit_compliance_page
from smartoffice.web.context import DemoIdentityMiddleware
from smartoffice.web.desk_search import find_desk_page
from smartoffice.web.errors import EXCEPTION_HANDLERS
from smartoffice.web.exemptions import EXEMPTION_ROUTES
from smartoffice.web.floor import book_desk, floor_page
from smartoffice.web.floor_live import floor_live
from smartoffice.web.home import home
from smartoffice.web.identity import act_as_employee, stop_acting_as_employee
from smartoffice.web.language import PageLanguageMiddleware, switch_language
from smartoffice.web.my_bookings import my_bookings_page
from smartoffice.web.my_bookings_actions import (
    cancel_range,
    confirm_calendar_feed,
    confirm_cancel_range,
    rotate_calendar_feed,
    set_presence_sharing,
)
from smartoffice.web.my_week import book_required_days, my_week_page, plan_work_day
from smartoffice.web.notifications import NOTIFICATION_ROUTES
from smartoffice.web.repeat import book_repeat, repeat_page, series_page
from smartoffice.web.rooms import book_room, rooms_page
from smartoffice.web.unit_pages import UNIT_ROUTES
from smartoffice.web.waitlist import confirm_leave_waitlist, join_waitlist, leave_waitlist
from smartoffice.web.week_history import week_history_page

PAGE_ROUTES: list[ControllerRouterHandler] = [
    Router(
        path="/",
        route_handlers=[
            home,
            act_as_employee,
            stop_acting_as_employee,
            floor_page,
            find_desk_page,
            floor_live,
            book_desk,
            cancel_booking,
            confirm_cancel_booking,
            my_bookings_page,
            confirm_cancel_range,
            cancel_range,
            confirm_calendar_feed,
            rotate_calendar_feed,
            set_presence_sharing,
            space_qr_card,
            check_in_page,
            check_in,
            check_out,
            space_qr_code,
            my_week_page,
            rooms_page,
            book_room,
            approvals_page,
            confirm_decline,
            decide_booking,
            repeat_page,
            book_repeat,
            series_page,
            join_waitlist,
            confirm_leave_waitlist,
            leave_waitlist,
            account_data_page,
            download_account_data,
            plan_work_day,
            book_required_days,
            week_history_page,
            unit_compliance_page,
            *UNIT_ROUTES,
            calendar_feed,
            booking_ics,
            switch_language,
            *EXEMPTION_ROUTES,
            *ACCOUNT_ROUTES,
            *NOTIFICATION_ROUTES,
            *ADMIN_ROUTES,
            *CAPACITY_ROUTES,
            *CAPACITY_FORECAST_ROUTES,
            *CAPACITY_PLANNER_ROUTES,
        ],
        middleware=[DemoIdentityMiddleware(), PageLanguageMiddleware()],
        exception_handlers=EXCEPTION_HANDLERS,  # type: ignore[arg-type]
    )
]
