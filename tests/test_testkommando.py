"""The README's test command (issue 13, item 1): ``scripts/test`` sets up a fresh machine and runs
the suite; what it cannot install it names at once, and a test that finds the Node packages or
Chromium missing fails at once saying what to run, instead of installing mid-run or timing out."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests import eco_support
from tests.eco_support import ROOT


def test_without_root_a_missing_chromium_stops_the_command_at_once_saying_what_to_install(tmp_path):
    falsk = tmp_path / "bin"
    falsk.mkdir()
    (falsk / "id").write_text("#!/bin/sh\necho 1000\n")  # not root: nothing may be installed
    (falsk / "id").chmod(0o755)
    env = {**os.environ, "PATH": f"{falsk}:{os.environ['PATH']}", "DFDG_TEST_CHROMIUM": str(tmp_path / "chromium")}
    done = subprocess.run([str(ROOT / "scripts" / "test")], env=env, capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)
    assert done.returncode == 1, done.stdout + done.stderr
    assert "mangler chromium" in done.stderr and "apt-get install -y chromium" in done.stderr, done.stderr
    assert "pytest" not in done.stdout  # it stopped before the tests


def test_a_missing_node_install_fails_the_test_with_the_command_to_run(tmp_path, monkeypatch):
    (tmp_path / "package-lock.json").write_text("{}")
    monkeypatch.setattr(eco_support, "NODE_DIR", tmp_path)
    with pytest.raises(pytest.fail.Exception, match="scripts/test"):
        eco_support.node_modules()
    # installed, but from an older lock file: stale, the same
    (tmp_path / "node_modules").mkdir()
    (tmp_path / "node_modules" / ".package-lock.json").write_text("{}")
    os.utime(tmp_path / "node_modules" / ".package-lock.json", (1_000_000_000, 1_000_000_000))
    with pytest.raises(pytest.fail.Exception, match=r"ældre end package-lock\.json"):
        eco_support.node_modules()
    os.utime(tmp_path / "node_modules" / ".package-lock.json")
    assert eco_support.node_modules() == tmp_path / "node_modules"


@pytest.mark.parametrize("chromium", ["findes-ikke", "fejler"])
def test_a_missing_or_broken_chromium_fails_at_once_saying_what_to_install(tmp_path, monkeypatch, chromium):
    sti = tmp_path / "chromium"
    if chromium == "fejler":
        sti.write_text("#!/bin/sh\necho 'error while loading shared libraries' >&2\nexit 127\n")
        sti.chmod(0o755)
    monkeypatch.setattr(eco_support, "CHROMIUM", sti)
    monkeypatch.setattr(eco_support, "_chromium_ok", None)
    with pytest.raises(pytest.fail.Exception, match="apt-get install -y chromium") as fejl:
        eco_support.require_chromium()
    assert ("findes ikke" if chromium == "findes-ikke" else "gav 127") in str(fejl.value)
