"""The administration pages (``/admin/...``): people and their import, accounts, roles, the audit log.

Each page asks the service for what the visitor may see or do; the services' checks decide, as for GraphQL. The
routes are collected in ``ADMIN_ROUTES`` and mounted in the pages' router (smartoffice.web.pages).
"""

from litestar.types import ControllerRouterHandler

ADMIN_ROUTES: list[ControllerRouterHandler] = []
