"""Changing your notifications: ``markNotificationsRead`` and ``updateNotificationPreferences``.

Only ever the caller's own: marking read passes over ids that are not theirs. App tokens need bookings:write:self
to mark read; preferences are for the person themself, signed in (``queries.py`` says why)."""

import strawberry

from smartoffice.api.context import Info
from smartoffice.errors import InvalidInput
from smartoffice.identity.scopes import Scope
from smartoffice.ids import decode_id
from smartoffice.notifications.api.types import (
    MarkNotificationsReadInput,
    MarkNotificationsReadResult,
    MarkNotificationsReadSuccess,
    NotificationPreferences,
    UpdateNotificationPreferencesInput,
    UpdateNotificationPreferencesResult,
    UpdateNotificationPreferencesSuccess,
)
from smartoffice.notifications.errors import NotificationInputCode
from smartoffice.notifications.models import NotificationKind
from smartoffice.notifications.produce import Channels
from smartoffice.notifications.service import Schedule


@strawberry.type
class NotificationsMutation:
    @strawberry.mutation(
        description="Mark notifications of yours as read: those in `ids`, or with `all: true` every one "
        "(NOTHING_TO_MARK when neither is given). Marking one already read changes nothing. Tokens need "
        "bookings:write:self."
    )
    async def mark_notifications_read(
        self, info: Info, input: MarkNotificationsReadInput
    ) -> MarkNotificationsReadResult:
        viewer = info.context.require_viewer()
        info.context.require_scope(Scope.BOOKINGS_WRITE_SELF)
        if not input.all and input.ids is None:
            raise InvalidInput("ids", NotificationInputCode.NOTHING_TO_MARK)
        ids = None if input.all else [decode_id(i, "Notification", "ids") for i in input.ids or ()]
        service = info.context.runtime.notifications
        marked = await service.mark_read(viewer, ids)
        return MarkNotificationsReadSuccess(marked=marked, unread_count=await service.unread_count(viewer))

    @strawberry.mutation(
        description="Choose how kinds of notification reach you and when email may arrive. Validated as a whole: "
        "quiet hours need both ends (QUIET_HOURS_INCOMPLETE) at different times (QUIET_HOURS_EMPTY), times are "
        "whole minutes (NOT_WHOLE_MINUTE), each kind once (NOTIFICATION_KIND_TWICE); on any of these nothing is "
        "saved. A kind off in both channels is not made at all. Signed-in people only, not app tokens."
    )
    async def update_notification_preferences(
        self, info: Info, input: UpdateNotificationPreferencesInput
    ) -> UpdateNotificationPreferencesResult:
        viewer = info.context.require_session()
        changes: dict[NotificationKind, Channels] = {}
        for choice in input.kinds:
            kind = choice.kind
            if kind in changes:
                raise InvalidInput("kinds", NotificationInputCode.NOTIFICATION_KIND_TWICE)
            changes[kind] = Channels(email=choice.email, in_app=choice.in_app)
        schedule = None
        if input.schedule is not None:
            given = input.schedule
            schedule = Schedule(given.quiet_from, given.quiet_until, given.daily_digest, given.digest_at)
        saved = await info.context.runtime.notifications.save_preferences(viewer, changes, schedule)
        return UpdateNotificationPreferencesSuccess(preferences=NotificationPreferences.from_preferences(saved))
