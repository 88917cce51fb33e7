"""Bookings: who holds which space when. The database is the arbiter; see ``models`` for the constraints."""
