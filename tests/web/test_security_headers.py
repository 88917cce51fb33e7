"""Every response carries the headers that make the browser refuse what our pages never do (issue 10, item 8):
a Content-Security-Policy whose nonce admits only our own inline style, no framing, no sniffing, and a referrer
that tells other sites only our origin. The browser test (test_headers_browser.py) shows the pages still work."""

import re
from collections.abc import AsyncIterator

import httpx
import pytest
from litestar.testing import AsyncTestClient

from smartoffice.runtime import Runtime
from smartoffice.settings import Settings
from tests.factories import Factory
from tests.support.apps import client_for
from tests.support.pages import PageClient

BROWSER_ACCEPT = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
STYLE_NONCE = re.compile(r'<style nonce="([A-Za-z0-9_-]{16,})">')


@pytest.fixture
async def client(settings: Settings, runtime: Runtime) -> AsyncIterator[AsyncTestClient]:
    async with client_for(settings) as client:  # demo mode: GraphiQL is served
        yield client


def assert_protected(response: httpx.Response) -> None:
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "strict-origin-when-cross-origin"
    policy = directives(response)
    assert policy["frame-ancestors"] == ["'none'"]
    assert policy["object-src"] == ["'none'"]


def directives(response: httpx.Response) -> dict[str, list[str]]:
    policy = response.headers["content-security-policy"]
    return {name: values for name, *values in (d.split() for d in policy.split(";") if d.strip())}


async def test_a_page_allows_only_its_own_inline_style(pages: PageClient, factory: Factory) -> None:
    await factory.site()

    first, second = await pages.get("/"), await pages.get("/")

    assert first.status_code == 200
    assert_protected(first)
    policy = directives(first)
    nonce = STYLE_NONCE.search(first.text)
    assert nonce, "base.html's <style> carries the response's nonce"
    assert policy["style-src"] == ["'self'", f"'nonce-{nonce.group(1)}'"]
    assert policy["script-src"] == ["'self'", f"'nonce-{nonce.group(1)}'"]
    assert policy["default-src"] == ["'self'"] and policy["base-uri"] == ["'self'"]
    assert policy["form-action"] == ["'self'"]
    assert "unsafe-inline" not in first.headers["content-security-policy"]
    assert "<script>" not in first.text and " style=" not in first.text  # nothing inline the nonce does not cover
    second_nonce = STYLE_NONCE.search(second.text)
    assert second_nonce and second_nonce.group(1) != nonce.group(1)  # fresh for every response


@pytest.mark.parametrize(
    "path",
    ["/login", "/floors/999999", "/no-such-page", "/static/graphiql/start.js", "/health"],
    ids=["page", "page-error", "unknown-route", "static", "health"],
)
async def test_every_response_is_protected(pages: PageClient, path: str) -> None:
    response = await pages.http.get(path, headers={"accept": BROWSER_ACCEPT})

    assert_protected(response)


async def test_graphql_answers_are_protected(client: AsyncTestClient) -> None:
    answer = await client.post("/graphql", json={"query": "{ __typename }"})
    refused = await client.post("/graphql", content=b"{", headers={"content-type": "application/json"})

    assert answer.status_code == 200
    assert_protected(answer)
    assert_protected(refused)


async def test_graphiql_keeps_its_own_policy_and_gets_the_rest(client: AsyncTestClient) -> None:
    page = await client.get("/graphql", headers={"accept": BROWSER_ACCEPT})

    assert page.status_code == 200
    assert (page.headers["x-frame-options"], page.headers["referrer-policy"]) == (
        "DENY",
        "strict-origin-when-cross-origin",
    )
    policy = directives(page)
    assert policy["default-src"] == ["'none'"]  # smartoffice.web.graphiql's, not the pages'
    assert policy["frame-ancestors"] == ["'none'"]
