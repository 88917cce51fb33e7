"""The GraphiQL page ``/graphql`` shows a browser outside production, built only from files the app serves.

strawberry's own page loads React and GraphiQL from a public CDN, which a closed government network cannot
reach: it stayed at "Loading..." forever. This page loads ``/static/graphiql/`` (vendored, see the README there)
and its Content-Security-Policy forbids every other origin, so a stray external URL fails in the browser test
(``tests/web/test_graphiql_offline.py``) rather than in an office.
"""

from litestar import Response
from litestar.enums import MediaType

from smartoffice.web.static import static_url

SCRIPTS = ("react.production.min.js", "react-dom.production.min.js", "graphiql.min.js", "start.js")
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",  # GraphiQL positions its panes with style attributes
        "font-src data:",  # graphiql.min.css embeds its fonts and icons
        "img-src 'self' data:",
        "connect-src 'self'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'none'",
    ]
)
_SCRIPT_TAGS = "\n".join(f'<script src="{static_url("graphiql/" + name)}"></script>' for name in SCRIPTS)
PAGE = f"""<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>GraphiQL · SmartOffice Nusantara</title>
<link rel="icon" href="data:,">
<link rel="stylesheet" href="{static_url("graphiql/graphiql.min.css")}">
<style>body {{ margin: 0; }} #graphiql {{ height: 100vh; }}</style>
</head>
<body>
<div id="graphiql">Loading…</div>
{_SCRIPT_TAGS}
</body>
</html>
"""


def graphiql_page() -> Response[str]:
    return Response(
        PAGE,
        media_type=MediaType.HTML,
        headers={"Content-Security-Policy": CONTENT_SECURITY_POLICY, "X-Content-Type-Options": "nosniff"},
    )
