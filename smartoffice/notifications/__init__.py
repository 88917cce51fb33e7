"""Notifications people act on: email and the in-app list (the bell), sent once, in the person's language.

How a notification comes to be and goes out (the README's "Notifications" section says the same for operators):

1. **Produced in the change's transaction.** A booking change writes its row to the outbox (``booking_events``,
   :mod:`smartoffice.integrations.events`); the ``notify_booking_events`` job turns each committed event into
   notifications (:mod:`smartoffice.notifications.booking_events`), claiming events with ``SKIP LOCKED`` and a
   ``notified_at`` cursor, as webhooks do with ``dispatched_at``. Changes that are not bookings (exemptions) call
   :func:`smartoffice.notifications.produce.notify` in their own transaction. Scheduled ones (the check-in
   reminder, the Friday reminder, the unit heads' digest) are made by jobs. Every notification has a dedupe key,
   unique per recipient: producing it twice, in two processes at once, makes one.
2. **Preferences decide at production.** Per person, kind and channel (:class:`NotificationPreference`, defaults
   in :mod:`smartoffice.notifications.kinds`); a kind off on both channels makes no row.
3. **In-app** is the row itself (``in_app``), read on ``/notifications`` and counted by the bell.
4. **Email** is the row's ``email_*`` columns: due at ``email_due_at`` (after the person's quiet hours, or at their
   daily digest hour), claimed with a lease by the ``send_notification_emails`` job in any process, sent over SMTP
   (:mod:`smartoffice.notifications.mailer`), retried with backoff, finally ``failed`` with the reason (the admins'
   ``/admin/notifications``). Several due to one person go as one digest.
"""
