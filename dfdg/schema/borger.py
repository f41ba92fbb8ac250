from __future__ import annotations

from datetime import date

import strawberry

from dfdg.auth import Rolle
from dfdg.context import idag
from dfdg.loaders import borger as bl
from dfdg.loaders.fravaer import FravaerByCprLoader
from dfdg.loaders.indkaldelse import IndkaldelseByCprLoader
from dfdg.loaders.joblog import JoblogByCprLoader
from dfdg.loaders.jobordre import FormidlingByCprLoader
from dfdg.resolvers import borger as borgerregler
from dfdg.resolvers import fravaer as fravaerregler
from dfdg.resolvers.adgang import kan_se_historikpost
from dfdg.resolvers.identer import maaned_fra_tekst
from dfdg.schema.adgang import Adgangsopslag, adgangslog_for, node_via_borger, synlig_borger
from dfdg.schema.base import Info, from_row, load, load_many, load_one, relation
from dfdg.schema.fravaer import Fravaer
from dfdg.schema.historik import Historik
from dfdg.schema.indkaldelse import Indkaldelse
from dfdg.schema.joblog import JoblogPost
from dfdg.schema.jobordre import Formidling
from dfdg.schema.kodeliste import Kontaktgruppe, Ophoersaarsag, kode
from dfdg.schema.node import Node, int_key, node_resolver, to_global_id


@strawberry.type(description="Et jobcenter. Nummeret er 5 cifre: kommunekode (myndighed) + 2 cifre.")
class Jobcenter(Node):
    nummer: str
    navn: str
    myndighed: str = strawberry.field(description="Myndigheden: jobcenternummerets første tre cifre (R6.2-a).")

    @strawberry.field
    def id(self) -> strawberry.ID:
        return to_global_id("Jobcenter", self.nummer)


@strawberry.type(description="En a-kasse (arbejdsløshedskasse).")
class Akasse(Node):
    nummer: str
    navn: str

    @strawberry.field
    def id(self) -> strawberry.ID:
        return to_global_id("Akasse", self.nummer)


@strawberry.type(description="Status for borgerens pligt til selvbooking af møder på en dato (R2.4-a).")
class Selvbooking:
    pligt: bool = strawberry.field(description="Borgeren har pligt til selvbooking (med risiko for afmelding).")
    fritaget: bool = strawberry.field(description="Borgeren er fritaget af et aktivt fravær.")
    fritaget_af: list[Fravaer] = strawberry.field(description="De aktive fravær, der fritager.")
    frist: bool = strawberry.field(
        description="Borgeren har en frist for selvbooking. Falsk ved fravær 56, 57 og 75: så er der ingen frist."
    )


@strawberry.type(description="En fagprofessionel kontaktperson (FagprofessionelKontakt) for borgeren.")
class Kontaktperson(Node):
    pk: strawberry.Private[int]
    cpr: strawberry.Private[str]
    navn: str
    rolle: str | None
    telefon: str | None
    email: str | None
    oprettet_af: str = strawberry.field(description="Myndigheden, der oprettede kontaktpersonen; kun den kan ændre den (R1.2-a).")

    @strawberry.field
    def id(self) -> strawberry.ID:
        return to_global_id("Kontaktperson", self.pk)


@strawberry.type(description="En indsats (aktivitet) i borgerens plan (Min plan).")
class Indsats(Node):
    pk: strawberry.Private[int]
    cpr: strawberry.Private[str]
    ophoersaarsag_id: strawberry.Private[int | None]
    betegnelse: str
    startdato: date
    slutdato: date | None

    @strawberry.field
    def id(self) -> strawberry.ID:
        return to_global_id("Indsats", self.pk)

    @strawberry.field(description="Ophørsårsag, når indsatsen er afsluttet (14 og 15 kun fra VITAS, R3.1-a).")
    def ophoersaarsag(self, info: Info) -> Ophoersaarsag | None:
        return kode(info, "ophoersaarsager", self.ophoersaarsag_id)


@strawberry.type(description="Medlemskab af en a-kasse, oprettet ved medlemstilgang (MT, R1.3-a).")
class Medlemskab(Node):
    pk: strawberry.Private[int]
    cpr: strawberry.Private[str]
    akasse_nummer: strawberry.Private[str]
    indmeldt: date
    dagpengeretsdato: date | None = strawberry.field(description="UnemploymentBenefitRightsStartDate; må ligge før i dag (R1.3-a).")
    udmeldt: date | None

    @strawberry.field
    def id(self) -> strawberry.ID:
        return to_global_id("Medlemskab", self.pk)

    @strawberry.field(metadata=relation(bl.AkasseByNummerLoader, "akasse_nummer"))
    async def akasse(self, info: Info) -> Akasse | None:
        return await load_one(info, bl.AkasseByNummerLoader, self.akasse_nummer, Akasse)


