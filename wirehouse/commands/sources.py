"""`wirehouse sources add URL [--name N] [--write]` and `wirehouse sources check NAME [--sample 5]`.

`add` probes a site (robots.txt, the WordPress REST API, feeds, sitemaps, a few sample articles) and prints the
sources.yaml entry it proposes, a comment on each choice; `--write` adds it to the sources file in use. `check`
reads a few recent articles of a declared source as a run would, and writes nothing. Both fetch through the one
HTTP client (robots.txt, rate limits, domains, size caps); a site that cannot be read is one line and exit 2.
"""

from __future__ import annotations

import asyncio
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from wirehouse.commands import err, fail, run_or_fail

if TYPE_CHECKING:
    from tasks.sources.check import SourceCheck
    from tasks.sources.probe import Proposal

SourcesFileOption = Annotated[
    Path | None, typer.Option("--sources-file", envvar="WIREHOUSE_SOURCES_FILE", help="sources.yaml to use")
]
sources_app = typer.Typer(help="Add a site by its URL, or check how a declared source reads.", no_args_is_help=True)


@sources_app.command("add")
def add_command(
    url: Annotated[str, typer.Argument(help="the site's address, e.g. https://news.example.com/")],
    name: Annotated[str | None, typer.Option("--name", help="the source's name (default: from the address)")] = None,
    write: Annotated[bool, typer.Option("--write", help="add the entry to the sources file in use")] = False,
    sources_file: SourcesFileOption = None,
) -> None:
    """Probe a site and print the sources.yaml entry proposed for it, with the reason for each choice."""
    from tasks.config import Settings
    from tasks.config.entries import append_entry, render_entry, validated
    from tasks.fetch.client import fetch_client
    from tasks.sources.probe import ProbeFailed, probe_site, probe_source

    settings = Settings()

    async def probe() -> Proposal:
        source = probe_source(url)
        async with fetch_client("network", settings.user_agent).session(source) as fetcher:
            return await probe_site(fetcher.get, url, name)

    try:
        proposal = asyncio.run(probe())
    except ProbeFailed as exc:
        fail(str(exc))
    run_or_fail(lambda: validated(proposal.entry))
    sys.stdout.write(render_entry(proposal.entry, proposal.reasons, indent=0))
    if write:
        path = sources_file or settings.sources_file
        run_or_fail(lambda: append_entry(path, proposal.entry, proposal.reasons))
        err.print(f"added source {proposal.entry['name']!r} to {path}", highlight=False, soft_wrap=True)


@sources_app.command("check")
def check_command(
    name: Annotated[str, typer.Argument(help="a source declared in the sources file")],
    sample: Annotated[int, typer.Option("--sample", min=1, max=50, help="how many recent articles to read")] = 5,
    sources_file: SourcesFileOption = None,
) -> None:
    """Read a few recent articles of a source as a run would, and show what each gives; nothing is written."""
    from tasks.config import Settings, load_sources, select_sources
    from tasks.fetch.client import fetch_client
    from tasks.sources.check import CheckFailed, check_source

    settings = Settings()
    (source,) = run_or_fail(lambda: select_sources(load_sources(sources_file or settings.sources_file), [name]))
    try:
        result = asyncio.run(check_source(source, fetch_client("network", settings.user_agent), sample))
    except CheckFailed as exc:
        fail(str(exc))
    _print_check(result)


def _print_check(result: SourceCheck) -> None:
    out = Console(width=200) if not sys.stdout.isatty() else Console()
    out.print(f"{result.source}: {len(result.articles)} articles read of {result.listed} listed in the last "
              f"{result.window_days} days", highlight=False)
    table = Table("title", "authors", "date", "words", "comments", "parser", "warnings")
    for article in result.articles:
        table.add_row(
            article.title[:70] or article.url, ", ".join(article.authors),
            f"{article.published_at:%Y-%m-%d %H:%M}" if article.published_at else "", str(article.words),
            f"{article.comments} ({article.comment_system})" if article.comment_system else str(article.comments),
            article.parser, "; ".join(article.warnings),
        )
    out.print(table)
    for failure in result.discovery_failures[:10]:
        err.print(f"  listing failed: {failure.reason} {failure.url} {failure.detail}".rstrip(), highlight=False)
