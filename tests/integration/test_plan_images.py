"""A floor's plan image (``runtime.plan_images``): PNG and plain SVG stored and audited, anything that could run
or fetch refused, and replaced whole."""

import pytest

from smartoffice.audit.record import Actor
from smartoffice.db import Database
from smartoffice.errors import InvalidInput, PermissionDenied
from smartoffice.places.plan_errors import FloorPlanCode
from smartoffice.places.plan_images import MAX_IMAGE_BYTES, check_image
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.floor_plans import PLAIN_SVG, audit_of, plan_floor, png_bytes

SVG_OPEN = b'<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'


async def test_a_png_is_stored_audited_and_replaced_by_an_svg(runtime: Runtime, factory: Factory, db: Database) -> None:
    f = await plan_floor(factory)
    actor = Actor(f.manager.id, "page")
    stored = await runtime.plan_images.store(actor, f.floor.id, png_bytes())
    assert stored.content_type == "image/png"
    assert (await runtime.layouts.get(f.floor.id)).plan_digest == stored.digest
    replaced = await runtime.plan_images.store(actor, f.floor.id, PLAIN_SVG)
    image = await runtime.plan_images.image(f.floor.id)
    assert image is not None and (image.content_type, image.data) == ("image/svg+xml", PLAIN_SVG)
    entries = await audit_of(db, "floor_plan.upload")
    assert [(e.entity_kind, e.entity_id, e.site_id) for e in entries] == [("FloorPlan", f.floor.id, f.site_id)] * 2
    assert entries[0].before is None and entries[1].before == {"content_type": "image/png", "digest": stored.digest}
    assert entries[1].after is not None and entries[1].after["digest"] == replaced.digest


@pytest.mark.parametrize(
    ("content", "code"),
    [
        (b"", FloorPlanCode.PLAN_IMAGE_EMPTY),
        (b"GIF89a....", FloorPlanCode.PLAN_IMAGE_TYPE),
        (b"\x89PNG\r\n\x1a\n" + b"\x00" * 30, FloorPlanCode.PLAN_IMAGE_UNREADABLE),
        (png_bytes(30_000, 1), FloorPlanCode.PLAN_IMAGE_DIMENSIONS),
        (b"<svg xmlns='http://www.w3.org/2000/svg'><rect></svg>", FloorPlanCode.PLAN_IMAGE_UNREADABLE),
        (SVG_OPEN + b"<script>alert(1)</script></svg>", FloorPlanCode.PLAN_IMAGE_UNSAFE),
        (SVG_OPEN + b"<rect onload='alert(1)'/></svg>", FloorPlanCode.PLAN_IMAGE_UNSAFE),
        (SVG_OPEN + b"<foreignObject><p>x</p></foreignObject></svg>", FloorPlanCode.PLAN_IMAGE_UNSAFE),
        (SVG_OPEN + b"<image xlink:href='https://example.org/x.png'/></svg>", FloorPlanCode.PLAN_IMAGE_UNSAFE),
        (SVG_OPEN + b"<a href='javascript:alert(1)'><rect/></a></svg>", FloorPlanCode.PLAN_IMAGE_UNSAFE),
        (SVG_OPEN + b"<rect style='fill:url(https://example.org/a)'/></svg>", FloorPlanCode.PLAN_IMAGE_UNSAFE),
        (SVG_OPEN + b"<style>@import url(https://example.org/a.css);</style></svg>", FloorPlanCode.PLAN_IMAGE_UNSAFE),
        (SVG_OPEN + b"<set attributeName='onmouseover' to='alert(1)'/></svg>", FloorPlanCode.PLAN_IMAGE_UNSAFE),
        (
            b'<?xml version="1.0"?><!DOCTYPE svg [<!ENTITY a "aaaa">]><svg xmlns="http://www.w3.org/2000/svg">&a;</svg>',
            FloorPlanCode.PLAN_IMAGE_UNSAFE,
        ),
        (b"<svg" + b" " * MAX_IMAGE_BYTES + b"/>", FloorPlanCode.PLAN_IMAGE_TOO_LARGE),
    ],
)
def test_what_is_not_a_safe_plan_image_is_refused(content: bytes, code: FloorPlanCode) -> None:
    with pytest.raises(InvalidInput) as refused:
        check_image(content)
    assert (refused.value.field, refused.value.code) == ("image", code.name)


def test_a_plain_svg_with_fragment_links_and_an_embedded_png_is_accepted() -> None:
    svg = (
        SVG_OPEN + b'<defs><pattern id="p"/></defs><rect fill="url(#p)" width="1" height="1"/>'
        b'<image href="data:image/png;base64,iVBORw0KGgo=" width="1" height="1"/><use xlink:href="#p"/></svg>'
    )
    assert check_image(svg).content_type == "image/svg+xml"


async def test_only_the_sites_managers_may_upload(runtime: Runtime, factory: Factory) -> None:
    f = await plan_floor(factory)
    someone = await factory.employee()
    with pytest.raises(PermissionDenied):
        await runtime.plan_images.store(Actor(someone.id, "page"), f.floor.id, png_bytes())
    assert await runtime.plan_images.image(f.floor.id) is None
