"""dfdg.regler is pure: it imports the standard library and itself, nothing else of dfdg or any
third-party package (no SQL, no strawberry, no I/O), so every rule can be tested as here."""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import dfdg.regler

REGLER = Path(dfdg.regler.__file__).parent


def _importerede(fil: Path) -> set[str]:
    navne: set[str] = set()
    for node in ast.walk(ast.parse(fil.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            navne |= {a.name for a in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            navne.add(node.module)
    return navne


def test_the_rules_import_only_the_standard_library_and_each_other():
    filer = sorted(REGLER.glob("*.py"))
    assert len(filer) > 10
    for fil in filer:
        for navn in _importerede(fil):
            top = navn.split(".")[0]
            if top == "dfdg":
                assert navn == "dfdg.regler" or navn.startswith("dfdg.regler."), f"{fil.name} importerer {navn}"
            else:
                assert top in sys.stdlib_module_names or top == "__future__", f"{fil.name} importerer {navn}"
