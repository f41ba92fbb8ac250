from dfdg.db import tables as t
from dfdg.loaders.base import row_loader


class JoblogByCprLoader(row_loader(t.Joblog, "cpr", many=True, order_by=("-ansoegningsdato", "id"))):
    pass


class JoblogByIdLoader(row_loader(t.Joblog, "id")):
    pass
