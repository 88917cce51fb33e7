"""SCIM filters (RFC 7644 §3.4.2.2) as SQLAlchemy conditions: scim2-models parses the text into its syntax tree,
and a :class:`FilterVisitor` turns each node into a bound expression over our columns (never SQL text).

Supported: ``eq ne co sw ew gt ge lt le pr``, ``and``/``or``/``not`` and parentheses, on the attributes each
resource keeps (:data:`USER_COLUMNS`, :data:`GROUP_COLUMNS`); attribute names are case-insensitive, and so are
the values of attributes that are not ``caseExact`` (``userName``, names, emails, a group's ``displayName``).
A value selection (``emails[type eq "work"]``) or an attribute we do not keep is a 400 ``invalidFilter``.
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from enum import Enum, auto
from typing import Any

from scim2_models import EnterpriseUser, Group, InvalidFilterException, ScimFilter, User
from scim2_models.path import (
    AttrPath,
    CompareOperator,
    Comparison,
    FilterVisitor,
    LogicalExpr,
    LogicalOperator,
    Not,
    Present,
    ValuePath,
)
from sqlalchemy import ColumnElement, and_, exists, false, func, not_, or_, select
from sqlalchemy.orm import InstrumentedAttribute

from smartoffice.scim.models import ScimGroup, ScimGroupMember, ScimUser

MAX_FILTER_LENGTH = 2000


class Kind(Enum):
    TEXT = auto()
    """Compared case-insensitively (``caseExact: false``)."""
    EXACT = auto()
    """Compared as written (ids, ``externalId``)."""
    BOOLEAN = auto()
    INSTANT = auto()


@dataclass(frozen=True, slots=True)
class Column:
    column: InstrumentedAttribute[Any]
    kind: Kind
    lowered: bool = False
    """The column already holds the lower-cased value (``userName``'s key): compare without ``lower()``."""


CORE_USER = User.__schema__.lower()
CORE_GROUP = Group.__schema__.lower()
ENTERPRISE = EnterpriseUser.__schema__.lower()

USER_COLUMNS: dict[tuple[str | None, str, str | None], Column] = {
    (None, "id", None): Column(ScimUser.scim_id, Kind.EXACT),
    (None, "externalid", None): Column(ScimUser.external_id, Kind.EXACT),
    (None, "username", None): Column(ScimUser.user_name_key, Kind.TEXT, lowered=True),
    (None, "displayname", None): Column(ScimUser.display_name, Kind.TEXT),
    (None, "name", "givenname"): Column(ScimUser.given_name, Kind.TEXT),
    (None, "name", "familyname"): Column(ScimUser.family_name, Kind.TEXT),
    (None, "name", "formatted"): Column(ScimUser.formatted_name, Kind.TEXT),
    (None, "emails", None): Column(ScimUser.email, Kind.TEXT, lowered=True),
    (None, "emails", "value"): Column(ScimUser.email, Kind.TEXT, lowered=True),
    (None, "active", None): Column(ScimUser.active, Kind.BOOLEAN),
    (None, "meta", "created"): Column(ScimUser.created_at, Kind.INSTANT),
    (None, "meta", "lastmodified"): Column(ScimUser.updated_at, Kind.INSTANT),
    (ENTERPRISE, "employeenumber", None): Column(ScimUser.employee_number, Kind.EXACT),
}
GROUP_COLUMNS: dict[tuple[str | None, str, str | None], Column] = {
    (None, "id", None): Column(ScimGroup.scim_id, Kind.EXACT),
    (None, "externalid", None): Column(ScimGroup.external_id, Kind.EXACT),
    (None, "displayname", None): Column(ScimGroup.display_name_key, Kind.TEXT, lowered=True),
    (None, "meta", "created"): Column(ScimGroup.created_at, Kind.INSTANT),
    (None, "meta", "lastmodified"): Column(ScimGroup.updated_at, Kind.INSTANT),
}
_MEMBERS = {(None, "members", None), (None, "members", "value")}


def _invalid(detail: str) -> InvalidFilterException:
    return InvalidFilterException(detail=detail)


class _ToSql(FilterVisitor[ColumnElement[bool]]):
    def __init__(self, columns: dict[tuple[str | None, str, str | None], Column], core_urn: str) -> None:
        self.columns = columns
        self.core_urn = core_urn

    def _key(self, path: AttrPath) -> tuple[str | None, str, str | None]:
        uri = path.uri.lower() if path.uri else None
        return (
            None if uri == self.core_urn else uri,
            path.attr.lower(),
            path.sub_attr.lower() if path.sub_attr else None,
        )

    def _column(self, path: AttrPath) -> Column:
        column = self.columns.get(self._key(path))
        if column is None:
            raise _invalid(f"filtering on {path} is not supported")
        return column

    def visit_logical_expr(self, node: LogicalExpr) -> ColumnElement[bool]:
        terms = [self.visit(t) for t in node.terms]
        return and_(*terms) if node.op == LogicalOperator.and_ else or_(*terms)

    def visit_not(self, node: Not) -> ColumnElement[bool]:
        return not_(self.visit(node.expr))

    def visit_value_path(self, node: ValuePath) -> ColumnElement[bool]:
        raise _invalid(f"value selections such as {node.attr_path}[...] are not supported in filters")

    def visit_present(self, node: Present) -> ColumnElement[bool]:
        if self.core_urn == CORE_GROUP and self._key(node.attr_path) in _MEMBERS:
            return exists().where(ScimGroupMember.group_id == ScimGroup.id)
        column = self._column(node.attr_path)
        if column.kind in (Kind.TEXT, Kind.EXACT):
            return and_(column.column.is_not(None), column.column != "")
        return column.column.is_not(None)

    def visit_comparison(self, node: Comparison) -> ColumnElement[bool]:
        if self.core_urn == CORE_GROUP and self._key(node.attr_path) in _MEMBERS:
            return _members(node)
        column = self._column(node.attr_path)
        match column.kind:
            case Kind.BOOLEAN:
                return _compare_boolean(column, node)
            case Kind.INSTANT:
                return _compare_instant(column, node)
        return _compare_text(column, node)


def _members(node: Comparison) -> ColumnElement[bool]:
    if node.op != CompareOperator.eq or not isinstance(node.value, str):
        raise _invalid("members can be compared with eq and a user id only")
    member = select(ScimGroupMember.user_id).join(ScimUser, ScimUser.id == ScimGroupMember.user_id)
    return exists(member.where(ScimGroupMember.group_id == ScimGroup.id, ScimUser.scim_id == node.value))


def _compare_boolean(column: Column, node: Comparison) -> ColumnElement[bool]:
    if not isinstance(node.value, bool) or node.op not in (CompareOperator.eq, CompareOperator.ne):
        raise _invalid(f"{node.attr_path} is a boolean: compare it with eq or ne and true or false")
    return column.column == (node.value if node.op == CompareOperator.eq else not node.value)


def _compare_instant(column: Column, node: Comparison) -> ColumnElement[bool]:
    try:
        value = datetime.fromisoformat(str(node.value).replace("Z", "+00:00"))
    except ValueError:
        raise _invalid(f"{node.value!r} is not a dateTime") from None
    if value.tzinfo is None:
        raise _invalid(f"{node.value!r} has no time zone")
    ops: dict[CompareOperator, Callable[[Any, Any], ColumnElement[bool]]] = {
        CompareOperator.eq: lambda c, v: c == v,
        CompareOperator.ne: lambda c, v: c != v,
        CompareOperator.gt: lambda c, v: c > v,
        CompareOperator.ge: lambda c, v: c >= v,
        CompareOperator.lt: lambda c, v: c < v,
        CompareOperator.le: lambda c, v: c <= v,
    }
    if node.op not in ops:
        raise _invalid(f"{node.op.value} does not apply to a dateTime")
    return ops[node.op](column.column, value)


def _compare_text(column: Column, node: Comparison) -> ColumnElement[bool]:
    if node.value is None:
        # "attr eq null" is how some clients write "not present".
        if node.op == CompareOperator.eq:
            return or_(column.column.is_(None), column.column == "")
        raise _invalid(f"null compares with eq only (or use {node.attr_path} pr)")
    if not isinstance(node.value, str):
        raise _invalid(f"{node.attr_path} holds text: compare it with a string")
    target: ColumnElement[Any] = column.column.expression
    value = node.value
    if column.kind == Kind.TEXT:
        value = value.lower()
        if not column.lowered:
            target = func.lower(column.column)
    match node.op:
        case CompareOperator.eq:
            return target == value
        case CompareOperator.ne:
            return or_(target != value, column.column.is_(None))
        case CompareOperator.co:
            return target.contains(value, autoescape=True)
        case CompareOperator.sw:
            return target.startswith(value, autoescape=True)
        case CompareOperator.ew:
            return target.endswith(value, autoescape=True)
        case CompareOperator.gt:
            return target > value
        case CompareOperator.ge:
            return target >= value
        case CompareOperator.lt:
            return target < value
        case CompareOperator.le:
            return target <= value
    return false()


def _parse(text: str, model: Any) -> Any:
    if len(text) > MAX_FILTER_LENGTH:
        raise _invalid(f"a filter may be at most {MAX_FILTER_LENGTH} characters long")
    try:
        return ScimFilter[model](text).ast
    except InvalidFilterException:
        raise
    except (ValueError, TypeError) as exc:
        raise _invalid(f"not a valid filter: {exc}") from None


def user_condition(text: str) -> ColumnElement[bool]:
    """The condition selecting the users ``text`` filters; raises ``InvalidFilterException``."""
    return _ToSql(USER_COLUMNS, CORE_USER).visit(_parse(text, User[EnterpriseUser]))


def group_condition(text: str) -> ColumnElement[bool]:
    return _ToSql(GROUP_COLUMNS, CORE_GROUP).visit(_parse(text, Group))
