"""What the planned read path knows about the schema: which types are table rows, and a batched
implementation for each resolver field it can plan.

Plain fields of a row type need nothing here: a field without a resolver reads the table column of
the same name (checked once at start-up by building the strawberry type from a row of sentinels,
so a type whose ``fra_row`` maps a field to another column is not misread). Fields of other object
types (code lists, connections, ``Selvbooking``) without a resolver, or with a synchronous resolver
that takes neither ``info`` nor input objects, are evaluated by calling that very resolver.

Everything else is listed below: each entry restates what its resolver does, per batch, and names
the fingerprint of the resolver code it was written against (``dfdg.plan.kilde``). A field whose
resolver has changed since is not planned until someone reviews the entry; ``python -m
dfdg.plan.felter`` prints the current fingerprints. The policy functions themselves
(``synlig_borger`` → ``kan_se_borger``, the access-log recording) are *called*, never restated.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from dfdg.context import DANMARK
from dfdg.db import queries as dbqueries
from dfdg.db import tables as t
from dfdg.loaders import borger as bl
from dfdg.loaders.fravaer import FravaerByCprLoader
from dfdg.loaders.indkaldelse import IndkaldelseByCprLoader, MoedetilbudByIdLoader
from dfdg.loaders.joblog import JoblogByCprLoader
from dfdg.loaders.jobordre import FormidlingByCprLoader, JobordreByIdLoader
from dfdg.plan import mutationer as pm
from dfdg.loaders.virksomhed import (
    ProduktionsenhedByCvrNummerLoader,
    ProduktionsenhedByPNummerLoader,
    VirksomhedByCvrNummerLoader,
)
from dfdg.resolvers import borger as borgerregler
from dfdg.resolvers import fravaer as fravaerregler
from dfdg.resolvers import indkaldelse as indkaldelsesregler
from dfdg.resolvers.identer import maaned_fra_tekst
from dfdg.schema import base as sb
from dfdg.schema import borger as sborger
from dfdg.schema import fravaer as sfravaer
from dfdg.schema import indkaldelse as sindkaldelse
from dfdg.schema import joblog as sjoblog
from dfdg.schema import jobordre as sjobordre
from dfdg.schema import kodeliste as skodeliste
from dfdg.schema.mutation import faelles as smfaelles
from dfdg.schema.mutation import fravaer as smfravaer
from dfdg.schema import pagination as spagination
from dfdg.schema import query as squery
from dfdg.schema import virksomhed as svirksomhed
from dfdg.schema.node import to_global_id

# --- kinds of implementation ---------------------------------------------------------------


@dataclass(frozen=True)
class Raekke:
    """A value computed from the row alone: ``fn(row)``, or ``fn(row, args, rt)`` with ``args``.
    ``serialiseret``: fn already returns the serialised GraphQL value (skip leaf serialisation)."""

    fn: Callable[..., Any]
    args: bool = False
    serialiseret: bool = False
    # The columns fn reads (None: any, so the row is fetched whole).
    kolonner: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Kode:
    """A code of ``liste`` by the id in ``kolonne`` (``kode(info, liste, self.<kolonne>)``)."""

    liste: str
    kolonne: str


@dataclass(frozen=True)
class KodeListe:
    """Codes of ``liste`` by the ids ``fn(row)`` returns, in that order."""

    liste: str
    fn: Callable[[Any], Any]
    kolonner: tuple[str, ...] | None = None


@dataclass(frozen=True)
class Relation:
    """Rows of a loader by the key in ``kolonne`` (one or many as the loader). ``synlig``: a citizen,
    shown only when ``synlig_borger`` says so (which also records the read for the access log)."""

    loader: type
    kolonne: str
    synlig: bool = False


@dataclass(frozen=True)
class Afledt:
    """A derived value from the row and the rows of ``loaders`` [(loader, key column), …]:
    ``fn(row, (fetched, …), args, rt)``. ``resultat``: "skalar", "objekt" (an object type; the rows
    its row-typed fields hold are ``raekker(value)``), or "koder:<liste>" (a list of code ids)."""

    loaders: tuple[tuple[type, str], ...]
    fn: Callable[..., Any]
    resultat: str = "skalar"
    raekker: Callable[[Any], Any] | None = None
    # The columns fn reads of the row (None: any). The loaders' rows are always fetched whole.
    kolonner: tuple[str, ...] | None = None


@dataclass(frozen=True)
class AlleKoder:
    """Every code of ``liste`` (``Kodelister.<liste>``)."""

    liste: str


@dataclass(frozen=True)
class Antal:
    """``Connection.totalCount``: the connection's own count statement."""


