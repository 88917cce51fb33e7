"""Why a demand forecast is refused (beyond the common codes: a range out of bounds, a permission)."""

from smartoffice.errors import InputCode
from smartoffice.i18n import N_


class ForecastInputCode(InputCode):
    SITE_OR_BUILDING = N_("Choose a site or a building, not both and not neither")
    TARGET_OUT_OF_RANGE = N_("The target utilisation must be a share of the desks between %(low)s and %(high)s")
