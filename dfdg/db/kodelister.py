"""The code lists of release 2022-3, as the project's own reference data.

Transcribed from the release note and the operator's public documentation. Migrations load these
rows; nothing reads them at run time except through the database. A later release changes a code
list with a new migration that updates the rows (and this module), never by editing history.
Validity is closed-open ``[gyldig_fra, gyldig_til)``.
"""

from __future__ import annotations

from datetime import date

# The codes and the day the rules name are the rules' (dfdg.regler.koder); the lists carry them.
from dfdg.regler.koder import DAGPENGEMODTAGER, RELEASE_2022_3

# [I] The start of codes older than our sources, and the end of codes retired in an earlier
# release: neither date is public. Kept here so they can be corrected in one place.
ALTID = date(2000, 1, 1)
TIDLIGERE_RELEASE = date(2021, 1, 1)

# id, navn, beskrivelse, gyldig_fra, gyldig_til, borgervalg, kraever_link
MOEDEFORMER = [
    (1, "Personlig kontakt", "Personlig kontakt (med borgeren)", ALTID, None, True, False),
    (2, "Telefon", "Telefon (borgeren eller ansvarlig henvender sig telefonisk)", ALTID, None, True, False),
    (3, "Brev", "Borgeren modtager brev via almindelig post, via e-mail, via e-boks, via Offentlig "
     "Digital Post, via Borger.dk m.v. Kontakt foregår ved en-vejs kommunikation", ALTID, None, False, False),
    (4, "Digitalt", "Borgeren og sagsbehandler kommunikerer digitalt via fx e-mail, sms eller anden "
     "form for skriftlig, digital kommunikation. Kontakten åbner mulighed for to-vejs kommunikation.",
     ALTID, RELEASE_2022_3, False, False),
    (5, "Andet", "Andet (informationer modtages fra 3. person)", ALTID, RELEASE_2022_3, False, False),
    (6, "Møde direkte på arbejde", "Møde direkte på arbejde", ALTID, TIDLIGERE_RELEASE, False, False),
    (7, "Teknisk registrering", "Systemteknisk registrering af en samtale", ALTID, TIDLIGERE_RELEASE, False, False),
    (8, "Digitalt møde", "Kontakten foregår digitalt, fortrinsvis hvor borger og sagsbehandler "
     "kommunikerer med lyd og billede. Direkte to-vejs kommunikation.", RELEASE_2022_3, None, True, True),
    (9, "Ingen direkte borgerkontakt", "Dialog sker gennem 3. person, fx ifm. sygdom hvor direkte "
     "borgerkontakt ikke er mulig", RELEASE_2022_3, None, False, False),
]

# Flags: S exempts from self-booking duty (R2.4-a), N no self-booking deadline (R2.4-a),
# M less intensive effort (R5.1-a, [I] LAB § 106 guidance), D no a-dagpenge in the period (R2.1-a).
# Expired types (R2.2-a) carry a gyldig_til.
# id, navn, beskrivelse, flags, gyldig_til
FRAVAERSTYPER = [
    (1, "Uddannelse", None, "", None),
    (2, "Midlertidigt arbejde", None, "S", None),
    (3, "Borgerligt ombud", None, "S", None),
    (4, "Barsel (max 14 dage)", "Barsel (max 14 dage) - fædreorlov/medmødreorlov", "S", None),
    (8, "Barsel", "Barsel - graviditetsorlov, barselsorlov og forældreorlov", "", None),
    (10, "Ferie med feriepenge, feriedagpenge m.v.", None, "S", None),
    (11, "Sygdom - sygemelding", "Kun relevant hvis borgeren er i aktivering, da borger ellers vil "
     "være afmeldt med dette fravær", "S", None),
    (23, "Jobrettet uddannelse (deltid)", "Jobrettet uddannelse (deltid) – fritaget for aktivering", "S", None),
    (24, "Jobrettet uddannelse (fuldtid)", "Jobrettet uddannelse (fuldtid) – fritaget for aktivering "
     "og kontaktforløb", "S", None),
    (43, "På vej på efterløn/fleksydelse (inden for 6 uger)", None, "SM", None),
    (44, "På vej på pension (inden for 6 uger)", None, "SM", None),
    (45, "På vej i job (inden for 6 uger)", None, "SM", None),
    (46, "Barsel inden for 6 uger", None, "SM", None),
    (56, "Fritaget for pligt til selvbook", "Borger har med dette fravær ikke en frist for selvbooking", "SN", None),
    (57, "Frataget ret til selvbook", "Borger har med dette fravær ikke en frist for selvbooking", "SN", None),
    (65, "Uden for institutionens åbningstid – manglende pasningsmulighed", None, "S", None),
    (66, "Inden for institutionens åbningstid – manglende pasningsmulighed", None, "S", None),
    (70, "Tilladelse efter repatrieringslovens § 6", None, "S", None),
    (71, "Arbejdsfordeling op til 6 uger", None, "SM", None),
    (72, "Arbejdsfordeling over 6 uger", None, "S", None),
    (73, "Vejrlig eller materialemangel", None, "SM", None),
    (75, "Kontaktforløb er hos a-kassen", "Borger har med dette fravær ikke frist for selvbooking", "SN", None),
    (77, "På vej på erhvervsuddannelse eller anden erhvervsrettet uddannelse (inden for 6 uger)", None, "S", None),
    (78, "Arbejdsfordeling - ny midlertidig ordning. COVID-19", "Kan ikke oprettes fra og med release "
     "2022-3 (ordningen ophørte 31. marts 2022)", "S", RELEASE_2022_3),
    (79, "Sorgorlov", "Der kan ikke modtages a-dagpenge i perioden med sorgorlov", "SD", None),
]

