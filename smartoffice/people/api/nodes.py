"""People by global id for ``node(id:)``.

Decided: the directory (a person's name and unit, an org unit, an organisation) is open to every signed-in
person, like a ministry's phone book; app tokens need people:read:names for employees, as ``Employee.name`` does.
What is private is *where* someone sits (``Occupant``) and their NIP (``Employee.nip``), and those keep their
own rules wherever an Employee is reached from. Anonymous callers get the usual UNAUTHENTICATED error.
"""

from collections.abc import Mapping

from strawberry import relay

from smartoffice.api.context import Info
from smartoffice.api.found import load_found
from smartoffice.identity.scopes import Scope
from smartoffice.people.api.types import Employee, Organisation, OrgUnit


async def employees(info: Info, ids: list[int]) -> Mapping[int, relay.Node]:
    info.context.require_viewer()
    info.context.require_scope(Scope.PEOPLE_READ_NAMES)
    rows = await load_found(info.context.loaders.people.employee_by_id, ids)
    return {i: Employee.from_model(e) for i, e in rows.items()}


async def org_units(info: Info, ids: list[int]) -> Mapping[int, relay.Node]:
    info.context.require_viewer()
    rows = await load_found(info.context.loaders.people.org_unit_by_id, ids)
    return {i: OrgUnit.from_model(u) for i, u in rows.items()}


async def organisations(info: Info, ids: list[int]) -> Mapping[int, relay.Node]:
    info.context.require_viewer()
    rows = await info.context.runtime.people.organisations_by_id(ids)
    return {o.id: Organisation(id=o.id, code=o.code, name=o.name) for o in rows}


RESOLVERS = {"Employee": employees, "OrgUnit": org_units, "Organisation": organisations}
