"""What `wirehouse sources check NAME` shows: a few recent articles of a source read exactly as a run reads them
(its kind's discovery, the fetch with its comment channels, the parse, the normalization), with nothing written.

Recent: the newest windows first (two days, a week, a month, a year), until enough articles are listed; every
request goes through the source's politeness rules (robots.txt, rate limits, domains, size caps).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from schemas import DiscoveryWindow, FailureRecord, FetchFailure, NormalizedArticle, ParsedArticle, Source, Target
from tasks.fetch.client import FetchClient
from tasks.normalize.authors import AuthorResolver
from tasks.normalize.task import normalize_all
from tasks.normalize.urls import canonical_url
from tasks.sources.registry import kind_of
from tasks.sources.targets import fetch_targets
from tasks.sources.task import parse_all

WINDOW_DAYS = (2, 7, 30, 365)
SHORT_BODY_WORDS = 80  # shorter is an excerpt, a teaser or the wrong block


class CheckFailed(Exception):
    """The source cannot be checked (unreachable, nothing listed); the message is one line for the user."""


@dataclass
class CheckedArticle:
    url: str
    title: str = ""
    authors: list[str] = field(default_factory=list)
    published_at: datetime | None = None
    words: int = 0
    comments: int = 0
    comment_system: str = ""
    parser: str = ""
    warnings: list[str] = field(default_factory=list)


@dataclass
class SourceCheck:
    source: str
    window_days: int  # how far back the sample was taken from
    listed: int  # targets discovered in that window
    articles: list[CheckedArticle]
    discovery_failures: list[FetchFailure]


async def check_source(
    source: Source, client: FetchClient, sample: int = 5, now: datetime | None = None
) -> SourceCheck:
    """Read up to `sample` recent articles of `source`; raises CheckFailed with one line when none is listed."""
    now = now or datetime.now(UTC)
    picked: list[Target] = []
    failures: list[FetchFailure] = []
    days, listed = WINDOW_DAYS[0], 0
    async with client.session(source) as fetcher:
        for days in WINDOW_DAYS:
            window = DiscoveryWindow(start=now - timedelta(days=days), end=now)
            discovery = await kind_of(source).discover(source, window, fetcher, {})
            failures = discovery.failures
            found = _newest_first([*discovery.targets, *discovery.undated])
            listed = len(found)
            # the newest windows' targets first: a wider window adds older ones after them
            picked.extend(t for t in found if t.url not in {p.url for p in picked})
            if len(picked) >= sample:
                break
        if not picked:
            raise CheckFailed(_nothing_listed(source, failures))
        fetched = await fetch_targets(source, picked[:sample], fetcher)
    parsed = parse_all(source, fetched)
    normalized, normalize_failures = normalize_all(source, parsed, AuthorResolver())
    by_url = {canonical_url(item.target.url): article for item, article in parsed.parsed}
    rows = [_checked(n, by_url.get(n.article.url)) for n in normalized]
    rows += [_failed(f) for f in [*parsed.failures, *normalize_failures]]
    return SourceCheck(source.name, days, listed, rows, failures)


def _newest_first(targets: list[Target]) -> list[Target]:
    """Targets with a known date newest first, then the rest in the order listed."""
    dated = sorted((t for t in targets if t.channel_published_at), key=lambda t: t.channel_published_at or 0,
                   reverse=True)
    return dated + [t for t in targets if not t.channel_published_at]


def _checked(normalized: NormalizedArticle, parsed: ParsedArticle | None) -> CheckedArticle:
    article = normalized.article
    checked = CheckedArticle(
        url=article.url, title=article.title, authors=[a.display_name for a in normalized.authors],
        published_at=article.published_at, words=article.word_count, comments=len(normalized.comments),
        comment_system=parsed.comment_read.system if parsed else "", parser=article.parser,
    )
    for missing, name in ((not article.title, "no title"), (not normalized.authors, "no authors"),
                          (article.published_at is None, "no date")):
        if missing:
            checked.warnings.append(name)
    if article.word_count < SHORT_BODY_WORDS:
        checked.warnings.append(f"short body ({article.word_count} words)")
    if parsed is not None:
        read = parsed.comment_read
        if not read.fetched or read.error:
            checked.warnings.append(f"comments not read: {read.error or read.note}")
        elif not parsed.comments_complete and read.system not in ("generic", "none"):  # generic: never complete
            checked.warnings.append(f"comments incomplete{': ' + read.note if read.note else ''}")
    return checked


def _failed(failure: FailureRecord) -> CheckedArticle:
    return CheckedArticle(url=failure.url, warnings=[f"{failure.stage} failed: {failure.reason} {failure.detail}"])


def _nothing_listed(source: Source, failures: list[FetchFailure]) -> str:
    if failures:
        first = failures[0]
        status = f" (HTTP {first.status})" if first.status else ""
        return f"{source.name}: nothing listed; {first.url}: {first.reason}{status} {first.detail}".rstrip()
    return f"{source.name}: no article listed in the last {WINDOW_DAYS[-1]} days"
