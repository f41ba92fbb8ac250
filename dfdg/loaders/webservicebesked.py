from dfdg.db import tables as t
from dfdg.loaders.base import row_loader


class WebservicebeskedByIdLoader(row_loader(t.Webservicebesked, "id")):
    pass
