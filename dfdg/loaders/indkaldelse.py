from dfdg.db import tables as t
from dfdg.loaders.base import row_loader


class IndkaldelseByCprLoader(row_loader(t.Indkaldelse, "cpr", many=True, order_by=("-starttid", "id"))):
    pass


class IndkaldelseByIdLoader(row_loader(t.Indkaldelse, "id")):
    pass


class MoedetilbudByIdLoader(row_loader(t.Moedetilbud, "id")):
    pass