@dataclass(frozen=True)
class RodBorger:
    """``Query.borger(cpr)``: one citizen by CPR, through ``BorgerByCprLoader`` and ``synlig_borger``."""


@dataclass(frozen=True)
class RodForbindelse:
    """A root connection of citizens: ``statement(args, rt) -> (stmt, order)`` checks the arguments
    (raising as the resolver does) and builds the resolver's statement; ``paginate`` runs it."""

    statement: Callable[[dict, Any], Any]


@dataclass(frozen=True)
class RodObjekt:
    """A root field returning a fixed object (``kodelister``): ``lav(rt)`` makes it, raising as the
    resolver does (no caller)."""

    lav: Callable[[Any], Any]


@dataclass(frozen=True)
class RodMutation:
    """A mutation root field: ``koer(args, info)`` runs its body (dfdg.plan.mutationer) and returns
    the payload, with rows in its row-typed fields."""

    koer: Callable[..., Any]


@dataclass(frozen=True)
class Post:
    impl: Any
    fingeraftryk: str
    # Further code the entry restates besides the field's own resolver (fingerprinted with it).
    kilder: tuple = field(default=())


# --- row types --------------------------------------------------------------------------

# GraphQL type name -> (strawberry class, table). Values of these types are rows on the planned path.
RAEKKETYPER: dict[str, tuple[type, Any]] = {
    "Borger": (sborger.Borger, t.Borger.__table__),
    "Jobcenter": (sborger.Jobcenter, t.Jobcenter.__table__),
    "Akasse": (sborger.Akasse, t.Akasse.__table__),
    "Kontaktperson": (sborger.Kontaktperson, t.Kontaktperson.__table__),
    "Indsats": (sborger.Indsats, t.Indsats.__table__),
    "Medlemskab": (sborger.Medlemskab, t.Medlemskab.__table__),
    "Fravaer": (sfravaer.Fravaer, t.Fravaer.__table__),
    "Indkaldelse": (sindkaldelse.Indkaldelse, t.Indkaldelse.__table__),
    "Moedetilbud": (sindkaldelse.Moedetilbud, t.Moedetilbud.__table__),
    "JoblogPost": (sjoblog.JoblogPost, t.Joblog.__table__),
    "Formidling": (sjobordre.Formidling, t.Formidling.__table__),
    "Jobordre": (sjobordre.Jobordre, t.Jobordre.__table__),
    "Virksomhed": (svirksomhed.Virksomhed, t.Virksomhed.__table__),
    "Produktionsenhed": (svirksomhed.Produktionsenhed, t.Produktionsenhed.__table__),
}

# Code-list types: values are the strawberry objects ``KODETYPER[liste].fra(kode)``, evaluated by
# calling their own resolvers, and built once per day and code.
KODETYPER = {cls.__name__: liste for liste, cls in skodeliste.KODETYPER.items()}

_STATUS = {m.value: m.name for m in sindkaldelse.IndkaldelseStatus}


def _gid(typename: str, kolonne: str) -> Raekke:
    return Raekke(lambda r: to_global_id(typename, r[kolonne]), serialiseret=True, kolonner=(kolonne,))


_FROM_ROW = (sb.from_row,)
_LOAD_ONE = (sb.load_one, sb.maybe, sb.from_row)
_LOAD_MANY = (sb.load_many, sb.from_row)
_KODE = (skodeliste.kode,)
_FRAVAER_PAYLOAD = (smfravaer._payload, smfaelles.skrevet, smfaelles.skrevet_row)


def _indkaldelse_valgbare(r, hentet, a, rt):
    borger, tilbud = hentet
    return indkaldelsesregler.valgbare_moedeformer(
        borger, r["starttid"].astimezone(DANMARK).date(), kun_personligt=r["kun_personligt"], fastsat_moedeform=r["moedeform_id"],
        tilbudte_moedeformer=tilbud["tilladte_moedeformer"] if tilbud else None,
    )


