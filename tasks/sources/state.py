"""Reading what earlier runs left for the fetch stage: validators for conditional GETs, failures to retry."""

from __future__ import annotations

import logging
from collections.abc import Mapping
from datetime import UTC, datetime
from pathlib import Path

from schemas import DiscoveryWindow, Source, Target, Validators
from schemas.report import PollingDecision
from tasks.sources.polling import PollingRules, decide
from tasks.sources.registry import kind_of
from warehouse.connection import open_reader
from warehouse.fetch_state import (
    failures_due,
    fetched_or_failed,
    latest_validators,
    unresolved_failure_urls,
    validators_stored_before,
)
from warehouse.polling import article_count, recent_checks

log = logging.getLogger(__name__)


def first_urls(source: Source, target: Target) -> list[str]:
    """The URLs a target asks for first (those a conditional GET can answer with 304)."""
    return kind_of(source).first_urls(source, target)


def validators_of(validators: Mapping[str, Validators], source: Source, targets: list[Target]) -> dict[str, Validators]:
    """The part of `validators` (from validators_for over more targets) that these targets need."""
    return {url: validators[url] for target in targets for url in first_urls(source, target) if url in validators}


def validators_for(db: Path, source: Source, targets: list[Target]) -> dict[str, Validators]:
    """Validators of the URLs these targets will ask for first; none for targets whose last try failed."""
    urls = [url for target in targets for url in first_urls(source, target)]
    with open_reader(db) as con:
        failing = unresolved_failure_urls(con, source.name)
        validators = latest_validators(con, urls)
    skip = {t.url for t in targets if t.url in failing}
    if not skip:
        return validators
    skip_urls = {url for target in targets if target.url in skip for url in first_urls(source, target)}
    return {url: v for url, v in validators.items() if url not in skip_urls}


def retry_targets(db: Path, source: Source, max_attempts: int, now: datetime | None = None) -> list[Target]:
    """Articles that failed in earlier runs and whose backoff has passed, read again from their pages."""
    now = now or datetime.now(UTC)
    with open_reader(db) as con:
        urls = failures_due(con, source.name, max_attempts, now)
    return [
        Target(source=source.name, url=url, channel="retry", discovered_at=now)
        for url in urls
    ]


def discovery_validators(db: Path, source: Source, window: DiscoveryWindow) -> dict[str, Validators]:
    """Stored validators of the source's discovery files (its kind's `discovery_roles`) that were last seen
    changed before the window began: a 304 for one of them means it holds nothing published in the window."""
    roles = kind_of(source).discovery_roles
    if not roles:
        return {}
    with open_reader(db) as con:
        return validators_stored_before(con, source.name, roles, window.start)


def not_yet_fetched(db: Path, source: Source, targets: list[Target]) -> list[Target]:
    """The targets whose page the source has never fetched (nor failed to): how a run takes undated listings."""
    if not targets:
        return []
    with open_reader(db) as con:
        known = fetched_or_failed(con, source.name, [t.url for t in targets])
    return [t for t in targets if t.url not in known]


def polling_decision(
    db: Path, source: Source, now: datetime, rules: PollingRules, forced: str | None = None
) -> PollingDecision:
    """Whether the nightly run at `now` checks `source` (tasks.sources.polling), from its earlier checks. A history
    that cannot be read checks the source: polling saves requests, it must never cost a night's articles."""
    try:
        with open_reader(db) as con:
            checks = recent_checks(con, source.name, now)
    except Exception as exc:
        log.exception("polling history of %s unreadable", source.name)
        return PollingDecision(source=source.name, checked=True, at=now,
                               reason=f"checked: polling history unreadable ({type(exc).__name__})")
    return decide(source.name, checks, now, rules, forced).model_copy(update={"at": now})


def articles_of(db: Path, source: Source) -> int:
    """Articles of the source in the warehouse: a check's new ones are the difference across it."""
    with open_reader(db) as con:
        return article_count(con, source.name)
