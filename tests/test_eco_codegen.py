"""A typed client (issue 13, item 7): GraphQL Code Generator, as a frontend team runs it, over
``schema.graphql`` and the README's example documents (its ```graphql blocks), and ``tsc --strict``
over the generated types and a little code that reads the documents' results. A schema change that
breaks a documented query fails here: a field that leaves the schema fails the generator, and a
field whose type changes under the code that reads it fails the compile."""

from __future__ import annotations

import json
import re
import subprocess
from pathlib import Path

import pytest

from tests.eco_support import NODE_DIR, ROOT, node_modules

SCHEMA = ROOT / "schema.graphql"
README = ROOT / "README.md"

# What a frontend does with the README's documents: read fields of their results.
BRUG = """\
import type { BeskederSubscription, OverblikQuery } from './typer';

export function navne(svar: OverblikQuery): string[] {
  return svar.borgere.edges.map((kant) => kant.node.navn);
}

export function jobcentre(svar: OverblikQuery): (string | undefined)[] {
  return svar.borgere.edges.map((kant) => kant.node.jobcenter?.nummer);
}

export function naesteSide(svar: OverblikQuery): string | null {
  return svar.borgere.pageInfo.hasNextPage ? svar.borgere.pageInfo.endCursor : null;
}

export function moedeformerMedValg(svar: OverblikQuery): number[] {
  return svar.kodelister.moedeformer.filter((m) => !m.udgaaet).map((m) => m.id);
}

export function fravaersperioder(svar: OverblikQuery): string[] {
  return svar.borgere.edges.flatMap((kant) => kant.node.fravaer.map((f) => `${f.fra}–${f.til ?? ''}`));
}

export function loebenummer(besked: BeskederSubscription): number {
  return besked.webservicebeskeder.loebenummer;
}
"""

TSCONFIG = {
    "compilerOptions": {
        "strict": True, "noEmit": True, "target": "es2022", "module": "esnext", "moduleResolution": "bundler",
        "types": [], "lib": ["es2022"], "skipLibCheck": True, "noUnusedLocals": True,
    },
    "files": ["typer.ts", "brug.ts"],
}


def readme_dokumenter() -> list[str]:
    return re.findall(r"```graphql\n(.*?)```", README.read_text(encoding="utf-8"), re.S)


def _codegen(jobs: dict[str, Path], mappe: Path) -> dict[str, dict]:
    """Run the generator once (one node process) per named schema; name -> {"ok", "error", "out"}."""
    node_modules()
    dokumenter = []
    for i, tekst in enumerate(readme_dokumenter()):
        sti = mappe / f"readme-{i}.graphql"
        sti.write_text(tekst, encoding="utf-8")
        dokumenter.append(str(sti))
    opgaver = []
    for navn, schema in jobs.items():
        (mappe / navn).mkdir()
        opgaver.append({"schema": str(schema), "documents": dokumenter, "out": str(mappe / navn / "typer.ts")})
    (mappe / "jobs.json").write_text(json.dumps(opgaver), encoding="utf-8")
    done = subprocess.run(["node", str(NODE_DIR / "codegen.mjs"), str(mappe / "jobs.json")],
                          cwd=NODE_DIR, capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr + done.stdout
    svar = {json.loads(linje)["out"]: json.loads(linje) for linje in done.stdout.splitlines() if linje.startswith("{")}
    return {navn: svar[str(mappe / navn / "typer.ts")] for navn in jobs}


def _tsc(mappe: Path) -> subprocess.CompletedProcess:
    (mappe / "brug.ts").write_text(BRUG, encoding="utf-8")
    (mappe / "tsconfig.json").write_text(json.dumps(TSCONFIG), encoding="utf-8")
    return subprocess.run(["node", str(NODE_DIR / "node_modules" / "typescript" / "bin" / "tsc"), "-p", str(mappe)],
                          cwd=mappe, capture_output=True, text=True, timeout=180)


def _borger(schema: str, gammel: str, ny: str) -> str:
    """``schema`` with one line of the type Borger replaced (or removed)."""
    start = schema.index("\ntype Borger implements Node")
    slut = schema.index("\n}\n", start)
    blok = schema[start:slut]
    assert f"\n  {gammel}\n" in blok, gammel
    return schema[:start] + blok.replace(f"\n  {gammel}\n", f"\n  {ny}\n" if ny else "\n", 1) + schema[slut:]


def test_the_readme_has_named_example_documents():
    dokumenter = readme_dokumenter()
    assert any(d.lstrip().startswith("query Overblik") for d in dokumenter), dokumenter
    # codegen names each operation's types after it: an anonymous one has none to import
    assert all(re.match(r"\s*(query|mutation|subscription) [A-Za-z_]", d) for d in dokumenter), dokumenter


@pytest.fixture(scope="module")
def genereret(tmp_path_factory) -> tuple[Path, dict[str, dict]]:
    """The generator over schema.graphql, and over two changed copies: Borger.navn removed, and
    Borger.navn nullable."""
    mappe = tmp_path_factory.mktemp("codegen")
    sdl = SCHEMA.read_text(encoding="utf-8")
    (mappe / "uden-navn.graphql").write_text(_borger(sdl, "navn: String!", ""), encoding="utf-8")
    (mappe / "nullbart-navn.graphql").write_text(_borger(sdl, "navn: String!", "navn: String"), encoding="utf-8")
    return mappe, _codegen({"schema": SCHEMA, "uden_navn": mappe / "uden-navn.graphql",
                            "nullbart_navn": mappe / "nullbart-navn.graphql"}, mappe)


def test_the_readme_s_documents_give_types_that_compile(genereret):
    mappe, svar = genereret
    assert svar["schema"]["ok"], svar["schema"]["error"]
    typer = (mappe / "schema" / "typer.ts").read_text(encoding="utf-8")
    assert "export type OverblikQuery = " in typer and "export type BeskederSubscription = " in typer
    compiled = _tsc(mappe / "schema")
    assert compiled.returncode == 0, compiled.stdout + compiled.stderr


def test_a_documented_field_that_leaves_the_schema_fails_the_generator(genereret):
    _, svar = genereret
    assert not svar["uden_navn"]["ok"]
    assert re.search(r"Cannot query field .navn. on type .Borger.", svar["uden_navn"]["error"]), svar["uden_navn"]


def test_a_documented_field_whose_type_changes_fails_the_compile(genereret):
    """``navn`` becomes nullable: the types still generate, but the code that reads it no longer compiles."""
    mappe, svar = genereret
    assert svar["nullbart_navn"]["ok"], svar["nullbart_navn"]["error"]
    compiled = _tsc(mappe / "nullbart_navn")
    assert compiled.returncode != 0, compiled.stdout
    assert "brug.ts" in compiled.stdout and "null" in compiled.stdout, compiled.stdout


@pytest.mark.parametrize("dokument", readme_dokumenter(), ids=lambda d: d.split()[1])
def test_each_readme_document_validates_against_the_served_schema(dokument):
    """The same documents against the schema the API serves (not only the committed SDL file)."""
    from graphql import parse, validate

    from dfdg.schema import schema

    assert validate(schema._schema, parse(dokument)) == []
