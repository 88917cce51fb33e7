"""Why a floor plan edit is refused: its image (:mod:`.plan_images`), the placement of its desks and rooms
(:mod:`.plan_editing`) and a desk file (:mod:`.desk_csv`, whose cell problems are the places file's codes).

Each member's name is the stable code, its value the English gettext msgid.
"""

from enum import unique

from smartoffice.errors import InputCode
from smartoffice.i18n import N_


@unique
class FloorPlanCode(InputCode):
    # the plan image
    PLAN_IMAGE_EMPTY = N_("The plan image file is empty")
    PLAN_IMAGE_TOO_LARGE = N_("The plan image is larger than %(megabytes)s MB")
    PLAN_IMAGE_TYPE = N_("The plan image must be an SVG or PNG file")
    PLAN_IMAGE_UNREADABLE = N_("The plan image cannot be read as %(kind)s")
    PLAN_IMAGE_DIMENSIONS = N_("The plan image is %(width)s × %(height)s pixels: at most %(max)s pixels a side")
    PLAN_IMAGE_UNSAFE = N_(
        "The SVG plan holds %(what)s, which a plan image may not: save it again as a plain drawing (or as PNG)"
    )
    # placing desks and rooms
    PLACEMENT_SPACE_UNKNOWN = N_("Space %(ident)s is not a desk or room of this floor")
    PLACEMENT_SOURCE_MISSING = N_("%(space)s: say which space it is, or which space it copies")
    PLACEMENT_TWICE = N_("Space %(space)s is placed twice in one save")
    PLACEMENT_CODE_INVALID = N_("%(space)s: a code has no spaces and 1 to 32 characters")
    PLACEMENT_CODE_TAKEN = N_("Code %(space)s is used by another space of this floor")
    PLACEMENT_SIZE = N_("%(space)s: width and height must be more than 0 and at most %(max)s m")
    PLACEMENT_NUMBER_INVALID = N_("%(space)s: x, y, width, height and rotation must be numbers")
    PLACEMENT_ROTATION = N_("%(space)s: rotation must be between 0 and 360 degrees")
    PLACEMENT_OUTSIDE_FLOOR = N_("%(space)s lies outside the floor (%(width)s × %(height)s m)")
    PLACEMENT_TOO_MANY = N_("At most %(max)s spaces can be saved at once")
    PLAN_CHANGED = N_(
        "Someone changed this floor's plan after you opened it: reload the plan and make your changes again"
    )
    # the desk file, beyond the places file's cell codes
    DESK_FILE_HEADER_NOT_FOUND = N_(
        "No header row naming the columns code, x, y, width, height in the first %(rows)s rows"
    )
    DESK_FILE_ZONE_UNKNOWN = N_("%(field)s %(value)s is not a zone of this floor")
    DESK_FILE_NOT_A_DESK = N_("%(field)s %(value)s is a meeting room of this floor: the desk file places desks only")
    DESK_FILE_RETIRED = N_("%(field)s %(value)s is a retired desk of this floor: choose another code")
    DESK_FILE_POSITION_REQUIRED = N_("%(field)s: a new desk needs x and y")
    DESK_FILE_OUTSIDE_FLOOR = N_("Desk %(value)s lies outside the floor (%(width)s × %(height)s m)")
    DESK_FILE_EMPTY = N_("The file names no desk")
