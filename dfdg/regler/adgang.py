"""Who may see and change what: the authorization matrix of release 2022-3, as data.

``MATRIX`` below is the one policy. Everything else (the schema's guards, the list statements,
the mutations) asks the functions in this module, never the role directly.

For each role the matrix says

* ``borgere`` — whose personal data the role reads (an ``Omfang``, with a Python check,
  ``omfatter``, and its SQL mirror, dfdg.db.adgang.borger_predikat, for list queries);
* ``laeser`` — what it reads (the ressources named in ``RESSOURCER``);
* ``skriver`` — which mutations it may run (by their GraphQL name), on which citizens, under
  which conditions (``Skriveret``).

A caller never learns that something it may not see exists: an invisible citizen, absence,
summons, job order … reads as ``null`` / an empty list / an empty connection, and a write that
names one answers IKKE_FUNDET (61001), exactly as for an id that does not exist — also a
registration of a kind the caller does not read on a citizen it does (the planner's view of an
absence, the a-kasse's of a summons), and a job order outside ``kan_se_jobordre``. Only a write on
something the caller *can* see but may not change answers INGEN_ADGANG (61002), or the rule that
refuses it (R6.2-a's 66002 on an open job order of another authority, R1.2-a's 60018).

Decisions the issue left open (recorded here, where the matrix is):

* ``borger`` reads all of its own data, its own access log (``adgangslog``: nobody else may
  read it — the log reveals which authorities handle the citizen, and auditing goes through the
  database, not this API), the meeting offers it can book, and the job orders it has been referred
  to (only those). The digital meeting link reaches it on its own summons (``Indkaldelse.moedelink``),
  never on an offer it has not booked (``moedetilbud.moedelink``).
* ``jobcenter`` reads the citizens whose responsible jobcentre has its authority (first three
  digits, R6.2-a), everything about them, CV search, meeting offers with links, company data and
  accounts (R7.1-a), its authority's message queue, and job orders that are open or of its own
  authority (it is responsible for those, whatever their status).
* ``akasse`` reads its members: ``borger.akasse_nummer`` is its number, or the citizen has a
  membership (``medlemskab``) of it that is active today. It reads their status, absences,
  memberships and the history of those (R2.1-b) — not their summons, joblog, activities, contact persons or
  referrals — plus company data and accounts (R7.1-a) and its own message queue.
* ``anden_aktoer`` reads the citizens a jobcentre has assigned to it (``anden_aktoer_tildeling``
  active today) with their course (absences, summons, contact persons, joblog, activities,
  referrals; not a-kasse membership or history), company data and accounts (R7.1-a), and open
  job orders.
* ``planner`` (one jobcentre, ``myndighed`` = its 5-digit number) publishes and updates that
  jobcentre's meeting offers (the fact ``jobcenter_nummer`` must be its own) and puts that
  jobcentre's citizens in or out of the target group (R1.1-b/g). To plan, it reads those citizens'
  core data and derived status (target group, unemployment, the right to choose the meeting form,
  self-booking duty) — not their absences, summons or any other part of the course — and offers.
* ``vitas`` reads nothing. It ends activities with ophørsårsag 14 or 15 (R3.1-a, the fact
  ``ophoersaarsag_id``) on any citizen.
* Company data: ``virksomheder`` is the public CVR register (name, CVR, P-units) and is read by
  everyone who reads job orders or accounts; ``virksomhedskonti`` (JobAG accounts, logins,
  R7.1-a) only by jobcenter, anden_aktoer and akasse.
* Job orders: jobcenter and anden_aktoer read them (above), borger its referrals' job orders,
  the rest none. ``jobordreOpdater`` is the jobcentre's; whether a job order it can see (an open
  one of another authority) is of its authority is rule R6.2-a, answered with its own code 66002
  by the mutation; one it cannot see is not found.
* Writes: the jobcentre writes summons (also booking an offer for a citizen, and the legacy
  BookingService), the participation choice and joblog entries on the citizen's behalf, contact
  persons, absences, activities (not with 14/15: that is rule R3.1-a's 64001), referrals, job
  orders (whether of its authority is rule R6.2-a's 66002) and acknowledges its queue; the citizen
  self-books, chooses the meeting form and keeps its joblog; the a-kasse registers intake (any
  citizen: the intake is how a membership starts, R1.3-a), registers and updates its own advisor
  as a member's contact person (it is an authority of its own; it reads no contact persons, so
  another authority's is not found for it, ``kun_egne``) and acknowledges its queue; the other actor writes
  nothing. A role without a queue may not acknowledge (INGEN_ADGANG).
* A mutation's payload shows the registration the write concerned — the caller named it and was
  allowed to change it — and that read is logged by the mutation's own transaction; whatever is
  reached from it follows the read rules (VITAS sees the activity it ended, not the citizen), and
  shows no other citizen (their reads could only be logged after the commit).
* History (``Borger.historik``): an entry is shown only to a caller that reads the history and may
  read the entity the entry describes through that entity's own field (``kan_se_historikpost``):
  the a-kasse reads the entries about its members' status, absences and memberships, not those
  about their summons or joblog.
* A message of the caller's own queue carries its citizen's data: it is handed out (queue, push,
  acknowledgement) only while the caller may see that citizen as the citizen is then
  (``kan_modtage_besked``), except a message to a former party (the old a-kasse's MedlemskabOphoert).
* A mutation that is not in the matrix is refused for everyone (fail closed); a test checks that
  every mutation in the schema is named here.

Conditions on writes are facts the mutation passes to ``kan_skrive`` as keyword arguments
(``kan_skrive(actor, "indsatsAfslut", borger, ophoersaarsag_id=14)``); a missing fact refuses.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum
from typing import Any

from dfdg.regler.aktoer import Actor, Rolle
from dfdg.regler.identer import jobcenter_myndighed
from dfdg.regler.koder import JOBORDRE_AABEN


class Omfang(str, Enum):
    """Which citizens a role's reads (or one of its writes) concern."""

    INGEN = "ingen"            # no citizen
    EGEN = "egen"              # the citizen in the token (claim cpr)
    MYNDIGHED = "myndighed"    # responsible jobcentre of the caller's authority (first 3 digits, R6.2-a)
    JOBCENTER = "jobcenter"    # responsible jobcentre is exactly the caller's (planner)
    MEDLEM = "medlem"          # the a-kasse's members: borger.akasse_nummer, or a membership active today
    TILDELT = "tildelt"        # assigned to the anden aktør by a jobcentre, active today
    ALLE = "alle"              # any citizen — or the write concerns no citizen at all


