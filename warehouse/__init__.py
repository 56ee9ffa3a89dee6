"""The DuckDB warehouse: every line of Wirehouse's SQL lives in this package."""

from warehouse.connection import WarehouseBusy, WarehouseError, open_reader, open_writer
from warehouse.load import LoadCounts, load_batch
from warehouse.migrate import migrate

__all__ = ["LoadCounts", "WarehouseBusy", "WarehouseError", "load_batch", "migrate", "open_reader", "open_writer"]
