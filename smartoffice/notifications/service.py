"""A person's notifications: the bell's count, the list, marking read, and their preferences.

CONTRACT (helper H6 owns this file).
"""

from collections.abc import Callable
from datetime import datetime

from smartoffice.db import Database, utcnow


class NotificationService:
    def __init__(self, db: Database, clock: Callable[[], datetime] = utcnow) -> None:
        self.db = db
        self.clock = clock
