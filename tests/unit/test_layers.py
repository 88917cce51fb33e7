"""The layers show in the code, and they keep to themselves (issue 9).

- The GraphQL layer (``smartoffice/api/``, ``smartoffice/<domain>/api/``) and the pages (``smartoffice/web/``)
  open no database session: services own their unit of work.
- Domain modules never import the schema layer.
- Domain errors become result-union members in one place (``smartoffice/api/errors.py``), not per resolver.
"""

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "smartoffice"


def _modules() -> list[Path]:
    return sorted(p for p in PACKAGE.rglob("*.py") if "migrations" not in p.parts)


def _is_edge(path: Path) -> bool:
    parts = path.relative_to(PACKAGE).parts
    return parts[0] in ("api", "web") or (len(parts) > 2 and parts[1] == "api")


def _is_domain(path: Path) -> bool:
    parts = path.relative_to(PACKAGE).parts
    return not _is_edge(path) and parts[0] not in ("app.py", "cli.py", "bench")


EDGE = [p for p in _modules() if _is_edge(p)]
DOMAIN = [p for p in _modules() if _is_domain(p)]


def _name(path: Path) -> str:
    return str(path.relative_to(PACKAGE.parent))


def test_the_layers_are_found() -> None:
    names = {_name(p) for p in EDGE}
    assert "smartoffice/bookings/api/mutations.py" in names
    assert "smartoffice/web/my_week.py" in names
    assert "smartoffice/bookings/service.py" in {_name(p) for p in DOMAIN}


@pytest.mark.parametrize("path", EDGE, ids=_name)
def test_edges_open_no_database_session(path: Path) -> None:
    """``db.read()`` / ``db.write()`` (or a session factory) belong to services, not resolvers or pages."""
    opened = [
        f"{_name(path)}:{node.lineno}"
        for node in ast.walk(ast.parse(path.read_text()))
        if isinstance(node, ast.Call)
        and isinstance(node.func, ast.Attribute)
        and node.func.attr in ("read", "write", "session", "sessionmaker")
        and isinstance(node.func.value, ast.Attribute | ast.Name)
        and (node.func.value.attr if isinstance(node.func.value, ast.Attribute) else node.func.value.id) == "db"
    ]
    assert opened == []


@pytest.mark.parametrize("path", DOMAIN, ids=_name)
def test_domain_modules_do_not_import_the_schema_layer(path: Path) -> None:
    imported = []
    for node in ast.walk(ast.parse(path.read_text())):
        modules = (
            [node.module or ""]
            if isinstance(node, ast.ImportFrom)
            else [a.name for a in node.names]
            if isinstance(node, ast.Import)
            else []
        )
        for module in modules:
            parts = module.split(".")
            if parts[0] == "smartoffice" and ("api" in parts or "web" in parts or parts[1:2] == ["app"]):
                imported.append(f"{_name(path)}:{node.lineno} {module}")
            if parts[0] == "strawberry":
                imported.append(f"{_name(path)}:{node.lineno} {module}")
    assert imported == []


@pytest.mark.parametrize("path", EDGE, ids=_name)
def test_resolvers_do_not_map_errors_by_hand(path: Path) -> None:
    """No ``except`` of a domain error in a resolver: resolvers raise, and the schema's one extension
    (``DomainErrorsAsResults`` in ``api/errors.py``) maps. (Pages may catch one to show it on the form's own page,
    through the one ``PageError`` of ``web/errors.py``.)"""
    if _name(path) == "smartoffice/api/errors.py" or path.relative_to(PACKAGE).parts[0] == "web":
        return
    source = path.read_text()
    caught = {"DomainError", "InvalidInput", "NotFound", "PermissionDenied", "PolicyRefusal", "BookingConflict"}
    by_hand = [
        f"{_name(path)}:{node.lineno}"
        for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.ExceptHandler) and isinstance(node.type, ast.Name) and node.type.id in caught
    ]
    assert by_hand == []
    assert "type: ignore[return-value]" not in source
