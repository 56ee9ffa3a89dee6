"""`wirehouse export --to DIR [--full]`: the warehouse as hive-partitioned Parquet, rewritten only where it changed.

DuckDB, Polars, pandas or Spark read the folder directly, e.g.
`duckdb -c "FROM read_parquet('DIR/comments/**/*.parquet', hive_partitioning = true)"`.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.console import Console
from rich.table import Table

from wirehouse.commands import DbOption, db_path, run_or_fail

if TYPE_CHECKING:
    from warehouse.export import TableExport

console = Console()


def export_command(
    to: Annotated[Path, typer.Option("--to", help="folder to write (created if missing)")],
    full: Annotated[bool, typer.Option("--full", help="rewrite every partition, not only changed ones")] = False,
    db: DbOption = None,
) -> None:
    """Export the warehouse as Parquet partitioned by source/year/month (hive style), incrementally."""
    from warehouse.connection import open_reader
    from warehouse.export import export

    def run() -> dict[str, TableExport]:
        with open_reader(db_path(db)) as con:
            return export(con, to, full=full)

    result = run_or_fail(run)
    table = Table(title=f"Export to {to}", title_justify="left")
    for column in ("table", "written", "unchanged", "removed", "rows written"):
        table.add_column(column, justify="left" if column == "table" else "right")
    for name, outcome in result.items():
        table.add_row(name, str(len(outcome.written)), str(outcome.unchanged), str(len(outcome.removed)),
                      f"{outcome.rows_written:,}")
    console.print(table)
