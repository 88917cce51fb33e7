"""Why an account change, an invitation or a booking for someone is refused: the codes and their English messages."""

from smartoffice.errors import InputCode
from smartoffice.i18n import N_


class AccountInputCode(InputCode):
    PERSON_INACTIVE = N_("%(name)s is no longer active: no sign-in, no bookings")
    ACCOUNT_EXISTS = N_("%(name)s already has an account: reset it instead")
    NO_ACCOUNT = N_("%(name)s has no account: create one first")
    INVITATION_INVALID = N_("This invitation link is not valid or has expired: ask your administrator for a new one")
