"""Why a ratings or discipline-cases file, or a row or item of it, is refused.

Each member's name is the stable code; its value is the English gettext msgid (``field`` is the column as the
file's header writes it, or the input field; ``value`` what it says). A problem also carries its line (a file) or
index (a GraphQL list), so these messages never repeat it. Files also use
:class:`~smartoffice.people.siasn.errors.PeopleFileCode`'s file-level and NIP codes (``FILE_NOT_UTF8``,
``COLUMN_MISSING``, ``NIP_NOT_18_DIGITS``, ``DATE_INVALID`` ...) and :class:`~smartoffice.errors.CommonInputCode`'s
``REQUIRED`` and ``TEXT_TOO_LONG``.
"""

from enum import unique

from smartoffice.errors import InputCode
from smartoffice.i18n import N_


@unique
class HrRecordCode(InputCode):
    HR_HEADER_NOT_FOUND = N_("No header row naming the columns (%(columns)s) in the first %(rows)s rows")
    NIP_UNKNOWN = N_("%(field)s %(value)s: no employee in SmartOffice has this number")
    PERIOD_INVALID = N_("%(field)s %(value)s is not a year from %(low)s to %(high)s")
    RATING_UNKNOWN = N_(
        "%(field)s %(value)s is not a rating: write Sangat Baik, Baik, Butuh Perbaikan, Kurang or Sangat Kurang"
    )
    CASE_STATUS_UNKNOWN = N_("%(field)s %(value)s is not a case status: write pending, active or closed")
    CLOSED_BEFORE_OPENED = N_("%(field)s %(value)s is before the day the case was opened (%(opened)s)")
    CLOSED_ON_MISSING = N_("%(field)s is required for a closed case")
    CLOSED_ON_NOT_CLOSED = N_(
        "%(field)s is given but the case is not closed: leave it empty, or make the status closed"
    )
    RATING_REPEATED = N_("%(field)s %(value)s has a rating for %(period)s on line %(other_line)s too")
    RATING_REPEATED_ITEM = N_("%(field)s %(value)s has a rating for %(period)s in item %(other_index)s too")
    CASE_REPEATED = N_("Case %(reference)s of %(value)s is also on line %(other_line)s")
    CASE_REPEATED_ITEM = N_("Case %(reference)s of %(value)s is also item %(other_index)s")
    ITEMS_INVALID = N_("Some items are not valid (%(count)s problems): nothing was written")
    TOO_MANY_ITEMS = N_("At most %(max)s items per call: send the rest in further calls")
