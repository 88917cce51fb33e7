"""Why a policy change, a plan or an exemption is refused, and which office-day rule refuses a request."""

from smartoffice.errors import InputCode, PermissionCode, RefusalCode
from smartoffice.i18n import N_


class PolicyInputCode(InputCode):
    NOT_A_WORKING_DAY = N_("%(day)s is not a working day")
    EXEMPTION_TOO_LONG = N_("An exemption starting on %(start)s may end on %(last_day)s at the latest")
    EXEMPTION_NOT_PENDING = N_("This request has already been decided or withdrawn")
    EXEMPTION_ALREADY_RECOMMENDED = N_("The direct supervisor has already given a recommendation on this request")
    EVIDENCE_EMPTY = N_("The evidence file is empty")
    EVIDENCE_TOO_LARGE = N_("The evidence file is larger than %(max_mb)s MB")
    EVIDENCE_TYPE_NOT_ALLOWED = N_("The evidence file must be a PDF, PNG or JPEG file")
    NOT_WORKING_WEEKDAYS = N_("Anchor days are distinct weekdays from Monday to Friday")
    UNKNOWN_SCOPE = N_("Unknown scope: %(names)s")
    DUPLICATE_CODE = N_("A policy with code %(value)s already exists")
    INVALID_RULES = N_("The rules are not valid: %(detail)s")
    ABSENT_IS_NOT_A_PLAN = N_("Absence is reported by the attendance system; it cannot be planned")
    LOCATION_ONLY_FOR_REMOTE = N_("Where you work is given only for a home (WFH) or anywhere (WFA) day")
    HOME_IS_THE_REGISTERED_HOME = N_("A home (WFH) day is worked at the registered home")
    ANYWHERE_NEEDS_A_PLACE = N_(
        "An anywhere (WFA) day is worked at another office of the agency or at a place it designates: choose one"
    )
    LOCATION_DETAIL_NEEDED = N_("Say which office or place you will work at")
    LOCATION_DETAIL_TOO_LONG = N_("The office or place is at most %(max)s characters")


class PolicyPermissionCode(PermissionCode):
    NOT_YOUR_WEEK = N_("Only the person, their supervisor or a manager of their unit may see this week")
    NOT_YOUR_UNIT = N_("Only a manager of this unit may do this")
    NOT_YOUR_PLAN = N_("Only the person, their supervisor or a manager of their unit may change their work plan")
    NOT_YOUR_DECISION = N_("Only the head of the person's unit may decide this request, and not on their own request")
    NOT_YOUR_RECOMMENDATION = N_(
        "Only the person's direct supervisor may recommend on this request, and not on their own request"
    )
    NOT_YOUR_REQUEST = N_("Only the person, or whoever asked for them, may withdraw this request")
    NOT_YOUR_POLICY = N_(
        "Administrators set agency-wide policies and overlays; unit managers only unit or individual policies "
        "within their unit"
    )


class PolicyRefusalCode(RefusalCode):
    DAY_REQUIRED_IN_OFFICE = N_("%(day)s is an office day for you under %(policy)s (%(legal_basis)s)")
    REMOTE_ALLOWANCE_USED = N_(
        "This week allows you %(allowed)s remote days and they are planned already: %(policy)s (%(legal_basis)s)"
    )
    UNIT_REMOTE_SHARE_CAP = N_(
        "At most %(percent)s%% of your unit may work remotely on %(day)s, and that share is taken: "
        "%(policy)s (%(legal_basis)s)"
    )
    LOCATION_KIND_NOT_ALLOWED = N_(
        "Your office-day policy does not allow remote work at this kind of place on %(day)s: "
        "%(policy)s (%(legal_basis)s)"
    )
    OCCUPANCY_CAP = N_(
        "The building is limited to %(percent)s%% of its desks (%(seats)s) that day, and they are all booked: "
        "%(policy)s (%(legal_basis)s)"
    )
