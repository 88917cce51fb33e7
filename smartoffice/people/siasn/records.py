"""What a valid people file says: organisations, units and people, as immutable records (nothing is written)."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

from smartoffice.people.models import EmploymentType, PositionKind
from smartoffice.people.siasn.columns import HEADERS, Column
from smartoffice.people.siasn.problems import Problem


@dataclass(frozen=True, slots=True)
class OrganisationRecord:
    code: str
    name: str | None
    line: int
    """The first line that names it."""


@dataclass(frozen=True, slots=True)
class UnitRecord:
    code: str
    """As the file gives it (``Kode Unit``), or derived from the unit's path when the file has no codes."""
    name: str
    parent_code: str | None
    """None for a top unit (Eselon I, or the agency itself)."""
    organisation_code: str | None
    """As the file gives it for this unit, if it does; a unit belongs to its top unit's organisation."""
    line: int
    """The first line that describes it."""


@dataclass(frozen=True, slots=True)
class PersonRecord:
    """One employee, mapping onto :class:`smartoffice.people.models.Employee`."""

    line: int
    nip: str
    """18 digits: the NIP of a PNS or the NI PPPK of a PPPK, checked against ``employment_type``."""
    name: str
    email: str
    """Lower-cased."""
    position_name: str | None
    """The post as the file names it (``Perencana Ahli Muda``, ``Direktur Transportasi``)."""
    position_kind: PositionKind
    position_level: str | None
    """``Ahli Muda``, ``Pimpinan Tinggi Pratama``, or an eselon written ``II.a``."""
    unit_code: str
    employment_type: EmploymentType
    placed_on: date
    """TMT Jabatan: the day the person took up the current post."""
    supervisor_nip: str | None
    building_code: str | None
    """The home building's code (``T1``), if the file gives one."""


@dataclass(frozen=True, slots=True)
class PeopleFile:
    """A people file read and checked: its records, and every problem with the line it is on.

    A file with an error (:attr:`is_valid` false) must not change anything; its records are the rows that were
    fine on their own, for a preview. Warnings do not stop an import."""

    organisations: tuple[OrganisationRecord, ...]
    units: tuple[UnitRecord, ...]
    """Parents before their children."""
    people: tuple[PersonRecord, ...]
    """In file order."""
    problems: tuple[Problem, ...]
    """By line, the file's own problems (line of the header, or 1) first."""
    ignored_columns: tuple[str, ...] = ()
    """Headers this importer does not read (a SIASN export has many), as the file writes them."""
    headers: Mapping[Column, str] = field(default_factory=dict)
    """The header of each column the file has, as the file writes it: a column it lacks is not in here."""

    def header(self, column: Column) -> str:
        """The header to name in a message: the file's own, else our first."""
        return self.headers.get(column, HEADERS[column][0])

    def has(self, column: Column) -> bool:
        """Whether the file has the column (an importer leaves what a missing column would say as it is)."""
        return column in self.headers

    @property
    def errors(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if not p.is_warning)

    @property
    def warnings(self) -> tuple[Problem, ...]:
        return tuple(p for p in self.problems if p.is_warning)

    @property
    def is_valid(self) -> bool:
        return not self.errors
