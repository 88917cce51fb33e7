"""Importing sites, buildings, floors, zones, desks and meeting rooms from one CSV or XLSX file, a row per space:
read (:mod:`.reader`), plan (:mod:`.plan`, compare with the database), apply (:mod:`.apply`, one transaction),
:mod:`.service` (``runtime.places_import``) and :mod:`.cli` (``smartoffice places import FILE [--dry-run]``)."""
