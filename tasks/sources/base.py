"""The one shape of a source kind: discover a window's targets, plan and fetch a target's requests, parse them.

A kind is a package under tasks/sources/ whose `__init__.py` holds a `SourceKind`; the registry maps the
`kind:` of sources.yaml to it. The stages call a source's kind and never ask which kind it is. What a page's
comment system needs beyond the kind's own responses is the comment systems' business (tasks/comments), added
by tasks/sources/targets.py and tasks/sources/reading.py around the kind's fetch and parse.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Awaitable, Callable, Mapping
from typing import ClassVar, Self

from pydantic import BaseModel, ConfigDict

from schemas import (
    Discovery,
    DiscoveryWindow,
    FetchedTarget,
    ParsedArticle,
    RawResponse,
    Source,
    Target,
    Validators,
)
from tasks.fetch.fetcher import Fetcher

Get = Callable[[str, str], Awaitable[RawResponse]]  # (url, role) -> response; raises FetchError
# Fields of a source declaration that belong to one kind or another; each kind's settings model says which of
# them it reads, and a declaration that sets one its kind does not read is an error.
KIND_FIELDS = ("feed_url", "rest_url", "fetch_article_html", "bulk", "sitemaps")


class KindSettings(BaseModel):
    """What a kind reads from a source's declaration beyond what every source has."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    @classmethod
    def of(cls, source: Source) -> Self:
        """The kind's settings of `source`; raises pydantic's ValidationError naming a field the kind does not
        read (the sources loader turns it into one line)."""
        declared = {name: getattr(source, name) for name in KIND_FIELDS if name in source.model_fields_set}
        return cls.model_validate(declared)


class SourceKind(ABC):
    name: ClassVar[str]
    settings_model: ClassVar[type[KindSettings]]
    # Roles of the discovery responses this kind asks for conditionally. Discover is handed the stored validators
    # of those of them fetched before the window began: a file unchanged since before the window holds nothing
    # published in it, so its 304 may be taken as "nothing new" (tasks.sources.state.discovery_validators).
    discovery_roles: ClassVar[tuple[str, ...]] = ()

    @abstractmethod
    async def discover(
        self, source: Source, window: DiscoveryWindow, fetcher: Fetcher, validators: Mapping[str, Validators]
    ) -> Discovery:
        """The targets published in `window`, with the listings and feeds read for them (kept raw);
        `validators` (URL -> stored ETag/Last-Modified) are those of `discovery_roles`, empty for other kinds."""

    @abstractmethod
    def first_urls(self, source: Source, target: Target) -> list[str]:
        """The URLs a target asks for first: those a conditional GET can answer with 304."""

    @abstractmethod
    async def fetch(self, source: Source, target: Target, get: Get) -> list[RawResponse]:
        """The target's own responses (the article and what the kind reads with it); raises FetchError when
        the article cannot be had."""

    async def prefetch(self, source: Source, targets: list[Target], fetcher: Fetcher) -> dict[str, list[RawResponse]]:
        """Responses read for many targets at once, by target URL, before each target's own requests; a target
        left out is fetched wholly by `fetch`, so a bulk request that fails costs only requests. Never raises."""
        return {}

    async def fetch_rest(self, source: Source, target: Target, prefetched: list[RawResponse], get: Get
                         ) -> list[RawResponse]:
        """A prefetched target's responses: `prefetched` and what it still needs; raises FetchError as `fetch`."""
        return prefetched

    @abstractmethod
    def parse(self, fetched: FetchedTarget, source: Source) -> ParsedArticle:
        """The article the responses hold, before its comment system's read; raises ParseError."""

    def comment_api(self, source: Source) -> str | None:
        """The comment system whose API this kind's posts are read through, if any (see tasks.comments)."""
        return None


def by_role(responses: list[RawResponse]) -> dict[str, list[RawResponse]]:
    grouped: dict[str, list[RawResponse]] = {}
    for response in responses:
        grouped.setdefault(response.role, []).append(response)
    return grouped
