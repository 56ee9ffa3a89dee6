"""A warehouse with a story to tell, for the CLI and report tests: the recorded month, then five December nights
in which `news` gets a new theme (its body selector stops matching), `blog`'s feed answers 404 and `original`
stays healthy."""

from __future__ import annotations

from pathlib import Path

from schemas.health import ChannelTally, SourceHealth
from tasks.health.task import record_health
from tests.health.conftest import night
from tests.health.recorded import recorded_month
from tests.health.test_rules import nothing_found, redesigned

DEAD_FEED = ChannelTally(url="https://blog.example/feed/", role="feed", requests=1, failures=1, status=404,
                         reason="http_404")


def december_nights() -> list:
    nights = []
    for day in range(1, 6):
        nights.append(night("news", day) if day < 3 else redesigned(night("news", day), (31, 29, 17)[day - 3]))
        nights.append(night("original", day))
        nights.append(night("blog", day) if day < 2 else nothing_found(night("blog", day), [DEAD_FEED]))
    return nights


def health_story(db: Path) -> list[SourceHealth]:
    """Store the month and the December nights in `db`; the verdicts of the December nights."""
    for run in recorded_month():
        record_health(db, run)
    return [record_health(db, run)[0] for run in december_nights()]
