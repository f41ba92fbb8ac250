"""Deterministic demo data: citizens, their course, companies and job orders.

``seed_database(dsn, borgere=…, seed=…, idag=…)`` fills an upgraded database in one transaction
with COPY. The same ``seed`` and ``idag`` give the same rows, byte for byte: one
``random.Random(seed)`` is drawn from in a fixed order, every timestamp is derived from ``idag``
(never from the clock), and every bigint id is set explicitly (the id sequences are moved past
them afterwards, so later inserts work).

Memory stays bounded for large runs: citizens are generated and copied in chunks, and CPR
uniqueness is kept in a fixed-size bitmap over (birth date, serial number).

The rows respect the CHECK constraints of ``dfdg.db.tables`` and the rules of release 2022-3
(``RULES.md``): expired meeting forms only in history before their ``gyldig_til``, a link on
every digital meeting (form 8), absence type 78 only in the COVID-19 period, type 79 only on
kontaktgruppe 1, modulus-11-valid CVR numbers, and so on. The first citizens, companies and job
orders are forced through every code and state, so even a small seed covers them all.
"""

from __future__ import annotations

import asyncio
import random
import sys
from bisect import bisect_right
from datetime import date, datetime, time, timedelta
from itertools import accumulate

import asyncpg

from dfdg.db import kodelister as kl
from dfdg.db import seed_data as sd
from dfdg.db.tables import TABLES
from dfdg.regler.indkaldelse import BORGERENS_VALG
from dfdg.regler.joblog import TIDLIGSTE_DATO
from dfdg.regler.koder import JOBORDRE_AABEN
from dfdg.regler.tid import DANMARK as CPH

RELEASE = kl.RELEASE_2022_3
TIDLIGERE = kl.TIDLIGERE_RELEASE
COVID_FRA = date(2020, 3, 1)
COVID_TIL = date(2022, 3, 31)  # R2.2-a: the scheme ended 31 March 2022
JOBLOG_MIN = TIDLIGSTE_DATO  # R4.1-a

CHUNK = 20_000  # citizens generated and copied at a time
# The demo citizen of the README (``dfdg token --role borger --cpr 1505901238``): the first citizen
# of every seed has this CPR number, whatever the day of seeding.
DEMO_CPR = "1505901238"
_LOCK_KEY = 0x0DFD6_5EED  # advisory lock: one seeder at a time

# Tables loaded by the migrations (reference data): never truncated here.
KODELISTE_TABELLER = frozenset({
    "moedeform", "fravaerstype", "kontaktgruppe", "fravaerstype_kontaktgruppe", "ophoersaarsag",
    "jobordrestatus", "formidlingsstatustype", "samtaletype", "alembic_version",
})

# Every table the seed writes, in foreign-key order, with its columns in COPY order.
KOLONNER: dict[str, tuple[str, ...]] = {
    "jobcenter": ("nummer", "navn", "myndighed"),
    "akasse": ("nummer", "navn"),
    "virksomhed": ("cvr_nummer", "navn", "spaerret"),
    "produktionsenhed": ("p_nummer", "cvr_nummer", "navn", "adresse"),
    "virksomhedskonto": ("id", "cvr_nummer", "p_nummer", "oprettet"),
    "jobag_bruger": ("id", "konto_id", "navn", "aktiv", "seneste_login"),
    "jobordre": ("id", "cvr_nummer", "p_nummer", "titel", "antal_stillinger", "status_id",
                 "ansvarligt_jobcenter", "oprettet", "opdateret"),
    "moedetilbud": ("id", "jobcenter_nummer", "starttid", "sluttid", "sted", "lokationsuddybning",
                    "moedeform_id", "tilladte_moedeformer", "samtaletype_id", "kapacitet",
                    "antal_booket", "kun_personligt", "moedelink", "oprettet"),
    "borger": ("cpr", "fornavn", "efternavn", "kontaktgruppe_id", "ledighedsdato",
               "jobcenter_nummer", "akasse_nummer", "moedeform_maalgruppe", "oprettet"),
    "anden_aktoer_tildeling": ("cpr", "aktoer", "fra", "til"),
    "medlemskab": ("id", "cpr", "akasse_nummer", "indmeldt", "dagpengeretsdato", "udmeldt",
                   "oprettet"),
    "fravaer": ("id", "cpr", "fravaerstype_id", "fra", "til", "registreret_af", "registreret",
                "opdateret"),
    "indkaldelse": ("id", "cpr", "jobcenter_nummer", "moedetilbud_id", "starttid", "sluttid",
                    "moedeform_id", "samtaletype_id", "sted", "lokationsuddybning", "moedelink",
                    "kun_personligt", "moededeltagelsesvalg_id", "status", "oprettet_af",
                    "oprettet", "opdateret"),
    "kontaktperson": ("id", "cpr", "navn", "rolle", "telefon", "email", "oprettet_af",
                      "oprettet_af_rolle", "oprettet"),
    "joblog": ("id", "cpr", "stillingsbetegnelse", "virksomhedsnavn", "ansoegningsdato",
               "ansoegningsfrist", "oprettet"),
    "indsats": ("id", "cpr", "betegnelse", "startdato", "slutdato", "ophoersaarsag_id",
                "oprettet"),
    "formidling": ("id", "jobordre_id", "cpr", "formidlingsstatustype_id", "oprettet_af",
                   "oprettet"),
}
BORGER_TABELLER = ("borger", "anden_aktoer_tildeling", "medlemskab", "fravaer", "indkaldelse",
                   "kontaktperson", "joblog", "indsats", "formidling")
ID_TABELLER = tuple(t for t, cols in KOLONNER.items() if cols[0] == "id")

