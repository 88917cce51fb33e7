"""A problem with a people file: where (line and column), why (a code) and the message's parameters."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from smartoffice.errors import InputCode
from smartoffice.formats import localised
from smartoffice.i18n import Language

VERBATIM = frozenset({"value", "field"})
"""Parameters shown as the file writes them (a cell that looks like a date is not a date to reword)."""


@dataclass(frozen=True, slots=True)
class Problem:
    line: int
    """The file's line (the header is line 1 when it is the first), or the sheet's row in a workbook."""
    code: InputCode
    params: Mapping[str, object] = field(default_factory=lambda: MappingProxyType({}))
    column: str | None = None
    """The header of the column at fault, as the file writes it; None for the row or the file as a whole."""
    is_warning: bool = False
    """A warning is shown but does not stop the import."""

    def __post_init__(self) -> None:
        object.__setattr__(self, "params", MappingProxyType(dict(self.params)))

    @property
    def message(self) -> str:
        return self.message_in("en")

    def message_in(self, language: Language) -> str:
        """The reason in ``language``, without the line (shown beside it)."""
        reworded = localised(language, {k: v for k, v in self.params.items() if k not in VERBATIM})
        return self.code.message_in(language, **{**self.params, **reworded})


class UnreadableFile(Exception):
    """The file cannot be read at all; :attr:`problem` says why and where."""

    def __init__(self, problem: Problem) -> None:
        super().__init__(problem.message)
        self.problem = problem
