from dfdg.db import tables as t
from dfdg.loaders.base import row_loader


class VirksomhedByCvrNummerLoader(row_loader(t.Virksomhed, "cvr_nummer")):
    pass


class ProduktionsenhedByPNummerLoader(row_loader(t.Produktionsenhed, "p_nummer")):
    pass


class ProduktionsenhedByCvrNummerLoader(row_loader(t.Produktionsenhed, "cvr_nummer", many=True, order_by=("p_nummer",))):
    pass


class JobagBrugerByKontoIdLoader(row_loader(t.JobagBruger, "konto_id", many=True, order_by=("id",))):
    pass
