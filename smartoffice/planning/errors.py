"""Why a capacity-planning request is refused (the anchor-day planner's inputs)."""

from smartoffice.errors import InputCode, PermissionCode
from smartoffice.i18n import N_


class PlanningInputCode(InputCode):
    PLAN_NO_BUILDINGS = N_("Choose at least one building to plan")
    PLAN_WEEK_NOT_MONDAY = N_("The planned week starts on a Monday")
    PLAN_UNIT_NOT_HOUSED = N_("Unit %(unit)s is not housed in the planned buildings")
    PLAN_UNIT_PAIRED_WITH_ITSELF = N_("A unit cannot be paired with itself")
    PLAN_FLOOR_NOT_PLANNED = N_("Floor %(floor)s is not in the planned buildings")
    PLAN_MOVE_OUTSIDE_PLAN = N_("A unit can only be moved to one of the planned buildings")
    PLAN_HEADCOUNT_BELOW_ZERO = N_("Unit %(unit)s has only %(headcount)s people to remove")


class PlanningPermissionCode(PermissionCode):
    NOT_MANAGER_OF_PLANNED_UNIT = N_("Only a manager of %(unit)s or an administrator may set its anchor days")
