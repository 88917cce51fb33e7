"""Why a role cannot be granted or revoked (``grantRole`` / ``revokeRole``)."""

from smartoffice.errors import InputCode, PermissionCode
from smartoffice.i18n import N_


class RoleInputCode(InputCode):
    GRANTEE_INACTIVE = N_("This person has left: roles can only be given to active employees")
    SCOPE_REQUIRED = N_("This role needs a scope: a site, a unit or a meeting room")
    SCOPE_NOT_ALLOWED = N_("The administrator role has no scope")
    ROLE_NOT_HELD = N_("This person does not hold that role")
    ROLE_BY_POSITION = N_("This person is unit manager by position (head of the unit): it cannot be revoked")
    LAST_ADMIN = N_("The last administrator cannot be removed")
    ROLE_FROM_IDENTITY_PROVIDER = N_(
        "This role comes from the person's groups at the identity provider and is managed there: remove them from "
        "the group"
    )


class RolePermissionCode(PermissionCode):
    ONLY_ADMINS_GRANT_ADMIN = N_("Only administrators may grant or revoke the administrator role")
    NOT_YOUR_SCOPE = N_("You may grant or revoke this role only within the units, sites or rooms you manage")
