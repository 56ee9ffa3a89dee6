"""The settings, from tasks.config (imported from here by older code)."""

from tasks.config import BUNDLED_SOURCES, Settings

__all__ = ["BUNDLED_SOURCES", "Settings"]
