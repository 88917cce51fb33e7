"""A client for the pages that behaves like a browser without JavaScript (cookies, CSRF tokens from forms), and
readers for what the floor page shows."""

import re

import httpx
from litestar.testing import AsyncTestClient

CSRF_FIELD = re.compile(r'name="_csrf_token" value="([^"]+)"')


class PageClient:
    def __init__(self, client: AsyncTestClient) -> None:
        self.http = client

    async def get(self, url: str) -> httpx.Response:
        return await self.http.get(url)

    async def submit(self, url: str, fields: dict[str, str | int], *, from_page: str = "/") -> httpx.Response:
        """POST a form as a browser would after loading ``from_page``: with the CSRF token its forms carry."""
        page = await self.http.get(from_page)
        match = CSRF_FIELD.search(page.text)
        # A page without forms still sets the cookie, and a form's token is the cookie's value.
        token = match.group(1) if match else self.http.cookies["csrftoken"]
        data = {"_csrf_token": token, **{k: str(v) for k, v in fields.items()}}
        return await self.http.post(url, data=data, follow_redirects=False)

    async def act_as(self, employee_id: int) -> None:
        response = await self.submit("/identity", {"employee_id": employee_id})
        assert response.status_code == 303


def desk_status(html: str, desk_id: int) -> str:
    """The status the plan shows for a desk (the SVG link's ``desk--<status>`` class)."""
    match = re.search(rf'<a class="desk desk--(\w+)"[^>]*data-desk-id="{desk_id}"', html)
    assert match, f"desk {desk_id} is not on the plan"
    return match.group(1)


def list_status(html: str, desk_id: int) -> str:
    """The status the fallback table shows for a desk."""
    match = re.search(rf'<tr id="desk-{desk_id}" data-status="(\w+)"', html)
    assert match, f"desk {desk_id} is not in the list"
    return match.group(1)