# --- code-list facts used by the generator -----------------------------------------------

FRAVAERSTYPE_IDER = [t[0] for t in kl.FRAVAERSTYPER]
_FRAVAER_VAEGT = {11: 25, 10: 20, 2: 6, 45: 6, 1: 5, 8: 4, 75: 4, 4: 3, 56: 3, 57: 2, 43: 2,
                  44: 2, 46: 2, 71: 2, 72: 2, 73: 2, 23: 2, 24: 2}
# 78 can no longer be created (R2.2-a) and 79 is restricted (R2.1-a): both are drawn separately.
_FRAVAER_ALM = [t for t in FRAVAERSTYPE_IDER if t not in (78, 79)]
_FRAVAER_ALM_CUM = list(accumulate(_FRAVAER_VAEGT.get(t, 1) for t in _FRAVAER_ALM))
_KUN_PAA = kl.KUN_PAA_KONTAKTGRUPPE

_ANDRE_KONTAKTGRUPPER = [i for i, _ in kl.KONTAKTGRUPPER if i not in (1, 7)]
# mødeform: validity per id, from the code list (closed-open)
_MOEDEFORM_GYLDIG = {m[0]: (m[3], m[4]) for m in kl.MOEDEFORMER}
_HISTORIK_FORM_VAEGT = {1: 40, 2: 25, 3: 6, 4: 10, 5: 4, 6: 3, 7: 3, 8: 15, 9: 3}
_FREMTID_FORM_VAEGT = {1: 50, 2: 25, 3: 3, 8: 18, 9: 4}
_BORGERVALG = BORGERENS_VALG  # R1.1-a
_SAMTALETYPER_HIST = [(7, 60), (4, 10), (9, 8), (10, 6), (11, 5), (12, 4), (13, 2), (15, 5), (8, 2)]
_SAMTALE_IDER = [s for s, _ in _SAMTALETYPER_HIST]
_SAMTALE_CUM = list(accumulate(w for _, w in _SAMTALETYPER_HIST))
_TILLADTE = [([1, 2, 8], 40), ([1, 2], 20), ([1, 8], 15), ([1], 10), ([2, 8], 5), ([2], 5),
             ([8], 5)]
_TILLADTE_IDER = [t for t, _ in _TILLADTE]
_TILLADTE_CUM = list(accumulate(w for _, w in _TILLADTE))
_AKASSE_NR = [a[0] for a in sd.AKASSER]
_AKASSE_CUM = list(accumulate(a[2] for a in sd.AKASSER))


# The dates where some meeting form starts or stops being valid split time into eras; within
# an era the valid forms (and so the weights to draw from) are the same.
_FORM_GRAENSER = sorted({d for fra, til in _MOEDEFORM_GYLDIG.values() for d in (fra, til) if d})
_FORM_CACHE: dict[tuple[int, bool], tuple[list[int], list[int]]] = {}


def _gyldige_former(dag: date, fremtid: bool) -> tuple[list[int], list[int]]:
    """Meeting forms valid on ``dag`` (R1.1-d), with cumulative weights for drawing one."""
    noegle = (bisect_right(_FORM_GRAENSER, dag), fremtid)
    if noegle not in _FORM_CACHE:
        vaegte = _FREMTID_FORM_VAEGT if fremtid else _HISTORIK_FORM_VAEGT
        ider = [f for f in vaegte if _MOEDEFORM_GYLDIG[f][0] <= dag
                and (_MOEDEFORM_GYLDIG[f][1] is None or dag < _MOEDEFORM_GYLDIG[f][1])]
        _FORM_CACHE[noegle] = ider, list(accumulate(vaegte[f] for f in ider))
    return _FORM_CACHE[noegle]


def cvr_gyldig(cvr: str) -> bool:
    """CVR modulus 11: weights 2,7,6,5,4,3,2,1, weighted sum divisible by 11."""
    return len(cvr) == 8 and cvr.isdigit() and sum(
        int(c) * w for c, w in zip(cvr, (2, 7, 6, 5, 4, 3, 2, 1), strict=True)) % 11 == 0


def cpr_modulus11(cpr: str) -> bool:
    """CPR modulus 11 (weights 4,3,2,7,6,5,4,3,2,1) — NOT required of valid numbers."""
    return len(cpr) == 10 and cpr.isdigit() and sum(
        int(c) * w for c, w in zip(cpr, (4, 3, 2, 7, 6, 5, 4, 3, 2, 1), strict=True)) % 11 == 0


class _Fremskridt:
    """A plain progress bar on stderr: ``\\r[#####     ]  50% fravaer``."""

    def __init__(self, aktiv: bool) -> None:
        self.aktiv = aktiv

    def vis(self, andel: float, tekst: str) -> None:
        if not self.aktiv:
            return
        andel = min(max(andel, 0.0), 1.0)
        fyld = int(andel * 30)
        sys.stderr.write(f"\r[{'#' * fyld}{' ' * (30 - fyld)}] {int(andel * 100):3d}% {tekst:<24}")
        sys.stderr.flush()

    def slut(self) -> None:
        if self.aktiv:
            self.vis(1.0, "færdig")
            sys.stderr.write("\n")
            sys.stderr.flush()


