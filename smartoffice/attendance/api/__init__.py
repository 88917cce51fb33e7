"""Attendance in the API: ``reportAttendance`` for attendance apps (``attendance:write``) and
``attendanceReconciliation``."""
