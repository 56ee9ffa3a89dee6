"""What a site is: declared once in sources.yaml, validated here."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field, HttpUrl, SecretStr, field_validator


class Politeness(BaseModel):
    """Per-source limits on how hard we hit a host."""

    model_config = ConfigDict(extra="forbid")

    max_concurrency: int = Field(default=4, ge=1, le=64)
    requests_per_second: float = Field(default=2.0, gt=0)
    obey_robots: bool = True
    timeout_seconds: float = Field(default=30.0, gt=0)  # connect and between bytes
    total_timeout_seconds: float = Field(default=120.0, gt=0)  # one whole response, however it trickles
    max_retries: int = Field(default=3, ge=0, le=10)
    retry_backoff_seconds: float = Field(default=1.0, ge=0)  # doubles per attempt, with jitter
    max_retry_after_seconds: float = Field(default=120.0, ge=0)  # longer Retry-After -> give up, retry next run
    max_response_bytes: int = Field(default=10_000_000, gt=0)
    # Tests and the offline demo serve from 127.0.0.1; real sources must never reach loopback.
    allow_private_addresses: bool = False


class Selectors(BaseModel):
    """Optional CSS selectors for a site's article pages; anything unset falls back to generic rules."""

    model_config = ConfigDict(extra="forbid")

    title: str | None = None
    deck: str | None = None
    body: str | None = None
    byline: str | None = None
    date: str | None = None
    # Elements inside the body that are not body (share blocks, related links...).
    body_exclude: list[str] = Field(default_factory=list)
    comments: str | None = None


class DisqusSettings(BaseModel):
    """A source whose pages embed Disqus: with a forum and an API key its threads are read from the public API.

    The key is a Disqus API application's public key; `api_key_env` names an environment variable holding it,
    which keeps keys out of sources.yaml (and out of the warehouse, which stores each source's declaration).
    """

    model_config = ConfigDict(extra="forbid")

    forum: str = Field(min_length=1)  # the forum's shortname, as in FORUM.disqus.com/embed.js
    api_key: SecretStr | None = None
    api_key_env: str | None = None
    api_url: HttpUrl = HttpUrl("https://disqus.com/api/3.0/")
    max_pages: int = Field(default=50, ge=1, le=1000)  # of 100 posts each


class Source(BaseModel):
    """One site Wirehouse reads."""

    model_config = ConfigDict(extra="forbid")

    name: str = Field(pattern=r"^[a-z0-9][a-z0-9_-]*$")
    # How the site is discovered and read: a kind of tasks/sources/registry.py ("wordpress", "feed", "sitemap"), each
    # with its own fields below (feed_url, rest_url, fetch_article_html, bulk, sitemaps); the loader checks both.
    kind: str = Field(pattern=r"^[a-z][a-z0-9_]*$")
    base_url: HttpUrl
    enabled: bool = True
    feed_url: HttpUrl | None = None
    # REST root; defaults to {base_url}/wp-json/ for wordpress sources.
    rest_url: HttpUrl | None = None
    allowed_domains: list[str] = Field(default_factory=list)
    selectors: Selectors = Field(default_factory=Selectors)
    politeness: Politeness = Field(default_factory=Politeness)
    fetch_comments: bool = True
    # WordPress sources: also fetch the article page (deck, rendered byline, bio, comment markup).
    fetch_article_html: bool = True
    # WordPress sources: read posts and comments for many posts per request (False: one post per request, as
    # before). Left out of the stored declaration when on, so declarations stored before it stay the same.
    bulk: bool = Field(default=True, exclude_if=lambda on: on)
    # Sitemap sources: the sitemaps (or sitemap indexes) to read; found through robots.txt and the usual places
    # when none are declared. Left out of the stored declaration when empty, as sources of other kinds have it.
    sitemaps: list[HttpUrl] = Field(default_factory=list, exclude_if=lambda urls: not urls)
    # Pages that embed Disqus: read their threads through the Disqus API (needs a forum and an API key).
    disqus: DisqusSettings | None = None
    # Adaptive polling (tasks/sources/polling.py): the longest a quiet source goes unchecked, in days; 1 = every
    # night. None takes the setting WIREHOUSE_MAX_CHECK_INTERVAL_DAYS. Left out of the stored declaration when unset.
    max_check_interval_days: int | None = Field(default=None, ge=1, le=14, exclude_if=lambda days: days is None)

    @field_validator("allowed_domains")
    @classmethod
    def _lowercase_domains(cls, domains: list[str]) -> list[str]:
        return [d.lower().strip(".") for d in domains]

    @property
    def host(self) -> str:
        return self.base_url.host or ""

    def domains(self) -> list[str]:
        """Hosts this source may fetch from (its own host is always allowed)."""
        return sorted({self.host.lower(), *self.allowed_domains})

    def rest_root(self) -> str:
        if self.rest_url is not None:
            return str(self.rest_url).rstrip("/") + "/"
        return str(self.base_url).rstrip("/") + "/wp-json/"


class SourcesFile(BaseModel):
    """The whole sources.yaml."""

    model_config = ConfigDict(extra="forbid")

    sources: list[Source]

    @field_validator("sources")
    @classmethod
    def _unique_names(cls, sources: list[Source]) -> list[Source]:
        names = [s.name for s in sources]
        duplicates = sorted({n for n in names if names.count(n) > 1})
        if duplicates:
            raise ValueError(f"duplicate source names: {', '.join(duplicates)}")
        return sources