# What a role may read; the schema maps its types and fields to these (dfdg.schema.adgang).
RESSOURCER: dict[str, str] = {
    "borger": "the citizen: identity, kontaktgruppe, unemployment, jobcentre, a-kasse, derived status",
    "fravaer": "absences (Borger.fravaer, Selvbooking.fritagetAf, node)",
    "indkaldelser": "summons, with the digital meeting link",
    "kontaktpersoner": "professional contact persons",
    "joblog": "joblog entries",
    "indsatser": "activities (Min plan)",
    "formidlinger": "referrals to job orders",
    "medlemskab": "a-kasse memberships",
    "historik": "the history of registrations (Borger.historik)",
    "adgangslog": "who has read the citizen's data (Borger.adgangslog)",
    "cvSoegning": "CV search (R5.1-a)",
    "moedetilbud": "meeting offers for self-booking",
    "moedetilbud.moedelink": "the digital meeting link on an offer",
    "jobordrer": "job orders (which ones: kan_se_jobordre)",
    "virksomheder": "companies and production units (the public CVR register)",
    "virksomhedskonti": "JobAG accounts: profile, active users, latest login (R7.1-a/b)",
    "webservicebeskeder": "the caller's own message queue (WSRM)",
}


# GraphQL type -> the ressource of the matrix it is (the schema guards each type by it,
# dfdg.schema.adgang).
TYPE_RESSOURCE: dict[str, str] = {
    "Borger": "borger",
    "Fravaer": "fravaer",
    "Indkaldelse": "indkaldelser",
    "Kontaktperson": "kontaktpersoner",
    "JoblogPost": "joblog",
    "Indsats": "indsatser",
    "Formidling": "formidlinger",
    "Medlemskab": "medlemskab",
    "Adgangsopslag": "adgangslog",
    "Moedetilbud": "moedetilbud",
    "Jobordre": "jobordrer",
    "Virksomhed": "virksomheder",
    "Produktionsenhed": "virksomheder",
    "Virksomhedskonto": "virksomhedskonti",
    "Webservicebesked": "webservicebeskeder",
}

