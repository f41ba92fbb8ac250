"""SQL lives in dfdg/db and dfdg/loaders: the mutation bodies (dfdg/resolvers) and the GraphQL
surface (dfdg/schema) call functions there and build no statement themselves."""

from __future__ import annotations

import ast
from pathlib import Path

import dfdg

PAKKE = Path(dfdg.__file__).parent


def _importerede(fil: Path) -> set[str]:
    navne: set[str] = set()
    for node in ast.walk(ast.parse(fil.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            navne |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            navne.add(node.module)
    return navne


def test_resolvers_and_schema_import_no_sql_library():
    filer = sorted((PAKKE / "resolvers").rglob("*.py")) + sorted((PAKKE / "schema").rglob("*.py"))
    assert len(filer) > 20
    for fil in filer:
        for navn in _importerede(fil):
            assert navn.split(".")[0] not in ("sqlalchemy", "sqlmodel", "asyncpg"), \
                f"{fil.relative_to(PAKKE)} importerer {navn}"
