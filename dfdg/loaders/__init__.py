"""Per-request dataloaders, one module per domain; see base.RowLoader."""

from dfdg.loaders.base import Loaders, RowLoader

__all__ = ["Loaders", "RowLoader"]
