from sqlalchemy import any_, bindparam
from sqlalchemy.dialects.postgresql import ARRAY

from dfdg.db import tables as t
from dfdg.loaders.base import row_loader


class BorgerByCprLoader(row_loader(t.Borger, "cpr")):
    """Citizen rows with the facts visibility needs (active memberships and assignments,
    dfdg.resolvers.adgang), in the same one statement per batch."""

    @classmethod
    def statement(cls):
        if cls.__dict__.get("_statement") is None:
            from dfdg.resolvers.adgang import borger_med_adgangsfakta

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




class HistorikByCprLoader(row_loader(t.Historik, "cpr", many=True, order_by=("-tid", "-id"))):
    pass