# The types that are a citizen's data (column ``cpr``): visible only with their citizen, and every
# read of them is written to the citizen's access log.
BORGERDATA: frozenset[str] = frozenset({"Borger", "Fravaer", "Indkaldelse", "Kontaktperson", "JoblogPost", "Indsats",
                                        "Formidling", "Medlemskab"})


@dataclass(frozen=True)
class Skriveret:
    """May run one mutation: on which citizens, and under which facts."""

    omfang: Omfang
    # fact name -> the allowed values (e.g. {"ophoersaarsag": {14, 15}} for vitas, R3.1-a)
    betingelser: Mapping[str, frozenset[Any]] = field(default_factory=dict)
    # a fact that must be the caller's own unit (planner: the offer's jobcentre)
    egen_enhed: str | None = None
    # a registration the caller does not read exists for this write only when the caller created
    # it (the a-kasse's own advisor as contact person; another authority's is not found, R1.2-a)
    kun_egne: bool = False


@dataclass(frozen=True)
class Rolleadgang:
    borgere: Omfang
    laeser: frozenset[str]
    skriver: Mapping[str, Skriveret]


def _s(omfang: Omfang, **kw: Any) -> Skriveret:
    return Skriveret(omfang, **kw)


_BORGERENS_FORLOEB = frozenset({"fravaer", "indkaldelser", "kontaktpersoner", "joblog", "indsatser", "formidlinger"})

