"""Tests share helpers through ``tests/support/`` only: no module under ``tests/`` imports a test module or a conftest.

A helper defined in a ``test_*.py`` drags that module's tests and fixtures into every importer (pytest may even
collect them twice), and a conftest is pytest's to load, not ours: fixtures reach tests by name, helpers by import.
"""

import ast
from collections.abc import Iterator
from pathlib import Path

TESTS = Path(__file__).resolve().parents[1]


def is_forbidden(module: str) -> bool:
    """``tests.integration.test_checkin``, ``tests.web.conftest``, ``.conftest``: any part a test module or conftest."""
    return any(part.startswith("test_") or part == "conftest" for part in module.split(".") if part)


def imported_modules(tree: ast.AST) -> Iterator[tuple[int, str]]:
    """Every module an import names: ``from a import b`` names ``a``, and ``a.b`` too (``b`` may be a module)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name
        elif isinstance(node, ast.ImportFrom):
            base = "." * node.level + (node.module or "")
            yield node.lineno, base
            for alias in node.names:
                yield node.lineno, f"{base}.{alias.name}"


def forbidden_imports(source: str) -> list[str]:
    """``line N: module`` for each import statement that reaches into a test module or a conftest."""
    found: dict[int, str] = {}
    for line, module in imported_modules(ast.parse(source)):
        if is_forbidden(module):
            found.setdefault(line, module)
    return [f"line {line}: {module}" for line, module in sorted(found.items())]


def test_no_module_under_tests_imports_a_test_module_or_a_conftest() -> None:
    offenders = {
        str(path.relative_to(TESTS.parent)): found
        for path in sorted(TESTS.rglob("*.py"))
        if (found := forbidden_imports(path.read_text()))
    }
    assert offenders == {}, "move what they import to tests/support/"


def test_the_check_sees_every_form_of_import() -> None:
    source = """
import tests.integration.test_checkin
from tests.web.conftest import PageClient
from tests.web import test_floor_browser as floor_browser
from .conftest import operation
from tests.support.clock import Clock
from tests.factories import Factory
import pytest
"""
    assert forbidden_imports(source) == [
        "line 2: tests.integration.test_checkin",
        "line 3: tests.web.conftest",
        "line 4: tests.web.test_floor_browser",
        "line 5: .conftest",
    ]
