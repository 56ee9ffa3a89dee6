"""The `wirehouse` command: a thin layer over the flows and the warehouse; no pipeline logic here.

Commands import what they need when they run (flows, Prefect, DuckDB, pydantic settings): a command
that needs none of it, like `extract`, starts in a fraction of the time.
"""

from __future__ import annotations

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

from wirehouse.commands import DbOption, db_path, err, fail, run_or_fail, set_verbose
from wirehouse.commands.checks import check_db_folder, check_range, check_runner, check_sources, parse_day, parse_time
from wirehouse.commands.export import export_command
from wirehouse.commands.health import health_command, health_summary
from wirehouse.commands.outcomes import exit_for, open_chunks_table, print_report, run_flow, say_if_unreachable
from wirehouse.commands.report import report_command
from wirehouse.commands.search import search_command
from wirehouse.commands.sources import sources_app
from wirehouse.extract import DESCRIPTION, JSONL_HELP, PATHS_HELP, URL_HELP

app = typer.Typer(help="Wirehouse: news articles, authors and comment threads into DuckDB.", no_args_is_help=True)
console = Console()

SourcesOption = Annotated[
    Path | None, typer.Option("--sources-file", envvar="WIREHOUSE_SOURCES_FILE", help="sources.yaml to use")
]
RunnerOption = Annotated[
    str | None,
    typer.Option(
        "--runner", envvar="WIREHOUSE_TASK_RUNNER", help="where fetch and parse run: default (threads) or dask"
    ),
]
app.command("search")(search_command)
app.command("export")(export_command)
app.command("report")(report_command)
app.command("health")(health_command)
comments_app = typer.Typer(help="Reader comment threads, kept current after their articles are loaded.",
                           no_args_is_help=True)
app.add_typer(comments_app, name="comments")
app.add_typer(sources_app, name="sources")


@app.callback()
def _quiet_prefect(
    verbose: Annotated[bool, typer.Option("--verbose", "-v", help="show Prefect's logs")] = False,
) -> None:
    set_verbose(verbose)
    # Prefect reads these at import, so they are set before any flow module is imported.
    os.environ.setdefault("PREFECT_LOGGING_LEVEL", "INFO" if verbose else "WARNING")
    os.environ.setdefault("PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS", "120")
    os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # no phoning home from offline runs


@app.command(help=DESCRIPTION)
def extract(
    paths: Annotated[list[Path], typer.Argument(help=PATHS_HELP)],
    url: Annotated[str | None, typer.Option("--url", help=URL_HELP)] = None,
    jsonl: Annotated[bool, typer.Option("--jsonl", help=JSONL_HELP)] = False,
) -> None:
    # The console script runs `wirehouse extract` through wirehouse.extract.main (wirehouse/launcher.py);
    # this command lists it in --help and serves `python -m wirehouse.cli extract`.
    from wirehouse.extract import write_records

    write_records(paths, url, jsonl, sys.stdout)


@app.command()
def ingest(
    db: DbOption = None,
    sources_file: SourcesOption = None,
    source: Annotated[list[str] | None, typer.Option("--source", "-s", help="only these sources")] = None,
    since: Annotated[
        str | None, typer.Option(metavar="WHEN", help="re-read from this day or time (UTC) instead of the watermark")
    ] = None,
    force: Annotated[bool, typer.Option("--force", help="check every source, quiet ones too")] = False,
    runner: RunnerOption = None,
) -> None:
    """Run the nightly ingest now: every enabled source since its watermark (quiet ones less often)."""
    import asyncio

    since_time = _utc(parse_time("--since", since)) if since is not None else None
    check_runner(runner)
    check_db_folder(db)
    check_sources(sources_file, source)
    _check_no_run_in_progress(db)
    say_if_unreachable(sources_file, source)

    from flows.nightly import nightly

    flow = nightly.with_options(task_runner=_task_runner(runner))
    report = run_flow(
        lambda: asyncio.run(flow(sources=source, db=_str(db), sources_file=_str(sources_file), since=since_time,
                                 force=force))
    )
    _print_report(report)
    exit_for(report)


