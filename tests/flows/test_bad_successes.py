"""Bad successes: the real nightly, backfill and comment-refresh flows against sites that answer 200 with something
that is not the article (testing/bad_successes.py: empty pages, noise, bot challenges, login walls, maintenance,
soft 404s in the site's chrome, consent walls, another article, JSON of the wrong shape, HTML for JSON, truncated
pages), each kind in several variants at once, on pages, REST posts and REST comment threads.

For each kind and flow, starting from a copy of a clean warehouse: the run leaves every content table unchanged
(only `failures`, and a backfill's chunk bookkeeping, may move), each replaced URL has an open failure with its
reason, and once the site answers properly again the next run resolves them and stores what a clean run stores.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from flows.backfill import backfill
from flows.nightly import nightly
from flows.refresh_comments import refresh_comments
from testing import bad_successes as bad
from testing.faults import FaultySite
from testing.snapshot.site import SNAPSHOT_NOW
from tests.acceptance.digest import warehouse_digest
from tests.flows import bad_success_harness as h
from tests.flows.helpers import news_on_loopback, original_on_loopback, write_sources

pytestmark = pytest.mark.usefixtures("prefect_harness")

SINCE = datetime(2026, 6, 28, tzinfo=UTC)  # the snapshot's last days: every article but the 2017 one
BACKFILL_DAYS = (date(2026, 7, 1), date(2026, 7, 2))
WINDOW = ("2026-06-28", "2026-07-03")
BACKFILL_WINDOW = ("2026-07-01", "2026-07-03")


@dataclass
class World:
    sites: dict[str, FaultySite]
    sources: Path
    folder: Path
    baselines: dict[str, tuple[Path, h.Digest]]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory, prefect_harness: None) -> Iterator[World]:
    folder = tmp_path_factory.mktemp("bad-successes")
    sites = {"news": FaultySite("news.antiwar.com"), "original": FaultySite("original.antiwar.com")}
    with sites["news"].serve() as news_base, sites["original"].serve() as original_base:
        news = news_on_loopback(news_base)
        news["politeness"] = {**news["politeness"], "max_retries": 1}  # 200s are not retried; keep it quick
        news["bulk"] = False  # one request per post and thread, so a bad answer replaces one article's channel
        sources = write_sources(folder / "sources.yaml", [news, original_on_loopback(original_base)])
        yield World(sites, sources, folder, {})


def run_nightly(world: World, db: Path) -> None:
    asyncio.run(nightly(db=str(db), sources_file=str(world.sources), since=SINCE, until=SNAPSHOT_NOW))


def run_backfill(world: World, db: Path, redo: bool) -> None:
    asyncio.run(backfill(source="news", start=BACKFILL_DAYS[0], end=BACKFILL_DAYS[1], db=str(db),
                         sources_file=str(world.sources), redo=redo))


def run_refresh(world: World, db: Path) -> None:
    asyncio.run(refresh_comments(db=str(db), sources_file=str(world.sources), days=3, now=SNAPSHOT_NOW))


def baseline(world: World, flow: str) -> tuple[Path, h.Digest]:
    """A clean warehouse the flow's cases start from, and the digest a clean run of the flow on it leaves."""
    if flow not in world.baselines:
        db = world.folder / f"{flow}-baseline.duckdb"
        if flow == "backfill":
            run_backfill(world, db, redo=False)
        else:
            db = world.folder / "nightly-baseline.duckdb"
            if not db.exists():
                run_nightly(world, db)
        clean = h.copy_db(db, world.folder / f"{flow}-clean.duckdb")
        {"nightly": lambda: run_nightly(world, clean), "refresh": lambda: run_refresh(world, clean),
         "backfill": lambda: run_backfill(world, clean, redo=True)}[flow]()
        world.baselines[flow] = (db, warehouse_digest(clean))
    return world.baselines[flow]


def channels(flow: str) -> list[list[h.Target]]:
    if flow == "nightly":
        return [h.targets("original", "html", *WINDOW), h.targets("news", "post", *WINDOW),
                h.targets("news", "html", *WINDOW)[::-1], h.targets("news", "comments", *WINDOW)]
    if flow == "backfill":
        return [h.targets("news", "post", *BACKFILL_WINDOW), h.targets("news", "html", *BACKFILL_WINDOW)[::-1],
                h.targets("news", "comments", *BACKFILL_WINDOW)]
    return [h.targets("original", "html", *WINDOW), h.targets("news", "comments", *WINDOW)]


