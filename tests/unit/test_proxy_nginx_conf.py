"""The shipped nginx passes on what the app needs to know the browser's address and scheme (issue 10, item 7)."""

import re
from pathlib import Path

NGINX = (Path(__file__).resolve().parents[2] / "deploy" / "nginx.conf").read_text()


def test_nginx_forwards_the_client_address_and_scheme() -> None:
    # appended to, so the app's walk from the right finds the address nginx saw (smartoffice.identity.clients)
    assert re.search(r"proxy_set_header\s+X-Forwarded-For\s+\$proxy_add_x_forwarded_for;", NGINX)
    assert re.search(r"proxy_set_header\s+X-Forwarded-Proto\s+\$scheme;", NGINX)


def test_nginx_does_not_serve_metrics_to_the_public() -> None:
    assert re.search(r"location\s*=\s*/metrics\s*\{\s*return 404;", NGINX)
