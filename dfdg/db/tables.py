"""The tables of the platform, as SQLModel classes.

Alembic migrations are written from these; the API itself reads and writes them with SQLAlchemy
Core (``Model.__table__``), never by hydrating ORM objects on list paths.
Constraints that back the rules of release 2022-3 live here, named, so a violation can be mapped
to the rule's error code.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import (
    BigInteger,
    Boolean,
    CheckConstraint,
    Column,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
    false,
    func,
    text,
)
from sqlalchemy.dialects.postgresql import ARRAY, JSONB
from sqlmodel import Field, SQLModel

# Deterministic constraint names, so migrations and error mapping agree.
SQLModel.metadata = MetaData(
    naming_convention={
        "ix": "ix_%(table_name)s_%(column_0_N_name)s",
        "uq": "uq_%(table_name)s_%(column_0_N_name)s",
        "ck": "ck_%(table_name)s_%(constraint_name)s",
        "fk": "fk_%(table_name)s_%(column_0_name)s",
        "pk": "pk_%(table_name)s",
    }
)
metadata = SQLModel.metadata

CPR_FORMAT = "~ '^[0-9]{10}$'"
JOBCENTER_FORMAT = "~ '^[0-9]{5}$'"


def _ts(**kw: Any) -> Any:
    return Field(sa_column=Column(DateTime(timezone=True), server_default=func.now(), nullable=False, **kw))


def _fk(target: str, *, nullable: bool = False, index: bool = True, sa_type: Any = String) -> Any:
    return Field(
        sa_column=Column(sa_type, ForeignKey(target), nullable=nullable, index=index)
    )


# --- code lists (reference data, loaded by migrations) -------------------------------------

class KodeBase(SQLModel):
    id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    navn: str
    beskrivelse: str | None = None
    # closed-open validity [gyldig_fra, gyldig_til), as the operator's own code lists.
    gyldig_fra: date
    gyldig_til: date | None = None


class Moedeform(KodeBase, table=True):
    __tablename__ = "moedeform"
    # The citizen's own choice (LAB § 33, R1.1-a) is among these forms.
    borgervalg: bool = False
    kraever_link: bool = False


class Fravaerstype(KodeBase, table=True):
    __tablename__ = "fravaerstype"
    fritager_selvbooking: bool = False  # R2.4-a
    ingen_selvbookingfrist: bool = False  # R2.4-a: 56, 57, 75
    mindre_intensiv: bool = False  # R5.1-a
    ingen_dagpenge: bool = False  # R2.1-a: Sorgorlov


class Kontaktgruppe(KodeBase, table=True):
    __tablename__ = "kontaktgruppe"


class FravaerstypeKontaktgruppe(SQLModel, table=True):
    """Which absence types may be registered on which kontaktgruppe (R2.1-a): data, not ifs."""

    __tablename__ = "fravaerstype_kontaktgruppe"
    fravaerstype_id: int = Field(foreign_key="fravaerstype.id", primary_key=True)
    kontaktgruppe_id: int = Field(foreign_key="kontaktgruppe.id", primary_key=True)


class Ophoersaarsag(KodeBase, table=True):
    __tablename__ = "ophoersaarsag"
    kun_vitas: bool = False  # R3.1-a


class Jobordrestatus(KodeBase, table=True):
    __tablename__ = "jobordrestatus"
    tillader_formidling: bool = False  # R6.1-a


class Formidlingsstatustype(KodeBase, table=True):
    __tablename__ = "formidlingsstatustype"


class Samtaletype(KodeBase, table=True):
    __tablename__ = "samtaletype"


# --- organisations -----------------------------------------------------------------------

class Jobcenter(SQLModel, table=True):
    __tablename__ = "jobcenter"
    __table_args__ = (CheckConstraint(f"nummer {JOBCENTER_FORMAT}", name="format"),)
    nummer: str = Field(primary_key=True, max_length=5)
    navn: str
    # R6.2-a: the first three digits identify the authority.
    myndighed: str = Field(
        sa_column=Column(String(3), server_default=None, nullable=False, index=True)
    )


class Akasse(SQLModel, table=True):
    __tablename__ = "akasse"
    __table_args__ = (CheckConstraint("nummer ~ '^[0-9]{1,5}$'", name="format"),)
    nummer: str = Field(primary_key=True, max_length=5)
    navn: str


# --- citizens and their course ------------------------------------------------------------

class Borger(SQLModel, table=True):
    __tablename__ = "borger"
    __table_args__ = (CheckConstraint(f"cpr {CPR_FORMAT}", name="cpr_format"),)
    cpr: str = Field(primary_key=True, max_length=10)
    fornavn: str
    efternavn: str
    kontaktgruppe_id: int = Field(foreign_key="kontaktgruppe.id", index=True)
    ledighedsdato: date | None = None
    jobcenter_nummer: str = Field(foreign_key="jobcenter.nummer", index=True)
    akasse_nummer: str | None = Field(default=None, foreign_key="akasse.nummer", index=True)
    # R1.1-b: the planner system's target group for choice of meeting form.
    moedeform_maalgruppe: bool = False
    oprettet: datetime = _ts()


class AndenAktoerTildeling(SQLModel, table=True):
    """A jobcentre assigns a citizen to a contracted other actor (anden aktør)."""

    __tablename__ = "anden_aktoer_tildeling"
    cpr: str = Field(foreign_key="borger.cpr", primary_key=True)
    aktoer: str = Field(primary_key=True, index=True)
    fra: date
    til: date | None = None


class Fravaer(SQLModel, table=True):
    __tablename__ = "fravaer"
    __table_args__ = (
        CheckConstraint("til IS NULL OR til >= fra", name="periode"),
        Index("ix_fravaer_cpr_fra", "cpr", "fra"),
    )
    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    cpr: str = Field(foreign_key="borger.cpr", index=False)
    fravaerstype_id: int = Field(foreign_key="fravaerstype.id", index=True)
    fra: date
    til: date | None = None
    registreret_af: str  # the authority (myndighed or a-kasse number) that registered it
    registreret: datetime = _ts()
    opdateret: datetime = _ts()


class Moedetilbud(SQLModel, table=True):
    __tablename__ = "moedetilbud"
    __table_args__ = (
        CheckConstraint("sluttid > starttid", name="tid"),
        CheckConstraint("kapacitet >= 0 AND antal_booket >= 0 AND antal_booket <= kapacitet", name="kapacitet"),
        CheckConstraint("tilladte_moedeformer <@ ARRAY[1,2,8] AND cardinality(tilladte_moedeformer) > 0", name="moedeformer"),
        # R1.1-h: blank detail is stored as absent, never as ''.
        CheckConstraint("lokationsuddybning IS NULL OR lokationsuddybning ~ '\\S'", name="lokationsuddybning"),
        CheckConstraint("moedelink IS NULL OR moedelink ~ '^https://[^\\s/]+'", name="moedelink"),
        CheckConstraint("NOT kun_personligt OR tilladte_moedeformer = ARRAY[1]", name="kun_personligt"),
        # R1.1-e: an offer that allows a digital meeting carries its link.
        CheckConstraint("NOT (8 = ANY(tilladte_moedeformer)) OR moedelink IS NOT NULL", name="digitalt_link"),
        Index("ix_moedetilbud_jobcenter_starttid", "jobcenter_nummer", "starttid"),
    )
    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    jobcenter_nummer: str = Field(foreign_key="jobcenter.nummer", index=False)
    starttid: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    sluttid: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    sted: str
    lokationsuddybning: str | None = None
    # R1.1-b: the form a citizen without the right to choose is booked in.
    moedeform_id: int = Field(foreign_key="moedeform.id")
    tilladte_moedeformer: list[int] = Field(sa_column=Column(ARRAY(Integer), nullable=False))
    samtaletype_id: int = Field(foreign_key="samtaletype.id")
    kapacitet: int
    antal_booket: int = 0
    kun_personligt: bool = False  # R1.1-c
    moedelink: str | None = None  # R1.1-e
    oprettet: datetime = _ts()


class Indkaldelse(SQLModel, table=True):
    __tablename__ = "indkaldelse"
    __table_args__ = (
        CheckConstraint("sluttid > starttid", name="tid"),
        CheckConstraint("status IN ('aktiv', 'aflyst')", name="status"),
        CheckConstraint("lokationsuddybning IS NULL OR lokationsuddybning ~ '\\S'", name="lokationsuddybning"),
        CheckConstraint("moedelink IS NULL OR moedelink ~ '^https://[^\\s/]+'", name="moedelink"),
        CheckConstraint("moedeform_id <> 8 OR moedelink IS NOT NULL", name="digitalt_link"),
        Index("ix_indkaldelse_cpr_starttid", "cpr", "starttid"),
    )
    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    cpr: str = Field(foreign_key="borger.cpr", index=False)
    jobcenter_nummer: str = Field(foreign_key="jobcenter.nummer", index=True)
    moedetilbud_id: int | None = Field(
        default=None, sa_column=Column(BigInteger, ForeignKey("moedetilbud.id"), index=True)
    )
    starttid: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    sluttid: datetime = Field(sa_column=Column(DateTime(timezone=True), nullable=False))
    moedeform_id: int = Field(foreign_key="moedeform.id")
    samtaletype_id: int = Field(foreign_key="samtaletype.id")
    sted: str | None = None
    lokationsuddybning: str | None = None
    moedelink: str | None = None
    kun_personligt: bool = False  # R1.1-c
    moededeltagelsesvalg_id: int | None = Field(default=None, foreign_key="moedeform.id")
    status: str = "aktiv"
    oprettet_af: str  # the authority that created it
    oprettet: datetime = _ts()
    opdateret: datetime = _ts()


class Kontaktperson(SQLModel, table=True):
    """FagprofessionelKontakt: a professional contact of the citizen (R1.2-a)."""

    __tablename__ = "kontaktperson"
    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    cpr: str = Field(foreign_key="borger.cpr", index=True)
    navn: str
    rolle: str | None = None
    telefon: str | None = None
    email: str | None = None
    oprettet_af: str = Field(index=False)  # the creating authority (R1.2-a)
    # … and its role: a jobcentre's authority and an a-kasse may have the same number
    oprettet_af_rolle: str
    oprettet: datetime = _ts()


class Joblog(SQLModel, table=True):
    __tablename__ = "joblog"
    __table_args__ = (
        # R4.1-a
        CheckConstraint("ansoegningsdato >= DATE '2015-01-01'", name="ansoegningsdato"),
        CheckConstraint("ansoegningsfrist IS NULL OR ansoegningsfrist >= DATE '2015-01-01'", name="ansoegningsfrist"),
        Index("ix_joblog_cpr_ansoegningsdato", "cpr", "ansoegningsdato"),
    )
    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    cpr: str = Field(foreign_key="borger.cpr", index=False)
    stillingsbetegnelse: str
    virksomhedsnavn: str
    ansoegningsdato: date
    ansoegningsfrist: date | None = None
    oprettet: datetime = _ts()


class Indsats(SQLModel, table=True):
    """An activity in the citizen's plan (Min plan)."""

    __tablename__ = "indsats"
    __table_args__ = (CheckConstraint("slutdato IS NULL OR slutdato >= startdato", name="periode"),)
    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    cpr: str = Field(foreign_key="borger.cpr", index=True)
    betegnelse: str
    startdato: date
    slutdato: date | None = None
    ophoersaarsag_id: int | None = Field(default=None, foreign_key="ophoersaarsag.id")
    oprettet: datetime = _ts()


