"""What the HR-style importers (ratings and cases, attendance) check alike in a record, whichever way it came.

Each importer names its fields with its own ``StrEnum`` and subclasses :class:`RecordChecker` with the checks of
its values; a problem names the field as the source calls it (a file's header, or a GraphQL input field).
"""

import re
from collections.abc import Mapping
from enum import StrEnum
from typing import Generic, TypeVar

from smartoffice.errors import CommonInputCode, InputCode
from smartoffice.people.siasn.errors import PeopleFileCode
from smartoffice.people.siasn.problems import Problem

F = TypeVar("F", bound=StrEnum)


def normalised(text: str) -> str:
    """``' Sangat  Baik '``, ``SANGAT_BAIK`` and ``sangat-baik`` → ``sangatbaik``: how headers and words match."""
    return re.sub(r"[\W_]+", "", text.casefold())


class RecordChecker(Generic[F]):
    """Collects one record's problems; ``failed`` once any is found."""

    def __init__(self, position: int, names: Mapping[F, str], problems: list[Problem]) -> None:
        self.position, self.names, self.problems = position, names, problems
        self.failed = False

    def refuse(self, field: F, code: InputCode, **params: object) -> None:
        self.failed = True
        name = self.names[field]
        self.problems.append(Problem(self.position, code, {**params, "field": name}, column=name))

    def nip(self, field: F, text: str | None) -> str | None:
        """The number without the spaces people put in it or Excel's text mark; 18 digits. ``text`` None: a problem
        with it is already reported (a file's NIP that Excel stored as a number)."""
        if text is None:
            self.failed = True
            return None
        number = "".join(text.split()).lstrip("'")
        if not number:
            self.refuse(field, CommonInputCode.REQUIRED)
            return None
        if not (len(number) == 18 and number.isascii() and number.isdigit()):
            self.refuse(field, PeopleFileCode.NIP_NOT_18_DIGITS, value=number)
            return None
        return number