CASES = [pytest.param(flow, kind, id=f"{flow}-{kind}")
         for flow in ("nightly", "backfill", "refresh") for kind in bad.KINDS]


@pytest.mark.parametrize(("flow", "kind"), CASES)
def test_a_bad_success_changes_nothing_and_is_recovered(flow: str, kind: str, world: World, tmp_path: Path) -> None:
    baseline_db, clean = baseline(world, flow)
    db = h.copy_db(baseline_db, tmp_path / "w.duckdb")
    the_plan = h.plan(kind, channels(flow))
    assert the_plan.faults, f"no variant of {kind} fits the channels {flow} reads"
    the_plan.install(world.sites)
    try:
        if flow == "nightly":
            run_nightly(world, db)
        elif flow == "backfill":
            run_backfill(world, db, redo=True)  # re-read the done days, as `--redo` does
        else:
            run_refresh(world, db)
    finally:
        h.Plan.clear(world.sites)
    leave_out = {"failures", "backfill_chunks"} if flow == "backfill" else {"failures"}
    problems = h.check_bad_run(the_plan, baseline_db, db, leave_out)

    {"nightly": lambda: run_nightly(world, db), "refresh": lambda: run_refresh(world, db),
     "backfill": lambda: run_backfill(world, db, redo=False)}[flow]()  # the site has recovered
    problems += h.check_recovered(baseline_db, db, clean)
    assert not problems, f"{flow} through {kind} ({len(the_plan.faults)} URLs replaced):\n" + "\n".join(problems)


@pytest.mark.parametrize("flow", ["backfill", "refresh"])
def test_the_checks_pass_a_run_whose_answers_are_all_real(flow: str, world: World, tmp_path: Path) -> None:
    """The control: the same checks, every replaced URL answering its real page, find nothing to report."""
    baseline_db, clean = baseline(world, flow)
    db = h.copy_db(baseline_db, tmp_path / "w.duckdb")
    if flow == "backfill":
        run_backfill(world, db, redo=True)
        run_backfill(world, db, redo=False)
    else:
        run_refresh(world, db)
        run_refresh(world, db)
    leave_out = {"failures", "backfill_chunks"} if flow == "backfill" else {"failures"}
    assert h.check_bad_run(h.Plan(), baseline_db, db, leave_out) == []
    assert h.check_recovered(baseline_db, db, clean) == []


FIRST_READ_KINDS = ["challenge", "login", "maintenance", "soft404", "consent", "other-article", "noise", "empty",
                    "wrong-json", "html-for-json"]  # a truncation cannot be told at a first read: nothing to compare


def test_a_first_read_through_bad_successes_stores_none_of_them(world: World, tmp_path: Path) -> None:
    """An empty warehouse, each kind (its first variant) on another URL: none of them becomes an article, each is
    a failure, and the run after the site recovered builds what a clean first run builds."""
    _, clean = baseline(world, "nightly")
    pages, posts = h.targets("original", "html", *WINDOW), h.targets("news", "post", *WINDOW)
    html_kinds = [k for k in FIRST_READ_KINDS if bad.variants(k, "html")]
    json_kinds = [k for k in FIRST_READ_KINDS if k not in html_kinds[: len(pages)] and bad.variants(k, "post")]
    the_plan = h.Plan([*((t, bad.variants(k, "html")[0]) for t, k in zip(pages, html_kinds, strict=False)),
                       *((t, bad.variants(k, "post")[0]) for t, k in zip(posts, json_kinds, strict=False))])
    assert {v.kind for _, v in the_plan.faults} == set(FIRST_READ_KINDS)
    db = tmp_path / "first.duckdb"
    the_plan.install(world.sites)
    try:
        run_nightly(world, db)
    finally:
        h.Plan.clear(world.sites)
    stored = [url for (url,) in h.query(db, "SELECT url FROM articles")]
    problems = [f"{variant.id} at {target.path} stored as an article" for target, variant in the_plan.faults
                if target.channel == "html" and any(url.endswith(target.article_path) for url in stored)]
    problems += h.check_bad_run(the_plan, db, db, set())  # compared with itself: only the failures count
    run_nightly(world, db)
    problems += h.check_recovered(db, db, clean)
    assert not problems, "first read through bad successes:\n" + "\n".join(problems)
