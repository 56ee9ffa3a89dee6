"""The `wirehouse` command: a thin layer over the flows and the warehouse; no pipeline logic here."""

from __future__ import annotations

import asyncio
import csv
import json
import os
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import Annotated, Any, Literal

import typer
from rich.console import Console
from rich.table import Table

from wirehouse.config import ConfigError
from wirehouse.extract import extract

app = typer.Typer(help="Wirehouse: news articles, authors and comment threads into DuckDB.", no_args_is_help=True)
console = Console()
err = Console(stderr=True)

DbOption = Annotated[Path | None, typer.Option("--db", envvar="WIREHOUSE_DB", help="DuckDB warehouse file")]
SourcesOption = Annotated[
    Path | None, typer.Option("--sources-file", envvar="WIREHOUSE_SOURCES_FILE", help="sources.yaml to use")
]
app.command("extract", help="Extract articles from saved .html/.html.gz pages as JSON.")(extract)


@app.callback()
def _quiet_prefect(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="show Prefect's logs")] = False,
) -> None:
    # Prefect reads these at import, so they are set before any flow module is imported.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "WARNING")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # no phoning home from offline runs


@app.command()
def ingest(
    db: DbOption = None,
    sources_file: SourcesOption = None,
    source: Annotated[list[str] | None, typer.Option("--source", "-s", help="only these sources")] = None,
    since: Annotated[datetime | None, typer.Option(help="re-read from this time instead of the watermark")] = None,
) -> None:
    """Run the nightly ingest now: every enabled source since its watermark."""
    from flows.nightly import nightly

    report = _run(
        lambda: asyncio.run(nightly(sources=source, db=_str(db), sources_file=_str(sources_file), since=_utc(since)))
    )
    _print_report(report)