MATRIX: dict[Rolle, Rolleadgang] = {
    Rolle.BORGER: Rolleadgang(
        borgere=Omfang.EGEN,
        laeser=frozenset({"borger", *_BORGERENS_FORLOEB, "medlemskab", "historik", "adgangslog", "moedetilbud",
                          "jobordrer", "virksomheder"}),
        skriver={
            "moedetilbudBook": _s(Omfang.EGEN),                 # self-booking (R1.1-a/b/g), BorgerBookingService
            "moededeltagelsesvalgRegistrer": _s(Omfang.EGEN),   # meeting-form choice (R1.1-f)
            "joblogRegistrer": _s(Omfang.EGEN),                 # R4.1-a
            "joblogOpdater": _s(Omfang.EGEN),
        },
    ),
    Rolle.JOBCENTER: Rolleadgang(
        borgere=Omfang.MYNDIGHED,
        laeser=frozenset({"borger", *_BORGERENS_FORLOEB, "medlemskab", "historik", "cvSoegning", "moedetilbud",
                          "moedetilbud.moedelink", "jobordrer", "virksomheder", "virksomhedskonti",
                          "webservicebeskeder"}),
        skriver={
            "indkaldelseOpret": _s(Omfang.MYNDIGHED),           # R1.1-c/d/e/f
            "indkaldelseOpdater": _s(Omfang.MYNDIGHED),
            "indkaldelseAflys": _s(Omfang.MYNDIGHED),
            "moedetilbudBook": _s(Omfang.MYNDIGHED),            # booking an offer for the citizen
            "moededeltagelsesvalgRegistrer": _s(Omfang.MYNDIGHED),  # on the citizen's behalf (IndkaldelseService)
            "createBooking": _s(Omfang.MYNDIGHED),              # legacy BookingService = indkaldelseOpret (R1.1-f)
            "updateBooking": _s(Omfang.MYNDIGHED),
            "kontaktpersonOpret": _s(Omfang.MYNDIGHED),         # R1.2-a (60018 is the mutation's rule)
            "kontaktpersonOpdater": _s(Omfang.MYNDIGHED),
            "joblogRegistrer": _s(Omfang.MYNDIGHED),            # on the citizen's behalf (R4.1-a)
            "joblogOpdater": _s(Omfang.MYNDIGHED),
            "fravaerOpret": _s(Omfang.MYNDIGHED),               # R2.1-a/b, R2.2-a
            "fravaerOpdater": _s(Omfang.MYNDIGHED),
            "fravaerSlet": _s(Omfang.MYNDIGHED),
            "indsatsOpret": _s(Omfang.MYNDIGHED),
            "indsatsAfslut": _s(Omfang.MYNDIGHED),              # not with 14/15: rule R3.1-a, code 64001
            "formidlingOpret": _s(Omfang.MYNDIGHED),            # R6.1-a
            "jobordreOpdater": _s(Omfang.ALLE),                 # R6.2-a decides the authority (66002)
            "webservicebeskederKvitter": _s(Omfang.ALLE),       # its own queue only (68001)
        },
    ),
    Rolle.AKASSE: Rolleadgang(
        borgere=Omfang.MEDLEM,
        laeser=frozenset({"borger", "fravaer", "medlemskab", "historik", "virksomheder", "virksomhedskonti",
                          "webservicebeskeder"}),
        skriver={
            # The intake is how a membership starts: any citizen (R1.3-a).
            "medlemstilgangRegistrer": _s(Omfang.ALLE),
            # Its own advisor as a member's contact person; an authority of its own (R1.2-a: 60018).
            "kontaktpersonOpret": _s(Omfang.MEDLEM),
            "kontaktpersonOpdater": _s(Omfang.MEDLEM, kun_egne=True),
            "webservicebeskederKvitter": _s(Omfang.ALLE),
        },
    ),
    Rolle.ANDEN_AKTOER: Rolleadgang(
        borgere=Omfang.TILDELT,
        laeser=frozenset({"borger", *_BORGERENS_FORLOEB, "jobordrer", "virksomheder", "virksomhedskonti"}),
        skriver={},
    ),
    Rolle.PLANNER: Rolleadgang(
        borgere=Omfang.JOBCENTER,
        laeser=frozenset({"borger", "moedetilbud", "moedetilbud.moedelink"}),
        skriver={
            "moedetilbudPubliser": _s(Omfang.ALLE, egen_enhed="jobcenter_nummer"),   # R1.1-g, its jobcentre only
            "moedetilbudOpdater": _s(Omfang.ALLE, egen_enhed="jobcenter_nummer"),
            "moedeformMaalgruppeOpdater": _s(Omfang.JOBCENTER),               # R1.1-b/g
        },
    ),
    Rolle.VITAS: Rolleadgang(
        borgere=Omfang.INGEN,
        laeser=frozenset(),
        skriver={
            "indsatsAfslut": _s(Omfang.ALLE, betingelser={"ophoersaarsag_id": frozenset({14, 15})}),  # R3.1-a
        },
    ),
}

# Every mutation the matrix knows (a test checks the schema against it).
MUTATIONER: frozenset[str] = frozenset(name for rolle in MATRIX.values() for name in rolle.skriver)


def adgang(actor: Actor | None) -> Rolleadgang | None:
    return None if actor is None else MATRIX.get(actor.rolle)


def laeser(actor: Actor | None, ressource: str) -> bool:
    """May the actor read this kind of data at all?"""
    a = adgang(actor)
    return a is not None and ressource in a.laeser


# --- which citizens ----------------------------------------------------------------------------

