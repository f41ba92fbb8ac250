"""Code lists as GraphQL types: every code with its validity and whether it has expired."""

from __future__ import annotations

from datetime import date

import strawberry

from dfdg.context import idag
from dfdg.regler.fejlkoder import FEJLKODER
from dfdg.regler.koder import Kode as KodeData
from dfdg.regler.koder import udgaaet
from dfdg.schema.erklaering import alle_koder


@strawberry.interface(description="En kode fra en kodeliste, med gyldighedsperiode [gyldigFra, gyldigTil).")
class Kode:
    id: int
    navn: str
    beskrivelse: str | None
    gyldig_fra: date
    gyldig_til: date | None = strawberry.field(description="Første dag koden ikke længere gælder (eksklusiv).")

    @strawberry.field(description="Koden er udgået: den kan ikke bruges i nye registreringer, men vises på historik.")
    def udgaaet(self) -> bool:
        return udgaaet(self.gyldig_til, idag())


def _fields(kode: KodeData) -> dict:
    return dict(id=kode.id, navn=kode.navn, beskrivelse=kode.beskrivelse, gyldig_fra=kode.gyldig_fra, gyldig_til=kode.gyldig_til)


@strawberry.type(description="Mødeform (R1.1-d). 4 og 5 udgår i release 2022-3, 6 og 7 er udgået tidligere, 8 og 9 er nye.")
class Moedeform(Kode):
    borgervalg: bool = strawberry.field(description="Borgeren kan selv vælge denne mødeform (LAB § 33, R1.1-a).")
    kraever_link: bool = strawberry.field(description="Kræver link til digitalt møde (R1.1-e).")

    @classmethod
    def fra(cls, kode: KodeData) -> Moedeform:
        return cls(**_fields(kode), borgervalg=kode.flag["borgervalg"], kraever_link=kode.flag["kraever_link"])


@strawberry.type(description="Fraværstype.")
class Fravaerstype(Kode):
    fritager_selvbooking: bool = strawberry.field(description="Fritager for pligt til selvbooking (R2.4-a).")
    ingen_selvbookingfrist: bool = strawberry.field(description="Borgeren har ingen frist for selvbooking (56, 57, 75; R2.4-a).")
    mindre_intensiv: bool = strawberry.field(description="Omfattet af reglerne om mindre intensiv indsats (R5.1-a).")
    ingen_dagpenge: bool = strawberry.field(description="Der kan ikke modtages a-dagpenge i perioden (R2.1-a).")

    @classmethod
    def fra(cls, kode: KodeData) -> Fravaerstype:
        return cls(**_fields(kode), **{k: kode.flag[k] for k in ("fritager_selvbooking", "ingen_selvbookingfrist", "mindre_intensiv", "ingen_dagpenge")})


@strawberry.type(description="Kontaktgruppe (borgerens ydelsesgruppe).")
class Kontaktgruppe(Kode):
    @classmethod
    def fra(cls, kode: KodeData) -> Kontaktgruppe:
        return cls(**_fields(kode))


@strawberry.type(description="Ophørsårsag for en indsats. 14 og 15 bruges kun af VITAS (R3.1-a).")
class Ophoersaarsag(Kode):
    kun_vitas: bool = strawberry.field(description="Kan kun registreres af VITAS, ikke af en sagsbehandler (R3.1-a).")

    @classmethod
    def fra(cls, kode: KodeData) -> Ophoersaarsag:
        return cls(**_fields(kode), kun_vitas=kode.flag["kun_vitas"])


@strawberry.type(description="Jobordrestatus.")
class Jobordrestatus(Kode):
    tillader_formidling: bool = strawberry.field(description="Der kan formidles til jobordren (kun 'Åben', R6.1-a).")

    @classmethod
    def fra(cls, kode: KodeData) -> Jobordrestatus:
        return cls(**_fields(kode), tillader_formidling=kode.flag["tillader_formidling"])


@strawberry.type(description="FormidlingsstatusType.")
class Formidlingsstatustype(Kode):
    @classmethod
    def fra(cls, kode: KodeData) -> Formidlingsstatustype:
        return cls(**_fields(kode))


@strawberry.type(description="Samtaletype.")
class Samtaletype(Kode):
    @classmethod
    def fra(cls, kode: KodeData) -> Samtaletype:
        return cls(**_fields(kode))


def kode(info, liste: str, kode_id: int | None):
    """The code ``kode_id`` of ``liste`` as its GraphQL type, from the in-memory code lists."""
    if kode_id is None:
        return None
    data = info.context.kodecache.lister[liste].get(kode_id)
    return None if data is None else KODETYPER[liste].fra(data)


KODETYPER = {
    "moedeformer": Moedeform,
    "fravaerstyper": Fravaerstype,
    "kontaktgrupper": Kontaktgruppe,
    "ophoersaarsager": Ophoersaarsag,
    "jobordrestatusser": Jobordrestatus,
    "formidlingsstatustyper": Formidlingsstatustype,
    "samtaletyper": Samtaletype,
}


@strawberry.type(description="En fejlkode, som mutationer kan afvise med (stabil; genbruges aldrig).")
class Fejlkode:
    kode: int
    navn: str
    besked: str = strawberry.field(description="Beskedskabelon på dansk; {felter} udfyldes i den konkrete afvisning.")
    regel: str | None = strawberry.field(description="Reglen i release 2022-3, som koden håndhæver (fx R1.2-a).")


@strawberry.type(description="Alle kodelister i release 2022-3, med udgåede koder.")
class Kodelister:
    @strawberry.field(description="Alle fejlkoder, mutationer kan afvise med.")
    def fejlkoder(self) -> list[Fejlkode]:
        return [Fejlkode(kode=f.kode, navn=f.navn, besked=f.besked, regel=f.regel) for f in FEJLKODER.values()]

    moedeformer: list[Moedeform] = alle_koder("moedeformer")
    fravaerstyper: list[Fravaerstype] = alle_koder("fravaerstyper")
    kontaktgrupper: list[Kontaktgruppe] = alle_koder("kontaktgrupper")
    ophoersaarsager: list[Ophoersaarsag] = alle_koder("ophoersaarsager")
    jobordrestatusser: list[Jobordrestatus] = alle_koder("jobordrestatusser")
    formidlingsstatustyper: list[Formidlingsstatustype] = alle_koder("formidlingsstatustyper")
    samtaletyper: list[Samtaletype] = alle_koder("samtaletyper")


def alle(info, liste: str) -> list:
    """Every code of ``liste`` as its GraphQL type."""
    cls = KODETYPER[liste]
    return [cls.fra(k) for k in info.context.kodecache.lister[liste].values()]
