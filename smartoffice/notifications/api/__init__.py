"""A person's notifications in the GraphQL API (administrators' view of the email queue: ``api/admin.py``)."""