def omfatter(actor: Actor, omfang: Omfang, borger: Mapping[str, Any]) -> bool:
    """Is this citizen (a ``borger`` row; the facts ``adgang_akasser``/``adgang_aktoerer`` come
    from dfdg.db.adgang.borger_med_adgangsfakta, and are taken as empty when absent) within ``omfang``?"""
    kode = actor.myndighedskode
    match omfang:
        case Omfang.EGEN:
            return actor.cpr is not None and borger["cpr"] == actor.cpr
        case Omfang.MYNDIGHED:
            return bool(kode) and jobcenter_myndighed(borger["jobcenter_nummer"]) == kode
        case Omfang.JOBCENTER:
            return actor.myndighed is not None and borger["jobcenter_nummer"] == actor.myndighed
        case Omfang.MEDLEM:
            return kode is not None and (
                borger["akasse_nummer"] == kode or kode in (borger.get("adgang_akasser") or ())
            )
        case Omfang.TILDELT:
            return kode is not None and kode in (borger.get("adgang_aktoerer") or ())
        case Omfang.ALLE:
            return True
    return False


# The columns of a citizen row (``borger_med_adgangsfakta``) that ``omfatter`` reads for each scope:
# where a citizen's visibility is decided on a row read for it alone, that row needs these and no
# more (the facts' subqueries cost the database more than the rest of such a read).
OMFANGETS_KOLONNER: dict[Omfang, tuple[str, ...]] = {
    Omfang.INGEN: (),
    Omfang.EGEN: ("cpr",),
    Omfang.MYNDIGHED: ("jobcenter_nummer",),
    Omfang.JOBCENTER: ("jobcenter_nummer",),
    Omfang.MEDLEM: ("akasse_nummer", "adgang_akasser"),
    Omfang.TILDELT: ("adgang_aktoerer",),
    Omfang.ALLE: (),
}


def synlighedens_kolonner(actor: Actor | None) -> tuple[str, ...]:
    """The columns of a citizen row that ``kan_se_borger(actor, row)`` reads."""
    a = adgang(actor)
    return () if a is None else OMFANGETS_KOLONNER[a.borgere]


def kan_se_borger(actor: Actor | None, borger: Mapping[str, Any] | None) -> bool:
    """May the actor read this citizen's personal data?"""
    a = adgang(actor)
    return actor is not None and a is not None and borger is not None and omfatter(actor, a.borgere, borger)


def kan_finde(
    actor: Actor | None, handling: str, borger: Mapping[str, Any] | None, ressource: str | None = None, *,
    egen: bool = False,
) -> bool:
    """Does the citizen — with ``ressource``, a registration of that kind on the citizen (an
    absence, a summons …) — exist for the caller's write ``handling``? What the caller reads does
    (the ressource, of a visible citizen), and what lies within the write's own scope (the
    planner's target group, an a-kasse's intake, VITAS's activities; for a write limited to the
    caller's own registrations, ``kun_egne``, only those: ``egen``). Otherwise the write answers
    IKKE_FUNDET, as for a CPR number or an id that does not exist."""
    if borger is None or actor is None:
        return False
    if (ressource is None or laeser(actor, ressource)) and kan_se_borger(actor, borger):
        return True
    a = adgang(actor)
    ret = a.skriver.get(handling) if a is not None else None
    return ret is not None and omfatter(actor, ret.omfang, borger) and (egen or not ret.kun_egne)


def kan_skrive(actor: Actor | None, handling: str, borger: Mapping[str, Any] | None = None, **fakta: Any) -> bool:
    """May ``actor`` perform the write ``handling`` (a mutation's GraphQL name) — on this citizen
    when the write concerns one, with the facts its conditions name?"""
    a = adgang(actor)
    ret = a.skriver.get(handling) if a is not None else None
    if actor is None or ret is None:
        return False
    if borger is None:
        if ret.omfang is not Omfang.ALLE:
            return False
    elif not omfatter(actor, ret.omfang, borger):
        return False
    for navn, tilladte in ret.betingelser.items():
        if fakta.get(navn) not in tilladte:
            return False
    if ret.egen_enhed is not None and (actor.myndighed is None or fakta.get(ret.egen_enhed) != actor.myndighed):
        return False
    return True


# --- messages (webservicebeskeder) ------------------------------------------------------------

# Messages whose recipient gets them because its relationship with the citizen ended: the old
# a-kasse's MedlemskabOphoert (R1.3-a) is about the membership that made it see the citizen.
TIL_TIDLIGERE_PART: frozenset[str] = frozenset({"MedlemskabOphoert"})


