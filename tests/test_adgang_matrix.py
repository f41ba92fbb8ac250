"""The authorization matrix as data (dfdg.regler.adgang): every write cell, role by mutation.

The expected tables below are written out by hand: a change to the matrix must be made twice,
here and there, on purpose. Read cells are checked through HTTP in test_adgang_http.py; the
write cells of the mutations that exist on this branch (fravaer*) too. The mutations that other
branches add are checked here against the policy functions they call (``kan_finde`` and
``kan_skrive``, via ``borger_til_skrivning``).
"""

from __future__ import annotations

import pytest

from dfdg.regler.adgang import (
    MATRIX,
    MUTATIONER,
    Omfang,
    kan_finde,
    kan_se_borger,
    kan_skrive,
    synlighedens_kolonner,
)
from dfdg.regler.aktoer import Actor, Rolle
from dfdg.schema import schema

JC, JC_SAMME_MYNDIGHED, JC_ANDEN = "10100", "10101", "20200"
AKASSE, AKTOER, CPR = "42", "AA7", "0101901234"

ACTORS = {
    Rolle.BORGER: Actor(Rolle.BORGER, CPR, cpr=CPR),
    Rolle.JOBCENTER: Actor(Rolle.JOBCENTER, "sagsbehandler", myndighed=JC_SAMME_MYNDIGHED),
    Rolle.AKASSE: Actor(Rolle.AKASSE, "akasse", myndighed=AKASSE),
    Rolle.ANDEN_AKTOER: Actor(Rolle.ANDEN_AKTOER, "aktoer", myndighed=AKTOER),
    Rolle.PLANNER: Actor(Rolle.PLANNER, "planner", myndighed=JC),
    Rolle.VITAS: Actor(Rolle.VITAS, "vitas"),
}


def borger(**kw):
    row = {"cpr": CPR, "jobcenter_nummer": JC, "akasse_nummer": AKASSE, "adgang_akasser": None, "adgang_aktoerer": [AKTOER]}
    row.update(kw)
    return row


# A citizen in every role's scope, and one in nobody's.
I_OMFANG = borger()
UDENFOR = borger(cpr="0202902345", jobcenter_nummer=JC_ANDEN, akasse_nummer="7", adgang_aktoerer=None)

# role -> the mutations it may run, with the facts that make the write allowed ({} = none needed).
SKRIVER: dict[Rolle, dict[str, dict]] = {
    Rolle.BORGER: {m: {} for m in ("moedetilbudBook", "moededeltagelsesvalgRegistrer", "joblogRegistrer", "joblogOpdater")},
    Rolle.JOBCENTER: {m: {} for m in (
        "indkaldelseOpret", "indkaldelseOpdater", "indkaldelseAflys", "moedetilbudBook", "moededeltagelsesvalgRegistrer",
        "createBooking", "updateBooking", "kontaktpersonOpret", "kontaktpersonOpdater", "joblogRegistrer", "joblogOpdater",
        "fravaerOpret", "fravaerOpdater", "fravaerSlet", "indsatsOpret", "indsatsAfslut", "formidlingOpret",
        "jobordreOpdater", "webservicebeskederKvitter",
    )},
    Rolle.AKASSE: {m: {} for m in ("medlemstilgangRegistrer", "kontaktpersonOpret", "kontaktpersonOpdater",
                                   "webservicebeskederKvitter")},
    Rolle.ANDEN_AKTOER: {},
    Rolle.PLANNER: {
        "moedetilbudPubliser": {"jobcenter_nummer": JC}, "moedetilbudOpdater": {"jobcenter_nummer": JC},
        "moedeformMaalgruppeOpdater": {},
    },
    Rolle.VITAS: {"indsatsAfslut": {"ophoersaarsag_id": 14}},
}
# Writes that concern no citizen (or any): allowed with borger=None.
UDEN_BORGER = {"jobordreOpdater", "webservicebeskederKvitter", "medlemstilgangRegistrer", "moedetilbudPubliser",
               "moedetilbudOpdater"}

ALLE_MUTATIONER = sorted(MUTATIONER)
CELLER = [(rolle, m) for rolle in Rolle for m in ALLE_MUTATIONER]


def test_the_tables_here_are_the_matrix():
    assert {r: set(MATRIX[r].skriver) for r in Rolle} == {r: set(m) for r, m in SKRIVER.items()}


def test_every_mutation_in_the_schema_is_in_the_matrix():
    """A mutation the matrix does not name is refused for everyone (fail closed): add it there."""
    mutationer = set(schema._schema.mutation_type.fields)
    assert mutationer - MUTATIONER == set()