@app.command()
def backfill(
    source: Annotated[str, typer.Option("--source", "-s", help="source name from sources.yaml")],
    start: Annotated[datetime, typer.Option(formats=["%Y-%m-%d"], help="first day (UTC)")],
    end: Annotated[datetime, typer.Option(formats=["%Y-%m-%d"], help="last day (UTC), inclusive")],
    chunk: Annotated[str, typer.Option(help="day or month")] = "day",
    redo: Annotated[bool, typer.Option(help="re-read chunks already done")] = False,
    db: DbOption = None,
    sources_file: SourcesOption = None,
) -> None:
    """Ingest a past date range of one source, resumably, with a progress bar."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from flows.backfill import backfill as backfill_flow
    from flows.progress import ProgressEvent, add_listener, remove_listener

    if chunk not in ("day", "month"):
        _fail(f"--chunk must be 'day' or 'month', not {chunk!r}")
    if end.date() < start.date():
        _fail(f"--end {end.date()} is before --start {start.date()}")
    chunk_size: Literal["day", "month"] = "day" if chunk == "day" else "month"
    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err
    ) as progress:
        bar = progress.add_task(f"{source} chunks", total=None)

        def on_event(event: ProgressEvent) -> None:
            if event.stage == "chunk_done":
                progress.update(bar, completed=event.done, total=event.total, description=f"{source} {event.detail}")

        add_listener(on_event)
        try:
            report = _run(
                lambda: asyncio.run(
                    backfill_flow(
                        source=source,
                        start=start.date(),
                        end=end.date(),
                        chunk=chunk_size,
                        db=_str(db),
                        sources_file=_str(sources_file),
                        redo=redo,
                    )
                )
            )
        finally:
            remove_listener(on_event)
    _print_report(report)


@app.command()
def demo(db: DbOption = None) -> None:
    """Run the nightly flow on the bundled offline snapshot of Antiwar.com, then show what was loaded."""
    from flows.nightly import nightly
    from wirehouse.demo import DEMO_SINCE, print_demo_summary
    from wirehouse.snapshot_site import SNAPSHOT_NOW

    db_path = db or _default_db()
    err.print(f"[bold]Wirehouse demo[/]: nightly flow over the bundled snapshot → {db_path}")
    report = _run(
        lambda: asyncio.run(nightly(db=str(db_path), transport="snapshot", since=DEMO_SINCE, until=SNAPSHOT_NOW))
    )
    _print_report(report)
    _run(lambda: print_demo_summary(console, db_path))


@app.command()
def sql(
    query: Annotated[str | None, typer.Argument(help="SQL; '-' or nothing reads it from stdin")] = None,
    db: DbOption = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="read the query from this file")] = None,
    output_format: Annotated[str, typer.Option("--format", help="table, csv or json")] = "table",
) -> None:
    """Run a read-only SQL query against the warehouse."""
    from warehouse.connection import open_reader
    from warehouse.queries import run_readonly_sql

    if file is not None:
        query = _run(lambda: file.read_text(encoding="utf-8"))
    elif query in (None, "-"):
        query = sys.stdin.read()
    if not query or not query.strip():
        _fail("no SQL given")
    if output_format not in ("table", "csv", "json"):
        _fail(f"--format must be table, csv or json, not {output_format!r}")

    def run() -> tuple[list[str], list[tuple[Any, ...]]]:
        with open_reader(db or _default_db()) as con:
            return run_readonly_sql(con, query or "")

    columns, rows = _run(run)
    _print_rows(columns, rows, output_format)


@app.command()
def status(db: DbOption = None) -> None:
    """Last runs and row counts."""
    from warehouse.connection import open_reader
    from warehouse.queries import recent_runs, table_counts

    def run() -> tuple[list[dict[str, Any]], dict[str, int]]:
        with open_reader(db or _default_db()) as con:
            return recent_runs(con, 10), table_counts(con)

    runs, counts = _run(run)
    table = Table(title="Last runs")
    for column in ("run_id", "flow", "started_at", "status", "articles", "comments", "failed"):
        table.add_column(column)
    for run in runs:
        table.add_row(
            str(run["run_id"]),
            str(run["flow"]),
            f"{run['started_at']:%Y-%m-%d %H:%M:%S}",
            str(run["status"]),
            str(run["articles_written"]),
            str(run["comments_written"]),
            str(run["failed"]),
        )
    console.print(table)
    rows_table = Table(title="Rows")
    rows_table.add_column("table")
    rows_table.add_column("rows", justify="right")
    for name, count in counts.items():
        rows_table.add_row(name, f"{count:,}")
    console.print(rows_table)


def _run(action):  # type: ignore[no-untyped-def]
    """Run an action; errors the user can fix become one line on stderr and exit code 2."""
    from warehouse.errors import WarehouseError

    try:
        return action()
    except (ConfigError, WarehouseError, OSError, ValueError) as exc:
        _fail(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)


def _fail(message: str) -> None:
    err.print(f"[red]error:[/] {message}", highlight=False)
    raise typer.Exit(2)


def _print_report(report: Any) -> None:
    err.print(
        f"run {report.run_id} {report.status}: discovered {report.discovered}, fetched {report.fetched}, "
        f"articles written {report.articles_written}, comments written {report.comments_written}, "
        f"failed {report.failed}",
        highlight=False,
    )
    for failure in report.failures[:10]:
        err.print(f"  failed [{failure.stage}] {failure.reason}: {failure.url}", highlight=False)


def _print_rows(columns: list[str], rows: list[tuple[Any, ...]], output_format: str) -> None:
    if output_format == "csv":
        writer = csv.writer(sys.stdout)
        writer.writerow(columns)
        writer.writerows(rows)
    elif output_format == "json":
        for row in rows:
            sys.stdout.write(json.dumps(dict(zip(columns, row, strict=True)), default=str) + "\n")
    else:
        table = Table(*columns)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        console.print(table)


def _default_db() -> Path:
    from wirehouse.settings import Settings

    return Settings().db


def _str(path: Path | None) -> str | None:
    return str(path) if path is not None else None


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value
