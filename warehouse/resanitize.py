"""Migration 009's Python step: clean the HTML that older versions stored with the allowlist of safe_html.

Before 009 the pipeline only dropped `javascript:` URLs, so stored bodies and comments may hold
`java&#9;script:`, `data:` or `vbscript:` links. Every stored HTML column is cleaned again, relative URLs
resolved against the article's stored URL as the pipeline now does; only rows whose HTML changes are written.
Text columns and content hashes are untouched: cleaning changes markup, never what a reader reads.
"""

from __future__ import annotations

from dataclasses import dataclass

import duckdb
import pyarrow as pa

from warehouse.safe_html import clean_html

_BATCH = 1000


@dataclass(frozen=True)
class _HtmlColumn:
    table: str
    column: str
    keys: tuple[str, ...]
    select: str  # yields the keys, the page URL (base for relative links) and the HTML, in that order


HTML_COLUMNS = (
    _HtmlColumn("articles", "body_html", ("article_id",),
                "SELECT article_id, url, body_html FROM articles"),
    _HtmlColumn("article_versions", "body_html", ("article_id", "version"),
                "SELECT v.article_id, v.version, a.url, v.body_html FROM article_versions v "
                "LEFT JOIN articles a USING (article_id)"),
    _HtmlColumn("comments", "html", ("comment_id",),
                "SELECT c.comment_id, a.url, c.html FROM comments c LEFT JOIN articles a USING (article_id)"),
    _HtmlColumn("comment_versions", "html", ("comment_id", "version"),
                "SELECT v.comment_id, v.version, a.url, v.html FROM comment_versions v "
                "LEFT JOIN comments c USING (comment_id) LEFT JOIN articles a ON a.article_id = c.article_id"),
)  # fmt: skip


def resanitize_stored_html(con: duckdb.DuckDBPyConnection) -> dict[str, int]:
    """Clean every stored HTML column in place (inside the caller's transaction); rows changed per table."""
    return {f"{spec.table}.{spec.column}": _resanitize(con, spec) for spec in HTML_COLUMNS}


def _resanitize(con: duckdb.DuckDBPyConnection, spec: _HtmlColumn) -> int:
    changed: list[tuple] = []
    result = con.execute(spec.select)
    while rows := result.fetchmany(_BATCH):
        for *keys, url, html in rows:
            cleaned = clean_html(html or "", url)
            if cleaned != (html or ""):
                changed.append((*keys, cleaned))
    if not changed:
        return 0
    names = [*spec.keys, "cleaned_html"]
    fixes = pa.Table.from_pylist([dict(zip(names, row, strict=True)) for row in changed])
    con.register("wirehouse_html_fixes", fixes)
    try:
        match = " AND ".join(f"t.{key} = f.{key}" for key in spec.keys)
        con.execute(
            f"UPDATE {spec.table} AS t SET {spec.column} = f.cleaned_html FROM wirehouse_html_fixes AS f WHERE {match}"
        )
    finally:
        con.unregister("wirehouse_html_fixes")
    return len(changed)