def test_the_matrix_names_the_mutations_of_release_2022_3():
    assert {
        "moedetilbudPubliser", "moedetilbudOpdater", "moedeformMaalgruppeOpdater", "moedetilbudBook",
        "indkaldelseOpret", "indkaldelseOpdater", "indkaldelseAflys", "moededeltagelsesvalgRegistrer",
        "createBooking", "updateBooking", "kontaktpersonOpret", "kontaktpersonOpdater", "medlemstilgangRegistrer",
        "fravaerOpret", "fravaerOpdater", "fravaerSlet", "indsatsOpret", "indsatsAfslut", "joblogRegistrer", "joblogOpdater",
        "formidlingOpret", "jobordreOpdater", "webservicebeskederKvitter",
    } == MUTATIONER


@pytest.mark.parametrize(("rolle", "mutation"), CELLER, ids=[f"{r.value}-{m}" for r, m in CELLER])
def test_write_cell(rolle, mutation):
    actor = ACTORS[rolle]
    tilladt = mutation in SKRIVER[rolle]
    fakta = SKRIVER[rolle].get(mutation, {})
    if mutation in UDEN_BORGER or rolle is Rolle.VITAS:
        assert kan_skrive(actor, mutation, None, **fakta) is tilladt
    # On a citizen in the role's scope: allowed exactly when the matrix says so.
    assert kan_skrive(actor, mutation, I_OMFANG, **fakta) is tilladt
    # A citizen the role can neither see nor write does not exist for it (IKKE_FUNDET) ...
    omfang = MATRIX[rolle].skriver.get(mutation)
    if omfang is None or omfang.omfang is not Omfang.ALLE:
        assert kan_finde(actor, mutation, UDENFOR) is False
        assert kan_skrive(actor, mutation, UDENFOR, **fakta) is False
    # ... and a citizen it can see, but may not write, is INGEN_ADGANG (found, refused).
    if kan_se_borger(actor, I_OMFANG) and not tilladt:
        assert kan_finde(actor, mutation, I_OMFANG) is True


def test_citizen_writes_need_a_citizen():
    """A citizen-scoped write called without its citizen is refused (fail closed)."""
    assert kan_skrive(ACTORS[Rolle.JOBCENTER], "fravaerOpret", None) is False
    assert kan_skrive(ACTORS[Rolle.BORGER], "joblogRegistrer", None) is False


def test_vitas_ends_activities_with_14_and_15_only_R3_1_a():
    vitas = ACTORS[Rolle.VITAS]
    assert kan_skrive(vitas, "indsatsAfslut", UDENFOR, ophoersaarsag_id=14)
    assert kan_skrive(vitas, "indsatsAfslut", UDENFOR, ophoersaarsag_id=15)
    assert not kan_skrive(vitas, "indsatsAfslut", UDENFOR, ophoersaarsag_id=3)
    assert not kan_skrive(vitas, "indsatsAfslut", UDENFOR)  # the fact missing: refused
    assert kan_finde(vitas, "indsatsAfslut", UDENFOR)  # VITAS finds any activity's citizen ...
    assert not kan_se_borger(vitas, UDENFOR)  # ... and reads none
    assert not kan_finde(vitas, "fravaerOpret", I_OMFANG)


def test_planner_publishes_for_its_own_jobcentre_only_R1_1_g():
    planner = ACTORS[Rolle.PLANNER]
    assert kan_skrive(planner, "moedetilbudPubliser", None, jobcenter_nummer=JC)
    assert not kan_skrive(planner, "moedetilbudPubliser", None, jobcenter_nummer=JC_SAMME_MYNDIGHED)
    assert not kan_skrive(planner, "moedetilbudOpdater", None)
    # the target group: citizens of exactly its jobcentre (not of its authority)
    assert kan_skrive(planner, "moedeformMaalgruppeOpdater", I_OMFANG)
    assert not kan_finde(planner, "moedeformMaalgruppeOpdater", borger(jobcenter_nummer=JC_SAMME_MYNDIGHED))
    assert kan_finde(planner, "fravaerOpret", I_OMFANG) and not kan_skrive(planner, "fravaerOpret", I_OMFANG)


def test_akasse_intake_reaches_a_citizen_not_yet_a_member_R1_3_a():
    akasse = ACTORS[Rolle.AKASSE]
    assert not kan_se_borger(akasse, UDENFOR)
    assert kan_finde(akasse, "medlemstilgangRegistrer", UDENFOR)
    assert kan_skrive(akasse, "medlemstilgangRegistrer", UDENFOR)
    assert not kan_finde(akasse, "fravaerOpret", UDENFOR)


