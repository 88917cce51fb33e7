"""Relay pagination pieces shared by every connection."""

import strawberry


@strawberry.type(description="Relay pagination state.")
class PageInfo:
    has_next_page: bool
    end_cursor: str | None = strawberry.field(description="Pass as `after` to get the next page.")
