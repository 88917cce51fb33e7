"""The administration pages (``/admin/...``): people and their import, accounts, roles, the audit log.

Each page asks the service for what the visitor may see or do; the services' checks decide, as for GraphQL. The
routes are collected in ``ADMIN_ROUTES`` and mounted in the pages' router (smartoffice.web.pages).
"""

from litestar.types import ControllerRouterHandler

from smartoffice.web.admin.accounts import ACCOUNT_ROUTES
from smartoffice.web.admin.attendance import ATTENDANCE_ROUTES
from smartoffice.web.admin.attendance_reconciliation import RECONCILIATION_ROUTES
from smartoffice.web.admin.audit import admin_audit, admin_audit_csv
from smartoffice.web.admin.closures import CLOSURE_ROUTES
from smartoffice.web.admin.floor_plan import FLOOR_PLAN_ROUTES
from smartoffice.web.admin.floor_plan_desks import FLOOR_PLAN_DESK_ROUTES
from smartoffice.web.admin.hr_records import HR_RECORDS_ROUTES
from smartoffice.web.admin.notifications import NOTIFICATION_ADMIN_ROUTES
from smartoffice.web.admin.overview import admin_overview
from smartoffice.web.admin.people_import import PEOPLE_IMPORT_ROUTES
from smartoffice.web.admin.places import PLACES_ROUTES
from smartoffice.web.admin.policies import POLICY_ROUTES
from smartoffice.web.admin.quotas import QUOTA_ROUTES
from smartoffice.web.admin.roles import admin_roles, confirm_revoke, grant_role, revoke_role
from smartoffice.web.admin.rules import RULE_ROUTES

ADMIN_ROUTES: list[ControllerRouterHandler] = [
    admin_overview,
    admin_roles,
    grant_role,
    confirm_revoke,
    revoke_role,
    admin_audit,
    admin_audit_csv,
    *PEOPLE_IMPORT_ROUTES,
    *HR_RECORDS_ROUTES,
    *RECONCILIATION_ROUTES,
    *ATTENDANCE_ROUTES,
    *ACCOUNT_ROUTES,
    *PLACES_ROUTES,
    *QUOTA_ROUTES,
    *FLOOR_PLAN_ROUTES,
    *FLOOR_PLAN_DESK_ROUTES,
    *CLOSURE_ROUTES,
    *RULE_ROUTES,
    *POLICY_ROUTES,
    *NOTIFICATION_ADMIN_ROUTES,
]
