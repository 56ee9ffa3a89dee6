"""Field-wise, monotone merge of a batch's articles into the stored ones, as one set-based SELECT.

For each field (a title, a body with its HTML and word count, a date, a list, the byline) the batch's value
replaces the stored one only when
  - the batch has a value at all (a stored value is never replaced by an empty one), and
  - the stored field is empty, or the batch came through an equal or stronger channel (rest > page > feed), or
    the site reports the article modified since the stored version (a newer modified_at).
The channel that supplied each stored value is kept in articles.field_channels, so a later, weaker read cannot
overwrite it. Values the REST run took from the article page (the deck, the printed byline) count as the
REST run's: that run read the same page.
"""

from __future__ import annotations

from dataclasses import dataclass

from warehouse.channels import parser_channel_sql, rank_sql


@dataclass(frozen=True)
class MergedField:
    """One unit of the merge: columns that always come from the same side, and when that side has no value."""

    name: str  # key in articles.field_channels
    columns: tuple[str, ...]
    empty: str  # SQL predicate over a row alias written {t}: true when the row has no value for the field


# The body's HTML, word count, parser and reprint note (read off the body) go with its text;
# fetched_at and comment_count_hint are not content.
MERGED_FIELDS = (
    MergedField("title", ("title",), "{t}.title = ''"),
    MergedField("deck", ("deck",), "coalesce({t}.deck, '') = ''"),
    MergedField(
        "body",
        ("body_text", "body_html", "word_count", "parser", "reprinted_from", "reprinted_from_url", "reprint_note"),
        "{t}.body_text = ''",
    ),
    MergedField("published_at", ("published_at",), "{t}.published_at IS NULL"),
    MergedField("modified_at", ("modified_at",), "{t}.modified_at IS NULL"),
    MergedField("categories", ("categories",), "len({t}.categories) = 0"),
    MergedField("tags", ("tags",), "len({t}.tags) = 0"),
    MergedField("post_id", ("post_id",), "{t}.post_id IS NULL"),
    MergedField("url", ("url",), "{t}.url = ''"),
)
BYLINE = "byline"
FIELD_NAMES = (*(field.name for field in MERGED_FIELDS), BYLINE)
FIELD_CHANNELS_TYPE = "STRUCT(" + ", ".join(f"{name} VARCHAR" for name in FIELD_NAMES) + ")"
# A change in these (or in the byline) means the article changed; fetched_at or a comment-count hint alone do not.
TRACKED = ("title", "deck", "published_at", "modified_at", "content_hash", "categories", "tags", "post_id", "url",
           "reprinted_from", "reprinted_from_url", "reprint_note", "field_channels")


def new_field_channels_sql(batch: str = "b") -> str:
    """field_channels of a batch row loaded as new: its channel for every field it has a value for."""
    parts = [f"{field.name} := CASE WHEN {field.empty.format(t=batch)} THEN NULL ELSE {batch}.channel END"
             for field in MERGED_FIELDS]
    parts.append(f"{BYLINE} := CASE WHEN {batch}.article_id IN (SELECT article_id FROM _batch_article_authors) "
                 f"THEN {batch}.channel END")
    return "struct_pack(" + ", ".join(parts) + ")"


def _stored_channel(field: str, empty: str) -> str:
    """The channel of a stored field: as recorded, else (rows from before version 6) its row's parser's."""
    return f"CASE WHEN {empty} THEN NULL ELSE coalesce(a.field_channels.{field}, {parser_channel_sql('a.parser')}) END"


def _takes(field: str, batch_empty: str, stored_empty: str) -> str:
    """SQL: true when the batch's value of `field` replaces the stored one."""
    stored_rank = rank_sql(_stored_channel(field, stored_empty))
    return (f"(NOT ({batch_empty}) AND (({stored_empty}) OR {rank_sql('b.channel')} >= {stored_rank} "
            f"OR b.modified_at > a.modified_at))")


