"""README stays true: every setting the code reads is documented in its configuration table."""

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
    assert ".venv/bin/python -m pytest -n 2" in readme
    assert ".venv/bin/python -m pytest -n 2" in (ROOT / ".ci" / "run").read_text()