@strawberry.federation.type(keys=["cpr"], description="En borger (identificeret ved CPR-nummer) og borgerens kontaktforløb.")
class Borger(Node):
    cpr: str = strawberry.field(description="CPR-nummer, 10 cifre.")
    fornavn: str
    efternavn: str
    ledighedsdato: date | None = strawberry.field(description="Ledighedens startdato.")
    moedeform_maalgruppe: bool = strawberry.field(
        description="Plannersystemet har sat borgeren i målgruppen for valg af mødeform (R1.1-b)."
    )
    kontaktgruppe_id: strawberry.Private[int]
    jobcenter_nummer: strawberry.Private[str]
    akasse_nummer: strawberry.Private[str | None]

    @strawberry.field
    def id(self) -> strawberry.ID:
        return to_global_id("Borger", self.cpr)

    @strawberry.field
    def navn(self) -> str:
        return f"{self.fornavn} {self.efternavn}"

    @strawberry.field
    def kontaktgruppe(self, info: Info) -> Kontaktgruppe:
        return kode(info, "kontaktgrupper", self.kontaktgruppe_id)

    @strawberry.field(description="Ansvarligt jobcenter.", metadata=relation(bl.JobcenterByNummerLoader, "jobcenter_nummer"))
    async def jobcenter(self, info: Info) -> Jobcenter | None:
        return await load_one(info, bl.JobcenterByNummerLoader, self.jobcenter_nummer, Jobcenter)

    @strawberry.field(metadata=relation(bl.AkasseByNummerLoader, "akasse_nummer"))
    async def akasse(self, info: Info) -> Akasse | None:
        return await load_one(info, bl.AkasseByNummerLoader, self.akasse_nummer, Akasse)

    @strawberry.field(description="Fraværsregistreringer, nyeste først.", metadata=relation(FravaerByCprLoader, "cpr"))
    async def fravaer(self, info: Info) -> list[Fravaer]:
        return await load_many(info, FravaerByCprLoader, self.cpr, Fravaer)

    @strawberry.field(description="Indkaldelser til møder, nyeste først.", metadata=relation(IndkaldelseByCprLoader, "cpr"))
    async def indkaldelser(self, info: Info) -> list[Indkaldelse]:
        return await load_many(info, IndkaldelseByCprLoader, self.cpr, Indkaldelse)

    @strawberry.field(metadata=relation(bl.KontaktpersonByCprLoader, "cpr"))
    async def kontaktpersoner(self, info: Info) -> list[Kontaktperson]:
        return await load_many(info, bl.KontaktpersonByCprLoader, self.cpr, Kontaktperson)

    @strawberry.field(description="Joblog: registrerede jobsøgninger, nyeste først.", metadata=relation(JoblogByCprLoader, "cpr"))
    async def joblog(self, info: Info) -> list[JoblogPost]:
        return await load_many(info, JoblogByCprLoader, self.cpr, JoblogPost)

    @strawberry.field(description="Indsatser i Min plan.", metadata=relation(bl.IndsatsByCprLoader, "cpr"))
    async def indsatser(self, info: Info) -> list[Indsats]:
        return await load_many(info, bl.IndsatsByCprLoader, self.cpr, Indsats)

    @strawberry.field(description="Formidlinger til jobordrer.", metadata=relation(FormidlingByCprLoader, "cpr"))
    async def formidlinger(self, info: Info) -> list[Formidling]:
        return await load_many(info, FormidlingByCprLoader, self.cpr, Formidling)

    @strawberry.field(description="Medlemskaber af a-kasser.", metadata=relation(bl.MedlemskabByCprLoader, "cpr"))
    async def medlemskab(self, info: Info) -> list[Medlemskab]:
        return await load_many(info, bl.MedlemskabByCprLoader, self.cpr, Medlemskab)

    @strawberry.field(
        description=(
            "Historik over borgerens registreringer, nyeste først: hvem ændrede hvad, hvornår, før og efter "
            "(PersonHistoryService, R2.1-b). Kun poster om registreringer, kalderen selv må læse gennem deres egne "
            "felter (a-kassen ser fx ikke indkaldelser og joblog). Med 'entitet' kun den type registrering, fx Fravaer."
        ),
        metadata=relation(bl.HistorikByCprLoader, "cpr"),
    )
    async def historik(self, info: Info, entitet: str | None = None) -> list[Historik]:
        rows = [r for r in await load(info, bl.HistorikByCprLoader, self.cpr) if entitet is None or r["entitet"] == entitet]
        return [from_row(Historik, r) for r in await synlige_historikposter(info, self.cpr, rows)]

    @strawberry.field(description="Borgeren har ret til selv at vælge mødeform til et møde på datoen (R1.1-b): mindst 6 måneders ledighed og i plannerens målgruppe.")
    def har_ret_til_valg_af_moedeform(self, dato: date | None = None) -> bool:
        return borgerregler.har_ret_til_valg_af_moedeform(
            {"ledighedsdato": self.ledighedsdato, "moedeform_maalgruppe": self.moedeform_maalgruppe}, dato or idag()
        )

    @strawberry.field(description="Pligt og frist for selvbooking på datoen (standard: i dag), R2.4-a.", metadata=relation(FravaerByCprLoader, "cpr"))
    async def selvbooking(self, info: Info, dato: date | None = None) -> Selvbooking:
        status = fravaerregler.selvbooking(await load(info, FravaerByCprLoader, self.cpr), info.context.kodecache, dato or idag())
        return Selvbooking(
            pligt=status.pligt, fritaget=status.fritaget, frist=status.frist,
            fritaget_af=[from_row(Fravaer, r) for r in status.fritaget_af],
        )

    @strawberry.field(description="Pligt til at registrere jobsøgning i joblog i kalendermåneden 'ÅÅÅÅ-MM' (R2.5-a, R4.2-a).", metadata=relation(FravaerByCprLoader, "cpr"))
    async def joblog_pligt(self, info: Info, maaned: str) -> bool:
        foerste = maaned_fra_tekst("maaned", maaned)
        return fravaerregler.joblog_pligt(self.kontaktgruppe_id, await load(info, FravaerByCprLoader, self.cpr), foerste)

    @strawberry.field(description="Omfattet af reglerne om mindre intensiv indsats på datoen (R5.1-a).", metadata=relation(FravaerByCprLoader, "cpr"))
    async def mindre_intensiv_indsats(self, info: Info, dato: date | None = None) -> bool:
        return fravaerregler.mindre_intensiv_indsats(await load(info, FravaerByCprLoader, self.cpr), info.context.kodecache, dato or idag())

    @strawberry.field(description="Borgeren kan modtage a-dagpenge på datoen: dagpengemodtager og ikke på sorgorlov (R2.1-a).", metadata=relation(FravaerByCprLoader, "cpr"))
    async def kan_modtage_dagpenge(self, info: Info, dato: date | None = None) -> bool:
        return fravaerregler.kan_modtage_dagpenge(
            self.kontaktgruppe_id, await load(info, FravaerByCprLoader, self.cpr), info.context.kodecache, dato or idag()
        )

    @strawberry.field(description=(
        "Hvem har set borgerens personoplysninger (adgangsloggen), nyeste først. Kun borgeren selv kan se "
        "sin log; for alle andre er listen tom."
    ))
    async def adgangslog(self, info: Info, first: int | None = None) -> list[Adgangsopslag]:
        return await adgangslog_for(info, self.cpr, first)

    @classmethod
    async def resolve_reference(cls, info: Info, cpr: str) -> Borger | None:
        info.context.kraev_actor()
        return await hent_borger(info, cpr)


