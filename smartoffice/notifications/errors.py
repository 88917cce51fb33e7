"""Why a person's notification preferences, or a request to mark notifications read, are refused."""

from smartoffice.errors import InputCode
from smartoffice.i18n import N_


class NotificationInputCode(InputCode):
    QUIET_HOURS_INCOMPLETE = N_("Give both the start and the end of the quiet hours, or neither")
    QUIET_HOURS_EMPTY = N_("Quiet hours must end at another time than they start")
    NOT_WHOLE_MINUTE = N_("Give the time in whole minutes, such as 21:00")
    NOTIFICATION_KIND_TWICE = N_("Each kind of notification may be given once")
    NOTHING_TO_MARK = N_("Name the notifications to mark as read, or ask for all of them")
