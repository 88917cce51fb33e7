"""Personal data under UU 27/2022 (Pelindungan Data Pribadi): what a person may download, and how long bookings,
plans and attendance are kept (see :mod:`~smartoffice.privacy.retention`)."""