async def synlige_historikposter(info: Info, cpr: str, rows: list) -> list:
    """The entries of a citizen's history the caller may read (``kan_se_historikpost``): an entry
    about a summons is shown only to whom the summons is, and so on for every entity."""
    actor = info.context.kraev_actor()
    if not rows:
        return rows
    borger = await load(info, bl.BorgerByCprLoader, cpr)
    egne: frozenset[int] = frozenset()
    if actor.rolle is Rolle.BORGER and actor.cpr and any(r["entitet"] == "Jobordre" for r in rows):
        egne = frozenset(r["jobordre_id"] for r in await load(info, FormidlingByCprLoader, actor.cpr))
    return [r for r in rows if kan_se_historikpost(actor, r, borger, egne)]


async def hent_borger(info: Info, cpr: str) -> Borger | None:
    row = await load(info, bl.BorgerByCprLoader, cpr)
    return from_row(Borger, row) if synlig_borger(info, row) else None


@node_resolver("Borger")
async def _borger_node(info: Info, key: str) -> Borger | None:
    return await hent_borger(info, key)


@node_resolver("Kontaktperson")
async def _kontaktperson_node(info: Info, key: str) -> Kontaktperson | None:
    return await node_via_borger(info, bl.KontaktpersonByIdLoader, int_key(key), Kontaktperson)


@node_resolver("Indsats")
async def _indsats_node(info: Info, key: str) -> Indsats | None:
    return await node_via_borger(info, bl.IndsatsByIdLoader, int_key(key), Indsats)


@node_resolver("Medlemskab")
async def _medlemskab_node(info: Info, key: str) -> Medlemskab | None:
    return await node_via_borger(info, bl.MedlemskabByIdLoader, int_key(key), Medlemskab)


@node_resolver("Jobcenter")
async def _jobcenter_node(info: Info, key: str) -> Jobcenter | None:
    info.context.kraev_actor()
    return await load_one(info, bl.JobcenterByNummerLoader, key, Jobcenter)


@node_resolver("Akasse")
async def _akasse_node(info: Info, key: str) -> Akasse | None:
    info.context.kraev_actor()
    return await load_one(info, bl.AkasseByNummerLoader, key, Akasse)
