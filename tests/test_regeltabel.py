"""README's table 'Regler → mutation → fejlkode' agrees with the code list and the schema."""

import re
import string
from pathlib import Path

from dfdg.regler import fejlkoder as k
from dfdg.regler.fejlkoder import FEJLKODER
from tests import factories as f

README = Path(__file__).resolve().parent.parent / "README.md"
OVERSKRIFT = "## Regler → mutation → fejlkode"

# The rules of RULES.md that constrain a write: each must have a row.
SKRIVEREGLER = {
    "R1.1-a", "R1.1-b", "R1.1-c", "R1.1-d", "R1.1-e", "R1.1-f", "R1.1-g", "R1.1-h",
    "R1.2-a", "R1.3-a", "R2.1-a", "R2.1-b", "R2.2-a", "R3.1-a", "R4.1-a", "R4.2-a", "R6.1-a", "R6.2-a",
}
# The meeting half of the mutations is built on its own branch; once it is merged these names are
# in the schema and this set can be emptied (the test then holds every name to the schema).


def regeltabel() -> dict[str, tuple[list[str], list[int]]]:
    """rule id -> (mutation names, error codes), parsed from README."""
    tekst = README.read_text(encoding="utf-8")
    assert OVERSKRIFT in tekst, f"README mangler afsnittet '{OVERSKRIFT}'"
    afsnit = tekst.split(OVERSKRIFT, 1)[1].split("\n## ", 1)[0]
    raekker: dict[str, tuple[list[str], list[int]]] = {}
    for linje in afsnit.splitlines():
        celler = [c.strip() for c in linje.strip().strip("|").split("|")]
        if not linje.startswith("|") or len(celler) != 3 or not re.fullmatch(r"R\d+\.\d+-[a-z]", celler[0]):
            continue
        assert celler[0] not in raekker, f"{celler[0]} står to gange"
        raekker[celler[0]] = (re.findall(r"`([A-Za-z]+)`", celler[1]), [int(c) for c in re.findall(r"\b6\d{4}\b", celler[2])])
    return raekker


def test_every_write_rule_has_a_row_with_mutations():
    tabel = regeltabel()
    assert set(tabel) == SKRIVEREGLER
    for regel, (mutationer, _) in tabel.items():
        assert mutationer, f"{regel} nævner ingen mutation"


def test_every_code_in_the_table_exists_with_that_rule():
    for regel, (_, koder) in regeltabel().items():
        for kode in koder:
            assert kode in FEJLKODER, f"{regel}: fejlkode {kode} findes ikke i fejlkoder.py"
            assert FEJLKODER[kode].regel in (None, regel), f"{kode} hører til {FEJLKODER[kode].regel}, ikke {regel}"


def test_every_code_with_a_rule_is_in_that_rules_row():
    tabel = regeltabel()
    for kode in FEJLKODER.values():
        if kode.regel is not None:
            assert kode.regel in tabel, f"{kode.kode} ({kode.regel}) mangler en række i README"
            assert kode.kode in tabel[kode.regel][1], f"{kode.kode} mangler i README's række for {kode.regel}"


async def test_every_mutation_in_the_table_is_in_the_schema(api):
    data = await api.data('{ __type(name: "Mutation") { fields(includeDeprecated: true) { name } } }', token=api.token("jobcenter", myndighed="10100"))
    felter = {felt["name"] for felt in data["__type"]["fields"]}
    assert {"fravaerSlet", "kontaktpersonOpdater", "webservicebeskederKvitter"} <= felter
    for regel, (navne, _) in regeltabel().items():
        for navn in navne:
            assert navn in felter, f"{regel}: mutationen {navn} findes ikke i skemaet"


async def test_the_tables_codes_are_listed_by_kodelister_over_http(api):
    data = await api.data("{ kodelister { fejlkoder { kode navn besked regel } } }", token=api.token("jobcenter", myndighed="10100"))
    listed = {fk["kode"]: fk for fk in data["kodelister"]["fejlkoder"]}
    assert set(listed) == set(FEJLKODER)
    for regel, (_, koder) in regeltabel().items():
        for kode in koder:
            assert kode in listed, kode
            assert listed[kode]["regel"] == FEJLKODER[kode].regel, kode
            if FEJLKODER[kode].regel is not None:
                assert listed[kode]["regel"] == regel
    assert listed[60018]["besked"] == "FagprofessionelKontaktId tilhører en anden myndighed"


async def test_every_code_listed_has_a_real_danish_description(api, engine):
    """No code in ``kodelister { fejlkoder }`` is a bare placeholder such as '{besked}': without its
    placeholders each template still says in words what went wrong; and the concrete message of
    such a code starts with that description."""
    data = await api.data("{ kodelister { fejlkoder { kode besked } } }", token=api.token("jobcenter", myndighed="10100"))
    for fk in data["kodelister"]["fejlkoder"]:
        ord_ = re.findall(r"[A-Za-zÆØÅæøå]{2,}", re.sub(r"\{[^}]*\}", "", fk["besked"]))
        assert len(ord_) >= 2, f"{fk['kode']} har ingen beskrivelse: {fk['besked']!r}"
    jc = await f.jobcenter(engine)
    bad = await api.data(
        "mutation($i: FravaerOpretInput!) { fravaerOpret(input: $i) { fejl { kode besked felt } } }",
        {"i": {"cpr": "12345", "fravaerstypeId": 10, "fra": "2026-07-01"}}, token=api.jobcenter(jc["nummer"]),
    )
    assert bad["fravaerOpret"]["fejl"] == [{
        "kode": 61004, "besked": "Ugyldigt CPR-nummer: CPR-nummer skal være 10 cifre (DDMMÅÅ + 4 cifre)", "felt": "input.cpr",
    }]


def test_every_message_template_formats():
    """Each template fills with its own placeholders (a {kode} placeholder once collided with
    fejl()'s own parameter and turned 61006 into an internal error)."""
    for kode in FEJLKODER.values():
        felter = {navn for _, navn, _, _ in string.Formatter().parse(kode.besked) if navn}
        fejl = k.fejl(kode, "felt", **{navn: "x" for navn in felter})
        assert fejl.kode == kode.kode and "{" not in fejl.besked


async def test_unknown_absence_type_is_61006_not_an_internal_error(api, engine):
    jc = await f.jobcenter(engine)
    b = await f.borger(engine, jobcenter_nummer=jc["nummer"])
    data = await api.data(
        "mutation($i: FravaerOpretInput!) { fravaerOpret(input: $i) { fejl { kode besked felt } } }",
        {"i": {"cpr": b["cpr"], "fravaerstypeId": 999, "fra": "2026-07-01"}}, token=api.jobcenter(jc["nummer"]),
    )
    assert data["fravaerOpret"]["fejl"] == [{"kode": 61006, "besked": "Fraværstype 999 findes ikke", "felt": "input.fravaerstypeId"}]