class Medlemskab(SQLModel, table=True):
    """A-kasse membership, created by a membership intake (medlemstilgang, R1.3-a)."""

    __tablename__ = "medlemskab"
    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    cpr: str = Field(foreign_key="borger.cpr", index=True)
    akasse_nummer: str = Field(foreign_key="akasse.nummer", index=True)
    indmeldt: date
    dagpengeretsdato: date | None = None
    udmeldt: date | None = None
    oprettet: datetime = _ts()


# --- companies ---------------------------------------------------------------------------

class Virksomhed(SQLModel, table=True):
    __tablename__ = "virksomhed"
    __table_args__ = (CheckConstraint("dfdg_cvr_gyldig(cvr_nummer)", name="cvr_modulus11"),)
    cvr_nummer: str = Field(primary_key=True, max_length=8)
    navn: str
    # R7.1-c: blocked (typically an industrial conflict); shown, never used to filter.
    spaerret: bool = False


class Produktionsenhed(SQLModel, table=True):
    __tablename__ = "produktionsenhed"
    __table_args__ = (CheckConstraint("p_nummer ~ '^[0-9]{10}$'", name="p_format"),)
    p_nummer: str = Field(primary_key=True, max_length=10)
    cvr_nummer: str = Field(foreign_key="virksomhed.cvr_nummer", index=True)
    navn: str
    adresse: str | None = None


