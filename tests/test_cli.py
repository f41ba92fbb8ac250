"""The dfdg command, run as a user runs it (a subprocess)."""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import replace
from pathlib import Path

import pytest

from dfdg.http.tokens import verify_token
from dfdg.regler.aktoer import Rolle
from dfdg.settings import Settings

ROOT = Path(__file__).resolve().parent.parent
SECRET = "cli-test-secret-of-at-least-thirty-two-bytes"
KOMMANDOER = ["serve", "workers", "migrate", "seed", "export-schema", "token"]


def dfdg(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DFDG_")}
    env.update(DFDG_JWT_SECRET=SECRET, PYTHONPATH=str(ROOT))
    return subprocess.run([sys.executable, "-m", "dfdg.cli", *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, timeout=60)


def test_help_lists_every_command():
    result = dfdg("--help")
    assert result.returncode == 0, result.stderr
    for kommando in KOMMANDOER:
        assert kommando in result.stdout


@pytest.mark.parametrize("kommando", KOMMANDOER)
def test_every_command_has_help(kommando):
    result = dfdg(kommando, "--help")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"usage: dfdg {kommando}")


def _settings() -> Settings:
    return replace(Settings(), jwt_secret=SECRET)


def test_token_for_a_citizen_is_alone_on_the_last_line_and_verifies():
    result = dfdg("token", "--role", "borger", "--cpr", "0101901234")
    assert result.returncode == 0, result.stderr
    token = result.stdout.strip().splitlines()[-1]
    assert " " not in token
    actor = verify_token(_settings(), token)
    assert (actor.rolle, actor.cpr) == (Rolle.BORGER, "0101901234")


def test_token_for_a_jobcentre_carries_its_number():
    result = dfdg("token", "--role", "jobcenter", "--myndighed", "10100", "--ttl", "60")
    assert result.returncode == 0, result.stderr
    actor = verify_token(_settings(), result.stdout.strip().splitlines()[-1])
    assert (actor.rolle, actor.myndighed, actor.myndighedskode) == (Rolle.JOBCENTER, "10100", "101")


@pytest.mark.parametrize("args", [
    ["token", "--role", "jobcenter"],                    # no --myndighed
    ["token", "--role", "borger"],                       # no --cpr
    ["token", "--role", "borger", "--cpr", "3202901234"],  # day 32
    ["token", "--role", "admin", "--myndighed", "1"],    # no such role
])
def test_token_refuses_incomplete_or_malformed_actors(args):
    result = dfdg(*args)
    assert result.returncode == 2
    assert result.stdout == ""


def test_export_schema_to_stdout_is_the_committed_sdl():
    result = dfdg("export-schema", "-o", "-")
    assert result.returncode == 0, result.stderr
    assert result.stdout == (ROOT / "schema.graphql").read_text(encoding="utf-8")


def test_export_schema_to_a_file(tmp_path):
    target = tmp_path / "skema.graphql"
    result = dfdg("export-schema", "--output", str(target))
    assert result.returncode == 0, result.stderr
    assert target.read_text(encoding="utf-8") == (ROOT / "schema.graphql").read_text(encoding="utf-8")
