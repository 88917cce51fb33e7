"""Why a seat quota refuses a desk booking, and why a quota change is refused."""

from datetime import date

from smartoffice.errors import InputCode, PolicyRefusal, RefusalCode
from smartoffice.i18n import N_


class QuotaRefusalCode(RefusalCode):
    QUOTA_FULL = N_("%(holder)s may book at most %(seats)s desks in %(place)s on %(day)s; all are taken")
    QUOTA_ZONE_RESERVED = N_("%(place)s is reserved for %(holder)s on %(day)s")


class QuotaInputCode(InputCode):
    QUOTA_NO_WEEKDAYS = N_("Choose at least one weekday")
    QUOTA_PLACE_RETIRED = N_("%(place)s is no longer in use")
    QUOTA_SEATS_ABOVE_DESKS = N_("%(place)s has %(desks)s desks; a share can be at most that")
    QUOTA_EXCLUSIVE_ZONES_ONLY = N_("Only a zone can be reserved for its holder")


class QuotaRefusal(PolicyRefusal):
    """A seat quota is full. A :class:`PolicyRefusal` (GraphQL: ``PolicyRefusalError`` in ``bookDesk``'s union)
    whose ``policy`` names the quota ("Kementerian PUPR · Tower 2 · Floor 3") and whose legal basis is its note, if
    any. The day is an ISO date in ``params``: messages write it as the language does, also when a series' outcome
    is read back."""

    def __init__(
        self,
        code: QuotaRefusalCode = QuotaRefusalCode.QUOTA_FULL,
        *,
        quota_id: int,
        holder: str,
        place: str,
        seats: int,
        day: date,
        note: str | None,
    ) -> None:
        super().__init__(
            code,
            policy=f"{holder} · {place}",
            legal_basis=note or "-",
            holder=holder,
            place=place,
            seats=seats,
            day=day.isoformat(),
        )
        self.quota_id = quota_id
