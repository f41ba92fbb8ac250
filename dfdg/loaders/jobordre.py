from dfdg.db import tables as t
from dfdg.loaders.base import row_loader


class JobordreByIdLoader(row_loader(t.Jobordre, "id")):
    pass


class FormidlingByCprLoader(row_loader(t.Formidling, "cpr", many=True, order_by=("-oprettet", "id"))):
    pass


class FormidlingByJobordreIdLoader(row_loader(t.Formidling, "jobordre_id", many=True, order_by=("id",))):
    pass


class FormidlingByIdLoader(row_loader(t.Formidling, "id")):
    pass
