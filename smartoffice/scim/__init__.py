"""SCIM 2.0 provisioning (RFC 7643/7644) at ``/scim/v2``: an identity provider creates, changes and deprovisions
accounts and groups; the people themselves come from the HR import (``smartoffice.people.imports``)."""
