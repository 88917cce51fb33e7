"""Why a policy change, a plan or an exemption is refused, and which office-day rule refuses a request."""

from smartoffice.errors import InputCode, PermissionCode, RefusalCode
from smartoffice.i18n import N_


class PolicyInputCode(InputCode):
    NOT_A_WORKING_DAY = N_("%(day)s is not a working day")
    EXEMPTION_TOO_LONG = N_("An exemption runs for at most %(max)s days")
    EXEMPTION_NOT_PENDING = N_("This request has already been decided or withdrawn")
    NOT_WORKING_WEEKDAYS = N_("Anchor days are distinct weekdays from Monday to Friday")
    UNKNOWN_SCOPE = N_("Unknown scope: %(names)s")
    DUPLICATE_CODE = N_("A policy with code %(value)s already exists")
    INVALID_RULES = N_("The rules are not valid: %(detail)s")
    ABSENT_IS_NOT_A_PLAN = N_("Absence is reported by the attendance system; it cannot be planned")


class PolicyPermissionCode(PermissionCode):
    NOT_YOUR_WEEK = N_("Only the person, their supervisor or a manager of their unit may see this week")
    NOT_YOUR_UNIT = N_("Only a manager of this unit may do this")
    NOT_YOUR_PLAN = N_("Only the person, their supervisor or a manager of their unit may change their work plan")
    NOT_YOUR_DECISION = N_("Only the head of the person's unit may decide this request, and not on their own request")
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
    OCCUPANCY_CAP = N_(
        "The building is limited to %(percent)s%% of its desks (%(seats)s) that day, and they are all booked: "
        "%(policy)s (%(legal_basis)s)"
    )
