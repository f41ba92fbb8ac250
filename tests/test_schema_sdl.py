"""The committed SDL (schema.graphql) is what integrators diff: it must match the code."""

from pathlib import Path

from dfdg.schema import schema

SDL = Path(__file__).resolve().parent.parent / "schema.graphql"


def test_committed_sdl_matches_schema():
    assert SDL.read_text(encoding="utf-8") == schema.as_str() + "\n", (
        "schema.graphql er ikke opdateret: kør 'dfdg export-schema' og commit filen"
    )
