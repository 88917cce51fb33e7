"""Why a booking, a check-in or a cancellation is refused: the codes and their English messages."""

from smartoffice.errors import InputCode, PermissionCode
from smartoffice.i18n import N_


class BookingInputCode(InputCode):
    OUTSIDE_OPENING_HOURS = N_("%(building)s is open %(opens)s–%(closes)s")
    NOT_ON_SLOT = N_("Times must be on a quarter hour (:00, :15, :30, :45)")
    ALREADY_CANCELLED = N_("This booking is already cancelled")
    ALREADY_ENDED = N_("This booking has already ended")
    INVALID_RRULE = N_("The recurrence rule is not a valid RRULE (RFC 5545, without DTSTART)")
    NO_OCCURRENCES = N_("The recurrence rule gives no date within 26 weeks")
    RRULE_FREQUENCY_NOT_ALLOWED = N_(
        "A series repeats daily, weekly or monthly (FREQ=DAILY, WEEKLY or MONTHLY), not %(frequency)s"
    )
    RRULE_NAMES_TIMES = N_("The times come from startTime and endTime: leave BYHOUR, BYMINUTE and BYSECOND out")
    RRULE_INTERVAL_OUT_OF_RANGE = N_("The recurrence rule's INTERVAL is a whole number from 1 to %(max)s")
    RRULE_COUNT_OUT_OF_RANGE = N_(
        "The recurrence rule's COUNT is a whole number from 1 to %(max)s, and not given with UNTIL"
    )
    RRULE_ENDS_BEFORE_START = N_("The recurrence rule ends (UNTIL) before the series starts")
    SERIES_PAST_HORIZON = N_(
        "A series runs at most %(weeks)s weeks: its COUNT or UNTIL may reach %(last_day)s at the latest"
    )
    NOT_RECURRING = N_("This booking is not part of a series")
    ROOM_NOT_BOOKABLE_THAT_DAY = N_("This room cannot be booked on that day of the week")
    TOO_FAR_AHEAD = N_("Bookings open at most %(days)s days ahead")
    TOO_SHORT = N_("A booking lasts at least %(minutes)s minutes")
    TOO_LONG = N_("A booking lasts at most %(minutes)s minutes")
    CLOSED_HOLIDAY = N_("The office is closed that day: %(name)s")
    CLOSED = N_("Closed at that time: %(reason)s")
    CLOSED_THAT_WEEKDAY = N_("%(building)s is closed on that day of the week")
    NOT_BOOKABLE = N_("%(space)s cannot be booked")
    PLACE_RETIRED = N_("%(space)s is no longer in use")
    DESK_ASSIGNED = N_("This desk is assigned to someone who has not released it for that day")
    DESK_NOT_ASSIGNED = N_("This desk is not assigned to anyone")
    ATTENDEES_TOO_FEW = N_("At least one person must attend")
    OVER_CAPACITY = N_("The room seats %(capacity)s people")
    ATTENDEE_NOT_FOUND = N_("Nobody is known as %(entry)s: give a colleague's e-mail address or NIP")
    ATTENDEE_UNKNOWN = N_("An invited colleague does not exist")
    ATTENDEE_INACTIVE = N_("%(name)s has left and cannot be invited")
    ATTENDEE_IS_PERSON_BOOKED = N_("%(name)s is the person the room is booked for: they need no invitation")
    ATTENDEE_REPEATED = N_("%(name)s is invited twice")
    TOO_MANY_ATTENDEES = N_("At most %(max)s colleagues can be invited to this room")
    ATTENDEE_COUNT_TOO_LOW = N_("With the colleagues invited, at least %(needed)s people attend")
    ATTENDEES_FOR_ROOMS_ONLY = N_("Only a meeting room's booking has invited colleagues")
    LIMIT_REACHED = N_("You already hold %(limit)s upcoming bookings of this kind")
    CANCELLATION_DEADLINE_PASSED = N_("Bookings can be cancelled until %(minutes)s minutes before they start")
    NOT_PENDING = N_("This booking is not awaiting approval")
    INVALID_IDEMPOTENCY_KEY = N_("An idempotency key is 1 to %(max)s printable characters")
    IDEMPOTENCY_KEY_REUSED = N_("This idempotency key was already used for a different request")
    CHECK_IN_NOT_OPEN = N_("Check-in opens at %(opens)s, %(minutes)s minutes before the start")
    AWAITING_APPROVAL = N_("This booking is still awaiting approval")
    BOOKING_REJECTED = N_("This booking was rejected")
    BOOKING_RELEASED = N_("This booking was released because nobody checked in in time")
    NOT_CHECKED_IN = N_("You have not checked in to this booking; cancel it if you no longer need it")
    ALREADY_CHECKED_OUT = N_("You have already checked out of this booking")


class BookingPermissionCode(PermissionCode):
    NOT_YOURS_TO_CANCEL = N_("Only the person booked, or whoever made the booking for them, may cancel it")
    NOT_YOUR_DESK = N_("Only the desk's owner or their manager may release it")
    NOT_AN_APPROVER = N_("Only the room's approvers may decide on its bookings")
    NOT_ALLOWED_TO_BOOK_FOR = N_("You may book only for yourself, the people you manage, or in sites you manage")
    NOT_YOUR_BOOKING = N_("Only the person booked, or whoever made the booking for them, may check in or out")