class Virksomhedskonto(SQLModel, table=True):
    """A production unit's profile on JobAG (R7.1-a)."""

    __tablename__ = "virksomhedskonto"
    __table_args__ = (UniqueConstraint("p_nummer"),)
    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    cvr_nummer: str = Field(foreign_key="virksomhed.cvr_nummer", index=True)
    p_nummer: str = Field(foreign_key="produktionsenhed.p_nummer")
    oprettet: datetime = _ts()


class JobagBruger(SQLModel, table=True):
    """A contact person (user) on a JobAG account (R7.1-b)."""

    __tablename__ = "jobag_bruger"
    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    konto_id: int = Field(sa_column=Column(BigInteger, ForeignKey("virksomhedskonto.id"), nullable=False, index=True))
    navn: str
    aktiv: bool = True
    seneste_login: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


class Jobordre(SQLModel, table=True):
    __tablename__ = "jobordre"
    __table_args__ = (Index("ix_jobordre_status_ansvarligt", "status_id", "ansvarligt_jobcenter"),)
    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    cvr_nummer: str = Field(foreign_key="virksomhed.cvr_nummer", index=True)
    p_nummer: str | None = Field(default=None, foreign_key="produktionsenhed.p_nummer")
    titel: str
    antal_stillinger: int = 1
    status_id: int = Field(foreign_key="jobordrestatus.id")
    ansvarligt_jobcenter: str = Field(foreign_key="jobcenter.nummer", index=True)
    oprettet: datetime = _ts()
    opdateret: datetime = _ts()


