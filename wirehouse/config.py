"""The sources loader, from tasks.config (imported from here by older code)."""

from schemas.errors import ConfigError
from tasks.config import load_sources, select_sources

__all__ = ["ConfigError", "load_sources", "select_sources"]
