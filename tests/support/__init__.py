"""Helpers the tests share: import them from here, never from a ``test_*.py`` module or a conftest."""
