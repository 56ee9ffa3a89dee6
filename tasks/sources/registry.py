"""The source kinds: the one place that knows them all. Adding a kind is a package under tasks/sources/ and a
line in KINDS; `kind:` in sources.yaml names one of them."""

from __future__ import annotations

from schemas import Source
from tasks.sources.base import KindSettings, SourceKind
from tasks.sources.feed import FeedKind
from tasks.sources.sitemap import SitemapKind
from tasks.sources.wordpress import WordPressKind

KINDS: dict[str, SourceKind] = {kind.name: kind for kind in (WordPressKind(), FeedKind(), SitemapKind())}


def kind_of(source: Source) -> SourceKind:
    return KINDS[source.kind]


def check_settings(source: Source) -> KindSettings:
    """The source's kind settings. Raises KeyError for an unknown kind, pydantic's ValidationError for a field
    its kind does not read."""
    if source.kind not in KINDS:
        raise KeyError(f"kind {source.kind!r} is none of {', '.join(KINDS)}")
    return kind_of(source).settings_model.of(source)
