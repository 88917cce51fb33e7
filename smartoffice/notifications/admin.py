"""What administrators see of notifications: the email queue, failures with their reasons, and retrying them.

CONTRACT (helper H7 owns this file).
"""

from collections.abc import Callable
from datetime import datetime

from smartoffice.db import Database, utcnow


class NotificationAdminService:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock
