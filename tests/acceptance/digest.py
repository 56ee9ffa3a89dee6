"""Digests of a warehouse's content tables, compared with goldens recorded from an earlier version of the code.

What a digest covers: every row of the content tables, less what differs between two runs of the same code
(wall-clock times, run ids, response headers, the loopback server's port). A column a later migration adds
is not part of a golden until the goldens are recorded again, so new columns do not break old goldens.

Re-recording, when a change of content is deliberate (a later issue changes what the pipeline stores):

    WIREHOUSE_RECORD_GOLDENS=1 .venv/bin/python -m pytest -q -p no:cacheprovider \
        tests/acceptance tests/wordpress/test_wordpress_digests.py

rewrites tests/acceptance/goldens/*.json from the code as it is; commit them with the change that explains
them, and say in the commit message which tables changed and why (the JSON shows row counts per table).
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from pathlib import Path
from typing import Any

import duckdb

GOLDENS = Path(__file__).resolve().parent / "goldens"
RECORD = os.environ.get("WIREHOUSE_RECORD_GOLDENS", "").lower() in {"1", "true", "yes"}

# Every table whose rows say what the pipeline read; runs, schema_version and the search index are not content.
CONTENT_TABLES = (
    "sources", "articles", "article_versions", "authors", "author_aliases", "article_authors", "comments",
    "comment_versions", "commenters", "comment_sections", "raw_responses", "failures", "backfill_chunks",
)
# When a row was fetched or written, by which run, and what depends on the loopback port or on wall-clock time.
LEFT_OUT = {
    "first_seen_at", "updated_at", "fetched_at", "run_id", "elapsed_ms", "headers", "valid_from", "valid_to",
    "first_failed_at", "last_failed_at", "completed_at", "indexed_at",
    "response_id", "body_sha256",  # hashes of the URL and body, which carry the loopback port
    "thread_digest",  # a fingerprint of comment ids, which carry the port where an article has no post id
}
# Wall-clock times whose presence is content (a comment was edited, deleted; a failure resolved).
PRESENCE_ONLY = {"edited_at", "deleted_at", "resolved_at"}
_LOOPBACK = re.compile(r"127\.0\.0\.1(?::|%3A)\d+", re.I)
_LOOPBACK_BYTES = re.compile(rb"127\.0\.0\.1(?::|%3A)\d+", re.I)


def warehouse_digest(db: Path) -> dict[str, dict[str, Any]]:
    """{table: {"columns": [...], "rows": n, "digest": sha256}} over the content tables."""
    con = duckdb.connect(str(db), read_only=True)
    try:
        tables = {table: _columns(con, table) for table in CONTENT_TABLES}
        return _digest(con, {t: c for t, c in tables.items() if c})
    finally:
        con.close()


def check_golden(name: str, scenario: str, db: Path) -> None:
    """Assert the digest of `db` equals the one golden `name` holds for `scenario`; record it instead when asked."""
    path = GOLDENS / f"{name}.json"
    goldens = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    if RECORD:
        goldens[scenario] = warehouse_digest(db)
        path.write_text(json.dumps(goldens, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        return
    assert scenario in goldens, f"no golden for {scenario} in {path.name}: record it (see tests/acceptance/digest.py)"
    golden = goldens[scenario]
    con = duckdb.connect(str(db), read_only=True)
    try:
        present = {table: _columns(con, table) for table in golden}
        columns = {table: [c for c in spec["columns"] if c in present[table]] for table, spec in golden.items()}
        now = _digest(con, columns)
    finally:
        con.close()
    differences = [
        f"{table}: {spec['rows']} rows -> {now[table]['rows']}" + (
            "" if now[table]["columns"] == spec["columns"]
            else f" (columns gone: {sorted(set(spec['columns']) - set(now[table]['columns']))})")
        for table, spec in golden.items()
        if now[table]["digest"] != spec["digest"] or now[table]["columns"] != spec["columns"]
    ]
    assert not differences, f"{scenario}: warehouse content differs from the golden: " + "; ".join(differences)


def _columns(con: duckdb.DuckDBPyConnection, table: str) -> list[str]:
    return [name for (name,) in con.execute(
        "SELECT column_name FROM information_schema.columns WHERE table_name = ? ORDER BY ordinal_position",
        [table]).fetchall() if name not in LEFT_OUT]


def _digest(con: duckdb.DuckDBPyConnection, columns: dict[str, list[str]]) -> dict[str, dict[str, Any]]:
    labels = _id_labels(con)
    result = {}
    for table, names in columns.items():
        selected = ", ".join(f"{c} IS NOT NULL" if c in PRESENCE_ONLY else c for c in names)
        rows = sorted(repr(tuple(_normal(v, labels) for v in row))
                      for row in con.execute(f"SELECT {selected} FROM {table}").fetchall())
        digest = hashlib.sha256("\n".join(rows).encode()).hexdigest()
        result[table] = {"columns": names, "rows": len(rows), "digest": digest}
    return result


def _id_labels(con: duckdb.DuckDBPyConnection) -> dict[str, str]:
    """Article and comment ids -> what they stand for; an id hashes the article's URL when it has no post id."""
    labels = {}
    articles = con.execute("SELECT article_id, source, post_id, url FROM articles").fetchall()
    for article_id, source, post_id, url in articles:
        labels[article_id] = f"{source}:post:{post_id}" if post_id is not None else f"{source}:url:{_normal(url, {})}"
    for comment_id, article_id, site_id in con.execute(
            "SELECT comment_id, article_id, site_comment_id FROM comments").fetchall():
        labels[comment_id] = f"{labels.get(article_id, article_id)}#{site_id}"
    return labels


def _normal(value: Any, labels: dict[str, str]) -> Any:
    if isinstance(value, str):
        return labels.get(value) or _LOOPBACK.sub("loopback", value)
    if isinstance(value, bytes | bytearray):
        return _LOOPBACK_BYTES.sub(b"loopback", bytes(value))
    if isinstance(value, list | tuple):
        return [_normal(v, labels) for v in value]
    if isinstance(value, dict):
        return {k: _normal(v, labels) for k, v in value.items()}
    return value
