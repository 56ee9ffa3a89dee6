"""`wirehouse extract PATH... [--url URL] [--jsonl]`: run the generic extractor over saved pages.

One JSON object per page: path, url, title, authors, published_at, body_text, comments. A page that
cannot be read gives a record with an "error" field; the command goes on with the next page.

Only the extractor and its parser are imported (no typer, pydantic, Prefect or DuckDB): a user feels
the startup of every run over a folder.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, TextIO

DESCRIPTION = "Extract title, authors, date, body text and comments from saved article pages."
PAGE_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")
PATHS_HELP = "HTML files or folders of .html / .html.gz pages."
URL_HELP = "The page's URL (helps with dates in the path)."
JSONL_HELP = "One JSON object per line instead of a JSON array."


def page_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The .html / .html.gz files named, and those under named folders (recursively, sorted)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(PAGE_SUFFIXES))
        else:
            yield path


def extract_record(path: Path, url: str | None = None) -> dict[str, Any]:
    """The JSON record for one saved page."""
    from tasks.parse.encoding import decode_html, read_html_file
    from tasks.parse.generic import read_page

    try:
        html = decode_html(read_html_file(path))
    except OSError as exc:
        return {"path": str(path), "url": url, "error": f"{type(exc).__name__}: {exc}"}
    page = read_page(html, url)
    return {
        "path": str(path),
        "url": page.url or url,
        "title": page.title or None,
        "authors": page.authors,
        "published_at": page.published.isoformat() if page.published else None,
        "body_text": page.body_text,
        "comments": [
            {
                "id": c.site_id,
                "parent_id": c.parent_site_id,
                "author": c.author or None,
                "posted_at": c.posted_at.isoformat() if c.posted_at else None,
                "text": c.text,
            }
            for c in page.comments
        ],
    }


def write_records(paths: list[Path], url: str | None, jsonl: bool, out: TextIO) -> None:
    """Extract every page under `paths` and write the records: JSON lines, or one JSON array."""
    records = (extract_record(path, url) for path in page_files(paths))
    if jsonl:
        for record in records:
            out.write(json.dumps(record, ensure_ascii=False) + "\n")
        return
    out.write(json.dumps(list(records), ensure_ascii=False, indent=2) + "\n")


def main(argv: list[str]) -> int:
    """`wirehouse extract` without the CLI framework (see wirehouse/launcher.py); the same options as
    the typer command in wirehouse/cli.py, which lists it in `wirehouse --help`."""
    parser = argparse.ArgumentParser(prog="wirehouse extract", description=DESCRIPTION)
    parser.add_argument("paths", nargs="+", type=Path, metavar="PATHS", help=PATHS_HELP)
    parser.add_argument("--url", help=URL_HELP)
    parser.add_argument("--jsonl", action="store_true", help=JSONL_HELP)
    args = parser.parse_args(argv)
    write_records(args.paths, args.url, args.jsonl, sys.stdout)
    return 0
