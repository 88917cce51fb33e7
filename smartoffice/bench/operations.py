"""GraphQL over the load driver's connection, and the operations the benchmark sends.

Operations the schema may not have yet ("my week", a building's occupancy report) are found in the live schema
by introspection: the argument values are filled in by name and type, and the selection is built from the
result type (every scalar field, three levels deep), then validated against the schema before the run. A field
that is missing, or whose required arguments the benchmark cannot fill, becomes an ``n/a`` row with the reason.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass
from dataclasses import field as dataclass_field
from datetime import date, timedelta
from typing import Any

from graphql import (
    GraphQLEnumType,
    GraphQLField,
    GraphQLInputObjectType,
    GraphQLInputType,
    GraphQLInterfaceType,
    GraphQLNonNull,
    GraphQLObjectType,
    GraphQLOutputType,
    GraphQLSchema,
    GraphQLUnionType,
    Undefined,
    build_client_schema,
    get_introspection_query,
    get_named_type,
    is_leaf_type,
    parse,
    validate,
)
from smartoffice.bench.driver import Outcome
from smartoffice.bench.http import HttpConnection
from smartoffice.ids import encode_id

GRAPHQL_PATH = "/graphql"

TYPENAME = "query Typename { __typename }"

FLOOR_AVAILABILITY_PACKED = """query FloorAvailabilityPacked($floorId: ID!, $date: Date!) {
  floor(id: $floorId) {
    id
    availabilityPacked(date: $date) {
      __typename
      ... on PackedFloorAvailability { date startTime endTime source deskOrder statuses deskIds }
      ... on ValidationError { message field code }
    }
  }
}"""
"""What an integrator asks for a whole floor's availability on a day: one packed status string with the desk ids
it lines up with (graphql/operations/FloorAvailabilityPacked.graphql). The typed per-desk list
(:data:`FLOOR_AVAILABILITY`) stays in the schema for small selections; it costs ~4 µs per resolved field."""

FLOOR_AVAILABILITY = """query FloorAvailability($floorId: ID!, $date: Date!) {
  floor(id: $floorId) {
    id
    availability(date: $date) {
      __typename
      ... on FloorAvailability { date startTime endTime source desks { status desk { id code } } }
      ... on ValidationError { message field code }
    }
  }
}"""
"""Every desk of a floor with its status, as a typed list (graphql/operations/FloorAvailability.graphql)."""


def floor_availability_problem(payload: dict[str, Any]) -> str | None:
    """Why a successful answer to :data:`FLOOR_AVAILABILITY_PACKED` is not a floor's availability, or None if it is."""
    answer = (payload["data"].get("floor") or {}).get("availabilityPacked") or {}
    if answer.get("__typename") != "PackedFloorAvailability" or not answer.get("statuses"):
        return f"unexpected answer: {str(answer)[:200]}"
    if len(answer["statuses"]) != len(answer.get("deskIds") or ()):
        return f"{len(answer['statuses'])} statuses for {len(answer.get('deskIds') or ())} desks"
    return None


BOOK_DESK = """mutation BookDesk($input: BookDeskInput!) {
  bookDesk(input: $input) {
    __typename
    ... on BookSuccess { booking { id } }
    ... on Error { message }
  }
}"""

CANCEL_BOOKING = """mutation CancelBooking($input: CancelBookingInput!) {
  cancelBooking(input: $input) { __typename ... on Error { message } }
}"""

FIND_ROOMS = """query BenchFindRooms($buildingId: ID!, $date: Date!, $startTime: Time!, $endTime: Time!) {
  findRooms(buildingId: $buildingId, date: $date, startTime: $startTime, endTime: $endTime) {
    id code name capacity amenities floor { name }
  }
}"""
"""Free meeting rooms of a building for a one-hour window (graphql/operations/FindRooms.graphql)."""

CALENDAR_DAYS = """query CalendarDays($from: Date!, $to: Date!) {
  calendarDays(from: $from, to: $to) { __typename ... on CalendarDays { days { date isWorkingDay } } }
}"""

OCCUPANCY_REPORT = """query BenchOccupancyReport($scope: OccupancyScopeInput!, $from: Date!, $to: Date!) {
  occupancyReport(scope: $scope, from: $from, to: $to) {
    __typename
    ... on OccupancyReport {
      desks
      days { date workingDay booked checkedIn noShows utilisation counted }
      summary { workingDays peakBooked meanBooked percentile85Booked noShowRate meanUtilisation }
      heatmap { isoWeek days { date booked utilisation } }
      months { month summary { peakBooked meanBooked percentile85Booked noShowRate } }
      parts { scope { id name } desks days { date booked } summary { peakBooked meanBooked percentile85Booked } }
      rooms { hoursBooked bookableHours rooms { roomId hoursBooked bookableHours meanSizeRatio } }
    }
    ... on Error { message }
  }
}"""
"""What the capacity dashboard reads of a building over a quarter (issue 15's 1 s target at tier L)."""

