"""The Disqus key of a source: in its `disqus:` settings, or in the environment variable they name."""

from __future__ import annotations

import os
from collections.abc import Mapping

from schemas.source import DisqusSettings


def api_key(settings: DisqusSettings | None, environ: Mapping[str, str] = os.environ) -> str | None:
    """The API key to send, or None when none is configured (comments are then recorded, not fetched)."""
    if settings is None:
        return None
    if settings.api_key is not None and settings.api_key.get_secret_value():
        return settings.api_key.get_secret_value()
    if settings.api_key_env:
        return environ.get(settings.api_key_env) or None
    return None
