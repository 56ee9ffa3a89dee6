"""`wirehouse extract PATH... [--url URL] [--jsonl]`: run the generic extractor over saved pages.

One JSON object per page: path, url, title, authors, published_at, body_text, comments. A page that
cannot be read gives a record with an "error" field; the command goes on with the next page.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import typer

from tasks.parse.encoding import decode_html, read_html_file
from tasks.parse.generic import extract_page

PAGE_SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz")


def page_files(paths: Iterable[Path]) -> Iterator[Path]:
    """The .html / .html.gz files named, and those under named folders (recursively, sorted)."""
    for path in paths:
        if path.is_dir():
            yield from sorted(p for p in path.rglob("*") if p.is_file() and p.name.lower().endswith(PAGE_SUFFIXES))
        else:
            yield path


def extract_record(path: Path, url: str | None = None) -> dict[str, Any]:
    """The JSON record for one saved page."""
    try:
        html = decode_html(read_html_file(path))
    except OSError as exc:
        return {"path": str(path), "url": url, "error": f"{type(exc).__name__}: {exc}"}
    extraction = extract_page(html, url)
    article, published = extraction.article, extraction.published_local
    return {
        "path": str(path),
        "url": article.url or url,
        "title": article.title or None,
        "authors": article.bylines,
        "published_at": published.isoformat() if published else None,
        "body_text": article.body_text,
        "comments": [
            {
                "id": c.site_id,
                "parent_id": c.parent_site_id,
                "author": c.author or None,
                "posted_at": c.posted_at.isoformat() if c.posted_at else None,
                "text": c.text,
            }
            for c in article.comments
        ],
    }


def extract(
    paths: list[Path] = typer.Argument(..., help="HTML files or folders of .html / .html.gz pages."),  # noqa: B008
    url: str | None = typer.Option(None, "--url", help="The page's URL (helps with dates in the path)."),
    jsonl: bool = typer.Option(False, "--jsonl", help="One JSON object per line instead of a JSON array."),
) -> None:
    """Extract title, authors, date, body text and comments from saved article pages."""
    records = (extract_record(path, url) for path in page_files(paths))
    if jsonl:
        for record in records:
            typer.echo(json.dumps(record, ensure_ascii=False))
        return
    typer.echo(json.dumps(list(records), ensure_ascii=False, indent=2))