def _kodelister(rt) -> Any:
    rt.ctx.kraev_actor()  # no code lists without a caller (the resolver's UNAUTHENTICATED)
    return skodeliste.Kodelister()


def _borgere_statement(a: dict, rt) -> Any:
    f = a.get("filter") or {}
    squery._tjek_jobcenter("filter.jobcenter", f.get("jobcenter"))
    squery._tjek_myndighed("filter.myndighed", f.get("myndighed"))
    return borgerregler.borgere_statement(
        rt.ctx.kraev_actor(), jobcenter=f.get("jobcenter"), myndighed=f.get("myndighed"), kontaktgruppe=f.get("kontaktgruppe"),
        akasse=f.get("akasse"), moedeform_maalgruppe=f.get("moedeformMaalgruppe"),
    )


def _cv_soegning_statement(a: dict, rt) -> Any:
    f = a.get("filter") or {}
    squery._tjek_jobcenter("filter.jobcenter", f.get("jobcenter"))
    squery._tjek_myndighed("filter.myndighed", f.get("myndighed"))
    return borgerregler.borgere_statement(
        rt.ctx.kraev_actor(), jobcenter=f.get("jobcenter"), myndighed=f.get("myndighed"), kontaktgruppe=f.get("kontaktgruppe"),
        mindre_intensiv_indsats=f.get("mindreIntensivIndsats"), dato=f.get("dato") or rt.idag,
    )


