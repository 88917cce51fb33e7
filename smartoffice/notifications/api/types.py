"""GraphQL types for a person's notifications and their preferences (the rules: ``notifications/service.py``)."""

import datetime as dt
from typing import Annotated, Self

import strawberry

from smartoffice.api.errors import NotFoundError, ValidationError
from smartoffice.api.pagination import PageInfo
from smartoffice.i18n import Language
from smartoffice.ids import encode_id
from smartoffice.notifications import models, service
from smartoffice.notifications.api.admin import NotificationKindType
from smartoffice.notifications.compose import describe
from smartoffice.notifications.models import NotificationKind

# GraphQL's NotificationKind is the domain's enum itself, registered once in api/admin.py (strawberry.enum() returns
# the class it registers): the administrators' queue and a person's list and preferences speak of the same kinds.
assert NotificationKindType is NotificationKind


@strawberry.type(description="One message to you, in the language you asked for (`Accept-Language`).")
class Notification:
    id: strawberry.ID = strawberry.field(description="A Notification id.")
    kind: NotificationKind
    title: str = strawberry.field(description="One line saying what happened.")
    lines: list[str] = strawberry.field(description="The details, one sentence each.")
    link: str = strawberry.field(
        description="Where to act on it: a path on this site (e.g. /my-bookings), to put after its address."
    )
    link_label: str = strawberry.field(description="What the link does, for a button.")
    created_at: dt.datetime
    read_at: dt.datetime | None = strawberry.field(description="When you read it; null while it is unread.")

    @classmethod
    def from_model(cls, notification: models.Notification, language: Language) -> Self:
        words = describe(notification.kind, notification.data, language)
        return cls(
            id=strawberry.ID(encode_id("Notification", notification.id)),
            kind=notification.kind,
            title=words.title,
            lines=list(words.lines),
            link=words.link,
            link_label=words.link_label,
            created_at=notification.created_at,
            read_at=notification.read_at,
        )


@strawberry.type
class NotificationEdge:
    cursor: str
    node: Notification


@strawberry.type(description="A page of your notifications, newest first.")
class NotificationConnection:
    edges: list[NotificationEdge]
    page_info: PageInfo


MyNotificationsResult = Annotated[
    NotificationConnection | ValidationError,
    strawberry.union(
        "MyNotificationsResult",
        description="A page of your notifications, or a ValidationError for a cursor this API did not issue "
        "(INVALID_CURSOR).",
    ),
]


@strawberry.input(description="Which of your notifications to mark as read: `ids`, or `all`.")
class MarkNotificationsReadInput:
    ids: list[strawberry.ID] | None = strawberry.field(
        default=None,
        description="Notification ids; ones already read, and ids that are not yours, are passed over.",
    )
    all: bool = strawberry.field(default=False, description="True: every unread notification of yours.")


@strawberry.type(description="The notifications are marked as read.")
class MarkNotificationsReadSuccess:
    marked: int = strawberry.field(description="How many were unread and are now read.")
    unread_count: int = strawberry.field(description="How many of yours are still unread.")


MarkNotificationsReadResult = Annotated[
    MarkNotificationsReadSuccess | ValidationError, strawberry.union("MarkNotificationsReadResult")
]


@strawberry.type(description="How one kind of notification reaches you.")
class NotificationKindPreference:
    kind: NotificationKind
    email: bool = strawberry.field(description="Sent by email (when you have an address).")
    in_app: bool = strawberry.field(description="Shown in the app, counted by the bell.")
    chosen: bool = strawberry.field(description="You chose these channels; false: they are the kind's defaults.")


@strawberry.type(
    description="Which notifications reach you and how, and when email may arrive (your local time: your home "
    "building's zone, else WITA)."
)
class NotificationPreferences:
    kinds: list[NotificationKindPreference] = strawberry.field(description="Every kind, each once.")
    quiet_from: dt.time | None = strawberry.field(
        description="Start of your quiet hours: no email arrives from then until `quietUntil` (it waits, it is not "
        "dropped). Null: no quiet hours."
    )
    quiet_until: dt.time | None = strawberry.field(
        description="End of your quiet hours; earlier than `quietFrom` means across midnight (21:00-06:00)."
    )
    daily_digest: bool = strawberry.field(
        description="Emails that can wait are gathered into one a day at `digestAt`; urgent ones still come at once."
    )
    digest_at: dt.time = strawberry.field(description="When the daily digest goes out.")

    @classmethod
    def from_preferences(cls, preferences: service.Preferences) -> Self:
        schedule = preferences.schedule
        return cls(
            kinds=[
                NotificationKindPreference(kind=c.kind, email=c.email, in_app=c.in_app, chosen=c.chosen)
                for c in preferences.kinds
            ],
            quiet_from=schedule.quiet_from,
            quiet_until=schedule.quiet_until,
            daily_digest=schedule.daily_digest,
            digest_at=schedule.digest_at,
        )


@strawberry.input(description="How one kind of notification should reach you.")
class NotificationKindPreferenceInput:
    kind: NotificationKind
    email: bool
    in_app: bool


@strawberry.input(description="When email may arrive, in your local time.")
class NotificationScheduleInput:
    quiet_from: dt.time | None = strawberry.field(
        default=None, description="Start of quiet hours, in whole minutes; give `quietUntil` too, or neither."
    )
    quiet_until: dt.time | None = strawberry.field(
        default=None, description="End of quiet hours; another time than `quietFrom`."
    )
    daily_digest: bool = strawberry.field(default=False, description="Gather the emails that can wait into one a day.")
    digest_at: dt.time = strawberry.field(
        default=service.DEFAULT_DIGEST_AT, description="When the daily digest goes out, in whole minutes."
    )


@strawberry.input(description="Change your notification preferences: all of it is saved, or nothing.")
class UpdateNotificationPreferencesInput:
    kinds: list[NotificationKindPreferenceInput] = strawberry.field(
        default_factory=list, description="The kinds to change, each at most once; the others stay as they are."
    )
    schedule: NotificationScheduleInput | None = strawberry.field(
        default=None, description="Your quiet hours and daily digest; omitted: unchanged."
    )


@strawberry.type(description="Your notification preferences are saved.")
class UpdateNotificationPreferencesSuccess:
    preferences: NotificationPreferences


UpdateNotificationPreferencesResult = Annotated[
    UpdateNotificationPreferencesSuccess | ValidationError | NotFoundError,
    strawberry.union("UpdateNotificationPreferencesResult"),
]