def merged_articles_sql() -> str:
    """SELECT of the merged row of every batch article already stored (their ids: parameter $ids) whose merge
    differs from what is stored,
    with `archive` (its title or content changes: the stored version goes to article_versions) and
    `replace_byline` (the batch's byline replaces the stored one)."""
    takes = [_takes(f.name, f.empty.format(t="b"), f.empty.format(t="a")) + f" AS take_{f.name}" for f in MERGED_FIELDS]
    takes.append(_takes(BYLINE, "nb.byline IS NULL", "sb.byline IS NULL") + f" AS take_{BYLINE}")
    merged_columns = ", ".join(
        f"CASE WHEN p.take_{field.name} THEN b.{column} ELSE a.{column} END AS {column}"
        for field in MERGED_FIELDS for column in field.columns
    )
    channels = [
        f"{field.name} := CASE WHEN p.take_{field.name} THEN b.channel "
        f"ELSE {_stored_channel(field.name, field.empty.format(t='a'))} END"
        for field in MERGED_FIELDS
    ]
    channels.append(f"{BYLINE} := CASE WHEN p.take_{BYLINE} THEN b.channel "
                    f"ELSE {_stored_channel(BYLINE, 'p.stored_byline IS NULL')} END")
    changed = " OR ".join(f"m.{col} IS DISTINCT FROM a.{col}" for col in TRACKED)
    # The stored rows of the batch are read once, by a constant id list that DuckDB pushes into the scan: a join
    # against `articles` itself would read every stored body, on every batch.
    return f"""
        WITH stored AS MATERIALIZED (
            SELECT * FROM articles WHERE article_id IN $ids
        ), batch_bylines AS (
            SELECT article_id, list({{'author_id': author_id, 'position': position}}
                                    ORDER BY position, author_id) AS byline
            FROM _batch_article_authors GROUP BY article_id
        ), stored_bylines AS (
            SELECT article_id, list({{'author_id': author_id, 'position': position}}
                                    ORDER BY position, author_id) AS byline
            FROM article_authors WHERE article_id IN $ids
            GROUP BY article_id
        ), paired AS (
            SELECT b.article_id, nb.byline AS batch_byline, sb.byline AS stored_byline, {", ".join(takes)}
            FROM _batch_articles AS b
            JOIN stored AS a ON a.article_id = b.article_id
            LEFT JOIN batch_bylines AS nb ON nb.article_id = b.article_id
            LEFT JOIN stored_bylines AS sb ON sb.article_id = b.article_id
        ), merged AS (
            SELECT p.article_id, {merged_columns},
                   struct_pack({", ".join(channels)}) AS field_channels,
                   coalesce(b.comment_count_hint, a.comment_count_hint) AS comment_count_hint,
                   b.fetched_at,
                   p.take_{BYLINE} AND p.batch_byline IS DISTINCT FROM p.stored_byline AS replace_byline
            FROM paired AS p
            JOIN stored AS a ON a.article_id = p.article_id
            JOIN _batch_articles AS b ON b.article_id = p.article_id
        ), hashed AS (
            SELECT m.*, {_content_hash_sql()} AS content_hash
            FROM merged AS m
            JOIN stored AS a ON a.article_id = m.article_id
            JOIN _batch_articles AS b ON b.article_id = m.article_id
        )
        SELECT m.*, m.content_hash IS DISTINCT FROM a.content_hash OR m.title IS DISTINCT FROM a.title AS archive
        FROM hashed AS m
        JOIN stored AS a ON a.article_id = m.article_id
        WHERE m.replace_byline OR {changed}
    """


def _content_hash_sql() -> str:
    """The merged row's content_hash: the batch's or the stored one when its title, deck and body are all that
    side's, else computed as tasks.normalize.bodies.content_hash does (sha256 of each part followed by chr(31))."""
    def same_content(t: str) -> str:
        return f"m.title = {t}.title AND coalesce(m.deck, '') = coalesce({t}.deck, '') AND m.body_text = {t}.body_text"

    computed = "sha256(concat(m.title, chr(31), coalesce(m.deck, ''), chr(31), m.body_text, chr(31)))"
    return (f"CASE WHEN {same_content('b')} THEN b.content_hash WHEN {same_content('a')} THEN a.content_hash "
            f"ELSE {computed} END")
