"""The floor plan editor's pages over HTTP, as a browser without JavaScript uses them: the form table saves, a
stale save is refused in words, the plan image is uploaded and served with its headers, and desks come in from a
CSV through upload → preview → confirm."""

import json
import re

import httpx

from smartoffice.people.models import Role
from smartoffice.runtime import Runtime
from tests.factories import Factory
from tests.support.floor_plans import PLAIN_SVG, PlanFloor, audit_of, plan_floor, png_bytes, spaces_of
from tests.support.pages import CSRF_FIELD, PageClient


def editor(f: PlanFloor) -> str:
    return f"/admin/places/floors/{f.floor.id}/plan"


def form_fields(html: str) -> dict[str, str]:
    """The save form's inputs as the page filled them (name → value)."""
    form = html[html.index('id="plan-form"') : html.index("</form>", html.index('id="plan-form"'))]
    fields = dict(re.findall(r'<input type="(?:hidden|text|number)" name="([^"]+)"[^>]*?value="([^"]*)"', form))
    fields.pop("_csrf_token", None)
    return fields


async def upload(pages: PageClient, url: str, field: str, name: str, content: bytes, page: str) -> httpx.Response:
    html = (await pages.get(page)).text
    match = CSRF_FIELD.search(html)
    token = match.group(1) if match else pages.http.cookies["csrftoken"]
    return await pages.http.post(
        url, data={"_csrf_token": token}, files={field: (name, content)}, follow_redirects=False
    )


async def test_the_form_table_saves_without_javascript(pages: PageClient, factory: Factory, runtime: Runtime) -> None:
    f = await plan_floor(factory)
    await pages.act_as(f.manager.id)
    page = await pages.get(editor(f))
    assert page.status_code == 200
    assert '<script src="/static/vendor/interact.min.js" defer>' in page.text
    fields = form_fields(page.text)
    d1 = f.desks[0].id
    fields.update({f"x-{d1}": "12,5", f"y-{d1}": "7", f"rotation-{d1}": "45", f"code-{d1}": "A-1"})
    saved = await pages.submit(editor(f), fields, from_page=editor(f))
    assert (saved.status_code, saved.headers["location"]) == (303, f"{editor(f)}?done=saved")
    desk = (await spaces_of(runtime.db, f.floor.id))["A-1"]
    assert (desk.x, desk.y, desk.rotation) == (12.5, 7, 45)
    assert "The plan is saved." in (await pages.get(f"{editor(f)}?done=saved")).text


async def test_the_scripts_json_saves_copies_and_a_stale_save_is_refused_in_words(
    pages: PageClient, factory: Factory, runtime: Runtime
) -> None:
    f = await plan_floor(factory)
    await pages.act_as(f.manager.id)
    old_version = form_fields((await pages.get(editor(f))).text)["version"]
    d1 = f.desks[0]
    placements = [
        {"spaceId": d1.id, "code": "D-1", "x": 20, "y": 10, "width": 1.6, "height": 0.8, "rotation": 0},
        {"copyOf": d1.id, "code": "D-9", "x": 22, "y": 10, "width": 1.6, "height": 0.8, "rotation": 0},
    ]
    saved = await pages.submit(
        editor(f), {"version": old_version, "placements": json.dumps(placements)}, from_page=editor(f)
    )
    assert saved.status_code == 303
    spaces = await spaces_of(runtime.db, f.floor.id)
    assert (spaces["D-1"].x, spaces["D-9"].x) == (20, 22)
    # the same version again: someone (this very save) changed the plan since
    placements[0]["x"] = 5
    stale = await pages.submit(
        editor(f), {"version": old_version, "placements": json.dumps(placements[:1])}, from_page=editor(f)
    )
    assert stale.status_code == 422
    assert 'data-code="PLAN_CHANGED"' in stale.text and "reload the plan" in stale.text
    assert (await spaces_of(runtime.db, f.floor.id))["D-1"].x == 20


async def test_a_placement_outside_the_floor_is_refused_and_shown_again(pages: PageClient, factory: Factory) -> None:
    f = await plan_floor(factory)
    await pages.act_as(f.manager.id)
    fields = form_fields((await pages.get(editor(f))).text)
    d2 = f.desks[1].id
    fields[f"x-{d2}"] = "39.9"
    refused = await pages.submit(editor(f), fields, from_page=editor(f))
    assert refused.status_code == 422 and 'data-code="PLACEMENT_OUTSIDE_FLOOR"' in refused.text
    assert f'name="x-{d2}" data-field="x" value="39.9"' in refused.text


