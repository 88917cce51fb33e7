"""``/scim/v2``: the SCIM 2.0 protocol (RFC 7644) over litestar, for identity providers: Users and Groups (list
with filter and pages, ``/.search``, create, read, replace, PATCH, delete) and the discovery endpoints. Who may
call, and how refusals look, is :mod:`smartoffice.scim.door`'s."""

from collections.abc import Callable
from typing import Any

from litestar import Request, Response, Router, delete, get, patch, post, put, route
from litestar.enums import HttpMethod
from litestar.params import FromPath
from scim2_models import (
    Context,
    Group,
    InvalidSyntaxException,
    ListResponse,
    NotFoundException,
    NotImplementedException,
    PatchOp,
    SearchRequest,
)
from scim2_models.base import BaseModel as ScimModel

from smartoffice.request_json import decode_request_json
from smartoffice.scim import resources
from smartoffice.scim.door import EXCEPTION_HANDLERS, actor_of, error_response, scim_door, scim_response, service_of
from smartoffice.scim.resources import SCIM_MEDIA_TYPE, SCIM_PATH, UserResource
from smartoffice.scim.service import Page

MAX_BODY_BYTES = 1_000_000
JSON_TYPES = ("application/scim+json", "application/json")


def base_url_of(request: Request[Any, Any, Any]) -> str:
    return str(request.base_url).rstrip("/") + SCIM_PATH


async def json_body(request: Request[Any, Any, Any]) -> Any:
    media_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if media_type and media_type not in JSON_TYPES:
        raise InvalidSyntaxException(detail=f"send {SCIM_MEDIA_TYPE}, not {media_type}")
    try:
        body = decode_request_json(await request.body())
    except ValueError as exc:  # not JSON, not UTF-8, too deep, a number too long (smartoffice.request_json)
        raise InvalidSyntaxException(detail=f"the body is not a JSON document this server reads: {exc}") from None
    if not isinstance(body, dict):
        raise InvalidSyntaxException(detail="the body is not a JSON object")
    return body


def _search(request: Request[Any, Any, Any], model: Any) -> Any:
    params = {k: v for k, v in request.query_params.items() if k in ("filter", "startIndex", "count")}
    params |= {k: v for k, v in request.query_params.items() if k in ("attributes", "excludedAttributes")}
    return SearchRequest[model].model_validate(params, scim_ctx=Context.SEARCH_REQUEST)


def _dump(resource: ScimModel, ctx: Context, parameters: Any = None) -> dict[str, Any]:
    return resource.model_dump(scim_ctx=ctx, response_parameters=parameters)


def _list(page: Page, model: Any, parameters: Any) -> Response[Any]:
    listing = ListResponse[model](
        total_results=page.total,
        start_index=page.start_index,
        items_per_page=len(page.resources),
        resources=page.resources,
    )
    return scim_response(_dump(listing, Context.SEARCH_RESPONSE, parameters))


def _created(resource: ScimModel, location: str | None) -> Response[Any]:
    headers = {"Location": location} if location else None
    return scim_response(_dump(resource, Context.RESOURCE_CREATION_RESPONSE), 201, headers)


# Users


@get("/Users")
async def list_users(request: Request[Any, Any, Any]) -> Response[Any]:
    search = _search(request, UserResource)
    text = str(search.filter) if search.filter else None
    page = await service_of(request).list_users(base_url_of(request), text, search.start_index, search.count)
    return _list(page, UserResource, search)


@post("/Users/.search")
async def search_users(request: Request[Any, Any, Any]) -> Response[Any]:
    search = SearchRequest[UserResource].model_validate(await json_body(request), scim_ctx=Context.SEARCH_REQUEST)
    text = str(search.filter) if search.filter else None
    page = await service_of(request).list_users(base_url_of(request), text, search.start_index, search.count)
    return _list(page, UserResource, search)


