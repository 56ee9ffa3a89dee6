"""A batch as pyarrow tables: the column layouts the load statements read, built column-wise from the rows."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from typing import Any

import pyarrow as pa

from schemas.pipeline import RawResponse
from schemas.report import FailureRecord
from schemas.rows import AuthorRow, CommentRow, CommentSectionRow, NormalizedArticle
from warehouse.channels import channel_of

_TS = pa.timestamp("us", tz="UTC")

# Columns of `articles` a batch supplies; the batch table adds the channel each row came through.
ARTICLE_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("source", pa.string()), ("post_id", pa.int64()), ("url", pa.string()),
    ("title", pa.string()), ("deck", pa.string()), ("published_at", _TS), ("modified_at", _TS),
    ("body_text", pa.string()), ("body_html", pa.string()), ("word_count", pa.int32()),
    ("content_hash", pa.string()), ("categories", pa.list_(pa.string())), ("tags", pa.list_(pa.string())),
    ("comment_count_hint", pa.int32()), ("parser", pa.string()), ("fetched_at", _TS),
    ("reprinted_from", pa.string()), ("reprinted_from_url", pa.string()), ("reprint_note", pa.string()),
])
BATCH_ARTICLE_SCHEMA = ARTICLE_SCHEMA.append(pa.field("channel", pa.string()))
ARTICLE_AUTHOR_SCHEMA = pa.schema([("article_id", pa.string()), ("author_id", pa.string()), ("position", pa.int32())])
AUTHOR_SCHEMA = pa.schema([
    ("author_id", pa.string()), ("display_name", pa.string()), ("bio", pa.string()), ("kind", pa.string()),
])
ALIAS_SCHEMA = pa.schema([("alias", pa.string()), ("author_id", pa.string()), ("position", pa.int32())])
COMMENT_SCHEMA = pa.schema([
    ("comment_id", pa.string()), ("article_id", pa.string()), ("site_comment_id", pa.string()),
    ("parent_id", pa.string()), ("depth", pa.int32()), ("position", pa.int32()), ("author_name", pa.string()),
    ("posted_at", _TS), ("text", pa.string()), ("html", pa.string()), ("content_hash", pa.string()),
    ("commenter_id", pa.string()),
])
COMMENTER_SCHEMA = pa.schema([("commenter_id", pa.string()), ("display_name", pa.string())])
COMMENT_SECTION_SCHEMA = pa.schema([
    ("article_id", pa.string()), ("system", pa.string()), ("fetched", pa.bool_()), ("complete", pa.bool_()),
    ("note", pa.string()), ("thread_ref", pa.string()),
])
RESPONSE_SCHEMA = pa.schema([
    ("response_id", pa.string()), ("source", pa.string()), ("url", pa.string()), ("final_url", pa.string()),
    ("status", pa.int32()), ("headers", pa.string()), ("body", pa.binary()), ("body_sha256", pa.string()),
    ("fetched_at", _TS), ("elapsed_ms", pa.float64()), ("role", pa.string()), ("run_id", pa.string()),
])
FAILURE_SCHEMA = pa.schema([
    ("source", pa.string()), ("url", pa.string()), ("stage", pa.string()), ("reason", pa.string()),
    ("detail", pa.string()), ("run_id", pa.string()),
])


def response_id(url: str, body_sha256: str) -> str:
    """Identity of a stored response: the same URL with the same body is the same response."""
    return hashlib.sha256((url + body_sha256).encode("utf-8")).hexdigest()


def build_batch_tables(
    source: str,
    articles: list[NormalizedArticle],
    responses: list[RawResponse],
    failures: list[FailureRecord],
    run_id: str,
) -> dict[str, pa.Table]:
    """The batch (but its comments) as arrow tables, deduplicated by key (the last occurrence wins) so SQL sees
    unique keys; `articles` come one per article_id (load_batch sees to it). Comments are turned into tables
    later, and only for threads that changed (comment_steps.run_comment_steps)."""
    rows = [{**item.article.__dict__, "channel": channel_of(item)} for item in articles]
    return {
        "_batch_articles": table_of(BATCH_ARTICLE_SCHEMA, rows),
        "_batch_article_authors": table_of(
            ARTICLE_AUTHOR_SCHEMA, [row for item in articles for row in item.article_authors],
            key=("article_id", "author_id"),
        ),
        "_batch_authors": table_of(AUTHOR_SCHEMA, _merge_authors(a for item in articles for a in item.authors)),
        "_batch_aliases": table_of(
            ALIAS_SCHEMA, [row for item in articles for row in item.aliases], key=("alias", "author_id")
        ),
        "_batch_responses": _responses_table(source, responses, run_id),
        "_batch_failures": table_of(
            FAILURE_SCHEMA, [{**f.model_dump(), "run_id": run_id} for f in failures], key=("source", "url", "stage")
        ),
    }


def table_of(schema: pa.Schema, rows: list[Any], key: tuple[str, ...] = ()) -> pa.Table:
    """Column-wise arrow table from models or dicts whose field names equal the schema's column names.

    Rows repeating a key are collapsed to the last one. Duplicates are rare, so they are only looked for
    with a set over the key column, which costs far less than keying every row up front.
    """
    # A pydantic model keeps its field values in __dict__; indexing dicts is markedly faster than getattr
    # over a million rows.
    records = rows if rows and isinstance(rows[0], dict) else [row.__dict__ for row in rows]
    columns = {name: [record[name] for record in records] for name in schema.names}
    if key:
        keys = columns[key[0]] if len(key) == 1 else list(zip(*(columns[name] for name in key), strict=True))
        if len(set(keys)) != len(records):
            records = list(dict(zip(keys, records, strict=True)).values())
            columns = {name: [record[name] for record in records] for name in schema.names}
    return pa.table(columns, schema=schema)


def comment_tables(comments: list[CommentRow], sections: list[CommentSectionRow]) -> dict[str, pa.Table]:
    """Comments, their commenters and the sections (how each thread was read) of a batch, as arrow tables."""
    commenters = {c.commenter_id: c.author_name for c in reversed(comments) if c.commenter_id}  # first name wins
    return {
        "_batch_comments": table_of(COMMENT_SCHEMA, comments, key=("comment_id",)),
        "_batch_commenters": table_of(
            COMMENTER_SCHEMA, [{"commenter_id": k, "display_name": v} for k, v in commenters.items()]
        ),
        "_batch_comment_sections": table_of(COMMENT_SECTION_SCHEMA, sections, key=("article_id",)),
    }


def _merge_authors(authors: Iterable[AuthorRow]) -> list[AuthorRow]:
    """One row per author; a bio seen anywhere in the batch is kept even if a later mention lacks it."""
    merged: dict[str, AuthorRow] = {}
    for author in authors:
        known = merged.get(author.author_id)
        bio = author.bio or (known.bio if known else None)
        merged[author.author_id] = author.model_copy(update={"bio": bio})
    return list(merged.values())


def _responses_table(source: str, responses: list[RawResponse], run_id: str) -> pa.Table:
    rows: dict[str, dict[str, Any]] = {}
    seen: set[int] = set()
    for response in responses:
        if id(response) in seen:
            continue  # one bulk answer shared by a hundred posts: hash its body once, not a hundred times
        seen.add(id(response))
        body_sha256 = hashlib.sha256(response.body).hexdigest()
        key = response_id(response.url, body_sha256)
        rows.setdefault(key, {
            **response.model_dump(),
            "response_id": key,
            "source": source,
            "headers": json.dumps(response.headers, ensure_ascii=False),
            "body_sha256": body_sha256,
            "run_id": run_id,
        })
    return table_of(RESPONSE_SCHEMA, list(rows.values()))
