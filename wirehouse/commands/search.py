"""`wirehouse search "QUERY" [--comments] [--source S] [--since D]`: BM25 full-text search, offline.

Before searching, documents loaded since the last search are indexed (a short writer session). When the file
cannot be opened for writing (a read-only copy, or a run keeping it busy for longer than a few seconds), the
search goes ahead on the index as it is and says how many documents it is missing.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.text import Text

from wirehouse.commands import DbOption, db_path, err, fail, run_or_fail
from wirehouse.commands.checks import parse_day

if TYPE_CHECKING:
    from warehouse.search import SearchHit

console = Console()
# How long to wait for a running load before searching the index as it is.
REFRESH_WAIT_SECONDS = 5.0


def search_command(
    query: Annotated[str, typer.Argument(help="words to look for; stemmed, so 'bombings' finds 'bombing'")],
    comments: Annotated[bool, typer.Option("--comments", help="search comment texts instead of articles")] = False,
    source: Annotated[str | None, typer.Option("--source", "-s", help="only this source")] = None,
    since: Annotated[
        str | None, typer.Option(metavar="YYYY-MM-DD", help="only published (posted) on or after this day, UTC")
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=1, max=1000, help="how many results")] = 10,
    output_format: Annotated[str, typer.Option("--format", help="text or json")] = "text",
    db: DbOption = None,
) -> None:
    """Full-text search over article titles and bodies (or comments), best BM25 match first."""
    from warehouse.connection import open_reader
    from warehouse.search import search, snippet

    if output_format not in ("text", "json"):
        fail(f"--format must be text or json, not {output_format!r}")
    since_day = parse_day("--since", since) if since is not None else None
    path = db_path(db)
    run_or_fail(lambda: ensure_index(path))

    def run() -> list[SearchHit]:
        with open_reader(path) as con:
            return search(con, query, kind="comment" if comments else "article", source=source,
                          since=since_day, limit=limit)

    hits = run_or_fail(run)
    if output_format == "json":
        for rank, hit in enumerate(hits, start=1):
            excerpt, _ = snippet(hit.text, query)
            record = {"rank": rank, **{k: v for k, v in hit.__dict__.items() if k != "text"}, "snippet": excerpt}
            sys.stdout.write(json.dumps(record, default=str, ensure_ascii=False) + "\n")
        return
    print_hits(hits, query)


def ensure_index(path: Path) -> None:
    """Index whatever was loaded since the last refresh, unless a writer holds the file for long."""
    import duckdb

    from schemas.errors import WarehouseError
    from warehouse.connection import open_reader, open_writer
    from warehouse.search import pending_documents, refresh_index

    try:
        with open_reader(path) as con:
            pending = pending_documents(con)
    except duckdb.CatalogException:
        pending = -1  # a warehouse from before the search index: the writer below migrates it
    if pending == 0:
        return
    try:
        with open_writer(path, wait_seconds=REFRESH_WAIT_SECONDS) as con:
            if pending < 0:
                pending = pending_documents(con)
            err.print(f"indexing {pending:,} new or changed documents…", highlight=False, soft_wrap=True)
            refresh_index(con)
    except WarehouseError as exc:
        if pending < 0:
            raise
        err.print(f"[yellow]warning:[/] {pending:,} documents are not indexed yet ({exc}); searching the index "
                  "as it is", highlight=False, soft_wrap=True)


def print_hits(hits: list[SearchHit], query: str) -> None:
    from warehouse.search import snippet

    if not hits:
        console.print("no matches")
        return
    for rank, hit in enumerate(hits, start=1):
        when = f"{hit.at:%Y-%m-%d}" if hit.at else "undated"
        head = Text(f"{rank:>2}. ", style="bold")
        if hit.kind == "comment":
            head.append(hit.author or "anonymous", style="bold cyan")
            head.append(" on ")
        head.append(hit.title, style="bold")
        console.print(head)
        meta = f"    {hit.source} · {when}"
        if hit.kind == "article" and hit.author:
            meta += f" · {hit.author}"
        meta += f" · score {hit.score:.2f}"
        console.print(Text(meta, style="dim"))
        excerpt, spans = snippet(hit.text, query)
        line = Text("    " + excerpt)
        for start, end in spans:
            line.stylize("bold yellow", start + 4, end + 4)
        console.print(line)
        console.print(Text(f"    {hit.url}", style="blue"))
