"""Error codes: every domain's codes reach the API's ErrorCode enum, once, each with a message that fills in."""

import re
from typing import Any

import pytest

from smartoffice import errors
from smartoffice.api.errors import DOMAIN_CODES, ErrorCode, to_graphql_error
from smartoffice.bookings.errors import BookingInputCode
from smartoffice.errors import ErrorCode as DomainErrorCode
from smartoffice.errors import InvalidInput, NotFound, code_named

PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def _code_enums(base: type[DomainErrorCode]) -> list[type[DomainErrorCode]]:
    found = [base] if len(base) else []
    for sub in base.__subclasses__():
        found.extend(_code_enums(sub))
    return found


def test_every_enum_of_codes_is_in_the_api() -> None:
    # the API's own top-level codes (identity.errors.AuthCode) are extensions, not union members
    from smartoffice.identity.errors import AuthCode

    assert set(_code_enums(DomainErrorCode)) - {AuthCode} == set(DOMAIN_CODES)


def test_codes_are_unique_and_mirrored_in_the_graphql_enum() -> None:
    names = [member.name for enum in DOMAIN_CODES for member in enum]
    assert len(names) == len(set(names))
    assert {m.name for m in ErrorCode} == set(names)


@pytest.mark.parametrize("member", [m for enum in DOMAIN_CODES for m in enum], ids=lambda m: m.name)
def test_each_message_fills_in_in_both_languages(member: DomainErrorCode) -> None:
    params = {name: "X" for name in PLACEHOLDER.findall(member.value)}
    for language in ("en", "id"):
        text = member.message_in(language, **params)
        assert "%(" not in text and text.strip()


def test_a_stored_code_is_read_back_by_name() -> None:
    assert code_named(errors.InputCode, "TOO_FAR_AHEAD") is BookingInputCode.TOO_FAR_AHEAD
    with pytest.raises(LookupError):
        code_named(errors.PermissionCode, "TOO_FAR_AHEAD")


def test_the_union_member_carries_the_code_and_the_translated_message() -> None:
    member = to_graphql_error(InvalidInput("date", BookingInputCode.TOO_FAR_AHEAD, days=14), "en")
    assert member.code is ErrorCode["TOO_FAR_AHEAD"]
    assert member.message == "Bookings open at most 14 days ahead"

    missing = to_graphql_error(NotFound("Desk", 7), "en")
    assert missing.code is ErrorCode["NOT_FOUND"]
    assert missing.id == "RGVzazo3"  # base64("Desk:7"), the id an app would have sent


class TestDomainErrorsAsResults:
    """The one mapping, on a schema of its own: a raised error becomes a member of the field's union when the
    union has one for it, and rises to the top-level errors when not."""

    @staticmethod
    def schema() -> Any:
        from typing import Annotated

        import strawberry

        from smartoffice.api.errors import ValidationError, map_domain_errors
        from smartoffice.errors import CommonPermissionCode, PermissionDenied

        @strawberry.type
        class Done:
            ok: bool

        Result = Annotated[Done | ValidationError, strawberry.union("Result")]

        @strawberry.type
        class Query:
            @strawberry.field
            async def act(self, fail: str) -> Result:
                if fail == "input":
                    raise InvalidInput("fail", BookingInputCode.TOO_FAR_AHEAD, days=3)
                if fail == "permission":
                    raise PermissionDenied(CommonPermissionCode.ADMINS_ONLY)
                return Done(ok=True)

            @strawberry.field
            def act_sync(self) -> Result:
                raise InvalidInput("fail", BookingInputCode.NOT_ON_SLOT)

        map_domain_errors(Query)
        return strawberry.Schema(query=Query)

    class Context:
        language = "id"

    async def run(self, query: str) -> Any:
        return await self.schema().execute(query, context_value=self.Context())

    async def test_an_error_the_union_has_becomes_its_member(self) -> None:
        result = await self.run('{ act(fail: "input") { ... on ValidationError { code field message } } }')
        assert result.errors is None
        assert result.data == {
            "act": {
                "code": "TOO_FAR_AHEAD",
                "field": "fail",
                "message": BookingInputCode.TOO_FAR_AHEAD.message_in("id", days=3),
            }
        }

    async def test_a_sync_resolver_is_mapped_too(self) -> None:
        result = await self.run("{ actSync { ... on ValidationError { code } } }")
        assert result.errors is None and result.data == {"actSync": {"code": "NOT_ON_SLOT"}}

    async def test_an_error_the_union_lacks_rises_to_the_top(self) -> None:
        result = await self.run('{ act(fail: "permission") { __typename } }')
        assert result.data is None
        assert [e.message for e in result.errors] == ["Only administrators may do this"]

    async def test_success_is_untouched(self) -> None:
        result = await self.run('{ act(fail: "no") { ... on Done { ok } } }')
        assert result.errors is None and result.data == {"act": {"ok": True}}