class _Generator:
    def __init__(self, seed: int, idag: date, borgere: int) -> None:
        self.r = random.Random(seed)
        self.idag = idag
        self.borgere = borgere
        self.nu = datetime.combine(idag, time(0), CPH)  # every past timestamp lies before this
        self.idag_ord = idag.toordinal()
        self.hist_start_ord = min(idag.toordinal() - 3 * 365, date(2020, 6, 1).toordinal())
        self.jobcentre = sd.jobcentre()
        self.jc_myndighed = {nr: m for nr, _, m in self.jobcentre}
        self.jc_numre = [nr for nr, _, _ in self.jobcentre]
        self.jc_under = [nr for nr, _, _ in self.jobcentre if not nr.endswith("00")]
        self.jc_per_kommune: dict[str, list[str]] = {}
        for nr, _, m in self.jobcentre:
            self.jc_per_kommune.setdefault(m, []).append(nr)
        self.myndigheder = [k for k, _ in sd.KOMMUNER]
        kommune_navn = self.kommune_navn = dict(sd.KOMMUNER)
        self.domaene = {k: sd.domaene(n) for k, n in sd.KOMMUNER}
        r = self.r
        # each jobcentre's own address, where its in-person meetings are held
        self.jc_sted = {
            nr: f"{navn}, {r.choice(sd.VEJNAVNE)} {r.randint(1, 120)}, {kommune_navn[m]}"
            for nr, navn, m in self.jobcentre
        }
        # CPR bitmap over (birth day, serial): birth 18–67 years before idag
        self.foedt_fra = idag.toordinal() - int(67 * 365.25)
        self.foedt_dage = int(49 * 365.25)
        self.cpr_brugt = bytearray((self.foedt_dage * 10_000) // 8 + 1)
        demo_idx = date(1900 + int(DEMO_CPR[4:6]), int(DEMO_CPR[2:4]), int(DEMO_CPR[:2])).toordinal() - self.foedt_fra
        if 0 <= demo_idx < self.foedt_dage:  # never drawn for anyone else
            bit = demo_idx * 10_000 + int(DEMO_CPR[6:])
            self.cpr_brugt[bit >> 3] |= 1 << (bit & 7)
        self.id = {t: 0 for t in ID_TABELLER}
        self.tilbud_per_jc: dict[str, list[list]] = {}
        self.tilbud_booket: dict[int, int] = {}
        self.tilbud_maal: dict[int, int] = {}
        self.formidlinger: dict[int, list[tuple[int, datetime]]] = {}
        self.firmanavne: list[str] = []

    # --- small helpers -------------------------------------------------------------------

    def næste_id(self, tabel: str) -> int:
        self.id[tabel] += 1
        return self.id[tabel]

    def dato(self, fra_ord: int, til_ord: int) -> date:
        return date.fromordinal(self.r.randint(fra_ord, til_ord))

    def tid(self, dag: date) -> datetime:
        """A time during office hours on ``dag`` (Copenhagen)."""
        s = self.r.randrange(7 * 3600, 17 * 3600)
        return datetime(dag.year, dag.month, dag.day, s // 3600, s // 60 % 60, s % 60, tzinfo=CPH)

    def foer_nu(self, t: datetime) -> datetime:
        if t >= self.nu:
            return self.nu - timedelta(seconds=self.r.randint(600, 3 * 86400))
        return t

    def hverdag(self, dag: date) -> date:
        wd = dag.weekday()
        return dag + timedelta(days=7 - wd) if wd >= 5 else dag

    def link(self) -> str:
        return f"{sd.MOEDELINK_DOMAENE}{self.r.getrandbits(64):016x}"

    # --- reference organisations --------------------------------------------------------

    def organisationer(self) -> dict[str, list[tuple]]:
        return {
            "jobcenter": list(self.jobcentre),
            "akasse": [(nr, navn) for nr, navn, _ in sd.AKASSER],
        }

    def firmanavn(self) -> str:
        r = self.r
        if r.random() < 0.2:
            return f"{r.choice(sd.EFTERNAVNE)} & Søn {r.choice(sd.FIRMA_SUFFIKSER)}"
        kerne = r.choice(sd.FIRMA_KERNER)
        if r.random() < 0.75:
            return f"{r.choice(sd.FIRMA_PRAEFIKSER)} {kerne} {r.choice(sd.FIRMA_SUFFIKSER)}"
        return f"{r.choice(sd.EFTERNAVNE)}s {kerne} {r.choice(sd.FIRMA_SUFFIKSER)}"

    def cvr(self, brugte: set[str]) -> str:
        r = self.r
        while True:
            cifre = [r.randint(1, 9)] + [r.randint(0, 9) for _ in range(6)]
            kontrol = -sum(c * w for c, w in zip(cifre, (2, 7, 6, 5, 4, 3, 2), strict=True)) % 11
            if kontrol == 10:
                continue
            cvr = "".join(map(str, cifre)) + str(kontrol)
            if cvr not in brugte:
                brugte.add(cvr)
                return cvr

    def virksomheder(self) -> tuple[dict[str, list[tuple]], list[tuple[str, str, list[str]]]]:
        """Companies, production units, JobAG accounts and users (R7.1)."""
        r = self.r
        antal = max(50, self.borgere // 20)
        tabeller = ("virksomhed", "produktionsenhed", "virksomhedskonto", "jobag_bruger")
        rows: dict[str, list[tuple]] = {t: [] for t in tabeller}
        fornavne = sd.FORNAVNE_MAEND + sd.FORNAVNE_KVINDER
        brugte_cvr: set[str] = set()
        brugte_p: set[str] = set()
        firmaer = []
        nu_ord = self.idag_ord
        for i in range(antal):
            cvr = self.cvr(brugte_cvr)
            navn = self.firmanavn()
            self.firmanavn_liste_tilfoej(navn)
            # forced coverage: 0 active+inactive users, 1 only inactive users, 2 accounts
            # without users, 3 blocked (spærret)
            spaerret = i == 3 or r.random() < 0.03
            rows["virksomhed"].append((cvr, navn, spaerret))
            kommune = r.choice(self.myndigheder)
            antal_enheder = 1 if i < 4 else r.choices((1, 2, 3), cum_weights=(60, 90, 100))[0]
            p_numre = []
            for j in range(antal_enheder):
                while True:
                    p = str(r.randrange(1_000_000_000, 2_000_000_000))
                    if p not in brugte_p:
                        brugte_p.add(p)
                        break
                p_numre.append(p)
                by = kommune if r.random() < 0.8 else r.choice(self.myndigheder)
                enhed = navn if j == 0 else f"{navn}, {r.choice(sd.ENHED_BETEGNELSER)}"
                adresse = f"{r.choice(sd.VEJNAVNE)} {r.randint(1, 150)}, {self.kommune_navn[by]}"
                rows["produktionsenhed"].append((p, cvr, enhed, adresse))
                if not (i < 4 or r.random() < 0.6):
                    continue
                konto_id = self.næste_id("virksomhedskonto")
                oprettet = self.tid(self.dato(nu_ord - 5 * 365, nu_ord - 1))
                rows["virksomhedskonto"].append((konto_id, cvr, p, oprettet))
                if i == 0:
                    brugere = [True, False]
                elif i == 1:
                    brugere = [False]
                elif i == 2:
                    brugere = []
                else:
                    n = r.choices((0, 1, 2, 3, 4), cum_weights=(15, 50, 75, 90, 100))[0]
                    brugere = [r.random() < 0.75 for _ in range(n)]
                for aktiv in brugere:
                    login = None if r.random() < 0.15 else self.foer_nu(
                        self.tid(self.dato(nu_ord - 365, nu_ord - 1)))
                    rows["jobag_bruger"].append((
                        self.næste_id("jobag_bruger"), konto_id,
                        f"{r.choice(fornavne)} {r.choice(sd.EFTERNAVNE)}",
                        aktiv, login))
            firmaer.append((cvr, kommune, p_numre))
        return rows, firmaer

    def firmanavn_liste_tilfoej(self, navn: str) -> None:
        if len(self.firmanavne) < 5000:
            self.firmanavne.append(navn)

    def jobordrer(self, firmaer: list[tuple[str, str, list[str]]]) -> list[tuple]:
        """Job orders in all three statuses; referrals are planned for the open ones (R6.1-a)."""
        r = self.r
        antal = max(30, self.borgere // 10)
        rows = []
        aabne = []
        for i in range(antal):
            cvr, kommune, p_numre = r.choice(firmaer)
            status = (1, 2, 3)[i] if i < 3 else r.choices((1, 2, 3), cum_weights=(50, 65, 100))[0]
            if i < 6:  # some sub-jobcentres responsible (R6.2-a)
                ansvarlig = self.jc_under[i % len(self.jc_under)]
            elif r.random() < 0.7:
                ansvarlig = r.choice(self.jc_per_kommune[kommune])
            else:
                ansvarlig = r.choice(self.jc_numre)
            oprettet = self.tid(self.dato(self.idag_ord - 365, self.idag_ord - 1))
            opdateret = self.foer_nu(oprettet + timedelta(seconds=r.randint(0, 90 * 86400)))
            jid = self.næste_id("jobordre")
            p_nummer = r.choice(p_numre) if r.random() < 0.9 else None
            stillinger = r.choices((1, 2, 3, 5), cum_weights=(70, 85, 95, 100))[0]
            rows.append((jid, cvr, p_nummer, r.choice(sd.STILLINGSBETEGNELSER), stillinger, status,
                         ansvarlig, oprettet, opdateret))
            if status == JOBORDRE_AABEN:
                aabne.append((jid, oprettet))
        # 0–3 referrals per open job order, to distinct citizens
        for jid, oprettet in aabne:
            k = r.choices((0, 1, 2, 3), cum_weights=(30, 65, 85, 100))[0]
            for idx in r.sample(range(self.borgere), min(k, self.borgere)):
                self.formidlinger.setdefault(idx, []).append((jid, oprettet))
        return rows

    def moedetilbud(self) -> list[tuple]:
        """A handful of self-booking offers per jobcentre in the coming weeks (R1.1-a, -g)."""
        r = self.r
        rows = []
        for nr in self.jc_numre:
            for _ in range(r.randint(3, 8)):
                dag = self.hverdag(date.fromordinal(self.idag_ord + r.randint(1, 42)))
                start = datetime(dag.year, dag.month, dag.day, r.randint(8, 14),
                                 r.choice((0, 15, 30, 45)), tzinfo=CPH)
                slut = start + timedelta(minutes=r.choice((30, 45, 60)))
                kun_personligt = r.random() < 0.1
                if kun_personligt:
                    tilladte = [1]
                else:
                    tilladte = list(r.choices(_TILLADTE_IDER, cum_weights=_TILLADTE_CUM)[0])
                form = 1 if 1 in tilladte and r.random() < 0.8 else r.choice(tilladte)
                link = self.link() if 8 in tilladte else None
                lok = None
                if 1 in tilladte and r.random() < 0.6:
                    lok = r.choice(sd.LOKATIONSUDDYBNINGER)
                samtale = 7 if r.random() < 0.8 else r.choice((4, 9, 10, 11, 15))
                kap = 1 if r.random() < 0.5 else r.randint(2, 10)
                oprettet = self.tid(date.fromordinal(self.idag_ord - r.randint(1, 30)))
                tid = self.næste_id("moedetilbud")
                # how far the citizens' bookings may fill it: some fill up, most keep room
                self.tilbud_maal[tid] = kap if r.random() < 0.2 else r.randint(0, kap - 1)
                row = [tid, nr, start, slut, self.jc_sted[nr], lok, form, tilladte, samtale, kap, 0,
                       kun_personligt, link, oprettet]
                rows.append(row)
                self.tilbud_per_jc.setdefault(nr, []).append(row)
        return rows

    # --- citizens ------------------------------------------------------------------------

    def cpr(self) -> tuple[str, bool]:
        """A unique CPR number, real birth date, ~10 % failing modulus 11. Returns (cpr, male)."""
        r = self.r
        while True:
            d_idx = r.randrange(self.foedt_dage)
            f = date.fromordinal(self.foedt_fra + d_idx)
            dd, mm, yy = f.day, f.month, f.year % 100
            s1 = r.randint(0, 3) if f.year < 2000 else r.randint(4, 9)  # century digit
            s2, s3 = r.randint(0, 9), r.randint(0, 9)
            s = (4 * (dd // 10) + 3 * (dd % 10) + 2 * (mm // 10) + 7 * (mm % 10) + 6 * (yy // 10)
                 + 5 * (yy % 10) + 4 * s1 + 3 * s2 + 2 * s3)
            if r.random() < 0.1:
                kontrol = r.randint(0, 9)
                if (s + kontrol) % 11 == 0:
                    kontrol = (kontrol + 1) % 10
            else:
                kontrol = -s % 11
                if kontrol == 10:
                    continue
            bit = d_idx * 10_000 + s1 * 1000 + s2 * 100 + s3 * 10 + kontrol
            if self.cpr_brugt[bit >> 3] & (1 << (bit & 7)):
                continue
            self.cpr_brugt[bit >> 3] |= 1 << (bit & 7)
            return f"{dd:02d}{mm:02d}{yy:02d}{s1}{s2}{s3}{kontrol}", kontrol % 2 == 1

    def chunk(self, start: int) -> dict[str, list[tuple]]:
        """The rows of citizens start … start+CHUNK-1 and everything that hangs on them."""
        out: dict[str, list[tuple]] = {t: [] for t in BORGER_TABELLER}
        for idx in range(start, min(start + CHUNK, self.borgere)):
            self.borger(idx, out)
        return out

    def borger(self, idx: int, out: dict[str, list[tuple]]) -> None:
        r = self.r
        idag_ord = self.idag_ord
        cpr, mand = self.cpr()
        if idx == 0:  # drawn all the same, so the rest of the data stays as it was
            cpr, mand = DEMO_CPR, int(DEMO_CPR[-1]) % 2 == 1
        fornavn = r.choice(sd.FORNAVNE_MAEND if mand else sd.FORNAVNE_KVINDER)
        efternavn = r.choice(sd.EFTERNAVNE)
        if r.random() < 0.2:
            efternavn = f"{r.choice(sd.EFTERNAVNE)} {efternavn}"
        tvunget_fravaer = FRAVAERSTYPE_IDER[idx] if idx < len(FRAVAERSTYPE_IDER) else None
        x = r.random()
        kg = 1 if x < 0.6 else 7 if x < 0.75 else r.choice(_ANDRE_KONTAKTGRUPPER)
        if tvunget_fravaer is not None and tvunget_fravaer in _KUN_PAA:
            kg = min(_KUN_PAA[tvunget_fravaer])
        ledig = None
        if kg == 1 or r.random() < 0.85:  # unemployed 0–24 months
            ledig = date.fromordinal(idag_ord - r.randint(0, 730))
        jc = r.choice(self.jc_numre)
        myndighed = self.jc_myndighed[jc]
        maalgruppe = r.random() < 0.4
        akasse = None
        if kg == 1 or r.random() < 0.1:
            akasse = r.choices(_AKASSE_NR, cum_weights=_AKASSE_CUM)[0]
            self.medlemskab(cpr, akasse, kg, ledig, out["medlemskab"])
        basis = ledig or date.fromordinal(idag_ord - r.randint(0, 1500))
        oprettet = self.foer_nu(self.tid(date.fromordinal(basis.toordinal() - r.randint(0, 1000))))
        out["borger"].append((cpr, fornavn, efternavn, kg, ledig, jc, akasse, maalgruppe, oprettet))

        if r.random() < 0.03:
            fra = date.fromordinal(idag_ord - r.randint(0, 365))
            til = None
            if r.random() >= 0.6:
                til = date.fromordinal(fra.toordinal() + r.randint(30, 365))
            out["anden_aktoer_tildeling"].append((cpr, r.choice(sd.ANDRE_AKTOERER), fra, til))

        self.fravaer(cpr, kg, myndighed, tvunget_fravaer, out["fravaer"])
        tvunget_form = idx + 1 if idx < 9 else None
        self.indkaldelser(cpr, jc, myndighed, ledig, maalgruppe, tvunget_form, out["indkaldelse"])
        self.kontaktpersoner(cpr, myndighed, out["kontaktperson"])
        self.joblog(cpr, kg, out["joblog"])
        self.indsatser(cpr, out["indsats"])
        for jid, jo_oprettet in self.formidlinger.pop(idx, ()):
            t = self.foer_nu(jo_oprettet + timedelta(seconds=r.randint(3600, 60 * 86400)))
            out["formidling"].append((self.næste_id("formidling"), jid, cpr, 2, myndighed, t))

    def medlemskab(self, cpr: str, akasse: str, kg: int, ledig: date | None, rows: list) -> None:
        r = self.r
        basis = (ledig or self.idag).toordinal()
        siden = r.randint(0, 364) if r.random() < 0.15 else r.randint(365, 7300)
        indmeldt = date.fromordinal(basis - siden)
        if kg == 1:
            # R1.3-a: the rights start date may lie before today (mostly does)
            dagpengeret = date.fromordinal(basis + r.randint(0, 14))
        else:
            dagpengeret = None if r.random() < 0.8 else date.fromordinal(basis + r.randint(0, 14))
        if r.random() < 0.05:  # an earlier membership of another fund
            tidligere = r.choices(_AKASSE_NR, cum_weights=_AKASSE_CUM)[0]
            if tidligere != akasse:
                ind = date.fromordinal(indmeldt.toordinal() - r.randint(365, 3650))
                ud = date.fromordinal(indmeldt.toordinal() - 1)
                rows.append((self.næste_id("medlemskab"), cpr, tidligere, ind, None, ud,
                             self.tid(ind)))
        rows.append((self.næste_id("medlemskab"), cpr, akasse, indmeldt, dagpengeret, None,
                     self.foer_nu(self.tid(indmeldt))))

    def fravaer_periode(self, kategori: str) -> tuple[date, date | None]:
        r = self.r
        i = self.idag_ord
        if kategori == "covid":
            fra = self.dato(COVID_FRA.toordinal(), COVID_TIL.toordinal() - 7)
            return fra, min(date.fromordinal(fra.toordinal() + r.randint(7, 120)), COVID_TIL)
        if kategori == "sorg":
            lo = max(RELEASE.toordinal(), i - 120)
            fra = self.dato(lo, max(lo, i - 1))
            return fra, date.fromordinal(fra.toordinal() + r.randint(1, 60))
        if kategori == "gammel":
            fra = self.dato(i - 1460, i - 60)
            return fra, date.fromordinal(min(fra.toordinal() + r.randint(1, 90), i - 1))
        if kategori == "aktuel":
            fra = self.dato(i - 60, i)
            return fra, None if r.random() < 0.4 else date.fromordinal(i + r.randint(0, 60))
        fra = self.dato(i + 1, i + 60)  # planned
        til = None if r.random() < 0.2 else date.fromordinal(fra.toordinal() + r.randint(1, 30))
        return fra, til

    def fravaer(self, cpr: str, kg: int, myndighed: str, tvunget: int | None, rows: list) -> None:
        r = self.r
        perioder: list[list] = []  # [fra, til, type]
        if tvunget is not None:
            kategori = {78: "covid", 79: "sorg"}.get(tvunget, "aktuel" if tvunget % 2 else "gammel")
            perioder.append([*self.fravaer_periode(kategori), tvunget])
        else:
            n = r.choices((0, 1, 2, 3), cum_weights=(35, 70, 90, 100))[0]
            for _ in range(n):
                x = r.random()
                kategori = ("covid" if x < 0.06 else "gammel" if x < 0.40 else "aktuel" if x < 0.75
                            else "planlagt")
                type_id = 78 if kategori == "covid" else None
                perioder.append([*self.fravaer_periode(kategori), type_id])
            perioder.sort(key=lambda p: p[0])
            # no overlapping absences: end each one the day before the next starts
            for k in range(len(perioder) - 1):
                fra, til, _ = perioder[k]
                naeste = perioder[k + 1][0]
                if til is None or til >= naeste:
                    perioder[k][1] = naeste - timedelta(days=1)
            perioder = [p for p in perioder if p[1] is None or p[1] >= p[0]]
        for fra, til, type_id in perioder:
            if type_id is None:
                if kg in _KUN_PAA[79] and fra >= RELEASE and r.random() < 0.03:
                    type_id = 79
                else:
                    type_id = r.choices(_FRAVAER_ALM, cum_weights=_FRAVAER_ALM_CUM)[0]
            registreret = self.foer_nu(
                self.tid(date.fromordinal(fra.toordinal() + r.randint(-10, 2))))
            if r.random() < 0.7:
                opdateret = registreret
            else:
                spaend = max(1, ((til or self.idag) - fra).days)
                opdateret = self.foer_nu(registreret + timedelta(days=r.randint(1, spaend),
                                                                 seconds=r.randint(0, 3600)))
            rows.append((self.næste_id("fravaer"), cpr, type_id, fra, til, myndighed, registreret,
                         opdateret))

    def indkaldelser(self, cpr: str, jc: str, myndighed: str, ledig: date | None, maalgruppe: bool,
                     tvunget_form: int | None, rows: list) -> None:
        r = self.r
        i = self.idag_ord
        n = r.choices((0, 1, 2, 3, 4), cum_weights=(15, 40, 65, 85, 100))[0]
        planer: list[tuple[date, int | None]] = []
        if tvunget_form is not None:
            fra, til = _MOEDEFORM_GYLDIG[tvunget_form]
            lo = max(fra.toordinal(), self.hist_start_ord)
            hi = min(til.toordinal() - 3 if til else i + 42, i + 42)
            if lo <= hi:
                planer.append((self.dato(lo, hi), tvunget_form))
                n = min(n, 3)  # still 0–4 summons per citizen
        for _ in range(n):
            if r.random() < 0.3:
                dag = date.fromordinal(i + r.randint(1, 56))
            elif ledig is not None and ledig.toordinal() < i and r.random() < 0.7:
                dag = self.dato(ledig.toordinal(), i - 1)
            else:
                dag = self.dato(self.hist_start_ord, i - 1)
            planer.append((dag, None))
        for dag, form in planer:
            dag = self.hverdag(dag)
            fremtid = dag.toordinal() > i
            status = "aflyst" if r.random() < (0.1 if fremtid else 0.08) else "aktiv"
            tilbud = None
            if fremtid and form is None and r.random() < 0.5:
                kandidater = self.tilbud_per_jc.get(jc)
                if kandidater:
                    t = r.choice(kandidater)
                    if self.tilbud_booket.get(t[0], 0) < self.tilbud_maal[t[0]]:
                        tilbud = t
            if tilbud is not None:
                (tid, _, start, slut, sted, lok, form, tilladte, samtale, _, _, kun_p, tlink,
                 _) = tilbud
                # R1.1-b: the right to choose after 6 months of unemployment, in the target group
                if maalgruppe and ledig is not None and not kun_p and \
                        (start.date() - ledig).days >= 182 and r.random() < 0.6:
                    form = r.choice(tilladte)
                link = tlink if form == 8 else None
                if status == "aktiv":
                    self.tilbud_booket[tid] = self.tilbud_booket.get(tid, 0) + 1
                tilbud_id = tid
            else:
                tilbud_id = None
                s = r.randrange(16, 30) * 1800  # 08:00–14:30
                start = datetime(dag.year, dag.month, dag.day, s // 3600, s // 60 % 60, tzinfo=CPH)
                slut = start + timedelta(minutes=r.choice((30, 45, 60)))
                kun_p = r.random() < 0.04
                if form is None:
                    if kun_p:
                        form = 1
                    else:
                        ider, cum = _gyldige_former(dag, fremtid)
                        form = r.choices(ider, cum_weights=cum)[0]
                kun_p = kun_p and form == 1
                samtale = _SAMTALE_IDER[0] if fremtid and r.random() < 0.5 else \
                    r.choices(_SAMTALE_IDER, cum_weights=_SAMTALE_CUM)[0]
                if form == 1:
                    sted = self.jc_sted[jc]
                    lok = r.choice(sd.LOKATIONSUDDYBNINGER) if r.random() < 0.4 else None
                elif form == 6:
                    sted = (f"{r.choice(self.firmanavne)}, {r.choice(sd.VEJNAVNE)} "
                            f"{r.randint(1, 150)}")
                    lok = None
                else:
                    sted = lok = None
                link = self.link() if form == 8 else None
            valg = form if fremtid and form in _BORGERVALG and r.random() < 0.35 else None
            oprettet = self.foer_nu(
                start - timedelta(days=r.randint(2, 40), seconds=r.randint(0, 36000)))
            if status == "aflyst":
                graense = min(start, self.nu)
                opdateret = oprettet
                if graense > oprettet:
                    opdateret += (graense - oprettet) * r.random()
            else:
                opdateret = oprettet
            rows.append((self.næste_id("indkaldelse"), cpr, jc, tilbud_id, start, slut, form,
                         samtale, sted, lok, link, kun_p, valg, status, myndighed, oprettet,
                         opdateret))

    def kontaktpersoner(self, cpr: str, myndighed: str, rows: list) -> None:
        r = self.r
        for _ in range(r.choices((0, 1, 2), cum_weights=(35, 80, 100))[0]):
            # R1.2-a: mostly the citizen's own authority, sometimes another one
            m = myndighed if r.random() < 0.9 else r.choice(self.myndigheder)
            mand = r.random() < 0.45
            fornavn = r.choice(sd.FORNAVNE_MAEND if mand else sd.FORNAVNE_KVINDER)
            efternavn = r.choice(sd.EFTERNAVNE)
            initialer = sd.ascii_navn(fornavn[:2] + efternavn[:2])
            email = None if r.random() < 0.2 else f"{initialer}{r.randint(1, 99)}@{self.domaene[m]}"
            telefon = None if r.random() < 0.1 else str(r.randint(20_000_000, 99_999_999))
            oprettet = self.tid(date.fromordinal(self.idag_ord - r.randint(1, 900)))
            rows.append((self.næste_id("kontaktperson"), cpr, f"{fornavn} {efternavn}",
                         r.choice(sd.KONTAKTROLLER), telefon, email, m, "jobcenter", oprettet))

    def joblog(self, cpr: str, kg: int, rows: list) -> None:
        r = self.r
        n = r.randint(0, 8) if kg in (1, 7) else r.choice((0, 0, 0, 1, 2, 3))
        for _ in range(n):
            dato = date.fromordinal(max(self.idag_ord - r.randint(0, 182), JOBLOG_MIN.toordinal()))
            frist = None  # R4.1-a: never before the application date (so never before 2015)
            if r.random() >= 0.35:
                frist = date.fromordinal(dato.toordinal() + r.randint(0, 30))
            oprettet = self.foer_nu(self.tid(date.fromordinal(dato.toordinal() + r.randint(0, 3))))
            rows.append((self.næste_id("joblog"), cpr, r.choice(sd.STILLINGSBETEGNELSER),
                         r.choice(self.firmanavne), dato, frist, oprettet))

    def indsatser(self, cpr: str, rows: list) -> None:
        r = self.r
        i = self.idag_ord
        for _ in range(r.choices((0, 1, 2), cum_weights=(50, 85, 100))[0]):
            start = date.fromordinal(i - r.randint(0, 730))
            x = r.random()
            aarsag = None
            if x < 0.5:
                slut = date.fromordinal(start.toordinal() + r.randint(14, 180))
                if slut.toordinal() < i:  # ended: with a cessation reason (R3.1-a)
                    if slut >= RELEASE and r.random() < 0.08:
                        aarsag = r.choice((14, 15))
                    else:
                        aarsag = r.randint(1, 13)
            elif x < 0.75:
                slut = None
            else:
                slut = date.fromordinal(i + r.randint(7, 180))
            oprettet = self.foer_nu(
                self.tid(date.fromordinal(start.toordinal() - r.randint(0, 21))))
            rows.append((self.næste_id("indsats"), cpr, r.choice(sd.INDSATSER), start, slut, aarsag,
                         oprettet))


async def _kopier(conn: asyncpg.Connection, tabel: str, rows: list) -> None:
    if rows:
        await conn.copy_records_to_table(
            tabel, records=map(tuple, rows), columns=list(KOLONNER[tabel]))


async def seed_database(
    dsn: str,
    *,
    borgere: int = 2000,
    seed: int = 1,
    idag: date | None = None,
    progress: bool = False,
    reset: bool = False,
) -> dict[str, int]:
    """Fill an upgraded database with deterministic demo data; return the row count per table.

    ``dsn`` is a plain libpq URL. Everything happens in one transaction. Raises RuntimeError if
    the database already holds data, unless ``reset`` (then every table except the code lists
    and ``alembic_version`` is emptied first).
    """
    if borgere < 0:
        raise ValueError("borgere skal være 0 eller flere")
    idag = idag or date.today()
    gen = _Generator(seed, idag, borgere)
    bar = _Fremskridt(progress)
    antal = {t: 0 for t in KOLONNER}
    conn = await asyncpg.connect(dsn)
    try:
        async with conn.transaction():
            await conn.execute("SET LOCAL statement_timeout = 0")
            await conn.execute("SELECT pg_advisory_xact_lock($1)", _LOCK_KEY)
            await _forbered(conn, reset)

            bar.vis(0.0, "organisationer")
            for tabel, rows in gen.organisationer().items():
                await _kopier(conn, tabel, rows)
                antal[tabel] += len(rows)
            bar.vis(0.01, "virksomheder")
            rows_v, firmaer = gen.virksomheder()
            for tabel, rows in rows_v.items():
                await _kopier(conn, tabel, rows)
                antal[tabel] += len(rows)
            bar.vis(0.02, "jobordre")
            rows_j = gen.jobordrer(firmaer)
            await _kopier(conn, "jobordre", rows_j)
            antal["jobordre"] += len(rows_j)
            del rows_v, firmaer, rows_j
            tilbud = gen.moedetilbud()
            await _kopier(conn, "moedetilbud", tilbud)
            antal["moedetilbud"] += len(tilbud)

            # The next chunk is generated in a worker thread while the server takes the current
            # one; chunks are still generated one after the other, so the rows stay the same.
            start_andel = 0.03
            loop = asyncio.get_running_loop()
            starts = list(range(0, borgere, CHUNK))
            naeste = loop.run_in_executor(None, gen.chunk, starts[0]) if starts else None
            for n, chunk_start in enumerate(starts):
                out = await naeste
                if n + 1 < len(starts):
                    naeste = loop.run_in_executor(None, gen.chunk, starts[n + 1])
                stoerrelse = min(CHUNK, borgere - chunk_start)
                for k, tabel in enumerate(BORGER_TABELLER):
                    andel = start_andel + (1 - start_andel - 0.02) * (
                        chunk_start + stoerrelse * k / len(BORGER_TABELLER)) / borgere
                    bar.vis(andel, tabel)
                    await _kopier(conn, tabel, out[tabel])
                    antal[tabel] += len(out[tabel])
                del out

            bar.vis(0.98, "sekvenser")
            if gen.tilbud_booket:
                await conn.execute(
                    "UPDATE moedetilbud m SET antal_booket = v.n "
                    "FROM unnest($1::bigint[], $2::int[]) AS v(id, n) WHERE m.id = v.id",
                    list(gen.tilbud_booket), list(gen.tilbud_booket.values()))
            for tabel in ID_TABELLER:
                await conn.execute(
                    f"SELECT setval(pg_get_serial_sequence('{tabel}', 'id'), "
                    f"coalesce((SELECT max(id) FROM {tabel}), 0) + 1, false)")
            bar.vis(0.99, "analyze")
            await conn.execute("ANALYZE " + ", ".join(KOLONNER))
        bar.slut()
    finally:
        await conn.close()
    return antal


async def _forbered(conn: asyncpg.Connection, reset: bool) -> None:
    """Refuse to seed over data, or (reset) empty every non-code-list table."""
    fyldte = [t for t in ("borger", "jobcenter", "akasse", "virksomhed")
              if await conn.fetchval(f"SELECT EXISTS (SELECT 1 FROM {t})")]
    if fyldte and not reset:
        raise RuntimeError(
            f"Databasen indeholder allerede data (tabellen {fyldte[0]} er ikke tom). "
            "Demodata indlæses kun i en tom database; brug reset=True for at tømme alle tabeller "
            "undtagen kodelisterne og indlæse demodata forfra."
        )
    if reset:
        eksisterende = {r[0] for r in await conn.fetch(
            "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")}
        tabeller = sorted(t for t in TABLES if t not in KODELISTE_TABELLER and t in eksisterende)
        # The evidence tables refuse TRUNCATE (migration 0004); a reset empties them on purpose,
        # with the guard off only inside this transaction.
        vagter = [tuple(r) for r in await conn.fetch(
            "SELECT tgrelid::regclass::text, tgname FROM pg_trigger WHERE tgname LIKE '%\\_kun\\_tilfoej\\_truncate'")]
        for tabel, vagt in vagter:
            await conn.execute(f'ALTER TABLE {tabel} DISABLE TRIGGER "{vagt}"')
        await conn.execute(f"TRUNCATE {', '.join(tabeller)} RESTART IDENTITY CASCADE")
        for tabel, vagt in vagter:
            await conn.execute(f'ALTER TABLE {tabel} ENABLE TRIGGER "{vagt}"')