KONTAKTGRUPPE_NAVNE = {1: "Dagpengemodtager", 7: "Fleksjobvisiteret (ledig)"}
# There is no kontaktgruppe 9 in the operator's matrices.
KONTAKTGRUPPER = [
    (i, KONTAKTGRUPPE_NAVNE.get(i, f"Kontaktgruppe {i}")) for i in [*range(1, 9), *range(10, 30)]
]

# R2.1-a: which absence types may be registered on which kontaktgruppe. [I] Sorgorlov (79) was
# opened for kontaktgruppe 1 by this release; every other type is open to every group until the
# operator's full matrix is supplied.
KUN_PAA_KONTAKTGRUPPE = {79: {DAGPENGEMODTAGER}}

# id, navn, beskrivelse, gyldig_fra, kun_vitas
OPHOERSAARSAGER = [
    *[(i, f"Ophørsårsag {i}", None, ALTID, False) for i in range(1, 14)],
    (14, "Bevilling ikke godkendt", "Virksomhed, jobcenter eller borger har ikke godkendt bevillingen "
     "eller har trukket bevillingen tilbage", RELEASE_2022_3, True),
    (15, "Aktivitetsperioden afsluttet ordinært", "Bevillingen er lukket efter ordinært udløb",
     RELEASE_2022_3, True),
]

# id, navn, tillader_formidling (R6.1-a)
JOBORDRESTATUSSER = [(1, "Åben", True), (2, "Midlertidig inaktiv", False), (3, "Lukket", False)]

FORMIDLINGSSTATUSTYPER = [(2, "Formidling tilgængelig for virksomhed")]

SAMTALETYPER = [
    (4, "Opfølgningssamtale"), (7, "Jobsamtale"), (8, "Henvisning"), (9, "Informationsmøde"),
    (10, "CV-samtale"), (11, "Formidlingssamtale"), (12, "Anden samtale"),
    (13, "Informationsmøde uden mødepligt"), (15, "Rådighedssamtale"),
]


def rows() -> dict[str, list[dict]]:
    """Every reference row, by table name, ready for a bulk insert."""
    fravaerstyper = [
        dict(id=i, navn=n, beskrivelse=b, gyldig_fra=ALTID, gyldig_til=til,
             fritager_selvbooking="S" in f, ingen_selvbookingfrist="N" in f,
             mindre_intensiv="M" in f, ingen_dagpenge="D" in f)
        for i, n, b, f, til in FRAVAERSTYPER
    ]
    kontaktgrupper = [
        dict(id=i, navn=n, beskrivelse=None, gyldig_fra=ALTID, gyldig_til=None) for i, n in KONTAKTGRUPPER
    ]
    return {
        "moedeform": [
            dict(id=i, navn=n, beskrivelse=b, gyldig_fra=fra, gyldig_til=til, borgervalg=v, kraever_link=k)
            for i, n, b, fra, til, v, k in MOEDEFORMER
        ],
        "fravaerstype": fravaerstyper,
        "kontaktgruppe": kontaktgrupper,
        "fravaerstype_kontaktgruppe": [
            dict(fravaerstype_id=t["id"], kontaktgruppe_id=g["id"])
            for t in fravaerstyper
            for g in kontaktgrupper
            if g["id"] in KUN_PAA_KONTAKTGRUPPE.get(t["id"], {g["id"]})
        ],
        "ophoersaarsag": [
            dict(id=i, navn=n, beskrivelse=b, gyldig_fra=fra, gyldig_til=None, kun_vitas=v)
            for i, n, b, fra, v in OPHOERSAARSAGER
        ],
        "jobordrestatus": [
            dict(id=i, navn=n, beskrivelse=None, gyldig_fra=ALTID, gyldig_til=None, tillader_formidling=f)
            for i, n, f in JOBORDRESTATUSSER
        ],
        "formidlingsstatustype": [
            dict(id=i, navn=n, beskrivelse=None, gyldig_fra=ALTID, gyldig_til=None)
            for i, n in FORMIDLINGSSTATUSTYPER
        ],
        "samtaletype": [
            dict(id=i, navn=n, beskrivelse=None, gyldig_fra=ALTID, gyldig_til=None) for i, n in SAMTALETYPER
        ],
    }
