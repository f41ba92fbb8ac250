"""The code's structure is checked, not hoped (issue 12, item 4): the layers of the README's
Architecture (``lint-imports``, pyproject's ``[tool.importlinter]``), ruff's rule set, ``mypy
--strict`` on the rules and the planner, and no import inside a function in dfdg but one that says
why. ``scripts/test`` runs the checkers before the suite; these make the suite alone fail on a
violation too."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# What a function-level import's comment (on its line, or the comment or ``try:`` lines above it)
# must say: a cycle it breaks, a dependency that may be missing, or a load the CLI puts off.
GRUNDE = ("# cycle:", "# optional dependency", "# lazy:")


def _koer(*kommando: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(kommando, cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_every_layer_imports_only_those_below_it():
    done = _koer(str(Path(sys.executable).with_name("lint-imports")), "--no-logo", "--no-cache")
    assert done.returncode == 0, done.stdout + done.stderr


def test_ruff_finds_nothing():
    done = _koer(sys.executable, "-m", "ruff", "check", "--quiet")
    assert done.returncode == 0, done.stdout + done.stderr


def test_mypy_strict_finds_nothing_in_the_rules_and_the_planner():
    done = _koer(sys.executable, "-m", "mypy")  # what and how strictly: pyproject's [tool.mypy]
    assert done.returncode == 0, done.stdout + done.stderr


def _imports_i_funktioner(sti: Path) -> list[tuple[int, str]]:
    """(line, the comment lines it is read with) of each import inside a function of ``sti``."""
    linjer = sti.read_text(encoding="utf-8").splitlines()
    fundne = []

    def besoeg(node: ast.AST, i_funktion: bool) -> None:
        for barn in ast.iter_child_nodes(node):
            if isinstance(barn, (ast.Import, ast.ImportFrom)) and i_funktion:
                tekst = linjer[barn.lineno - 1:barn.end_lineno]
                over = barn.lineno - 2
                while over >= 0 and linjer[over].lstrip().startswith(("#", "from ", "import ", "try:")):
                    tekst.append(linjer[over])
                    over -= 1
                fundne.append((barn.lineno, "\n".join(tekst)))
            besoeg(barn, i_funktion or isinstance(barn, (ast.FunctionDef, ast.AsyncFunctionDef)))

    besoeg(ast.parse("\n".join(linjer)), False)
    return fundne


def test_an_import_inside_a_function_says_why():
    uden_grund = [
        f"{sti.relative_to(ROOT)}:{linje}"
        for sti in sorted((ROOT / "dfdg").rglob("*.py"))
        for linje, tekst in _imports_i_funktioner(sti)
        if not any(grund in tekst for grund in GRUNDE)
    ]
    assert not uden_grund, f"flyt dem til modulets top, eller skriv hvorfor ({', '.join(GRUNDE)}): {uden_grund}"
