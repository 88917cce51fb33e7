"""Why a places file (or a row of it) is refused: the codes of its problems
(:class:`~smartoffice.people.siasn.Problem`).

As :class:`~smartoffice.people.siasn.PeopleFileCode`: each member's name is the stable code, its value the English
gettext msgid; ``field`` is the column as the file's header writes it and ``value`` what the cell says. The file's
reading problems (not UTF-8, not a workbook, too many rows, a missing or repeated column) are the people file's
codes, whose messages say nothing about people, as is ``DESCRIBED_TWICE`` (a place described two ways).
"""

from enum import unique

from smartoffice.errors import InputCode
from smartoffice.i18n import N_


@unique
class PlacesFileCode(InputCode):
    PLACES_HEADER_NOT_FOUND = N_(
        "No header row naming the columns (Kode Gedung, Lantai, Kode Meja, Jenis, …) in the first %(rows)s rows"
    )
    PLACES_KIND_UNKNOWN = N_("%(field)s %(value)s is not a kind of space: write meja (desk) or ruang rapat (room)")
    PLACES_NUMBER_INVALID = N_("%(field)s %(value)s is not a number")
    PLACES_WHOLE_NUMBER_INVALID = N_("%(field)s %(value)s is not a whole number")
    PLACES_NUMBER_OUT_OF_RANGE = N_("%(field)s %(value)s must be between %(low)s and %(high)s")
    PLACES_TIME_ZONE_UNKNOWN = N_("%(field)s %(value)s is not a time zone: write an IANA name such as Asia/Makassar")
    PLACES_TIME_INVALID = N_("%(field)s %(value)s is not a time of day: write HH:MM")
    PLACES_OPENS_AFTER_CLOSING = N_("The building opens at %(opens)s but closes at %(closes)s")
    PLACES_YES_NO_INVALID = N_("%(field)s %(value)s is neither ya (yes) nor tidak (no)")
    PLACES_POSITION_HALF_GIVEN = N_("Give both x and y of a space, or neither (then it is placed on a grid)")
    PLACES_DESK_CAPACITY = N_("%(field)s %(value)s: a desk seats one person; leave it empty or write 1")
    PLACES_DESK_NOT_BOOKABLE = N_(
        "%(field)s: the import cannot make a desk unbookable (the facilities editor will): write ya or leave it empty"
    )
    PLACES_CODE_INVALID = N_("%(field)s %(value)s: a code has no spaces and at most 32 characters")
    PLACES_ZONE_NAME_INVALID = N_(
        "%(field)s %(value)s: without a zone code column the zone's name is its code: at most 32 characters"
    )
    PLACES_SPACE_REPEATED = N_(
        "%(field)s %(value)s is also on line %(other_line)s: each space of a floor is on one line"
    )
    # rows against what SmartOffice already holds
    PLACES_KIND_CHANGED = N_(
        "%(field)s %(value)s is a space of the other kind in SmartOffice: a desk becomes a room (or back) in the "
        "facilities editor, not by the import"
    )
