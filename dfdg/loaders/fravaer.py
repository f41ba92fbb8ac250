from dfdg.db import tables as t
from dfdg.loaders.base import row_loader


class FravaerByCprLoader(row_loader(t.Fravaer, "cpr", many=True, order_by=("-fra", "id"))):
    pass


class FravaerByIdLoader(row_loader(t.Fravaer, "id")):
    pass
