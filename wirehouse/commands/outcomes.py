"""How a run's end reaches the person who started it: the up-front reachability line, the summary of failures
grouped by reason, and the exit code.

Exit codes (README, "Failures and exit codes"): 0 every target loaded; 3 the run completed with failures
(recorded in `failures`, retried by later runs); 1 the run failed (no source reached, or a crash); 2 a user
error (bad option, unknown source, unreadable sources file), reported in one line before anything runs.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import typer
from rich.markup import escape

from wirehouse.commands import err, run_or_fail

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USER_ERROR = 2
EXIT_WITH_FAILURES = 3
PROBE_SECONDS = 4.0  # the whole up-front check: hosts are probed at once, each given this long


def say_if_unreachable(sources_file: Path | None, names: list[str] | None) -> None:
    """One line per selected source whose hosts cannot be resolved or connected to, before the run starts.

    The run still goes ahead: it records what it could not fetch (so a backfill's days stay open) and ends
    quickly, since an absent host is given up after its first refusals (tasks.fetch.reachability).
    """
    import asyncio

    from tasks.config import Settings, load_sources, select_sources
    from tasks.fetch.reachability import probe

    def selected() -> list[Any]:
        return select_sources(load_sources(sources_file or Settings().sources_file), names)

    sources = run_or_fail(selected)
    urls = {source.name: [str(source.base_url)] for source in sources}
    problems = asyncio.run(probe([url for group in urls.values() for url in group], PROBE_SECONDS))
    if not problems:
        return
    for name, group in urls.items():
        for url in group:
            for host, why in problems.items():
                if _host_port(url) == host:
                    err.print(f"[yellow]warning:[/] network unreachable for {name}: {escape(why)}", highlight=False,
                              soft_wrap=True)


def _host_port(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return f"{parts.hostname}:{parts.port or (443 if parts.scheme == 'https' else 80)}"


def run_flow(action: Callable[[], Any]) -> Any:
    """Run a flow; a run that failed (RunFailed) gets its summary and exit code 1, user errors exit 2."""
    from schemas.errors import RunFailed

    try:
        return run_or_fail(action)
    except RunFailed as exc:
        if exc.report is not None:
            print_report(exc.report)
        err.print(f"[red]run failed:[/] {escape(str(exc))}", highlight=False, soft_wrap=True)
        raise typer.Exit(EXIT_FAILED) from None


def print_report(report: Any) -> None:
    """The run's one-line summary, then its failures grouped by reason: count, one example URL and its detail."""
    from tasks.outcomes import group_failures

    err.print(
        f"run {report.run_id} {report.status}: discovered {report.discovered}, fetched {report.fetched}, "
        f"not modified {report.not_modified}, "
        f"articles written {report.articles_written}, comments written {report.comments_written}, "
        f"failed {report.failed}",
        highlight=False,
    )
    for group in group_failures(report)[:10]:
        detail = f" — {group.example_detail}" if group.example_detail else ""
        err.print(f"  failed {group.count:>4} × {group.reason} [{group.stage}], e.g. {group.example_url}{detail}",
                  highlight=False, soft_wrap=True, markup=False)


def exit_for(report: Any) -> None:
    """Exit 3 when the run completed with failures; return (exit 0) when everything loaded."""
    if report.status == "completed_with_failures":
        raise typer.Exit(EXIT_WITH_FAILURES)


def open_chunks_table(chunks: list[dict[str, Any]]) -> Any:
    """`wirehouse status`: the backfill chunks a rerun of their backfill will read again."""
    from rich.table import Table

    table = Table(title="Open backfill chunks (a rerun of the backfill reads them again)")
    for column in ("source", "chunk", "loaded", "failed for good", "pending", "listings", "last read"):
        table.add_column(column)
    for chunk in chunks:
        table.add_row(
            str(chunk["source"]),
            f"{chunk['window_start']:%Y-%m-%d} → {chunk['window_end']:%Y-%m-%d}",
            str(chunk["loaded"]),
            str(chunk["failed_permanent"]),
            str(chunk["pending"]),
            "read whole" if chunk["discovery_complete"] else "not read whole",
            f"{chunk['updated_at']:%Y-%m-%d %H:%M}" if chunk["updated_at"] else "",
        )
    return table
