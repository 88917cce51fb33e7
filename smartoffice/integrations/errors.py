"""Why a webhook subscription is refused."""

from smartoffice.errors import InputCode, PermissionCode
from smartoffice.i18n import N_


class WebhookInputCode(InputCode):
    WEBHOOK_URL_NOT_ALLOWED = N_("A webhook URL must be https:// to a public host, without a user name or password")
    WEBHOOK_URL_INVALID = N_("This is not a valid webhook URL")
    WEBHOOK_IP_SPELLING = N_(
        "Write an IP address as four decimal numbers (such as 203.0.113.10) or in IPv6 notation, or use a host name"
    )
    WEBHOOK_ADDRESS_NOT_PUBLIC = N_(
        "Webhooks cannot be sent to a private, loopback, link-local or otherwise non-public address"
    )
    NO_EVENT_KINDS = N_("Choose at least one kind of booking event")
    TOO_MANY_WEBHOOKS = N_("You already have %(max)s webhook subscriptions: delete one first")


class WebhookPermissionCode(PermissionCode):
    NOT_YOUR_WEBHOOK = N_("Only its owner or an admin may manage this webhook subscription")