FELTER: dict[tuple[str, str], Post] = {
    # Query
    ("Query", "borger"): Post(RodBorger(), "2620f0e4acd7", (sborger.hent_borger,)),
    ("Query", "borgere"): Post(RodForbindelse(_borgere_statement), "494b760522e5",
                               (squery._borgerside, spagination.paginate, dbqueries.side)),
    ("Query", "cvSoegning"): Post(RodForbindelse(_cv_soegning_statement), "d53e0b98f3f2",
                                  (squery._borgerside, spagination.paginate, dbqueries.side)),
    ("Query", "kodelister"): Post(RodObjekt(_kodelister), "69c468f3fae0"),
    # Borger
    ("Borger", "id"): Post(_gid("Borger", "cpr"), "7c0e1ff50bd5"),
    ("Borger", "navn"): Post(Raekke(lambda r: f"{r['fornavn']} {r['efternavn']}", serialiseret=True,
                                                  kolonner=("fornavn", "efternavn")), "767ed1ba4713"),
    ("Borger", "kontaktgruppe"): Post(Kode("kontaktgrupper", "kontaktgruppe_id"), "394aa3d4aa9e", _KODE),
    ("Borger", "jobcenter"): Post(Relation(bl.JobcenterByNummerLoader, "jobcenter_nummer"), "dc81f46569ad", _LOAD_ONE),
    ("Borger", "akasse"): Post(Relation(bl.AkasseByNummerLoader, "akasse_nummer"), "a44328c8cdbd", _LOAD_ONE),
    ("Borger", "fravaer"): Post(Relation(FravaerByCprLoader, "cpr"), "884caf3454ed", _LOAD_MANY),
    ("Borger", "indkaldelser"): Post(Relation(IndkaldelseByCprLoader, "cpr"), "d4d767d64206", _LOAD_MANY),
    ("Borger", "kontaktpersoner"): Post(Relation(bl.KontaktpersonByCprLoader, "cpr"), "52d269853d46", _LOAD_MANY),
    ("Borger", "joblog"): Post(Relation(JoblogByCprLoader, "cpr"), "9837b14a41f6", _LOAD_MANY),
    ("Borger", "indsatser"): Post(Relation(bl.IndsatsByCprLoader, "cpr"), "db742cdfa2ab", _LOAD_MANY),
    ("Borger", "formidlinger"): Post(Relation(FormidlingByCprLoader, "cpr"), "de53047e9be1", _LOAD_MANY),
    ("Borger", "medlemskab"): Post(Relation(bl.MedlemskabByCprLoader, "cpr"), "b431784223c4", _LOAD_MANY),
    ("Borger", "harRetTilValgAfMoedeform"): Post(Raekke(
        lambda r, a, rt: borgerregler.har_ret_til_valg_af_moedeform(
            {"ledighedsdato": r["ledighedsdato"], "moedeform_maalgruppe": r["moedeform_maalgruppe"]}, a["dato"] or rt.idag),
        args=True, kolonner=("ledighedsdato", "moedeform_maalgruppe")), "ce8b38d7b969"),
    ("Borger", "selvbooking"): Post(Afledt(
        ((FravaerByCprLoader, "cpr"),),
        lambda r, h, a, rt: fravaerregler.selvbooking(h[0], rt.kodecache, a["dato"] or rt.idag),
        resultat="objekt", raekker=lambda status: status.fritaget_af, kolonner=()), "934dc27504be"),
    ("Borger", "joblogPligt"): Post(Afledt(
        ((FravaerByCprLoader, "cpr"),),
        lambda r, h, a, rt: fravaerregler.joblog_pligt(r["kontaktgruppe_id"], h[0], maaned_fra_tekst("maaned", a["maaned"])),
        kolonner=("kontaktgruppe_id",)),
        "b886c58b4690"),
    ("Borger", "mindreIntensivIndsats"): Post(Afledt(
        ((FravaerByCprLoader, "cpr"),),
        lambda r, h, a, rt: fravaerregler.mindre_intensiv_indsats(h[0], rt.kodecache, a["dato"] or rt.idag),
        kolonner=()), "9150452ece22"),
    ("Borger", "kanModtageDagpenge"): Post(Afledt(
        ((FravaerByCprLoader, "cpr"),),
        lambda r, h, a, rt: fravaerregler.kan_modtage_dagpenge(r["kontaktgruppe_id"], h[0], rt.kodecache, a["dato"] or rt.idag),
        kolonner=("kontaktgruppe_id",)),
        "1ac1627f6ecc"),
    # Jobcenter, Akasse, Kontaktperson, Indsats, Medlemskab
    ("Jobcenter", "id"): Post(_gid("Jobcenter", "nummer"), "f49567b30987"),
    ("Akasse", "id"): Post(_gid("Akasse", "nummer"), "a86a82a21839"),
    ("Kontaktperson", "id"): Post(_gid("Kontaktperson", "id"), "2cfe50dcdfbf", _FROM_ROW),
    ("Indsats", "id"): Post(_gid("Indsats", "id"), "0e82dee851bd", _FROM_ROW),
    ("Indsats", "ophoersaarsag"): Post(Kode("ophoersaarsager", "ophoersaarsag_id"), "2db7468b80a0", _KODE),
    ("Medlemskab", "id"): Post(_gid("Medlemskab", "id"), "59f379b510f9", _FROM_ROW),
    ("Medlemskab", "akasse"): Post(Relation(bl.AkasseByNummerLoader, "akasse_nummer"), "a44328c8cdbd", _LOAD_ONE),
    # Fravaer
    ("Fravaer", "id"): Post(_gid("Fravaer", "id"), "8418923ecc94", _FROM_ROW),
    ("Fravaer", "fravaerstype"): Post(Kode("fravaerstyper", "fravaerstype_id"), "68a184eef864", _KODE),
    ("Fravaer", "aktiv"): Post(Raekke(lambda r, a, rt: fravaerregler.aktiv(r, a["dato"] or rt.idag), args=True,
                                          kolonner=("fra", "til")), "26c3ca8e3740"),
    ("Fravaer", "borger"): Post(Relation(bl.BorgerByCprLoader, "cpr", synlig=True), "eb48f41fdbcf"),
    # Indkaldelse
    ("Indkaldelse", "id"): Post(_gid("Indkaldelse", "id"), "07bc17e293cc", (sindkaldelse.Indkaldelse.fra_row,)),
    ("Indkaldelse", "status"): Post(Raekke(lambda r: _STATUS[r["status"]], serialiseret=True, kolonner=("status",)), "bfb0340ca29a",
                                    (sindkaldelse.Indkaldelse.fra_row,)),
    ("Indkaldelse", "lokationsuddybning"): Post(Raekke(lambda r: sb.blank_as_none(r["lokationsuddybning"]),
                                                       kolonner=("lokationsuddybning",)), "8ef3a7426094",
                                                (sindkaldelse.Indkaldelse.fra_row,)),
    ("Indkaldelse", "moedelink"): Post(Raekke(lambda r: r["moedelink"], kolonner=("moedelink",)), "b079700da38d", (sindkaldelse.Indkaldelse.fra_row,)),
    ("Indkaldelse", "moedeform"): Post(Kode("moedeformer", "moedeform_id"), "45650557dba0", _KODE),
    ("Indkaldelse", "samtaletype"): Post(Kode("samtaletyper", "samtaletype_id"), "4bcf236af9e7", _KODE),
    ("Indkaldelse", "moededeltagelsesvalg"): Post(Kode("moedeformer", "moededeltagelsesvalg_id"), "dd9abd433fb0", _KODE),
    ("Indkaldelse", "valgbareMoedeformer"): Post(Afledt(
        ((bl.BorgerByCprLoader, "cpr"), (MoedetilbudByIdLoader, "moedetilbud_id")), _indkaldelse_valgbare,
        resultat="koder:moedeformer", kolonner=("starttid", "kun_personligt", "moedeform_id")), "92a7ec0ac3d7", _KODE),
    ("Indkaldelse", "moedetilbud"): Post(Relation(MoedetilbudByIdLoader, "moedetilbud_id"), "031b96296a1f",
                                         (sindkaldelse.Moedetilbud.fra_row,)),
    ("Indkaldelse", "jobcenter"): Post(Relation(bl.JobcenterByNummerLoader, "jobcenter_nummer"), "d030bed58cc0", _LOAD_ONE),
    ("Indkaldelse", "borger"): Post(Relation(bl.BorgerByCprLoader, "cpr", synlig=True), "7ed36b75460c"),
    # Moedetilbud
    ("Moedetilbud", "id"): Post(_gid("Moedetilbud", "id"), "1ba3225651f3", (sindkaldelse.Moedetilbud.fra_row,)),
    ("Moedetilbud", "lokationsuddybning"): Post(Raekke(lambda r: sb.blank_as_none(r["lokationsuddybning"]),
                                                       kolonner=("lokationsuddybning",)), "0fa80aadb0ad",
                                                (sindkaldelse.Moedetilbud.fra_row,)),
    ("Moedetilbud", "moedelink"): Post(Raekke(
        lambda r: r["moedelink"] if indkaldelsesregler.DIGITALT_MOEDE in r["tilladte_moedeformer"] else None,
        kolonner=("moedelink", "tilladte_moedeformer")), "ba25d88dda2d",
        (sindkaldelse.Moedetilbud.fra_row,)),
    ("Moedetilbud", "moedeform"): Post(Kode("moedeformer", "moedeform_id"), "45650557dba0", _KODE),
    ("Moedetilbud", "tilladteMoedeformer"): Post(KodeListe("moedeformer", lambda r: r["tilladte_moedeformer"], ("tilladte_moedeformer",)), "5eafc537f809",
                                                 (skodeliste.kode, sindkaldelse.Moedetilbud.fra_row)),
    ("Moedetilbud", "samtaletype"): Post(Kode("samtaletyper", "samtaletype_id"), "4bcf236af9e7", _KODE),
    ("Moedetilbud", "ledigePladser"): Post(Raekke(lambda r: r["kapacitet"] - r["antal_booket"], kolonner=("kapacitet", "antal_booket")), "3209355737df",
                                           (sindkaldelse.Moedetilbud.fra_row,)),
    ("Moedetilbud", "jobcenter"): Post(Relation(bl.JobcenterByNummerLoader, "jobcenter_nummer"), "d030bed58cc0", _LOAD_ONE),
    # JoblogPost
    ("JoblogPost", "id"): Post(_gid("JoblogPost", "id"), "49000f2ffca6", _FROM_ROW),
    # Formidling, Jobordre, Virksomhed, Produktionsenhed
    ("Formidling", "id"): Post(_gid("Formidling", "id"), "518829a59f06", _FROM_ROW),
    ("Formidling", "formidlingsstatustype"): Post(Kode("formidlingsstatustyper", "formidlingsstatustype_id"), "42371fed3a5b", _KODE),
    ("Formidling", "jobordre"): Post(Relation(JobordreByIdLoader, "jobordre_id"), "5071eceb22ef", _LOAD_ONE),
    ("Formidling", "borger"): Post(Relation(bl.BorgerByCprLoader, "cpr", synlig=True), "7ed36b75460c"),
    ("Jobordre", "id"): Post(_gid("Jobordre", "id"), "ab0393994d90", _FROM_ROW),
    ("Jobordre", "jobordrenummer"): Post(Raekke(lambda r: r["id"], kolonner=("id",)), "d58e39a07dec", _FROM_ROW),
    ("Jobordre", "status"): Post(Kode("jobordrestatusser", "status_id"), "0630721dddf0", _KODE),
    ("Jobordre", "ansvarligtJobcenter"): Post(Relation(bl.JobcenterByNummerLoader, "ansvarligt_jobcenter"), "7e31b9daf670", _LOAD_ONE),
    ("Jobordre", "virksomhed"): Post(Relation(VirksomhedByCvrNummerLoader, "cvr_nummer"), "3b4b335e814b", _LOAD_ONE),
    ("Jobordre", "produktionsenhed"): Post(Relation(ProduktionsenhedByPNummerLoader, "p_nummer"), "9e2e94560138", _LOAD_ONE),
    ("Virksomhed", "id"): Post(_gid("Virksomhed", "cvr_nummer"), "751b89d55c16"),
    ("Virksomhed", "produktionsenheder"): Post(Relation(ProduktionsenhedByCvrNummerLoader, "cvr_nummer"), "48b76cbc8366", _LOAD_MANY),
    ("Produktionsenhed", "id"): Post(_gid("Produktionsenhed", "p_nummer"), "da649d22ace0"),
    # Connections
    ("BorgerConnection", "totalCount"): Post(Antal(), "bc91c1aa4b4e"),
    # Mutations (dfdg.plan.mutationer)
    ("Mutation", "fravaerOpret"): Post(RodMutation(pm.fravaer_opret), "242ef86528f8", _FRAVAER_PAYLOAD),
    ("Mutation", "fravaerOpdater"): Post(RodMutation(pm.fravaer_opdater), "6d3742c901a3", _FRAVAER_PAYLOAD),
    ("Mutation", "fravaerSlet"): Post(RodMutation(pm.fravaer_slet), "70ff86fb7a83"),
    # Kodelister
    ("Kodelister", "moedeformer"): Post(AlleKoder("moedeformer"), "b2fa65074fc5", (skodeliste._alle,)),
    ("Kodelister", "fravaerstyper"): Post(AlleKoder("fravaerstyper"), "cbec0a614c0f", (skodeliste._alle,)),
    ("Kodelister", "kontaktgrupper"): Post(AlleKoder("kontaktgrupper"), "e9a35a05121e", (skodeliste._alle,)),
    ("Kodelister", "ophoersaarsager"): Post(AlleKoder("ophoersaarsager"), "07a55b204d79", (skodeliste._alle,)),
    ("Kodelister", "jobordrestatusser"): Post(AlleKoder("jobordrestatusser"), "58b5b3bdf52f", (skodeliste._alle,)),
    ("Kodelister", "formidlingsstatustyper"): Post(AlleKoder("formidlingsstatustyper"), "5db9fc83480c", (skodeliste._alle,)),
    ("Kodelister", "samtaletyper"): Post(AlleKoder("samtaletyper"), "93f9bda1e865", (skodeliste._alle,)),
}


def resolver_kilder(schema, typename: str, graphql_navn: str) -> tuple:
    """The code a registry entry is checked against: the field's resolver, then the entry's ``kilder``."""
    post = FELTER[(typename, graphql_navn)]
    definition = schema.get_type_by_name(typename)
    navne = schema.config.name_converter
    felt = next((f for f in definition.fields if navne.get_graphql_name(f) == graphql_navn), None)
    egen = (felt,) if felt is not None and felt.base_resolver is not None else ()
    return egen + tuple(post.kilder)


def aktuelle_fingeraftryk(schema) -> dict[tuple[str, str], str]:
    from dfdg.plan.kilde import fingeraftryk

    return {noegle: fingeraftryk(*resolver_kilder(schema, *noegle)) for noegle in FELTER}


if __name__ == "__main__":  # pragma: no cover - a reviewer's tool
    from dfdg.schema import schema as _schema

    for (typ, navn), fp in aktuelle_fingeraftryk(_schema).items():
        gammel = FELTER[(typ, navn)].fingeraftryk
        print(f"{typ}.{navn}: {fp}" + ("" if fp == gammel else f"   (registreret: {gammel})"))
