from __future__ import annotations

from datetime import date

import strawberry

from dfdg.db import tables as t
from dfdg.loaders import borger as bl
from dfdg.loaders.fravaer import FravaerByCprLoader
from dfdg.loaders.indkaldelse import IndkaldelseByCprLoader
from dfdg.loaders.joblog import JoblogByCprLoader
from dfdg.loaders.jobordre import FormidlingByCprLoader
from dfdg.regler import borger as borgerregler
from dfdg.regler import fravaer as fravaerregler
from dfdg.regler.adgang import kan_se_historikpost
from dfdg.regler.identer import maaned_fra_tekst
from dfdg.schema.adgang import Adgangsopslag
from dfdg.schema.erklaering import afledt, beregnet, globalt_id, kode, raekketype, relation, udvalgt
from dfdg.schema.fravaer import Fravaer
from dfdg.schema.historik import Historik
from dfdg.schema.indkaldelse import Indkaldelse
from dfdg.schema.joblog import JoblogPost
from dfdg.schema.jobordre import Formidling
from dfdg.schema.kodeliste import Kontaktgruppe, Ophoersaarsag
from dfdg.schema.node import Node
from dfdg.schema.pagination import check_first


@raekketype(t.Jobcenter.__table__, node=bl.JobcenterByNummerLoader)
@strawberry.type(description="Et jobcenter. Nummeret er 5 cifre: kommunekode (myndighed) + 2 cifre.")
class Jobcenter(Node):
    nummer: str
    navn: str
    myndighed: str = strawberry.field(description="Myndigheden: jobcenternummerets første tre cifre (R6.2-a).")
    id: strawberry.ID = globalt_id("Jobcenter", "nummer")


@raekketype(t.Akasse.__table__, node=bl.AkasseByNummerLoader)
@strawberry.type(description="En a-kasse (arbejdsløshedskasse).")
class Akasse(Node):
    nummer: str
    navn: str
    id: strawberry.ID = globalt_id("Akasse", "nummer")


@strawberry.type(description="Status for borgerens pligt til selvbooking af møder på en dato (R2.4-a).")
class Selvbooking:
    pligt: bool = strawberry.field(description="Borgeren har pligt til selvbooking (med risiko for afmelding).")
    fritaget: bool = strawberry.field(description="Borgeren er fritaget af et aktivt fravær.")
    fritaget_af: list[Fravaer] = strawberry.field(description="De aktive fravær, der fritager.")
    frist: bool = strawberry.field(
        description="Borgeren har en frist for selvbooking. Falsk ved fravær 56, 57 og 75: så er der ingen frist."
    )


@raekketype(t.Kontaktperson.__table__, node=bl.KontaktpersonByIdLoader)
@strawberry.type(description="En fagprofessionel kontaktperson (FagprofessionelKontakt) for borgeren.")
class Kontaktperson(Node):
    navn: str
    rolle: str | None
    telefon: str | None
    email: str | None
    oprettet_af: str = strawberry.field(description="Myndigheden, der oprettede kontaktpersonen; kun den kan ændre den (R1.2-a).")
    id: strawberry.ID = globalt_id("Kontaktperson")


@raekketype(t.Indsats.__table__, node=bl.IndsatsByIdLoader)
@strawberry.type(description="En indsats (aktivitet) i borgerens plan (Min plan).")
class Indsats(Node):
    betegnelse: str
    startdato: date
    slutdato: date | None
    id: strawberry.ID = globalt_id("Indsats")
    ophoersaarsag: Ophoersaarsag | None = kode(
        "ophoersaarsager", "ophoersaarsag_id", description="Ophørsårsag, når indsatsen er afsluttet (14 og 15 kun fra VITAS, R3.1-a)."
    )


@raekketype(t.Medlemskab.__table__, node=bl.MedlemskabByIdLoader)
@strawberry.type(description="Medlemskab af en a-kasse, oprettet ved medlemstilgang (MT, R1.3-a).")
class Medlemskab(Node):
    indmeldt: date
    dagpengeretsdato: date | None = strawberry.field(description="UnemploymentBenefitRightsStartDate; må ligge før i dag (R1.3-a).")
    udmeldt: date | None
    id: strawberry.ID = globalt_id("Medlemskab")
    akasse: Akasse | None = relation(bl.AkasseByNummerLoader, "akasse_nummer")


def _borger_reference(cpr: str) -> str:
    return cpr


