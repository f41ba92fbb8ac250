from sqlalchemy import any_, bindparam, func, literal_column, select
from sqlalchemy.dialects.postgresql import ARRAY

from dfdg.db import tables as t
from dfdg.db.adgang import borger_med_adgangsfakta
from dfdg.loaders.base import row_loader


class BorgerByCprLoader(row_loader(t.Borger, "cpr")):
    """Citizen rows with the facts visibility needs (active memberships and assignments,
    dfdg.regler.adgang), in the same one statement per batch."""

    @classmethod
    def statement(cls):
        if cls.__dict__.get("_statement") is None:
            cpr = cls.table.c.cpr
            cls._statement = borger_med_adgangsfakta().where(cpr == any_(bindparam("keys", type_=ARRAY(cpr.type))))
        return cls._statement


class KontaktpersonByCprLoader(row_loader(t.Kontaktperson, "cpr", many=True, order_by=("id",))):
    pass


class KontaktpersonByIdLoader(row_loader(t.Kontaktperson, "id")):
    pass


class IndsatsByCprLoader(row_loader(t.Indsats, "cpr", many=True, order_by=("-startdato", "id"))):
    pass


class IndsatsByIdLoader(row_loader(t.Indsats, "id")):
    pass


class MedlemskabByCprLoader(row_loader(t.Medlemskab, "cpr", many=True, order_by=("-indmeldt", "id"))):
    pass


class MedlemskabByIdLoader(row_loader(t.Medlemskab, "id")):
    pass


class JobcenterByNummerLoader(row_loader(t.Jobcenter, "nummer")):
    pass


class AkasseByNummerLoader(row_loader(t.Akasse, "nummer")):
    pass


class AndenAktoerTildelingByCprLoader(row_loader(t.AndenAktoerTildeling, "cpr", many=True)):
    pass




class AdgangslogByCprLoader(row_loader(t.Adgangslog, "cpr", many=True)):
    """The newest entries of each citizen's access log, newest first: at most ``MAKS`` per citizen,
    since no page shows more (``first`` is at most ``DFDG_MAX_FIRST``)."""

    MAKS = 1000

    @classmethod
    def statement(cls):
        if cls.__dict__.get("_statement") is None:
            a = cls.table
            nyeste = (a.c.tid.desc(), a.c.id.desc())
            nr = func.row_number().over(partition_by=a.c.cpr, order_by=nyeste).label("nr")
            indre = select(a, nr).where(a.c.cpr == any_(bindparam("keys", type_=ARRAY(a.c.cpr.type)))).subquery()
            cls._statement = (
                # MAKS inline: the planned path runs a loader's statement with the keys as its only parameter
                select(*(indre.c[c.key] for c in a.columns)).where(indre.c.nr <= literal_column(str(cls.MAKS)))
                .order_by(indre.c.tid.desc(), indre.c.id.desc())
            )
        return cls._statement


class HistorikByCprLoader(row_loader(t.Historik, "cpr", many=True, order_by=("-tid", "-id"))):
    pass
