"""The headers every response carries, so a browser refuses what our pages never do.

- ``Content-Security-Policy``: scripts, styles, images, fonts and connections from this origin only; the one
  inline ``<style>`` of ``base.html`` carries a nonce fresh for each response (``{{ csp_nonce() }}``), so an
  injected ``<script>`` or ``<style>`` does not run; no plugins (``object-src``), no ``<base>`` elsewhere, forms
  post here only, and no other site may frame the pages. Templates have no inline script and no ``style=``
  attribute; keep it that way (the browser test ``tests/web/test_headers_browser.py`` watches for violations).
  A response that sets its own policy keeps it: GraphiQL's page (``smartoffice.web.graphiql``) is stricter
  about origins but lets the editor position its panes with ``style`` attributes.
- ``X-Frame-Options: DENY`` for browsers that predate ``frame-ancestors`` (clickjacking).
- ``X-Content-Type-Options: nosniff``: a file is run or styled only as the type it is served as.
- ``Referrer-Policy: strict-origin-when-cross-origin``: other sites see only our origin, never a page's path and
  query (booking ids, dates); our own pages still get the full referrer, which the language switch uses to return
  to the page a form was posted from (``no-referrer`` would break that).

Added by :func:`add_security_headers`, litestar's ``before_send`` hook, so they are on every response: pages,
static files, GraphQL, and errors raised before any route was found.
"""

import secrets

from litestar.datastructures import MutableScopeHeaders
from litestar.types import Message, Scope

NONCE_KEY = "smartoffice_csp_nonce"

SECURITY_HEADERS = {
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "strict-origin-when-cross-origin",
}


def csp_nonce(scope: Scope) -> str:
    """This response's nonce for inline ``<style>``/``<script>`` elements, made on first use."""
    state = scope.setdefault("state", {})
    nonce = state.get(NONCE_KEY)
    if not isinstance(nonce, str):
        nonce = state[NONCE_KEY] = secrets.token_urlsafe(18)
    return nonce


def content_security_policy(nonce: str | None) -> str:
    inline = f" 'nonce-{nonce}'" if nonce else ""
    return "; ".join(
        [
            "default-src 'self'",
            f"script-src 'self'{inline}",
            f"style-src 'self'{inline}",
            "img-src 'self' data:",
            "object-src 'none'",
            "base-uri 'self'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


async def add_security_headers(message: Message, scope: Scope) -> None:
    """litestar ``before_send`` hook: the security headers on a response's start, unless it set its own."""
    if message["type"] != "http.response.start":
        return
    headers = MutableScopeHeaders.from_message(message)
    if "content-security-policy" not in headers:
        nonce = scope.get("state", {}).get(NONCE_KEY)
        headers["Content-Security-Policy"] = content_security_policy(nonce if isinstance(nonce, str) else None)
    for name, value in SECURITY_HEADERS.items():
        if name.lower() not in headers:
            headers[name] = value
