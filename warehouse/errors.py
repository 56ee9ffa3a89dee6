"""The warehouse's errors, from the one hierarchy in schemas.errors (imported from here by older code)."""

from schemas.errors import RunInProgress, WarehouseBusy, WarehouseError

__all__ = ["RunInProgress", "WarehouseBusy", "WarehouseError"]