@raekketype(t.Borger.__table__, node=bl.BorgerByCprLoader, borger=True, reference=_borger_reference)
@strawberry.federation.type(keys=["cpr"], description="En borger (identificeret ved CPR-nummer) og borgerens kontaktforløb.")
class Borger(Node):
    cpr: str = strawberry.field(description="CPR-nummer, 10 cifre.")
    fornavn: str
    efternavn: str
    ledighedsdato: date | None = strawberry.field(description="Ledighedens startdato.")
    moedeform_maalgruppe: bool = strawberry.field(
        description="Plannersystemet har sat borgeren i målgruppen for valg af mødeform (R1.1-b)."
    )
    id: strawberry.ID = globalt_id("Borger", "cpr")
    kontaktgruppe: Kontaktgruppe = kode("kontaktgrupper", "kontaktgruppe_id")
    jobcenter: Jobcenter | None = relation(bl.JobcenterByNummerLoader, "jobcenter_nummer", description="Ansvarligt jobcenter.")
    akasse: Akasse | None = relation(bl.AkasseByNummerLoader, "akasse_nummer")
    fravaer: list[Fravaer] = relation(FravaerByCprLoader, "cpr", description="Fraværsregistreringer, nyeste først.")
    indkaldelser: list[Indkaldelse] = relation(IndkaldelseByCprLoader, "cpr", description="Indkaldelser til møder, nyeste først.")
    kontaktpersoner: list[Kontaktperson] = relation(bl.KontaktpersonByCprLoader, "cpr")
    joblog: list[JoblogPost] = relation(JoblogByCprLoader, "cpr", description="Joblog: registrerede jobsøgninger, nyeste først.")
    indsatser: list[Indsats] = relation(bl.IndsatsByCprLoader, "cpr", description="Indsatser i Min plan.")
    formidlinger: list[Formidling] = relation(FormidlingByCprLoader, "cpr", description="Formidlinger til jobordrer.")
    medlemskab: list[Medlemskab] = relation(bl.MedlemskabByCprLoader, "cpr", description="Medlemskaber af a-kasser.")

    @beregnet(("fornavn", "efternavn"), serialiseret=True)
    def navn(r) -> str:
        return f"{r['fornavn']} {r['efternavn']}"

    # the entries' visibility reads the citizen's visibility facts: the whole row
    @udvalgt(bl.HistorikByCprLoader, "cpr", hent=[(FormidlingByCprLoader, "cpr")], kolonner=None, ressource="historik", description=(
        "Historik over borgerens registreringer, nyeste først: hvem ændrede hvad, hvornår, før og efter "
        "(PersonHistoryService, R2.1-b). Kun poster om registreringer, kalderen selv må læse gennem deres egne "
        "felter (a-kassen ser fx ikke indkaldelser og joblog). Med 'entitet' kun den type registrering, fx Fravaer."
    ))
    def historik(r, rows, formidlinger, ctx, entitet: str | None = None) -> list[Historik]:
        # the citizen's referrals: a citizen reading its own history sees the job orders it was referred to
        egne = frozenset(f["jobordre_id"] for f in formidlinger)
        return [p for p in rows if (entitet is None or p["entitet"] == entitet) and kan_se_historikpost(ctx.actor, p, r, egne)]

    @beregnet(("ledighedsdato", "moedeform_maalgruppe"), description=(
        "Borgeren har ret til selv at vælge mødeform til et møde på datoen (R1.1-b): mindst 6 måneders ledighed og i "
        "plannerens målgruppe."
    ))
    def har_ret_til_valg_af_moedeform(r, ctx, dato: date | None = None) -> bool:
        return borgerregler.har_ret_til_valg_af_moedeform(
            {"ledighedsdato": r["ledighedsdato"], "moedeform_maalgruppe": r["moedeform_maalgruppe"]}, dato or ctx.idag
        )

    @afledt([(FravaerByCprLoader, "cpr")], resultat="objekt", description="Pligt og frist for selvbooking på datoen (standard: i dag), R2.4-a.")
    def selvbooking(r, fravaer, ctx, dato: date | None = None) -> Selvbooking:
        return fravaerregler.selvbooking(fravaer, ctx.kodecache, dato or ctx.idag)

    @afledt([(FravaerByCprLoader, "cpr")], kolonner=("kontaktgruppe_id",), description=(
        "Pligt til at registrere jobsøgning i joblog i kalendermåneden 'ÅÅÅÅ-MM' (R2.5-a, R4.2-a)."
    ))
    def joblog_pligt(r, fravaer, maaned: str) -> bool:
        return fravaerregler.joblog_pligt(r["kontaktgruppe_id"], fravaer, maaned_fra_tekst("maaned", maaned))

    @afledt([(FravaerByCprLoader, "cpr")], description="Omfattet af reglerne om mindre intensiv indsats på datoen (R5.1-a).")
    def mindre_intensiv_indsats(r, fravaer, ctx, dato: date | None = None) -> bool:
        return fravaerregler.mindre_intensiv_indsats(fravaer, ctx.kodecache, dato or ctx.idag)

    @afledt([(FravaerByCprLoader, "cpr")], kolonner=("kontaktgruppe_id",), description=(
        "Borgeren kan modtage a-dagpenge på datoen: dagpengemodtager og ikke på sorgorlov (R2.1-a)."
    ))
    def kan_modtage_dagpenge(r, fravaer, ctx, dato: date | None = None) -> bool:
        return fravaerregler.kan_modtage_dagpenge(r["kontaktgruppe_id"], fravaer, ctx.kodecache, dato or ctx.idag)

    @udvalgt(bl.AdgangslogByCprLoader, "cpr", ressource="adgangslog", description=(
        "Hvem har set borgerens personoplysninger (adgangsloggen), nyeste først. Kun borgeren selv kan se "
        "sin log; for alle andre er listen tom."
    ))
    def adgangslog(r, rows, ctx, first: int | None = None) -> list[Adgangsopslag]:
        return rows[:check_first(first, ctx.settings)]
