"""Why a closure cannot be created or ended (``createClosure`` / ``endClosure``, ``/admin/closures``)."""

from smartoffice.errors import InputCode
from smartoffice.i18n import N_


class ClosureInputCode(InputCode):
    CLOSURE_REASON_REQUIRED = N_("Give a reason for the closure: the people whose bookings are cancelled will see it")
    CLOSURE_REASON_TOO_LONG = N_("The reason may be at most %(max)s characters long")
    CLOSURE_END_NOT_AFTER_START = N_("The closure must end after it starts")
    CLOSURE_IN_PAST = N_("The closure would be over already: choose a time that has not passed")
    CLOSURE_TOO_LONG = N_("A closure lasts at most %(max_days)s days")
    CLOSURE_PLACE_RETIRED = N_("%(place)s is retired: it takes no bookings and needs no closure")
    CLOSURE_ALREADY_ENDED = N_("This closure has already ended")
