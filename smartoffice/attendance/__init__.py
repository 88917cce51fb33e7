"""Attendance from the presensi (e-presensi) system: what people did on past days, as the attendance source reports
it, loaded from a file (:mod:`.reader`) or by apps over GraphQL (``reportAttendance``), and reconciled against the
desk bookings (:mod:`.reconcile`).

A report sets ``WorkDay.actual`` (:class:`~smartoffice.policies.models.WorkDay`): the fact the policy engine reads
to tell a day worked in the office, remote, on leave, on duty travel or absent from a day with no data.
"""