PLAN_ANCHOR_DAYS = """query BenchPlanAnchorDays($input: PlanAnchorDaysInput!) {
  planAnchorDays(input: $input) {
    __typename
    ... on AnchorDayPlan {
      status solveSeconds movedCount
      units { unitId before after moved }
      loads { buildingId weekday limit before after }
      binding { kind description }
    }
    ... on Error { message }
  }
}"""
"""The anchor-day planner over every building of a site (issue 15's 5 s target at tier M)."""

SELECTION_DEPTH = 3


BUSY_CODE = "BUSY"
MASKED_CODE = "INTERNAL_SERVER_ERROR"
MASKED_MESSAGE = "Unexpected error."


@dataclass(frozen=True, slots=True)
class Answer:
    """An operation's HTTP answer: status, decoded JSON body, and ``Retry-After`` when it had one."""

    status: int
    payload: dict[str, Any] = dataclass_field(default_factory=dict)
    retry_after: str | None = None


async def post(
    connection: HttpConnection, document: str, variables: dict[str, Any] | None = None, employee_id: int | None = None
) -> Answer:
    """POST one operation; returns the HTTP status and the decoded JSON body."""
    headers = {"content-type": "application/json"}
    if employee_id is not None:
        headers["x-demo-employee"] = str(employee_id)
    body = json.dumps({"query": document, "variables": variables or {}}).encode()
    response = await connection.request("POST", GRAPHQL_PATH, body, headers)
    return Answer(response.status, json.loads(response.body) if response.body else {}, response.retry_after)


def outcome_of(answer: Answer) -> tuple[Outcome, str | None]:
    """A query's outcome: OK when it answered with data and no top-level errors; else MASKED for a bug's answer
    (HTTP 5xx other than 503, or an error coded ``INTERNAL_SERVER_ERROR`` / masked "Unexpected error."), BUSY for
    the typed overload answer (HTTP 503 with ``Retry-After``, or errors all coded ``BUSY``), ERROR otherwise."""
    status, payload = answer.status, answer.payload
    errors = payload.get("errors") or []
    if status == 200 and not errors and payload.get("data"):
        return Outcome.OK, None
    detail = f"HTTP {status}: {json.dumps(errors or payload)[:300]}"
    codes = {(e.get("extensions") or {}).get("code") for e in errors if isinstance(e, dict)}
    messages = {e.get("message") for e in errors if isinstance(e, dict)}
    if (status >= 500 and status != 503) or MASKED_CODE in codes or MASKED_MESSAGE in messages:
        return Outcome.MASKED, detail
    if codes == {BUSY_CODE} and (status != 503 or answer.retry_after):
        return Outcome.BUSY, f"HTTP {status} BUSY" + (
            f", Retry-After: {answer.retry_after}" if answer.retry_after else ""
        )
    return Outcome.ERROR, detail


async def fetch_schema(connection: HttpConnection) -> GraphQLSchema:
    answer = await post(connection, get_introspection_query(descriptions=False))
    if answer.status != 200 or "data" not in answer.payload:
        raise RuntimeError(f"introspection failed: HTTP {answer.status} {answer.payload}")
    return build_client_schema(answer.payload["data"])


@dataclass(frozen=True)
class ProbedOperation:
    """An operation built from the live schema, or why it could not be (``document`` is None then)."""

    document: str | None
    variables: Callable[[int], dict[str, Any]] | None = None
    """Variables for a request, given the acting employee's id."""
    reason: str = ""


@dataclass(frozen=True)
class ArgumentContext:
    employee_id_type: str = "Employee"
    building_id: int = 0
    floor_id: int = 0
    site_id: int = 0
    week_of: date = date.min
    month_first: date = date.min


def probe_my_week(schema: GraphQLSchema, context: ArgumentContext) -> ProbedOperation:
    """``myWeek(employeeId: ID, weekOf: Date)`` when the schema has it."""
    return _probe(schema, lambda name: name == "myWeek", context)


def probe_occupancy(schema: GraphQLSchema, context: ArgumentContext) -> ProbedOperation:
    """A building's occupancy (or capacity) report for a month: the first query field named like one."""

    def wanted(name: str) -> bool:
        lowered = name.lower()
        return any(word in lowered for word in ("occupancy", "utilisation", "utilization", "capacity"))

    return _probe(schema, wanted, context)


