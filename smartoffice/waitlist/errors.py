"""Why joining or leaving a waitlist is refused."""

from smartoffice.errors import InputCode
from smartoffice.i18n import N_


class WaitlistInputCode(InputCode):
    WAITLIST_NOT_FULL = N_("%(place)s still has a free desk on %(day)s: book it instead of waiting")
    WAITLIST_ALREADY_WAITING = N_("You are already waiting for a desk in %(place)s on %(day)s")
    WAITLIST_ALREADY_BOOKED = N_("You already have a desk booked on %(day)s")
    WAITLIST_ZONE_NOT_ON_FLOOR = N_("That zone is not on this floor")
    WAITLIST_NOT_WAITING = N_("You are no longer waiting in that line")
