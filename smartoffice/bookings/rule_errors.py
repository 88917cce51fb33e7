"""Why booking rules cannot be saved (``updateBookingRules`` / ``resetBookingRules``, ``/admin/rules``)."""

from smartoffice.errors import InputCode
from smartoffice.i18n import N_


class RuleInputCode(InputCode):
    ADVANCE_DAYS_OUT_OF_RANGE = N_("Booking ahead must be between %(low)s and %(high)s days")
    DURATION_OUT_OF_RANGE = N_("A booking's length must be between %(low)s and %(high)s minutes")
    DURATION_NOT_QUARTER_HOUR = N_("A booking's length must be whole quarter hours (a multiple of 15 minutes)")
    MIN_DURATION_ABOVE_MAX = N_("The shortest booking must not be longer than the longest booking")
    ACTIVE_BOOKINGS_OUT_OF_RANGE = N_("The bookings a person may hold must be between %(low)s and %(high)s")
    CANCELLATION_DEADLINE_OUT_OF_RANGE = N_("The cancellation deadline must be between %(low)s and %(high)s minutes")
    CHECK_IN_OPENS_OUT_OF_RANGE = N_("Check-in must open between %(low)s and %(high)s minutes before the start")
    GRACE_OUT_OF_RANGE = N_("The no-show grace period must be between %(low)s and %(high)s minutes")
    GRACE_LONGER_THAN_BOOKING = N_(
        "The no-show grace period must not be longer than the longest booking (%(minutes)s minutes)"
    )
    BUFFER_OUT_OF_RANGE = N_("The buffer after a booking must be between %(low)s and %(high)s minutes")
    BUFFER_ONLY_FOR_ROOMS = N_("Desks have no buffer after a booking: leave it at 0 minutes")
    RULE_RESET_NEEDS_BUILDING = N_("Only a building's own rules can be reset to the default rules")
