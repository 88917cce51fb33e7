"""Who may see what about whom, as SQL expressions: the privacy rules are applied where data is queried.

Each predicate is a boolean SQL expression over the :class:`~smartoffice.people.models.Employee` columns (or over
an alias of it), so a query selects only what its caller may see instead of fetching everything and dropping
rows or fields afterwards. One :class:`Viewer` builds the expressions of one statement (they share one recursive
CTE, the units the viewer manages, which SQL may render once per statement).

The rules (DESIGN.md, "Privacy"; issue 5):

* **manages**: the viewer is the person's direct supervisor, a unit manager over the person's unit (the unit or
  one above it; granted, or the head of such a unit by position), or an admin, as
  :func:`smartoffice.people.roles.manages` decides for one person (roles need an active holder);
* **NIP**: the person, those who manage them;
* **name on a booked space** ("who sits where"): the person, colleagues of the *same org unit* (the lowest unit
  the person is placed in: their team, or their directorate when it has no teams), anyone when the person
  opted in (``share_presence``), and those who manage them.
"""

from typing import Any

from sqlalchemy import CTE, ColumnElement, Select, exists, false, or_, select, true
from sqlalchemy.orm import aliased
from sqlalchemy.orm.util import AliasedClass

from smartoffice.people.models import Employee, OrgUnit, Role, RoleAssignment
from smartoffice.people.roles import is_active, managed_unit_roots

EmployeeLike = type[Employee] | AliasedClass[Employee]


class Viewer:
    """The SQL predicates for one viewer (an employee id) in one statement."""

    def __init__(self, employee_id: int, *, label: str = "viewer") -> None:
        self.employee_id = employee_id
        self._label = label
        self._managed: CTE | None = None

    def is_admin(self) -> ColumnElement[bool]:
        assignment = aliased(RoleAssignment)
        return exists().where(
            assignment.employee_id == self.employee_id, assignment.role == Role.ADMIN, is_active(self.employee_id)
        )

    def managed_units(self) -> Select[Any]:
        """The ids of every unit in the subtrees the viewer is unit manager of, granted or as the head of a unit
        by position (a recursive CTE; see :mod:`smartoffice.people.roles`)."""
        if self._managed is None:
            roots, child = managed_unit_roots(self.employee_id).subquery(), aliased(OrgUnit)
            seed = select(roots.c.id.label("id"))
            tree = seed.cte(f"{self._label}_managed_units", recursive=True)
            self._managed = tree.union_all(select(child.id).join(tree, child.parent_id == tree.c.id))
        return select(self._managed.c.id)

    def facilities_sites(self) -> Select[Any]:
        assignment = aliased(RoleAssignment)
        return select(assignment.site_id).where(
            assignment.employee_id == self.employee_id,
            assignment.role == Role.FACILITIES_MANAGER,
            is_active(self.employee_id),
        )

    def own_unit(self) -> ColumnElement[int]:
        me = aliased(Employee)
        return select(me.org_unit_id).where(me.id == self.employee_id).scalar_subquery()

    def manages(self, person: EmployeeLike = Employee) -> ColumnElement[bool]:
        return or_(
            person.supervisor_id == self.employee_id,
            person.org_unit_id.in_(self.managed_units()),
            self.is_admin(),
        )

    def may_see_nip(self, person: EmployeeLike = Employee) -> ColumnElement[bool]:
        return or_(person.id == self.employee_id, self.manages(person))

    def may_see_presence(self, person: EmployeeLike = Employee) -> ColumnElement[bool]:
        """Whether the viewer may see this person's name on a space they booked."""
        return or_(
            person.id == self.employee_id,
            person.share_presence.is_(True),
            person.org_unit_id == self.own_unit(),
            self.manages(person),
        )


def nobody() -> ColumnElement[bool]:
    """For callers who may see no names at all (anonymous, or a token without ``people:read:names``)."""
    return false()


def everybody() -> ColumnElement[bool]:
    return true()
