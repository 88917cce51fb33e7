"""The audit log in GraphQL: the ``auditLog`` connection."""
