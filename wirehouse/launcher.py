"""The `wirehouse` console script.

`wirehouse extract` is run straight from wirehouse/extract.py: the typer application would import
pydantic (typer coerces options through it), rich and every command module first, which costs more CPU
than extracting a hundred pages. Every other command goes to the typer application in wirehouse/cli.py.
"""

from __future__ import annotations

import sys


def main() -> None:
    if sys.argv[1:2] == ["extract"]:
        from wirehouse.extract import main as extract_main

        sys.exit(extract_main(sys.argv[2:]))
    from wirehouse.cli import app

    app()
