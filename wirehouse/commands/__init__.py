"""One module per CLI command that is more than a few lines; wirehouse/cli.py registers each with one line.

What the commands share lives here: the --db option, and turning errors the user can fix into one line
(with -v, the traceback before it).
"""

from __future__ import annotations

import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Annotated, NoReturn, TypeVar

import typer
from rich.console import Console
from rich.markup import escape

from schemas.errors import ConfigError, WarehouseError

DbOption = Annotated[Path | None, typer.Option("--db", envvar="WIREHOUSE_DB", help="DuckDB warehouse file")]
err = Console(stderr=True)
T = TypeVar("T")
_verbose = False


def set_verbose(verbose: bool) -> None:
    """`wirehouse -v`: a user error also shows its traceback."""
    global _verbose
    _verbose = verbose


def fail(message: str) -> NoReturn:
    # Escaped: a message quotes user input (a YAML line, a query) that may hold [brackets] rich would eat.
    err.print(f"[red]error:[/] {escape(message)}", highlight=False, soft_wrap=True)
    raise typer.Exit(2)


def run_or_fail(action: Callable[[], T]) -> T:
    """Run an action; errors the user can fix become one line on stderr and exit code 2.

    A ConfigError is printed whole: its lines after the first quote the place in the file (a YAML line and
    its ^ marker). Other errors keep their first line only (DuckDB's, for one, add hints and context).
    """
    try:
        return action()
    except (ConfigError, WarehouseError, OSError, ValueError) as exc:
        if _verbose:
            err.print(traceback.format_exc(), highlight=False, soft_wrap=True, markup=False)
        text = str(exc)
        if not text:
            fail(type(exc).__name__)
        fail(text if isinstance(exc, ConfigError) else text.splitlines()[0])


def db_path(db: Path | None) -> Path:
    if db is not None:
        return db
    from tasks.config import Settings

    return Settings().db
