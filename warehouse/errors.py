"""Errors the warehouse raises; re-exported from warehouse.connection."""

from __future__ import annotations


class WarehouseError(Exception):
    """The warehouse cannot be used as asked; the message is one line meant for the user."""


class WarehouseBusy(WarehouseError):
    """Another process kept the database file locked for longer than we were willing to wait."""
