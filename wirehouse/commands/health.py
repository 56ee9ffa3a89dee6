"""`wirehouse health [--source S] [--days N]`: each source's health, why, its trends, its last good run.

The trends are text sparklines, one mark per run (the newest that fit the terminal): the volume (targets
discovered per day of window) and the run's worst figure (tasks/health/rules.py `worst_figure`, named after
the line: lowest mark = fine, full = as bad as it gets). `--days` counts
back from the newest recorded run, so an old warehouse file still shows its last month.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table
from rich.text import Text

from wirehouse.commands import DbOption, db_path, err, run_or_fail

if TYPE_CHECKING:
    import duckdb

    from schemas.health import CheckDecision, HealthBaseline, SourceHealth

console = Console()
BARS = "▁▂▃▄▅▆▇█"
STYLES = {"ok": "green", "degraded": "yellow", "broken": "bold red"}


@dataclass
class SourceTrend:
    """One source's (and flow's) runs in the window, newest last, with what the table shows of them."""

    runs: list[tuple[SourceHealth, HealthBaseline]]
    last_ok: tuple[str, datetime] | None
    decision: CheckDecision | None

    @property
    def latest(self) -> SourceHealth:
        return self.runs[-1][0]

    @property
    def volume(self) -> list[float]:
        return [h.figures.discovered / h.figures.window_days if h.figures.window_days else 0.0 for h, _ in self.runs]

    @property
    def worst(self) -> list[tuple[str, float]]:
        from tasks.health.rules import worst_figure

        return [worst_figure(h.figures) for h, _ in self.runs]


def health_command(
    source: Annotated[str | None, typer.Option("--source", "-s", help="only this source")] = None,
    days: Annotated[int, typer.Option("--days", min=1, max=3650, help="runs of the last N days")] = 30,
    db: DbOption = None,
) -> None:
    """Each source's health: status, why, trends of volume and worst figure, last good run."""
    trends = run_or_fail(lambda: load_trends(db_path(db), source, days))
    if not trends:
        err.print("no source health recorded yet" + (f" for {source}" if source else "")
                  + ": it is recorded by each ingest run", highlight=False)
        raise typer.Exit(1 if source else 0)
    console.print(health_table(trends, days, console.width))


def load_trends(path: Path, source: str | None, days: int) -> list[SourceTrend]:
    from warehouse.connection import open_reader
    from warehouse.queries import require_source

    with open_reader(path) as con:
        if source is not None:
            require_source(con, source)
        return read_trends(con, source, days)


def read_trends(con: duckdb.DuckDBPyConnection, source: str | None, days: int) -> list[SourceTrend]:
    """Each source's (and flow's) runs of the `days` days up to the newest run: unwell sources first."""
    from tasks.health.backoff import check_decision
    from warehouse import health as stored

    if not stored.has_health_table(con):
        return []
    newest = stored.newest_run_at(con, source)
    if newest is None:
        return []
    rows = stored.recent(con, newest - timedelta(days=days), source)
    last_ok = stored.last_ok_runs(con)
    grouped: dict[tuple[str, str], list[tuple[SourceHealth, HealthBaseline]]] = {}
    for health, baseline in rows:
        grouped.setdefault((health.figures.source, health.figures.flow), []).append((health, baseline))
    trends = []
    for key, runs in grouped.items():
        newest_first = [h for h, _ in reversed(runs)]
        decision = check_decision(newest_first, newest) if newest_first[0].status.value == "broken" else None
        trends.append(SourceTrend(runs, last_ok.get(key), decision))
    return sorted(trends, key=lambda t: (-t.latest.status.rank, t.latest.figures.source, t.latest.figures.flow))


def health_table(trends: list[SourceTrend], days: int, width: int = 80) -> Table:
    """The table `wirehouse health` prints; sparklines show the newest runs that fit in `width` columns."""
    newest = max(t.latest.figures.started_at for t in trends)
    marks = min(40, max(8, width - 70))
    table = Table(title=f"Source health · runs of the {days} days to {newest:%Y-%m-%d %H:%M} UTC",
                  title_justify="left", show_lines=True, expand=True)
    table.add_column("source", no_wrap=True)
    table.add_column("why", ratio=1)
    table.add_column("trend: volume, worst figure", no_wrap=True)
    for trend in trends:
        latest = trend.latest
        name = latest.figures.source + ("" if latest.figures.flow == "nightly" else f" ({latest.figures.flow})")
        label = Text(name + "\n", style="bold")
        label.append(latest.status.value, style=STYLES[latest.status.value])
        label.append(f"\nlast good {trend.last_ok[1]:%Y-%m-%d}" if trend.last_ok else "\nnever good", style="dim")
        if trend.decision is not None and trend.decision.next_check_at is not None:
            label.append(f"\nnext try {trend.decision.next_check_at:%Y-%m-%d}", style="dim")
        why = "\n".join(r.message for r in latest.reasons) or Text("—", style="dim")
        volume = trend.volume[-marks:]
        worst = trend.worst[-marks:]
        figure, value = worst[-1]
        rate = f"{volume[-1]:,.1f}" if volume[-1] < 10 else f"{volume[-1]:,.0f}"
        trend_text = Text(f"{sparkline(volume)} {rate}/day\n")
        trend_text.append(sparkline([v for _, v in worst], top=1.0),
                          style=STYLES["ok" if value < 0.25 else "degraded" if value < 0.75 else "broken"])
        trend_text.append(f" {value:.0%} {figure}" if figure else " —")
        table.add_row(label, why, trend_text)
    return table


def sparkline(values: list[float], top: float | None = None) -> str:
    """One block per value, scaled to `top` (default: the largest value); the lowest block for 0."""
    peak = top if top is not None else max(values, default=0.0)
    if peak <= 0:
        return BARS[0] * len(values)
    return "".join(BARS[min(len(BARS) - 1, round(max(0.0, v) / peak * (len(BARS) - 1)))] for v in values)


def health_summary(latest: list[SourceHealth]) -> Table:
    """`wirehouse status`'s health table: broken sources first, then degraded, then ok."""
    table = Table(title="Source health")
    for column in ("source", "flow", "status", "since", "why"):
        table.add_column(column)
    for health in latest:
        since = min((r.since for r in health.reasons if r.since), default=None)
        table.add_row(health.figures.source, health.figures.flow,
                      Text(health.status.value, style=STYLES[health.status.value]),
                      f"{since:%Y-%m-%d}" if since else "", health.summary if health.reasons else "")
    return table