class Formidling(SQLModel, table=True):
    __tablename__ = "formidling"
    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    jobordre_id: int = Field(sa_column=Column(BigInteger, ForeignKey("jobordre.id"), nullable=False, index=True))
    cpr: str = Field(foreign_key="borger.cpr", index=True)
    formidlingsstatustype_id: int = Field(foreign_key="formidlingsstatustype.id")
    oprettet_af: str
    oprettet: datetime = _ts()


# --- integration: messages, history, access log, idempotency -------------------------------

class Webservicebesked(SQLModel, table=True):
    """The outbox (WSRM): messages queued for a subscribing system in the writing transaction."""

    __tablename__ = "webservicebesked"
    __table_args__ = (
        CheckConstraint("modtagertype IN ('akasse', 'jobcenter')", name="modtagertype"),
        CheckConstraint("status IN ('klar', 'kvitteret', 'tilsidesat')", name="status"),
        Index("ix_webservicebesked_modtager", "modtagertype", "modtager", "status", "id"),
    )
    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    modtagertype: str
    modtager: str
    beskedtype: str
    cpr: str | None = None
    indhold: dict = Field(sa_column=Column(JSONB, nullable=False))
    # R1.1-h: a message that fails validation is set aside with its reason, never blocking.
    status: str = "klar"
    fejlaarsag: str | None = None
    oprettet: datetime = _ts()
    kvitteret: datetime | None = Field(default=None, sa_column=Column(DateTime(timezone=True)))


class Historik(SQLModel, table=True):
    """Every change to a registration: who, when, before and after (PersonHistoryService)."""

    __tablename__ = "historik"
    __table_args__ = (Index("ix_historik_cpr_tid", "cpr", "tid"),)
    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    # None for registrations that concern no citizen (a planner's meeting offers).
    cpr: str | None = Field(default=None, index=False)
    entitet: str
    entitet_id: str
    handling: str
    aktoer_rolle: str
    aktoer_myndighed: str | None = None
    foer: dict | None = Field(default=None, sa_column=Column(JSONB))
    efter: dict | None = Field(default=None, sa_column=Column(JSONB))
    tid: datetime = _ts()


class Adgangslog(SQLModel, table=True):
    """Append-only: who read which citizen's personal data, when, and how."""

    __tablename__ = "adgangslog"
    __table_args__ = (Index("ix_adgangslog_cpr_tid", "cpr", "tid"),)
    id: int | None = Field(default=None, sa_column=Column(BigInteger, primary_key=True))
    tid: datetime = _ts()
    subjekt: str
    rolle: str
    myndighed: str | None = None
    cpr: str
    operation: str


class Idempotens(SQLModel, table=True):
    __tablename__ = "idempotens"
    noegle: str = Field(primary_key=True)
    aktoer: str = Field(primary_key=True)
    operation: str
    resultat: dict = Field(sa_column=Column(JSONB, nullable=False))
    oprettet: datetime = _ts()


class PersistedQuery(SQLModel, table=True):
    """Documents registered by automatic persisted queries, or approved for the allow-list."""

    __tablename__ = "persisted_query"
    __table_args__ = (CheckConstraint("sha256 ~ '^[0-9a-f]{64}$'", name="sha256"),)
    sha256: str = Field(primary_key=True, max_length=64)
    dokument: str = Field(sa_column=Column(Text, nullable=False))
    godkendt: bool = Field(default=False, sa_column=Column(Boolean, server_default=false(), nullable=False))
    navn: str | None = None
    oprettet: datetime = _ts()


TABLES = metadata.tables
__all__ = ["TABLES", "metadata", "text"]