def kan_modtage_besked(actor: Actor | None, besked: Mapping[str, Any], borger: Mapping[str, Any] | None) -> bool:
    """May a message of the caller's own queue (``beskedtype``, ``cpr``) be handed to it now?
    A message carries its citizen's data, so only while the caller may see that citizen
    (``borger``: the citizen's row as it is now, with the visibility facts), whatever the
    situation when the message was queued; a message about no citizen, or to a former party
    (``TIL_TIDLIGERE_PART``), always. A message held back stays in the queue, undelivered and
    unacknowledged, and is handed out once the citizen is the caller's again."""
    if besked["cpr"] is None or besked["beskedtype"] in TIL_TIDLIGERE_PART:
        return True
    return kan_se_borger(actor, borger)


# --- meeting offers and job orders --------------------------------------------------------------

def kan_se_moedetilbud(actor: Actor | None, moedetilbud: Mapping[str, Any]) -> bool:
    """A meeting offer (a ``moedetilbud`` row): every offer, for a role that reads offers."""
    return laeser(actor, "moedetilbud")


def kan_se_jobordre(actor: Actor | None, jobordre: Mapping[str, Any], egne_jobordrer: frozenset[int] = frozenset()) -> bool:
    """A job order (``id``, ``status_id``, ``ansvarligt_jobcenter``). ``egne_jobordrer``: for a
    citizen, the job orders it has been referred to."""
    if actor is None or not laeser(actor, "jobordrer"):
        return False
    match actor.rolle:
        case Rolle.JOBCENTER:
            return jobordre["status_id"] == JOBORDRE_AABEN or (
                jobcenter_myndighed(jobordre["ansvarligt_jobcenter"]) == actor.myndighedskode
            )
        case Rolle.ANDEN_AKTOER:
            return bool(jobordre["status_id"] == JOBORDRE_AABEN)
        case Rolle.BORGER:
            return jobordre["id"] in egne_jobordrer
    return False


# --- history entries -----------------------------------------------------------------------------

# The entities history records (``historik.entitet``, written by ``skriv_historik``: their GraphQL
# type names), each with the ressource of the matrix that reads it through its own field. A test
# holds every ``entitet=`` the mutations write to this table.
HISTORIKENS_RESSOURCER: dict[str, str] = {
    entitet: TYPE_RESSOURCE[entitet]
    for entitet in ("Borger", "Fravaer", "Indkaldelse", "Kontaktperson", "JoblogPost", "Indsats", "Formidling",
                    "Medlemskab", "Moedetilbud", "Jobordre")
}


def kan_se_historikpost(
    actor: Actor | None, post: Mapping[str, Any], borger: Mapping[str, Any] | None,
    egne_jobordrer: frozenset[int] = frozenset(),
) -> bool:
    """May the actor read this history entry (a ``historik`` row)? Only when it reads the history
    at all and may read the entity the entry describes, by the decision that entity's own field
    makes: a citizen's registration with ``kan_se_borger`` on ``borger`` (the row of the entry's
    citizen, with its visibility facts); a job order with ``kan_se_jobordre`` on every version the
    entry shows (``foer`` and ``efter``: an entry shows both); an offer, and its digital meeting
    link when a version carries one. An entity this table does not know is shown to nobody."""
    if not laeser(actor, "historik"):
        return False
    entitet = post["entitet"]
    ressource = HISTORIKENS_RESSOURCER.get(entitet)
    if ressource is None or not laeser(actor, ressource):
        return False
    versioner = [v for v in (post["foer"], post["efter"]) if v is not None]
    if entitet == "Jobordre":
        return all(kan_se_jobordre(actor, v, egne_jobordrer) for v in versioner)
    if entitet == "Moedetilbud":
        return laeser(actor, "moedetilbud.moedelink") or all(v.get("moedelink") is None for v in versioner)
    return borger is not None and post["cpr"] == borger["cpr"] and kan_se_borger(actor, borger)