@app.command()
def backfill(
    source: Annotated[str, typer.Option("--source", "-s", help="source name from sources.yaml")],
    start: Annotated[str, typer.Option(metavar="YYYY-MM-DD", help="first day (UTC)")],
    end: Annotated[str, typer.Option(metavar="YYYY-MM-DD", help="last day (UTC), inclusive")],
    chunk: Annotated[str, typer.Option(help="day or month")] = "day",
    redo: Annotated[bool, typer.Option(help="re-read chunks already done")] = False,
    db: DbOption = None,
    sources_file: SourcesOption = None,
    runner: RunnerOption = None,
) -> None:
    """Ingest a past date range of one source, resumably, with a progress bar."""
    import asyncio

    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    first, last = parse_day("--start", start), parse_day("--end", end)
    check_range(first, last)
    if chunk not in ("day", "month"):
        fail(f"--chunk must be 'day' or 'month', not {chunk!r}")
    chunk_size: Literal["day", "month"] = "day" if chunk == "day" else "month"
    check_runner(runner)
    check_db_folder(db)
    check_sources(sources_file, [source])
    _check_no_run_in_progress(db)
    say_if_unreachable(sources_file, [source])

    from flows.backfill import backfill as backfill_flow
    from flows.progress import ProgressEvent, add_listener, remove_listener

    flow = backfill_flow.with_options(task_runner=_task_runner(runner))
    with Progress(
        TextColumn("[bold]{task.description}"), BarColumn(), MofNCompleteColumn(), TimeElapsedColumn(), console=err
    ) as progress:
        bar = progress.add_task(f"{source} chunks", total=None)

        def on_event(event: ProgressEvent) -> None:
            if event.stage == "chunk_done":
                progress.update(bar, completed=event.done, total=event.total, description=f"{source} {event.detail}")

        add_listener(on_event)
        try:
            report = run_flow(
                lambda: asyncio.run(
                    flow(
                        source=source,
                        start=first,
                        end=last,
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
    exit_for(report)


@app.command()
def demo(db: DbOption = None) -> None:
    """Run the nightly flow on the bundled offline snapshot of Antiwar.com, then show what was loaded."""
    import asyncio

    demo_db = check_db_folder(db)

    from flows.nightly import nightly
    from testing.snapshot.site import SNAPSHOT_NOW
    from wirehouse.demo import DEMO_SINCE, print_demo_summary

    err.print(f"[bold]Wirehouse demo[/]: nightly flow over the bundled snapshot → {demo_db}")
    report = run_or_fail(
        lambda: asyncio.run(nightly(db=str(demo_db), transport="snapshot", since=DEMO_SINCE, until=SNAPSHOT_NOW))
    )
    _print_report(report)
    run_or_fail(lambda: print_demo_summary(console, demo_db))


@app.command()
def sql(
    query: Annotated[str | None, typer.Argument(help="SQL; '-' or nothing reads it from stdin")] = None,
    db: DbOption = None,
    file: Annotated[Path | None, typer.Option("--file", "-f", help="read the query from this file")] = None,
    output_format: Annotated[str, typer.Option("--format", help="table, csv, json or parquet")] = "table",
    out: Annotated[Path | None, typer.Option("--out", "-o", help="write the result to this file, not stdout")] = None,
) -> None:
    """Run a read-only SQL query against the warehouse."""
    from warehouse.connection import open_reader
    from warehouse.queries import run_readonly_sql, run_readonly_sql_arrow

    if file is not None:
        query = run_or_fail(lambda: file.read_text(encoding="utf-8"))
    elif query in (None, "-"):
        query = sys.stdin.read()
    if not query or not query.strip():
        fail("no SQL given")
    if output_format not in ("table", "csv", "json", "parquet"):
        fail(f"--format must be table, csv, json or parquet, not {output_format!r}")
    if output_format == "parquet" and out is None:
        fail("--format parquet writes a file: add --out FILE")
    if output_format == "parquet":
        import pyarrow.parquet as pq

        def run_arrow() -> Any:
            with open_reader(db_path(db)) as con:
                return run_readonly_sql_arrow(con, query or "")

        result = run_or_fail(run_arrow)
        run_or_fail(lambda: pq.write_table(result, out))
        err.print(f"wrote {result.num_rows:,} rows to {out}", highlight=False, soft_wrap=True)
        return

    def run() -> tuple[list[str], list[tuple[Any, ...]]]:
        with open_reader(db_path(db)) as con:
            return run_readonly_sql(con, query or "")

    columns, rows = run_or_fail(run)
    if out is None:
        _print_rows(columns, rows, output_format)
        return
    with run_or_fail(lambda: out.open("w", encoding="utf-8", newline="")) as stream:
        _print_rows(columns, rows, output_format, stream)
    err.print(f"wrote {len(rows):,} rows to {out}", highlight=False, soft_wrap=True)


@app.command()
def status(db: DbOption = None) -> None:
    """Source health (broken first), last runs, open backfill chunks and row counts."""
    from warehouse import health
    from warehouse.connection import open_reader
    from warehouse.polling import last_nightly_skips
    from warehouse.queries import open_chunks, recent_runs, table_counts

    def run() -> tuple[list[Any], list[tuple[str, str]], list[dict[str, Any]], dict[str, int], list[dict[str, Any]]]:
        with open_reader(db_path(db)) as con:
            latest = health.latest(con) if health.has_health_table(con) else []
            return latest, last_nightly_skips(con), recent_runs(con, 10), table_counts(con), open_chunks(con)

    latest_health, skips, runs, counts, chunks_open = run_or_fail(run)
    if latest_health:
        console.print(health_summary(latest_health))
    if skips:  # adaptive polling: quiet sources the last nightly left for another night
        skipped = Table("source", "why", title="Not checked by the last nightly run")
        for source, reason in skips:
            skipped.add_row(source, reason)
        console.print(skipped)
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
    if chunks_open:
        console.print(open_chunks_table(chunks_open))
    rows_table = Table(title="Rows")
    rows_table.add_column("table")
    rows_table.add_column("rows", justify="right")
    for name, count in counts.items():
        rows_table.add_row(name, f"{count:,}")
    console.print(rows_table)


@comments_app.command("refresh")
def comments_refresh(
    days: Annotated[
        int | None,
        typer.Option("--days", min=0, help="articles published in the last N days (default: "
                     "WIREHOUSE_COMMENT_REFRESH_DAYS, 7)"),
    ] = None,
    source: Annotated[list[str] | None, typer.Option("--source", "-s", help="only these sources")] = None,
    db: DbOption = None,
    sources_file: SourcesOption = None,
) -> None:
    """Re-read the comment threads of recent articles: new, edited and deleted comments, conditionally."""
    import asyncio

    check_db_folder(db)
    check_sources(sources_file, source)
    _check_no_run_in_progress(db)
    say_if_unreachable(sources_file, source)

    from flows.refresh_comments import refresh_comments

    report = run_flow(lambda: asyncio.run(
        refresh_comments(days=days, sources=source, db=_str(db), sources_file=_str(sources_file))))
    _print_report(report)
    err.print(
        f"threads {report.discovered}: {report.fetched} read, {report.not_modified} unchanged (304); "
        f"comments marked deleted {report.comments_deleted}, threads not fetched {report.comments_not_fetched}",
        highlight=False,
    )
    exit_for(report)


def _check_no_run_in_progress(db: Path | None) -> None:
    from warehouse.run_lock import check_free

    run_or_fail(lambda: check_free(db_path(db)))


def _print_report(report: Any) -> None:
    print_report(report)  # wirehouse/commands/outcomes.py: failures grouped by reason
    for skipped in (d for d in getattr(report, "polling", []) if not d.checked):
        err.print(f"  not checked {skipped.source}: {skipped.reason}", highlight=False)


def _print_rows(columns: list[str], rows: list[tuple[Any, ...]], output_format: str, stream: Any = None) -> None:
    out = stream or sys.stdout
    if output_format == "csv":
        writer = csv.writer(out)
        writer.writerow(columns)
        writer.writerows(rows)
    elif output_format == "json":
        for row in rows:
            out.write(json.dumps(dict(zip(columns, row, strict=True)), default=str) + "\n")
    else:
        table = Table(*columns)
        for row in rows:
            table.add_row(*("" if v is None else str(v) for v in row))
        (Console(file=stream, width=200, color_system=None) if stream else console).print(table)


def _task_runner(name: str | None) -> Any:
    """The task runner --runner (or WIREHOUSE_TASK_RUNNER) names, with WIREHOUSE_DASK_* settings for Dask."""
    from flows.runners import make_task_runner
    from tasks.config import RUNNER_NAMES

    if name is not None and name not in RUNNER_NAMES:
        fail(f"--runner must be one of {', '.join(RUNNER_NAMES)}, not {name!r}")
    return run_or_fail(lambda: make_task_runner(name if name in RUNNER_NAMES else None))


def _str(path: Path | None) -> str | None:
    return str(path) if path is not None else None


def _utc(value: datetime | None) -> datetime | None:
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value


if __name__ == "__main__":
    app()
