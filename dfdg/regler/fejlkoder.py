"""Every rejection this API can give, with a stable numeric code and a Danish message.

The codes are the contract integrators code against: a code is never reused for another
meaning. 60018 is the platform's own (R1.2-a); the rest are ours, by range:
61xxx common · 62xxx meetings and meeting forms (R1.1) · 63xxx absences (R2) · 64xxx activities
(R3) · 65xxx joblog (R4) · 66xxx job orders (R6) · 67xxx membership (R1.3) · 68xxx messages.
Listed by ``kodelister { fejlkoder }`` and checked against README's rule table by a test.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Fejlkode:
    kode: int
    navn: str
    besked: str
    regel: str | None = None


@dataclass(frozen=True)
class Fejl:
    kode: int
    besked: str
    felt: str | None = None


FEJLKODER: dict[int, Fejlkode] = {}


def _k(kode: int, navn: str, besked: str, regel: str | None = None) -> Fejlkode:
    assert kode not in FEJLKODER, kode
    FEJLKODER[kode] = fejlkode = Fejlkode(kode, navn, besked, regel)
    return fejlkode


# R1.2-a: the platform's own code and text, verbatim.
KONTAKTPERSON_ANDEN_MYNDIGHED = _k(60018, "KONTAKTPERSON_ANDEN_MYNDIGHED", "FagprofessionelKontaktId tilhører en anden myndighed", "R1.2-a")

# 61xxx common
IKKE_FUNDET = _k(61001, "IKKE_FUNDET", "{entitet} findes ikke")
INGEN_ADGANG = _k(61002, "INGEN_ADGANG", "Din rolle ({rolle}) må ikke {handling}")
FELT_PAAKRAEVET = _k(61003, "FELT_PAAKRAEVET", "Feltet skal udfyldes")
UGYLDIGT_CPR = _k(61004, "UGYLDIGT_CPR", "Ugyldigt CPR-nummer: {besked}")
UGYLDIG_PERIODE = _k(61005, "UGYLDIG_PERIODE", "Slutdatoen må ikke ligge før startdatoen")
UKENDT_KODE = _k(61006, "UKENDT_KODE", "{kodeliste} {kode} findes ikke")
UDGAAET_KODE = _k(61007, "UDGAAET_KODE", "{kodeliste} {kode} ({navn}) er udgået og kan ikke bruges i nye registreringer")
IDEMPOTENSNOEGLE_GENBRUGT = _k(61008, "IDEMPOTENSNOEGLE_GENBRUGT", "Idempotensnøglen er allerede brugt til en anden operation ({operation})")
UGYLDIGT_ID = _k(61009, "UGYLDIGT_ID", "Id'et er ikke et gyldigt id for {entitet}")
UGYLDIG_TEKST = _k(61010, "UGYLDIG_TEKST", "Teksten må højst være {maks} tegn")
UGYLDIGT_FORMAT = _k(61011, "UGYLDIGT_FORMAT", "Ugyldigt format: {besked}")
SAMTIDIG_AENDRING = _k(61012, "SAMTIDIG_AENDRING", "Registreringen blev ændret samtidig af en anden; prøv igen")

# 62xxx meetings (R1.1)
MOEDEFORM_IKKE_I_TILBUD = _k(62001, "MOEDEFORM_IKKE_I_TILBUD", "Mødeform {moedeform} er ikke blandt mødetilbuddets tilladte mødeformer ({tilladte})", "R1.1-a")
MOEDEFORM_IKKE_BORGERVALG = _k(62002, "MOEDEFORM_IKKE_BORGERVALG", "Borgeren kan kun vælge mellem personligt fremmøde (1), telefon (2) og digitalt møde (8)", "R1.1-a")
INGEN_RET_TIL_VALG = _k(62003, "INGEN_RET_TIL_VALG", "Borgeren har ikke ret til at vælge mødeform (kræver 6 måneders ledighed og målgruppen for valg af mødeform); mødet holdes som {moedeform}", "R1.1-b")
KUN_PERSONLIGT_FREMMOEDE = _k(62004, "KUN_PERSONLIGT_FREMMOEDE", "Jobcentret har besluttet, at dette møde skal holdes ved personligt fremmøde (mødeform 1)", "R1.1-c")
MOEDEFORM_UDGAAET = _k(62005, "MOEDEFORM_UDGAAET", "Mødeform {kode} ({navn}) er udgået og kan ikke bruges i nye registreringer", "R1.1-d")
MOEDELINK_MANGLER = _k(62006, "MOEDELINK_MANGLER", "Link til det digitale møde skal angives ved mødeform 8 (Digitalt møde)", "R1.1-e")
MOEDELINK_UGYLDIGT = _k(62007, "MOEDELINK_UGYLDIGT", "Link til det digitale møde skal være en absolut https-URL", "R1.1-e")
MOEDETILBUD_FULDT = _k(62008, "MOEDETILBUD_FULDT", "Mødetilbuddet er fuldt booket", "R1.1-g")
MOEDETILBUD_OVERSTAAET = _k(62009, "MOEDETILBUD_OVERSTAAET", "Mødetilbuddet er allerede begyndt eller overstået", "R1.1-g")
MOEDETIDSPUNKT_UGYLDIGT = _k(62010, "MOEDETIDSPUNKT_UGYLDIGT", "Mødets sluttid skal ligge efter starttiden")
INDKALDELSE_AFLYST = _k(62011, "INDKALDELSE_AFLYST", "Indkaldelsen er aflyst og kan ikke ændres")
KAPACITET_UGYLDIG = _k(62012, "KAPACITET_UGYLDIG", "Kapaciteten skal være mindst 1 og mindst antallet af bookinger ({antal_booket})")
MOEDEFORMER_MANGLER = _k(62013, "MOEDEFORMER_MANGLER", "Mødetilbuddet skal tillade mindst én mødeform blandt 1, 2 og 8", "R1.1-a")
MOEDEVALG_IKKE_RET = _k(62014, "MOEDEVALG_IKKE_RET", "Mødedeltagelsesvalget skal være en af de mødeformer, borgeren har ret til til dette møde ({tilladte})", "R1.1-f")
ALLEREDE_BOOKET = _k(62015, "ALLEREDE_BOOKET", "Borgeren har allerede booket dette mødetilbud", "R1.1-g")
MOEDETILBUD_ANDEN_MYNDIGHED = _k(62016, "MOEDETILBUD_ANDEN_MYNDIGHED", "Mødetilbuddet er fra et jobcenter under en anden myndighed end borgerens jobcenter", "R1.1-g")

# 63xxx absences (R2)
FRAVAERSTYPE_UDGAAET = _k(63001, "FRAVAERSTYPE_UDGAAET", "Fraværstype {kode} ({navn}) er udgået og kan ikke bruges i nye registreringer", "R2.2-a")
FRAVAERSTYPE_IKKE_FOR_KONTAKTGRUPPE = _k(63002, "FRAVAERSTYPE_IKKE_FOR_KONTAKTGRUPPE", "Fraværstype {fravaerstype} ({navn}) kan ikke registreres på en borger i kontaktgruppe {kontaktgruppe}", "R2.1-a")
FRAVAER_OVERLAPPER = _k(63003, "FRAVAER_OVERLAPPER", "Borgeren har allerede fravær af type {fravaerstype} i perioden")

# 64xxx activities (R3)
OPHOERSAARSAG_KUN_VITAS = _k(64001, "OPHOERSAARSAG_KUN_VITAS", "Ophørsårsag {ophoersaarsag} ({navn}) bruges kun af VITAS og kan ikke registreres af en sagsbehandler", "R3.1-a")
INDSATS_ALLEREDE_AFSLUTTET = _k(64002, "INDSATS_ALLEREDE_AFSLUTTET", "Indsatsen er allerede afsluttet")

# 65xxx joblog (R4)
ANSOEGNINGSDATO_FOER_2015 = _k(65001, "ANSOEGNINGSDATO_FOER_2015", "Ansøgningsdato (SubmissionDate) kan ikke ligge før 01-01-2015", "R4.1-a")
ANSOEGNINGSFRIST_FOER_2015 = _k(65002, "ANSOEGNINGSFRIST_FOER_2015", "Ansøgningsfrist (SubmissionDeadlineDate) kan ikke ligge før 01-01-2015", "R4.1-a")

# 66xxx job orders (R6)
JOBORDRE_IKKE_AABEN = _k(66001, "JOBORDRE_IKKE_AABEN", "Der kan kun formidles til en jobordre med status 'Åben' (jobordren har status {status})", "R6.1-a")
JOBORDRE_ANDEN_MYNDIGHED = _k(66002, "JOBORDRE_ANDEN_MYNDIGHED", "Jobordren hører under en anden myndighed (ansvarligt jobcenter {ansvarligt}); kun jobcentre med samme tre første cifre kan opdatere den", "R6.2-a")
FORMIDLING_FINDES = _k(66003, "FORMIDLING_FINDES", "Borgeren er allerede formidlet til jobordren (formidlet {oprettet})")

# 67xxx membership (R1.3)
MEDLEMSKAB_FINDES = _k(67001, "MEDLEMSKAB_FINDES", "Borgeren er allerede medlem af a-kassen fra {indmeldt}", "R1.3-a")

# 68xxx webservice messages
BESKED_IKKE_I_KOE = _k(68001, "BESKED_IKKE_I_KOE", "Besked {loebenummer} findes ikke i din kø")


def fejl(fejlkode: Fejlkode, felt: str | None = None, /, **fmt: object) -> Fejl:
    """The concrete rejection; ``fmt`` fills the message's placeholders (``kode`` among them)."""
    return Fejl(kode=fejlkode.kode, besked=fejlkode.besked.format(**fmt), felt=felt)
