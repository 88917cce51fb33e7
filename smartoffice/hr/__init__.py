"""Performance ratings (SKP predikat kinerja) and discipline cases loaded from an HR system (SIASN, e-Kinerja).

A file (CSV or XLSX, :mod:`.reader`) or a list of items (GraphQL, :mod:`.api`) becomes records (:mod:`.records`),
is compared with the database (:mod:`.plan`) and written in one transaction with its audit entries
(:mod:`.apply`), by :class:`~smartoffice.hr.service.HrRecordsService`: everything or, with any bad row, nothing.
The policy engine reads what is written (``policies/facts.py``): the latest period's rating and the open cases.
"""
