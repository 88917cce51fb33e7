"""Why a people file (or a row of it) is refused: the codes of :class:`~smartoffice.people.siasn.Problem`.

Each member's name is the stable code; its value is the English gettext msgid, with ``%(name)s`` parameters
(``field`` is the column as the file's header writes it, ``value`` what the cell says). A problem also carries
its line, so these messages never repeat it. Rows also use :class:`~smartoffice.errors.CommonInputCode`'s
``REQUIRED`` and ``TEXT_TOO_LONG``.
"""

from enum import unique

from smartoffice.errors import InputCode
from smartoffice.i18n import N_


@unique  # two codes with one message would be one code (an Enum alias)
class PeopleFileCode(InputCode):
    # the file as a whole
    FILE_NOT_UTF8 = N_("The file is not UTF-8 text: save it as “CSV UTF-8” or as an Excel workbook (.xlsx)")
    FILE_NOT_A_WORKBOOK = N_("The file looks like an Excel workbook but cannot be opened as one (.xlsx)")
    FILE_TOO_MANY_ROWS = N_("The file has more than %(max)s rows")
    HEADER_NOT_FOUND = N_("No header row naming the columns (NIP, Nama, Email, …) in the first %(rows)s rows")
    COLUMN_MISSING = N_("The column %(field)s is missing")
    COLUMN_REPEATED = N_("The columns %(first)s and %(second)s give the same thing: keep one")
    # a person's number (NIP for PNS, NI PPPK for PPPK)
    NIP_NOT_18_DIGITS = N_("%(field)s %(value)s is not a civil-servant number: it must be 18 digits")
    NIP_STORED_AS_NUMBER = N_(
        "Excel stored %(field)s as a number and lost its last digits: format the column as text and type it again"
    )
    NIP_BIRTH_DATE_INVALID = N_("%(field)s %(value)s: its first 8 digits are not a birth date (YYYYMMDD)")
    NIP_BIRTH_YEAR_IMPLAUSIBLE = N_("%(field)s %(value)s: a birth year of %(year)s is outside %(low)s–%(high)s")
    NIP_APPOINTMENT_INVALID = N_(
        "%(field)s %(value)s: digits 9–14 are not the year and month of first appointment (TMT CPNS, YYYYMM)"
    )
    NIP_APPOINTED_TOO_YOUNG = N_(
        "%(field)s %(value)s: appointed in %(appointed)s, before the age of %(age)s that its birth date allows"
    )
    NIP_APPOINTED_IN_FUTURE = N_("%(field)s %(value)s: the appointment it records (%(appointed)s) is in the future")
    NIP_SEX_DIGIT_INVALID = N_("%(field)s %(value)s: the 15th digit is %(digit)s, not 1 (male) or 2 (female)")
    NIP_SERIAL_ZERO = N_("%(field)s %(value)s: the serial number (the last 3 digits) cannot be 000")
    NIP_NOT_PPPK = N_(
        "%(field)s %(value)s is not a PPPK number (digit 13 is 2 in every NI PPPK), but the status is PPPK"
    )
    NIP_LOOKS_PPPK = N_("%(field)s %(value)s is a PPPK number, but the status is PNS")
    # other cells
    EMAIL_INVALID = N_("%(field)s %(value)s is not an email address")
    DATE_INVALID = N_("%(field)s %(value)s is not a date: write YYYY-MM-DD or DD-MM-YYYY")
    DATE_IN_FUTURE = N_("%(field)s %(value)s is in the future")
    PLACED_BEFORE_APPOINTMENT = N_(
        "%(field)s %(value)s is before the first appointment (%(appointed)s) that the number records"
    )
    POSITION_KIND_UNKNOWN = N_("%(field)s %(value)s is not a position kind: write struktural, fungsional or pelaksana")
    EMPLOYMENT_TYPE_UNKNOWN = N_("%(field)s %(value)s is not an employment status: write PNS or PPPK")
    # rows against each other
    NIP_REPEATED = N_("%(field)s %(value)s is also on line %(other_line)s: each person is on one line")
    EMAIL_REPEATED = N_("%(field)s %(value)s is also on line %(other_line)s: each person needs an email of their own")
    SUPERVISOR_NOT_IN_FILE = N_("%(field)s %(value)s: nobody in the file has this number")
    SUPERVISOR_IS_SELF = N_("%(field)s: nobody is their own supervisor")
    SUPERVISION_CYCLE = N_("Supervisors go round in a circle through lines %(lines)s")
    UNIT_PARENT_MISSING = N_("%(field)s %(value)s: no unit in the file has this code")
    UNIT_CYCLE = N_("Units are each other's parents: %(codes)s")
    DESCRIBED_TWICE = N_("%(code)s has another %(field)s on line %(other_line)s")
    UNIT_PATH_EMPTY_PART = N_("%(field)s %(value)s has an empty part between two “>”")
    # rows against what SmartOffice already holds (checked by an import, not by reading the file)
    BUILDING_UNKNOWN = N_("%(field)s %(value)s: no building has this code; the home building is left empty")
    BUILDING_AMBIGUOUS = N_(
        "%(field)s %(value)s: buildings on several sites have this code; the home building is left empty"
    )
    EMAIL_TAKEN = N_("%(field)s %(value)s belongs to another employee (another NIP) in SmartOffice")
    UNIT_ORGANISATION_UNKNOWN = N_("%(field)s %(value)s: the unit's agency is not known: give its %(column)s")
