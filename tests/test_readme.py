"""README stays true: every setting the code reads is documented in its configuration table."""

import os
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_every_setting_is_in_the_readme():
    read = set(re.findall(r'"(DFDG_[A-Z_]+)"', (ROOT / "dfdg" / "settings.py").read_text()))
    readme = (ROOT / "README.md").read_text()
    documented = set(re.findall(r"`(DFDG_[A-Z_]+)", readme))
    assert read - documented == set(), "settings missing from README's configuration table"


def test_readme_names_the_two_commands():
    readme = (ROOT / "README.md").read_text()
    assert "dfdg serve" in readme
    assert "```sh\nscripts/test\n```" in readme
    # CI runs exactly the README's test command, nothing before it
    ci = [linje for linje in (ROOT / ".ci" / "run").read_text().splitlines() if linje.strip() and not linje.startswith("#")]
    assert ci[-1] == "exec scripts/test" and all(not linje.startswith(("pip", "npm", "apt", ".venv")) for linje in ci)


def test_the_test_command_runs_the_whole_suite_on_two_workers():
    script = ROOT / "scripts" / "test"
    assert os.access(script, os.X_OK)
    assert script.read_text().rstrip().splitlines()[-1] == 'exec .venv/bin/python -m pytest -n 2 "$@"'
