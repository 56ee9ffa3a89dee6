"""What a feed source declares beyond name, URL and politeness."""

from __future__ import annotations

from pydantic import HttpUrl

from tasks.sources.base import KindSettings


class FeedSettings(KindSettings):
    feed_url: HttpUrl | None = None  # RSS or Atom; without one only the date archives are read
