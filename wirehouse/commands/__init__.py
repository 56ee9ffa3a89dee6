"""One module per CLI command that is more than a few lines; wirehouse/cli.py registers each with one line.

What the commands share lives here: the --db option, and turning errors the user can fix into one line.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer
from rich.console import Console

from schemas.errors import ConfigError, WarehouseError

DbOption = Annotated[Path | None, typer.Option("--db", envvar="WIREHOUSE_DB", help="DuckDB warehouse file")]
err = Console(stderr=True)
T = TypeVar("T")


def fail(message: str) -> NoReturn:
    err.print(f"[red]error:[/] {message}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def run_or_fail(action: Callable[[], T]) -> T:
    """Run an action; errors the user can fix become one line on stderr and exit code 2."""
    try:
        return action()
    except (ConfigError, WarehouseError, OSError, ValueError) as exc:
        fail(str(exc).splitlines()[0] if str(exc) else type(exc).__name__)


def db_path(db: Path | None) -> Path:
    if db is not None:
        return db
    from tasks.config import Settings

    return Settings().db