@pytest.mark.parametrize(("rolle", "row", "synlig"), [
    (Rolle.BORGER, borger(), True),
    (Rolle.BORGER, borger(cpr="0202902345"), False),
    (Rolle.JOBCENTER, borger(jobcenter_nummer=JC), True),          # same authority, other jobcentre (R6.2-a)
    (Rolle.JOBCENTER, borger(jobcenter_nummer=JC_ANDEN), False),
    (Rolle.AKASSE, borger(akasse_nummer=AKASSE), True),
    (Rolle.AKASSE, borger(akasse_nummer=None, adgang_akasser=[AKASSE]), True),   # active membership
    (Rolle.AKASSE, borger(akasse_nummer="7", adgang_akasser=["7"]), False),
    (Rolle.AKASSE, borger(akasse_nummer="7"), False),
    (Rolle.ANDEN_AKTOER, borger(adgang_aktoerer=[AKTOER]), True),
    (Rolle.ANDEN_AKTOER, borger(adgang_aktoerer=None), False),
    (Rolle.ANDEN_AKTOER, {k: v for k, v in borger().items() if k != "adgang_aktoerer"}, False),  # facts absent: no
    (Rolle.PLANNER, borger(), True),                                # its jobcentre's citizens
    (Rolle.PLANNER, borger(jobcenter_nummer=JC_SAMME_MYNDIGHED), False),
    (Rolle.VITAS, borger(), False),
], ids=lambda v: v.value if isinstance(v, Rolle) else None)
def test_which_citizens_each_role_sees(rolle, row, synlig):
    assert kan_se_borger(ACTORS[rolle], row) is synlig


class _KunDisse(dict):
    """A row that refuses every look-up of a column it does not hold (``.get`` too)."""

    def __getitem__(self, key):
        if key not in self:
            raise AssertionError(f"kan_se_borger læste {key!r}, som synlighedens_kolonner ikke nævner")
        return super().__getitem__(key)

    def get(self, key, default=None):
        return self[key]


@pytest.mark.parametrize("rolle", list(Rolle), ids=lambda r: r.value)
def test_visibility_reads_only_the_columns_it_names(rolle):
    """The planned path reads a citizen for ``borger(cpr:)`` with only ``synlighedens_kolonner``
    for the decision: they must be all ``kan_se_borger`` reads, for every row of the cases above."""
    actor = ACTORS[rolle]
    kolonner = synlighedens_kolonner(actor)
    rows = [I_OMFANG, UDENFOR, borger(akasse_nummer=None, adgang_akasser=[AKASSE]), borger(jobcenter_nummer=JC_ANDEN),
            borger(adgang_aktoerer=None), borger(cpr="0202902345")]
    for row in rows:
        smal = _KunDisse({k: row[k] for k in kolonner})
        assert kan_se_borger(actor, smal) is kan_se_borger(actor, row)


def test_a_registration_the_role_does_not_read_is_not_found():
    """Named by id, a registration of a kind the role does not read does not exist for its write
    (IKKE_FUNDET, as an id that does not exist), even on a citizen it sees; within the write's own
    scope it does (VITAS's activities, the a-kasse's own advisor)."""
    planner, akasse, jc = ACTORS[Rolle.PLANNER], ACTORS[Rolle.AKASSE], ACTORS[Rolle.JOBCENTER]
    assert kan_se_borger(planner, I_OMFANG)
    assert kan_finde(planner, "fravaerOpdater", I_OMFANG) and not kan_finde(planner, "fravaerOpdater", I_OMFANG, "fravaer")
    assert kan_finde(jc, "fravaerOpdater", I_OMFANG, "fravaer")
    for handling, ressource in (("indkaldelseOpdater", "indkaldelser"), ("joblogOpdater", "joblog"),
                                ("indsatsAfslut", "indsatser")):
        assert not kan_finde(akasse, handling, I_OMFANG, ressource)
    assert kan_finde(ACTORS[Rolle.VITAS], "indsatsAfslut", UDENFOR, "indsatser")
    # R1.2-a: the a-kasse finds its own advisor, not another authority's contact person
    assert kan_finde(akasse, "kontaktpersonOpdater", I_OMFANG, "kontaktpersoner", egen=True)
    assert not kan_finde(akasse, "kontaktpersonOpdater", I_OMFANG, "kontaktpersoner")
    assert not kan_finde(akasse, "kontaktpersonOpdater", UDENFOR, "kontaktpersoner", egen=True)
    assert kan_finde(jc, "kontaktpersonOpdater", I_OMFANG, "kontaktpersoner")   # then 60018, if not its own


def test_no_actor_sees_or_writes_nothing():
    assert not kan_se_borger(None, I_OMFANG)
    assert not kan_finde(None, "fravaerOpret", I_OMFANG)
    assert not kan_skrive(None, "fravaerOpret", I_OMFANG)


def test_fields_guarded_beyond_their_type_are_guarded_as_their_declarations_say():
    """A field's own guard (``ressource=`` in its declaration) is the one ``beskyt`` puts on it."""
    from dfdg.schema import schema
    from dfdg.schema.adgang import felternes_ressourcer

    ressourcer = felternes_ressourcer(schema)
    assert ressourcer == {
        ("Query", "cvSoegning"): "cvSoegning",
        ("Moedetilbud", "moedelink"): "moedetilbud.moedelink",
        ("Borger", "historik"): "historik",
        ("Borger", "adgangslog"): "adgangslog",
    }
    for (typenavn, feltnavn), ressource in ressourcer.items():
        vagt = schema._schema.get_type(typenavn).fields[feltnavn].resolve.dfdg_vagt
        assert ressource in vagt.ressourcer, (typenavn, feltnavn)
