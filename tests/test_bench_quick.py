"""The benchmark harness stays alive: ``python -m bench --quick`` seeds a small database, starts the
API and the hand-written floor, checks they answer the same data, counts statements, drives both
with load and prints the table (PostGraphile and the numbers are for the full run, see README)."""

from __future__ import annotations

import os
import subprocess
import sys

from tests.conftest import ROOT, _server_url


def test_bench_quick_runs_and_the_answers_match():
    server = _server_url()
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    r = subprocess.run(
        [sys.executable, "-m", "bench", "--quick", "--server", server],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=240,
    )
    assert r.returncode == 0, r.stdout + r.stderr
    tabel = r.stdout
    for raekke in ("(a) 500 citizens", "(b) one citizen by CPR", "(c) fravaerOpret", "dfdg (planned reads)", "hand-written floor"):
        assert raekke in tabel, tabel
    # statements per request as counted on the wire: the list is page + absences + summons, + the
    # access log's one insert (issue #4); the floor does the same
    liste = next(line for line in tabel.splitlines() if line.startswith("| (a)") and "dfdg (planned" in line)
    assert liste.split("|")[6].strip() == "4", liste
    gulv = next(line for line in tabel.splitlines() if line.startswith("| (a)") and "floor" in line)
    assert gulv.split("|")[6].strip() == "4", gulv
