"""Reading your notifications: ``myNotifications``, ``unreadNotificationCount`` and ``notificationPreferences``.

Only ever the caller's own. App tokens need bookings:read to read notifications (most are about bookings, and an
app that shows bookings shows their news); preferences are for the person themself, signed in, as presence
sharing is (``setPresenceSharing``)."""

import strawberry

from smartoffice.api.context import Info
from smartoffice.api.pagination import PageInfo
from smartoffice.db import MAX_PAGE_SIZE
from smartoffice.identity.scopes import Scope
from smartoffice.notifications.api.types import (
    MyNotificationsResult,
    Notification,
    NotificationConnection,
    NotificationEdge,
    NotificationPreferences,
)


@strawberry.type
class NotificationsQuery:
    @strawberry.field(
        description="Your notifications in the app, newest first, in the language you asked for. `first` is capped "
        f"at {MAX_PAGE_SIZE}; pass `pageInfo.endCursor` as `after` for the next page. `unreadOnly`: only those not "
        "yet read. Tokens need bookings:read."
    )
    async def my_notifications(
        self, info: Info, first: int = 20, after: str | None = None, unread_only: bool = False
    ) -> MyNotificationsResult:
        viewer = info.context.require_viewer()
        info.context.require_scope(Scope.BOOKINGS_READ)
        page = await info.context.runtime.notifications.page(viewer, unread_only=unread_only, first=first, after=after)
        language = info.context.language
        edges = [
            NotificationEdge(cursor=page.cursor(n), node=Notification.from_model(n, language))
            for n in page.notifications
        ]
        return NotificationConnection(
            edges=edges,
            page_info=PageInfo(has_next_page=page.has_next, end_cursor=edges[-1].cursor if edges else None),
        )

    @strawberry.field(description="How many of your notifications are unread (the bell). Tokens need bookings:read.")
    async def unread_notification_count(self, info: Info) -> int:
        viewer = info.context.require_viewer()
        info.context.require_scope(Scope.BOOKINGS_READ)
        return await info.context.runtime.notifications.unread_count(viewer)

    @strawberry.field(
        description="Which notifications reach you, in the app and by email, and when email may arrive. Signed-in "
        "people only, not app tokens."
    )
    async def notification_preferences(self, info: Info) -> NotificationPreferences:
        viewer = info.context.require_session()
        preferences = await info.context.runtime.notifications.preferences(viewer)
        return NotificationPreferences.from_preferences(preferences)
