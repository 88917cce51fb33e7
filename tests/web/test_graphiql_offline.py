"""GraphiQL works on a closed network: its page loads only files the app serves itself (issue 9, item 5)."""

import re
from collections.abc import AsyncIterator
from dataclasses import replace
from urllib.parse import urlsplit

import pytest
from litestar.testing import AsyncTestClient

from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.support.apps import client_for
from tests.support.live_server import CHROMIUM, CHROMIUM_ARGS

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
ASSET = re.compile(r'<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+)"')


@pytest.fixture
async def client(settings: Settings, runtime: Runtime) -> AsyncIterator[AsyncTestClient]:
    async with client_for(replace(settings, demo_mode=True)) as client:
        yield client


async def test_the_page_loads_only_files_the_app_serves(client: AsyncTestClient) -> None:
    page = await client.get("/graphql", headers={"accept": BROWSER_ACCEPT})

    assert page.status_code == 200
    assets = ASSET.findall(page.text)
    assert {urlsplit(url).path.rsplit("/", 1)[-1] for url in assets} >= {
        "react.production.min.js",
        "react-dom.production.min.js",
        "graphiql.min.js",
        "graphiql.min.css",
    }
    for url in assets:
        if url.startswith("data:"):
            continue
        assert url.startswith("/static/graphiql/"), url
        served = await client.get(url)
        assert served.status_code == 200, url
        assert served.headers["content-type"].split(";")[0] in ("text/javascript", "text/css"), url
    assert "default-src 'none'" in page.headers["content-security-policy"]  # the browser refuses other origins


@pytest.mark.browser
@pytest.mark.skipif(not CHROMIUM.exists(), reason="Debian's chromium is not installed at /usr/bin/chromium")
async def test_graphiql_runs_a_query_with_every_other_origin_blocked(server: str) -> None:
    from playwright.async_api import Route, async_playwright, expect

    own_origin = urlsplit(server).netloc
    blocked: list[str] = []
    page_errors: list[str] = []

    async def closed_network(route: Route) -> None:
        url = route.request.url
        if url.startswith("data:") or urlsplit(url).netloc == own_origin:
            await route.continue_()
        else:
            blocked.append(url)
            await route.abort("internetdisconnected")

    async with async_playwright() as playwright:
        browser = await playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        page = await browser.new_page(viewport={"width": 1360, "height": 900})
        page.on("pageerror", lambda error: page_errors.append(str(error)))
        await page.route("**/*", closed_network)
        try:
            # given GraphiQL, opened as a browser opens /graphql
            await page.goto(f"{server}/graphql")
            editor = page.locator(".graphiql-query-editor .CodeMirror")
            await expect(editor).to_be_visible()

            # when I write a query and press the run button
            await editor.click()
            await page.keyboard.press("Control+A")
            await page.keyboard.press("Delete")
            await page.keyboard.type("{ __typename")  # the editor closes the brace itself
            await page.get_by_role("button", name=re.compile("Execute query")).click()

            # then the answer shows, and nothing was asked of another origin
            await expect(page.locator(".graphiql-response")).to_contain_text('"__typename": "Query"')
        finally:
            await browser.close()
    assert blocked == []
    assert page_errors == []
