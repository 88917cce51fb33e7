"""The per-request GraphQL context: the process's runtime, who is asking, and fresh DataLoaders."""

from typing import Any

from strawberry.litestar import BaseContext
from strawberry.types import Info as StrawberryInfo

from smartoffice.messages import DEFAULT_LANGUAGE, Language
from smartoffice.places.loaders import PlacesLoaders
from smartoffice.runtime import Runtime

DEMO_IDENTITY_HEADER = "x-demo-employee"


class Loaders:
    def __init__(self, runtime: Runtime) -> None:
        self.places = PlacesLoaders(runtime.db)


class Context(BaseContext, kw_only=True):
    runtime: Runtime
    viewer_id: int | None
    language: Language
    """For people-facing messages, from the request's ``Accept-Language`` (``id`` or ``en``)."""
    loaders: Loaders

    @classmethod
    def for_request(cls, runtime: Runtime, viewer_id: int | None, language: Language = DEFAULT_LANGUAGE) -> "Context":
        return cls(runtime=runtime, viewer_id=viewer_id, language=language, loaders=Loaders(runtime))

    def require_viewer(self) -> int:
        if self.viewer_id is None:
            raise PermissionError(f"Authentication required: send the {DEMO_IDENTITY_HEADER} header")
        return self.viewer_id


def viewer_from_header(value: str | None) -> int | None:
    """The demo identity: an employee id in a header. Real login and tokens replace this (see README)."""
    if value is None or not value.strip().isdigit():
        return None
    return int(value)


Info = StrawberryInfo[Context, Any]
