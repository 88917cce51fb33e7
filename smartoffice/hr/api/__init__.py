"""HR records in the API: ``importPerformanceRatings`` and ``importDisciplineCases`` for apps with ``hr:write``."""