def _probe(schema: GraphQLSchema, wanted: Callable[[str], bool], context: ArgumentContext) -> ProbedOperation:
    query_type = schema.query_type
    assert query_type is not None
    candidates = [(name, field) for name, field in query_type.fields.items() if wanted(name)]
    if not candidates:
        return ProbedOperation(None, reason="not in schema")
    name, field = sorted(candidates, key=lambda c: ("occupancy" not in c[0].lower(), c[0]))[0]
    try:
        arguments = {arg: _argument_value(arg, a.type, context) for arg, a in field.args.items()}
    except _CannotFill as exc:
        return ProbedOperation(None, reason=f"{name}: cannot fill argument {exc}")
    arguments = {k: v for k, v in arguments.items() if v is not _OMIT}
    declared = ", ".join(f"${arg}: {field.args[arg].type}" for arg in arguments)
    passed = ", ".join(f"{arg}: ${arg}" for arg in arguments)
    selection = _selection(field.type, SELECTION_DEPTH)
    document = (
        f"query Bench{name[0].upper()}{name[1:]}{f'({declared})' if declared else ''} "
        f"{{ {name}{f'({passed})' if passed else ''}{f' {{ {selection} }}' if selection else ''} }}"
    )
    errors = validate(schema, parse(document))
    if errors:
        return ProbedOperation(None, reason=f"{name}: built an invalid query ({errors[0].message})")

    def variables(employee_id: int) -> dict[str, Any]:
        return {k: (v(employee_id) if callable(v) else v) for k, v in arguments.items()}

    return ProbedOperation(document, variables, reason=name)


class _CannotFill(Exception):
    pass


_OMIT = object()


def _has_default(arg: Any) -> bool:
    return getattr(arg, "default_value", Undefined) is not Undefined or getattr(arg, "default", None) is not None


def _argument_value(name: str, type_: GraphQLInputType, context: ArgumentContext, *, required: bool = False) -> Any:
    """A value for an argument (or input field) by its name and type; ``_OMIT`` for optional ones we do not know."""
    required = required or isinstance(type_, GraphQLNonNull)
    named = get_named_type(type_)
    lowered = name.lower()
    month_last = (context.month_first.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
    value: Any = _OMIT
    if named.name == "ID":
        if "employee" in lowered or "person" in lowered:
            value = lambda employee_id: encode_id(context.employee_id_type, employee_id)  # noqa: E731
        elif "floor" in lowered:
            value = encode_id("Floor", context.floor_id)
        elif "site" in lowered:
            value = encode_id("Site", context.site_id)
        elif "building" in lowered or lowered == "id":
            value = encode_id("Building", context.building_id)
    elif named.name == "Date":
        if "week" in lowered:
            value = context.week_of.isoformat()
        elif lowered in {"to", "until", "end", "enddate", "last", "lastday", "todate"}:
            value = month_last.isoformat()
        else:
            value = context.month_first.isoformat()
    elif named.name == "String" and lowered == "month":
        value = f"{context.month_first:%Y-%m}"
    elif named.name == "Int" and lowered in {"year", "month"}:
        value = context.month_first.year if lowered == "year" else context.month_first.month
    elif isinstance(named, GraphQLEnumType) and required:
        values = list(named.values)
        value = next((v for v in values if v in {"DAY", "DAILY", "MONTH"}), values[0])
    elif isinstance(named, GraphQLInputObjectType) and required:
        fields = {
            key: _argument_value(key, f.type, context)
            for key, f in named.fields.items()
            if not _has_default(f) or isinstance(f.type, GraphQLNonNull)
        }
        value = {k: v for k, v in fields.items() if v is not _OMIT}
    if value is _OMIT and required:
        raise _CannotFill(f"{name}: {type_}")
    return value


def _selection(type_: GraphQLOutputType, depth: int, prefix: str = "") -> str:
    named = get_named_type(type_)
    if is_leaf_type(named):
        return ""
    if isinstance(named, GraphQLUnionType):
        parts = ["__typename"]
        clashing = _clashing_fields(named)
        for member in named.types:
            # Aliases per member where two members' fields of one name have different types (they cannot merge).
            inner = _fields(member, depth, alias_prefix=f"{member.name}_", aliased=clashing)
            parts.append(f"... on {member.name} {{ {inner or '__typename'} }}")
        return " ".join(parts)
    if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
        return _fields(named, depth, alias_prefix=prefix) or "__typename"
    return ""


def _clashing_fields(union: GraphQLUnionType) -> set[str]:
    types_by_name: dict[str, set[str]] = {}
    for member in union.types:
        for name, field in member.fields.items():
            types_by_name.setdefault(name, set()).add(str(field.type))
    return {name for name, types in types_by_name.items() if len(types) > 1}


def _fields(
    type_: GraphQLObjectType | GraphQLInterfaceType, depth: int, alias_prefix: str = "", aliased: set[str] | None = None
) -> str:
    parts = []
    for name, field in type_.fields.items():
        if _needs_arguments(field):
            continue
        alias = f"{alias_prefix}{name}: " if alias_prefix and (aliased is None or name in aliased) else ""
        if is_leaf_type(get_named_type(field.type)):
            parts.append(f"{alias}{name}")
        elif depth > 1:
            inner = _selection(field.type, depth - 1)
            if inner:
                parts.append(f"{alias}{name} {{ {inner} }}")
    return " ".join(parts)


def _needs_arguments(field: GraphQLField) -> bool:
    return any(isinstance(a.type, GraphQLNonNull) and not _has_default(a) for a in field.args.values())
