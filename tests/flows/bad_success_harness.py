"""What the bad-successes suite shares: the loopback sites, which URLs a kind's variants replace, and the checks.

One pair of `FaultySite`s (news.antiwar.com: REST posts, pages, REST comments; original.antiwar.com: feed and
pages with their comment threads) serves the whole module on fixed ports, so the warehouses of every case hold
the same URLs and one clean baseline per flow can be copied for each case.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from testing import bad_successes as bad
from testing.faults import FaultySite
from testing.snapshot.site import SnapshotSite
from tests.acceptance.digest import warehouse_digest
from tests.flows.test_flows import query

# The reasons a failure may carry when what came back was not the article: the gate's, or the parser's refusal
CONTENT_REASONS = {"implausible", "unparseable", "bad_content"}
# The log of what was fetched: a rejected answer is kept there as evidence of what the site said (it is no fact
# about the article, and a refetch of the good page with an unchanged body adds no row), so it is not compared.
FETCH_LOG = {"raw_responses"}
# Kinds whose answer parses as a good article or thread: only the plausibility gate can refuse them
GATE_ONLY = {"other-article", "truncated"}


@dataclass(frozen=True)
class Target:
    site: str  # "news" or "original"
    channel: str  # "html", "post" or "comments"
    path: str  # the URL path (and query prefix) the fault answers
    article_path: str  # the article it belongs to
    other_path: str  # a sibling of the same channel, for "another article"

    def matches(self, url: str) -> bool:
        return self.article_path in url or self.path.rstrip("?&") in url


def _snapshot_posts() -> dict[str, list[dict[str, Any]]]:
    snapshot = SnapshotSite()
    return {host.split(".")[0]: [{"id": p["id"], "path": urlsplit(p["link"]).path, "date": p["date_gmt"],
                                  "comments": len(s.site.approved(p))} for p in s.site.posts]
            for host, s in snapshot.sites.items() if host != "www.antiwar.com"}


POSTS = _snapshot_posts()


def targets(site: str, channel: str, since: str, until: str) -> list[Target]:
    """Every URL of `channel` on `site` for posts published in [since, until), those with comments first."""
    posts = sorted((p for p in POSTS[site] if since <= p["date"] < until), key=lambda p: (-p["comments"], p["id"]))
    threaded = [p for p in posts if p["comments"]] or posts

    def path(post: dict[str, Any]) -> str:
        if channel == "post":
            return f"/wp-json/wp/v2/posts/{post['id']}?"
        if channel == "comments":
            return f"/wp-json/wp/v2/comments?post={post['id']}&"
        return str(post["path"])

    out = []
    for number, post in enumerate(posts):
        siblings = threaded if channel == "comments" else posts
        other = next(s for s in siblings[number % len(siblings):] + siblings if s["id"] != post["id"])
        out.append(Target(site, channel, path(post), post["path"], path(other).rstrip("?&") + (
            "?_embed=1" if channel == "post" else "&per_page=100&page=1&order=desc&orderby=date_gmt"
            if channel == "comments" else "")))
    return out


@dataclass
class Plan:
    """Which variant answers which URL in one run."""

    faults: list[tuple[Target, bad.Variant]] = field(default_factory=list)

    def install(self, sites: dict[str, FaultySite]) -> None:
        for target, variant in self.faults:
            sites[target.site].faults[target.path] = bad.fault(variant, target.other_path)

    @staticmethod
    def clear(sites: dict[str, FaultySite]) -> None:
        for site in sites.values():
            site.faults.clear()


def plan(kind: str, channel_targets: list[list[Target]]) -> Plan:
    """Each variant of `kind` that fits a channel replaces one URL of that channel (variants in turn)."""
    result = Plan()
    for group in channel_targets:
        if not group:
            continue
        fitting = bad.variants(kind, group[0].channel)
        for target, variant in zip(group, fitting, strict=False):
            result.faults.append((target, variant))
    return result


Digest = dict[str, dict[str, Any]]


def content(digest: Digest, leave_out: set[str]) -> Digest:
    return {table: spec for table, spec in digest.items() if table not in leave_out}


def what_changed(baseline_db: Path, db: Path, before: Digest, after: Digest) -> str:
    """The tables that differ and, for articles and comments, which rows: the words a report needs."""
    tables = [f"{t} ({before[t]['rows']} -> {after[t]['rows']} rows)" for t in before
              if before[t] != after.get(t) and t not in FETCH_LOG | {"failures"}]
    lines = ["tables changed: " + ", ".join(tables)]
    sql = "SELECT url, title, word_count, parser FROM articles"
    old = {r[0]: r[1:] for r in query(baseline_db, sql)}
    for url, *now in query(db, sql):
        if old.get(url) != tuple(now):
            lines.append(f"  article {urlsplit(url).path}: {old.get(url)} -> {tuple(now)}")
    sql = ("SELECT a.url, count(c.comment_id), count(c.deleted_at) FROM articles a LEFT JOIN comments c "
           "USING (article_id) GROUP BY a.url")
    old_threads = {r[0]: r[1:] for r in query(baseline_db, sql)}
    for url, *now in query(db, sql):
        if old_threads.get(url, (0, 0)) != tuple(now):
            lines.append(f"  comments (all, deleted) of {urlsplit(url).path}: {old_threads.get(url)} -> {tuple(now)}")
    return "\n".join(lines)


def check_bad_run(the_plan: Plan, baseline_db: Path, db: Path, leave_out: set[str]) -> list[str]:
    """Problems after a run through the bad successes: content changed, or a replaced URL without its failure."""
    problems = []
    before, after = warehouse_digest(baseline_db), warehouse_digest(db)
    if content(before, leave_out | FETCH_LOG) != content(after, leave_out | FETCH_LOG):
        problems.append("stored content changed:\n" + what_changed(baseline_db, db, before, after))
    failures = query(db, "SELECT url, reason, detail FROM failures WHERE resolved_at IS NULL")
    for target, variant in the_plan.faults:
        allowed = {"implausible"} if variant.kind in GATE_ONLY else CONTENT_REASONS
        found = [(reason, detail) for url, reason, detail in failures if target.matches(url)]
        if not any(reason in allowed and detail for reason, detail in found):
            problems.append(f"{variant.id} at {target.path}: no open failure with a reason in {sorted(allowed)} "
                            f"(found {found or 'none'})")
    return problems


def check_recovered(baseline_db: Path, db: Path, clean: Digest) -> list[str]:
    problems = []
    still_open = query(db, "SELECT url, reason FROM failures WHERE resolved_at IS NULL")
    if still_open:
        problems.append(f"failures still open after the site recovered: {still_open}")
    after = warehouse_digest(db)
    if content(after, {"failures"} | FETCH_LOG) != content(clean, {"failures"} | FETCH_LOG):
        problems.append("after recovery the warehouse differs from a clean run's:\n"
                        + what_changed(baseline_db, db, clean, after))
    return problems


def copy_db(source: Path, target: Path) -> Path:
    shutil.copyfile(source, target)
    wal = source.with_name(source.name + ".wal")
    if wal.exists():
        shutil.copyfile(wal, target.with_name(target.name + ".wal"))
    return target


Runner = Callable[[Path], object]