async def test_only_the_sites_managers_open_the_editor(pages: PageClient, factory: Factory) -> None:
    f = await plan_floor(factory)
    other = await factory.employee()
    await factory.role(other, Role.FACILITIES_MANAGER, site_id=(await factory.site()).id)
    await pages.act_as(other.id)
    assert (await pages.get(editor(f))).status_code == 403
    assert (await pages.get(f"{editor(f)}/desks.csv")).status_code == 403


async def test_a_plan_image_is_uploaded_and_served_with_its_headers(pages: PageClient, factory: Factory) -> None:
    f = await plan_floor(factory)
    await pages.act_as(f.manager.id)
    assert (await pages.get(f"/floors/{f.floor.id}/plan-image")).status_code == 404
    refused = await upload(pages, f"{editor(f)}/image", "image", "x.svg", b"<svg><script/></svg>", editor(f))
    assert refused.status_code == 422 and 'data-code="PLAN_IMAGE_UNSAFE"' in refused.text
    uploaded = await upload(pages, f"{editor(f)}/image", "image", "plan.svg", PLAIN_SVG, editor(f))
    assert uploaded.status_code == 303
    page = (await pages.get(editor(f))).text
    url = re.search(r'<image href="([^"]+)"', page)
    assert url and url.group(1).startswith(f"/floors/{f.floor.id}/plan-image?v=")
    served = await pages.get(url.group(1).replace("&amp;", "&"))
    assert served.status_code == 200 and served.content == PLAIN_SVG
    assert served.headers["content-type"].startswith("image/svg+xml")
    assert served.headers["content-security-policy"] == "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    assert served.headers["x-content-type-options"] == "nosniff"
    assert "immutable" in served.headers["cache-control"]
    etag = served.headers["etag"]
    again = await pages.http.get(f"/floors/{f.floor.id}/plan-image", headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.headers["cache-control"] == "no-cache"
    png = await upload(pages, f"{editor(f)}/image", "image", "plan.png", png_bytes(), editor(f))
    assert png.status_code == 303
    served_png = await pages.get(f"/floors/{f.floor.id}/plan-image")
    assert served_png.headers["content-type"] == "image/png" and "content-security-policy" in served_png.headers
    assert served_png.headers["etag"] != etag


async def test_desks_from_a_csv_upload_preview_confirm(pages: PageClient, factory: Factory, runtime: Runtime) -> None:
    f = await plan_floor(factory)
    await pages.act_as(f.manager.id)
    exported = await pages.get(f"{editor(f)}/desks.csv")
    assert exported.headers["content-type"].startswith("text/csv")
    content = exported.text.replace("D-1,2,2,", "D-1,3,4,") + "N-1,30,15,1.6,0.8,0,,monitor\r\n"
    # a bad file first: problems by line, no confirm button
    bad = await upload(pages, f"{editor(f)}/desks", "file", "desks.csv", b"code,x,y\r\nQ 1,1,1\r\n", editor(f))
    bad_preview = await pages.get(bad.headers["location"])
    assert bad_preview.status_code == 422 and '<tr data-line="2">' in bad_preview.text
    assert "Confirm and import" not in bad_preview.text
    # then the good one
    sent = await upload(pages, f"{editor(f)}/desks", "file", "desks.csv", content.encode(), editor(f))
    assert sent.status_code == 303
    preview = await pages.get(sent.headers["location"])
    assert preview.status_code == 200
    counts = dict(re.findall(r'data-count="(\w+)">(\d+)<', preview.text))
    assert counts == {"new": "1", "changed": "1", "unchanged": "2"}
    fingerprint = re.search(r'name="fingerprint" value="([^"]+)"', preview.text)
    assert fingerprint
    confirm_url = sent.headers["location"] + "/confirm"
    done = await pages.submit(confirm_url, {"fingerprint": fingerprint.group(1)}, from_page=sent.headers["location"])
    assert done.headers["location"] == f"{editor(f)}?done=imported&new=1&changed=1"
    spaces = await spaces_of(runtime.db, f.floor.id)
    assert (spaces["D-1"].x, spaces["D-1"].y, spaces["N-1"].amenities) == (3, 4, ["monitor"])
    assert len(await audit_of(runtime.db, "floor_plan.desks_import")) == 1
    # confirming again finds the upload gone: nothing is imported twice
    again = await pages.submit(confirm_url, {"fingerprint": fingerprint.group(1)}, from_page=editor(f))
    assert again.status_code == 404