@post("/Users")
async def create_user(request: Request[Any, Any, Any]) -> Response[Any]:
    resource = UserResource.model_validate(await json_body(request), scim_ctx=Context.RESOURCE_CREATION_REQUEST)
    created = await service_of(request).create_user(actor_of(request), base_url_of(request), resource)
    return _created(created, created.meta.location if created.meta else None)


@get("/Users/{scim_id:str}")
async def get_user(request: Request[Any, Any, Any], scim_id: FromPath[str]) -> Response[Any]:
    resource = await service_of(request).get_user(base_url_of(request), scim_id)
    return scim_response(_dump(resource, Context.RESOURCE_QUERY_RESPONSE, _search(request, UserResource)))


@put("/Users/{scim_id:str}")
async def replace_user(request: Request[Any, Any, Any], scim_id: FromPath[str]) -> Response[Any]:
    resource = UserResource.model_validate(await json_body(request), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
    changed = await service_of(request).replace_user(actor_of(request), base_url_of(request), scim_id, resource)
    return scim_response(_dump(changed, Context.RESOURCE_REPLACEMENT_RESPONSE))


@patch("/Users/{scim_id:str}")
async def patch_user(request: Request[Any, Any, Any], scim_id: FromPath[str]) -> Response[Any]:
    operations = PatchOp[UserResource].model_validate(await json_body(request), scim_ctx=Context.RESOURCE_PATCH_REQUEST)
    changed = await service_of(request).patch_user(actor_of(request), base_url_of(request), scim_id, operations)
    return scim_response(_dump(changed, Context.RESOURCE_PATCH_RESPONSE))


@delete("/Users/{scim_id:str}", status_code=204)
async def delete_user(request: Request[Any, Any, Any], scim_id: FromPath[str]) -> None:
    await service_of(request).delete_user(actor_of(request), scim_id)


# Groups


@get("/Groups")
async def list_groups(request: Request[Any, Any, Any]) -> Response[Any]:
    search = _search(request, Group)
    text = str(search.filter) if search.filter else None
    page = await service_of(request).list_groups(base_url_of(request), text, search.start_index, search.count)
    return _list(page, Group, search)


@post("/Groups/.search")
async def search_groups(request: Request[Any, Any, Any]) -> Response[Any]:
    search = SearchRequest[Group].model_validate(await json_body(request), scim_ctx=Context.SEARCH_REQUEST)
    text = str(search.filter) if search.filter else None
    page = await service_of(request).list_groups(base_url_of(request), text, search.start_index, search.count)
    return _list(page, Group, search)


@post("/Groups")
async def create_group(request: Request[Any, Any, Any]) -> Response[Any]:
    resource = Group.model_validate(await json_body(request), scim_ctx=Context.RESOURCE_CREATION_REQUEST)
    created = await service_of(request).create_group(actor_of(request), base_url_of(request), resource)
    return _created(created, created.meta.location if created.meta else None)


@get("/Groups/{scim_id:str}")
async def get_group(request: Request[Any, Any, Any], scim_id: FromPath[str]) -> Response[Any]:
    resource = await service_of(request).get_group(base_url_of(request), scim_id)
    return scim_response(_dump(resource, Context.RESOURCE_QUERY_RESPONSE, _search(request, Group)))


@put("/Groups/{scim_id:str}")
async def replace_group(request: Request[Any, Any, Any], scim_id: FromPath[str]) -> Response[Any]:
    resource = Group.model_validate(await json_body(request), scim_ctx=Context.RESOURCE_REPLACEMENT_REQUEST)
    changed = await service_of(request).replace_group(actor_of(request), base_url_of(request), scim_id, resource)
    return scim_response(_dump(changed, Context.RESOURCE_REPLACEMENT_RESPONSE))


@patch("/Groups/{scim_id:str}")
async def patch_group(request: Request[Any, Any, Any], scim_id: FromPath[str]) -> Response[Any]:
    operations = PatchOp[Group].model_validate(await json_body(request), scim_ctx=Context.RESOURCE_PATCH_REQUEST)
    changed = await service_of(request).patch_group(actor_of(request), base_url_of(request), scim_id, operations)
    return scim_response(_dump(changed, Context.RESOURCE_PATCH_RESPONSE))


@delete("/Groups/{scim_id:str}", status_code=204)
async def delete_group(request: Request[Any, Any, Any], scim_id: FromPath[str]) -> None:
    await service_of(request).delete_group(actor_of(request), scim_id)


# Discovery: GET only; any other method is answered 405, SCIM-shaped.

ALL_METHODS = [HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.PATCH, HttpMethod.DELETE]


def _discovery(method: str, produce: Callable[[], dict[str, Any]]) -> Response[Any]:
    if method != "GET":
        return error_response(405, "discovery endpoints answer GET only", headers={"Allow": "GET"})
    return scim_response(produce())


def _listing(items: list[Any]) -> dict[str, Any]:
    model: Any = type(items[0])
    listing = ListResponse[model](total_results=len(items), start_index=1, items_per_page=len(items), resources=items)
    return _dump(listing, Context.RESOURCE_QUERY_RESPONSE)


def _one(items: list[Any], wanted: FromPath[str]) -> dict[str, Any]:
    for item in items:
        if item.id == wanted:
            return _dump(item, Context.RESOURCE_QUERY_RESPONSE)
    raise NotFoundException(detail=f"no {wanted}")


@route("/ServiceProviderConfig", http_method=ALL_METHODS)
async def service_provider_config(request: Request[Any, Any, Any]) -> Response[Any]:
    config = resources.service_provider_config(base_url_of(request))
    return _discovery(request.method, lambda: _dump(config, Context.RESOURCE_QUERY_RESPONSE))


@route("/ResourceTypes", http_method=ALL_METHODS)
async def resource_types(request: Request[Any, Any, Any]) -> Response[Any]:
    return _discovery(request.method, lambda: _listing(resources.resource_types(base_url_of(request))))


@route("/ResourceTypes/{wanted:str}", http_method=ALL_METHODS)
async def resource_type(request: Request[Any, Any, Any], wanted: FromPath[str]) -> Response[Any]:
    return _discovery(request.method, lambda: _one(resources.resource_types(base_url_of(request)), wanted))


@route("/Schemas", http_method=ALL_METHODS)
async def schemas(request: Request[Any, Any, Any]) -> Response[Any]:
    return _discovery(request.method, lambda: _listing(resources.schemas(base_url_of(request))))


@route("/Schemas/{wanted:str}", http_method=ALL_METHODS)
async def schema(request: Request[Any, Any, Any], wanted: FromPath[str]) -> Response[Any]:
    return _discovery(request.method, lambda: _one(resources.schemas(base_url_of(request)), wanted))


@post("/.search")
async def search_everything() -> Response[Any]:
    """Searching several resource types at once (RFC 7644 §3.4.3's root ``/.search``) is not offered: 501."""
    raise NotImplementedException(detail="search /Users/.search or /Groups/.search")


@route("/{rest:path}", http_method=ALL_METHODS)
async def unknown(rest: FromPath[str]) -> Response[Any]:
    raise NotFoundException(detail=f"no endpoint {rest}")


SCIM_ROUTER = Router(
    path=SCIM_PATH,
    route_handlers=[
        list_users,
        search_users,
        create_user,
        get_user,
        replace_user,
        patch_user,
        delete_user,
        list_groups,
        search_groups,
        create_group,
        get_group,
        replace_group,
        patch_group,
        delete_group,
        service_provider_config,
        resource_types,
        resource_type,
        schemas,
        schema,
        search_everything,
        unknown,
    ],
    guards=[scim_door],
    exception_handlers=EXCEPTION_HANDLERS,
    request_max_body_size=MAX_BODY_BYTES,
    include_in_schema=False,
)
