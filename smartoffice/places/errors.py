"""Why a change to a place is refused (the places editor, ``smartoffice/places/editing.py``).

Each member's name is the stable code, its value the English gettext msgid. Length and required-field problems
use the common codes (``TEXT_TOO_LONG``, ``REQUIRED``).
"""

from enum import unique

from smartoffice.errors import InputCode
from smartoffice.i18n import N_


@unique
class PlaceInputCode(InputCode):
    PLACE_CODE_INVALID = N_("A code is 1 to 32 characters without spaces")
    PLACE_CODE_TAKEN = N_("The code %(value)s is already used here: choose another")
    PLACE_CODE_RETIRED = N_(
        "The code %(value)s belongs to a retired place here (its bookings' history keeps it): choose another"
    )
    PLACE_LEVEL_TAKEN = N_("This building already has a floor at level %(level)s")
    PLACE_LEVEL_RETIRED = N_("A retired floor of this building keeps level %(level)s: choose another level")
    PLACE_LEVEL_OUT_OF_RANGE = N_("A floor's level is between -20 and 300")
    PLACE_TIME_ZONE_UNKNOWN = N_("%(value)s is not a time zone: choose an IANA name such as Asia/Makassar")
    PLACE_TIME_INVALID = N_("%(value)s is not a time on the quarter hour: write HH:MM with minutes 00, 15, 30 or 45")
    PLACE_OPENS_AFTER_CLOSING = N_("The opening time %(opens)s must be before the closing time %(closes)s")
    PLACE_WEEKDAY_INVALID = N_("Weekdays are numbered 1 (Monday) to 7 (Sunday), each given once")
    PLACE_NEVER_OPEN = N_("The building must be open on at least one weekday")
    PLACE_SIZE_INVALID = N_("Width and height must be greater than 0 metres")
    PLACE_OUTSIDE_FLOOR = N_("The place must lie within the floor plan (%(width)s × %(height)s m)")
    PLACE_FLOOR_TOO_SMALL = N_("The floor plan must still hold every zone, desk and room on it")
    PLACE_CAPACITY_INVALID = N_("A meeting room seats between 1 and 500 people")
    PLACE_ROTATION_INVALID = N_("The rotation is between -360 and 360 degrees")
    PLACE_AMENITY_UNKNOWN = N_("%(value)s is not an amenity SmartOffice knows")
    PLACE_PERSON_NOT_FOUND = N_("There is no such employee: give their NIP or email")
    PLACE_NUMBER_INVALID = N_("%(value)s is not a number")
    PLACE_PERSON_INACTIVE = N_("This person has left: choose an active employee")
    PLACE_ONLY_DESKS_ASSIGNED = N_("Only desks are assigned to a person")
    PLACE_APPROVERS_ROOMS_ONLY = N_("Only meeting rooms have approvers")
    PLACE_APPROVER_REQUIRED = N_("A room that requires approval needs at least one approver")
    PLACE_ZONE_NOT_FOUND = N_("There is no such zone on this floor")
    PLACE_ORG_UNIT_NOT_FOUND = N_("There is no such unit")
    PLACE_IS_RETIRED = N_("This place is retired: it can no longer be changed")
    PLACE_REASON_REQUIRED = N_(
        "%(count)s booking(s) would be cancelled: give a reason, which the people affected will see"
    )
