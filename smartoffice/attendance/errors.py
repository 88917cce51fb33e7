"""Why an attendance file, a row of it, an app's record or a reconciliation is refused.

Each member's name is the stable code; its value is the English gettext msgid (``field`` is the column as the
file's header writes it, or the input field; ``value`` what it says). A problem also carries its line (a file) or
index (a GraphQL list), so these messages never repeat it. Files also use
:class:`~smartoffice.people.siasn.errors.PeopleFileCode`'s file-level and NIP codes, ``HrRecordCode.NIP_UNKNOWN``
and :class:`~smartoffice.errors.CommonInputCode`'s ``REQUIRED``, ``INVALID_ID`` and ``TEXT_TOO_LONG``.
"""

from enum import unique

from smartoffice.errors import InputCode, PermissionCode
from smartoffice.i18n import N_


@unique
class AttendanceCode(InputCode):
    ATTENDANCE_HEADER_NOT_FOUND = N_("No header row naming the columns (%(columns)s) in the first %(rows)s rows")
    ATTENDANCE_STATUS_UNKNOWN = N_(
        "%(field)s %(value)s is not an attendance status: write hadir (WFO), WFH, WFA, cuti, dinas luar or "
        "tidak hadir (present, home, anywhere, leave, duty travel, absent)"
    )
    ATTENDANCE_DAY_IN_FUTURE = N_(
        "%(field)s %(value)s is in the future: attendance is reported for days that have begun"
    )
    ATTENDANCE_TIME_INVALID = N_("%(field)s %(value)s is not a time of day: write HH:MM, e.g. 07:30")
    ATTENDANCE_TIME_WITHOUT_PRESENCE = N_(
        "%(field)s is given for someone absent or on leave: leave it empty, or correct the status"
    )
    ATTENDANCE_REPEATED = N_("%(value)s has attendance for %(day)s on line %(other_line)s too")
    ATTENDANCE_REPEATED_ITEM = N_("%(value)s has attendance for %(day)s in record %(other_index)s too")
    ATTENDANCE_PERSON_MISSING = N_("Give either employeeId or nip, not both and not neither")
    ATTENDANCE_NOT_YOUR_PERSON = N_(
        "Only an administrator or a manager of this person's unit may report their attendance"
    )
    ATTENDANCE_EMPLOYEE_UNKNOWN = N_("%(field)s %(value)s: no employee has this id")
    ATTENDANCE_RECORDS_INVALID = N_("Some records are not valid (%(count)s problems): nothing was written")
    ATTENDANCE_TOO_MANY_RECORDS = N_("At most %(max)s records per call: send the rest in further calls")
    RECONCILIATION_SCOPE = N_("Choose either a unit or a building")
    RECONCILIATION_RANGE = N_("The range runs from %(first)s to %(last)s, at most %(max)s days")


@unique
class AttendancePermissionCode(PermissionCode):
    NOT_YOUR_PERSON = N_("Only an administrator or a manager of this person's unit may report their attendance")
    NOT_YOUR_RECONCILIATION = N_(
        "Only an administrator, a manager of this unit or a facilities manager of this building may see this"
    )
