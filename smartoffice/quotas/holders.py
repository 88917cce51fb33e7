"""Who a seat quota is given to: an organisation (every unit of it) or a unit (the unit and its subtree)."""

from dataclasses import dataclass
from enum import StrEnum


class HolderKind(StrEnum):
    ORGANISATION = "organisation"
    UNIT = "unit"


HOLDER_KINDS = {HolderKind.ORGANISATION: "Organisation", HolderKind.UNIT: "OrgUnit"}


@dataclass(frozen=True, slots=True)
class QuotaHolder:
    kind: HolderKind
    id: int
