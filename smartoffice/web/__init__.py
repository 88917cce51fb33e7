"""Server-rendered pages (Jinja2 templates live in the top-level ``templates/``)."""

from smartoffice.web.pages import PAGE_ROUTES
from smartoffice.web.static import STATIC_ROUTES

__all__ = ["PAGE_ROUTES", "STATIC_ROUTES"]
