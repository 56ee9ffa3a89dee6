"""Offline full-text search: a BM25 index kept in plain DuckDB tables, so no extension has to be installed.

Text is split in SQL (lowercase, accents removed, runs of letters or digits), each distinct token is stemmed
once in Python with the Snowball English stemmer and remembered in search_terms, and search_postings holds
term frequencies per document. Ranking is Okapi BM25 (k1 = 1.2, b = 0.75, the values DuckDB's fts extension
uses), computed per query over the postings of the query's terms only.

The index is refreshed incrementally: a document is (re)indexed when its content_hash differs from the one
indexed, so a refresh after a nightly run costs only what the run changed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from typing import Any, Literal

import duckdb
import pyarrow as pa
import snowballstemmer

from schemas.errors import WarehouseError
from warehouse.queries import require_source

Kind = Literal["article", "comment"]
K1 = 1.2
B = 0.75
# Documents tokenized per step of a refresh; bounds the refresh's memory whatever the warehouse's size.
REFRESH_CHUNK = 50_000

# The Snowball project's English stop-word list (snowballstem.org/algorithms/english/stop.txt).
STOP_WORDS = frozenset(
    """
i me my myself we our ours ourselves you your yours yourself yourselves he him his himself she her hers herself
it its itself they them their theirs themselves what which who whom this that these those am is are was were be
been being have has had having do does did doing would should could ought i'm you're he's she's it's we're
they're i've you've we've they've i'd you'd he'd she'd we'd they'd i'll you'll he'll she'll we'll they'll isn't
aren't wasn't weren't hasn't haven't hadn't doesn't don't didn't won't wouldn't shan't shouldn't can't cannot
couldn't mustn't let's that's who's what's here's there's when's where's why's how's a an the and but if or
because as until while of at by for with about against between into through during before after above below to
from up down in out on off over under again further then once here there when where why how all any both each
few more most other some such no nor not only own same so than too very
""".split()  # noqa: SIM905 (a word list reads better as text)
)

# One SQL expression splits text into tokens; queries go through the same one, so both sides agree.
_TOKENS = r"list_filter(regexp_split_to_array(lower(strip_accents({text})), '[^\p{{L}}\p{{N}}]+'), " \
          r"lambda t: length(t) BETWEEN 2 AND 40)"
# What is indexed for each kind of document; an article's title is repeated so a hit there weighs double.
_DOCUMENTS = {
    "article": ("articles", "article_id", "title || ' ' || title || ' ' || coalesce(deck, '') || ' ' || body_text"),
    # Only comments a thread shows now: one marked deleted leaves the index at the next refresh.
    "comment": ("(SELECT * FROM comments WHERE deleted_at IS NULL)", "comment_id", "text"),
}
# Indexed comments that were deleted (or are gone) since: removed by a refresh, nothing indexed in their place.
_GONE_SQL = """
    SELECT d.kind, d.doc_id FROM search_documents AS d
    WHERE d.kind = 'comment'
      AND NOT EXISTS (SELECT 1 FROM comments AS c WHERE c.comment_id = d.doc_id AND c.deleted_at IS NULL)
"""
_TERMS_SCHEMA = pa.schema([("token", pa.string()), ("term", pa.string())])


@dataclass(frozen=True)
class RefreshCounts:
    indexed: int  # documents (re)indexed
    removed: int  # stale versions dropped from the index
    new_tokens: int  # vocabulary added


@dataclass(frozen=True)
class SearchHit:
    kind: Kind
    doc_id: str
    score: float
    matched_terms: int
    article_id: str
    source: str
    title: str
    url: str
    at: datetime | None  # published_at of an article, posted_at of a comment
    author: str  # the byline of an article, the commenter of a comment
    text: str  # the full document text, for snippets


@lru_cache(maxsize=1)
def _stemmer() -> Any:
    return snowballstemmer.stemmer("english")


def stem_tokens(tokens: Iterable[str]) -> list[str | None]:
    """The indexed term of each token: its Snowball stem, or None for a stop word."""
    stemmer = _stemmer()
    return [None if token in STOP_WORDS else stemmer.stemWord(token) for token in tokens]


def query_terms(con: duckdb.DuckDBPyConnection, query: str) -> list[str]:
    """Distinct stemmed terms of a query, in query order, tokenized exactly as documents are."""
    tokens = con.execute(f"SELECT {_TOKENS.format(text='?')}", [query]).fetchall()[0][0] or []
    terms = [term for term in stem_tokens(tokens) if term]
    return list(dict.fromkeys(terms))


# --- the index ----------------------------------------------------------------------------------------------


def _stale_sql(kind: Kind) -> str:
    table, key, text = _DOCUMENTS[kind]
    return f"""
        SELECT '{kind}' AS kind, src.{key} AS doc_id, src.content_hash, {text} AS text
        FROM {table} AS src
        WHERE NOT EXISTS (SELECT 1 FROM search_documents AS d
                          WHERE d.kind = '{kind}' AND d.doc_id = src.{key} AND d.content_hash = src.content_hash)
    """


def pending_documents(con: duckdb.DuckDBPyConnection) -> int:
    """Articles and comments not indexed in their current version."""
    union = " UNION ALL ".join(f"SELECT count(*) AS n FROM ({_stale_sql(kind)})" for kind in ("article", "comment"))
    return int(con.execute(f"SELECT sum(n) + (SELECT count(*) FROM ({_GONE_SQL})) FROM ({union})").fetchall()[0][0])


def refresh_index(con: duckdb.DuckDBPyConnection, chunk: int = REFRESH_CHUNK) -> RefreshCounts:
    """Bring the index up to date with articles and comments; needs a writer connection.

    Each step commits on its own: an interrupted refresh leaves a consistent, partly refreshed index that
    the next refresh completes (a document is in search_documents only together with its postings).
    """
    union = " UNION ALL ".join(_stale_sql(kind) for kind in ("article", "comment"))
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _search_stale AS
        SELECT nextval('search_doc_key_seq') AS doc_key, * FROM ({union})
    """)
    outdated = "(SELECT kind, doc_id FROM _search_outdated)"
    try:
        # Stale versions and deleted comments, found once: the count and both deletes below read the same set.
        con.execute(f"""
            CREATE OR REPLACE TEMP TABLE _search_outdated AS
            SELECT kind, doc_id FROM _search_stale UNION ALL {_GONE_SQL}
        """)
        with _transaction(con):
            removed = _count(con, f"SELECT count(*) FROM search_documents AS d WHERE (d.kind, d.doc_id) IN {outdated}")
            con.execute(f"""
                DELETE FROM search_postings WHERE doc_key IN (
                    SELECT d.doc_key FROM search_documents AS d WHERE (d.kind, d.doc_id) IN {outdated})
            """)
            con.execute(f"DELETE FROM search_documents WHERE (kind, doc_id) IN {outdated}")
        low, high, indexed = con.execute("SELECT min(doc_key), max(doc_key), count(*) FROM _search_stale").fetchall()[0]
        new_tokens = 0
        if indexed:
            for start in range(low, high + 1, chunk):
                with _transaction(con):
                    new_tokens += _index_chunk(con, start, start + chunk - 1)
    finally:
        con.execute("DROP TABLE IF EXISTS _search_stale")
        con.execute("DROP TABLE IF EXISTS _search_outdated")
        con.execute("DROP TABLE IF EXISTS _search_tokens")
        con.execute("DROP TABLE IF EXISTS _search_tf")
    return RefreshCounts(indexed=int(indexed), removed=removed, new_tokens=new_tokens)


def _index_chunk(con: duckdb.DuckDBPyConnection, low: int, high: int) -> int:
    """Index the stale documents with doc_key in [low, high]; returns how many new tokens were stemmed."""
    con.execute(f"""
        CREATE OR REPLACE TEMP TABLE _search_tokens AS
        SELECT doc_key, unnest({_TOKENS.format(text='text')}) AS token
        FROM _search_stale WHERE doc_key BETWEEN ? AND ?
    """, [low, high])
    tokens = [row[0] for row in con.execute("""
        SELECT DISTINCT t.token FROM _search_tokens AS t
        WHERE NOT EXISTS (SELECT 1 FROM search_terms AS s WHERE s.token = t.token)
    """).fetchall()]
    if tokens:
        con.register("_search_new_terms", pa.table({"token": tokens, "term": stem_tokens(tokens)},
                                                   schema=_TERMS_SCHEMA))
        try:
            con.execute("INSERT INTO search_terms SELECT token, term FROM _search_new_terms")
        finally:
            con.unregister("_search_new_terms")
    con.execute("""
        CREATE OR REPLACE TEMP TABLE _search_tf AS
        SELECT t.doc_key, s.term, CAST(count(*) AS INTEGER) AS tf
        FROM _search_tokens AS t JOIN search_terms AS s ON s.token = t.token
        WHERE s.term IS NOT NULL
        GROUP BY t.doc_key, s.term
    """)
    con.execute("INSERT INTO search_postings SELECT doc_key, term, tf FROM _search_tf ORDER BY term")
    con.execute("""
        INSERT INTO search_documents (doc_key, kind, doc_id, content_hash, length, indexed_at)
        SELECT s.doc_key, s.kind, s.doc_id, s.content_hash, coalesce(l.length, 0), now()
        FROM _search_stale AS s
        LEFT JOIN (SELECT doc_key, CAST(sum(tf) AS INTEGER) AS length FROM _search_tf GROUP BY doc_key) AS l
            ON l.doc_key = s.doc_key
        WHERE s.doc_key BETWEEN ? AND ?
    """, [low, high])
    return len(tokens)


# --- queries -------------------------------------------------------------------------------------------------

# Details are read only for the ranked page of hits, not for every document that matched.
_DETAILS = {
    "article": """
        SELECT r.score, r.matched_terms, a.article_id AS doc_id, a.article_id, a.source, a.title, a.url,
               a.published_at AS at, a.body_text AS text,
               coalesce((SELECT string_agg(au.display_name, ', ' ORDER BY aa.position)
                         FROM article_authors AS aa JOIN authors AS au ON au.author_id = aa.author_id
                         WHERE aa.article_id = a.article_id), '') AS author
        FROM ranked AS r JOIN articles AS a ON a.article_id = r.doc_id
    """,
    "comment": """
        SELECT r.score, r.matched_terms, c.comment_id AS doc_id, a.article_id, a.source, a.title, a.url,
               c.posted_at AS at, c.text, c.author_name AS author
        FROM ranked AS r JOIN comments AS c ON c.comment_id = r.doc_id JOIN articles AS a ON a.article_id = c.article_id
    """,
}
# What a --source or --since filter joins to reach the source and the date of a hit.
_FILTER_JOINS = {
    "article": ("JOIN articles AS a ON a.article_id = s.doc_id", "a.published_at"),
    "comment": ("JOIN comments AS c ON c.comment_id = s.doc_id JOIN articles AS a ON a.article_id = c.article_id",
                "c.posted_at"),
}


def search(
    con: duckdb.DuckDBPyConnection,
    query: str,
    *,
    kind: Kind = "article",
    source: str | None = None,
    since: date | datetime | None = None,
    limit: int = 20,
) -> list[SearchHit]:
    """Documents of `kind` matching any term of `query`, best BM25 score first.

    Scores use the statistics of the whole index; --source and --since only filter the ranked list.
    """
    if limit < 1:
        raise WarehouseError("limit must be at least 1")
    if source is not None:
        require_source(con, source)
    terms = query_terms(con, query)
    if not terms:
        raise WarehouseError(f"nothing to search for in {query!r}: only stop words or punctuation")
    join, at = _FILTER_JOINS[kind]
    conditions: list[str] = []
    params: list[Any] = []
    if source is not None:
        conditions.append("a.source = ?")
        params.append(source)
    if since is not None:
        conditions.append(f"{at} >= ?")
        params.append(datetime.combine(since, datetime.min.time()) if type(since) is date else since)
    filters = f"{join} WHERE {' AND '.join(conditions)}" if conditions else ""
    result = con.execute(
        f"""
        WITH q AS (SELECT DISTINCT unnest(CAST(? AS VARCHAR[])) AS term),
        stats AS (SELECT count(*) AS n, avg(length) AS avgdl FROM search_documents WHERE kind = ?),
        hits AS (
            SELECT p.doc_key, p.term, p.tf, d.doc_id, d.length
            FROM search_postings AS p JOIN search_documents AS d ON d.doc_key = p.doc_key
            WHERE p.term IN (SELECT term FROM q) AND d.kind = ?
        ),
        df AS (SELECT term, count(*) AS df FROM hits GROUP BY term),
        scored AS (
            SELECT h.doc_id,
                   sum(ln(1 + (st.n - df.df + 0.5) / (df.df + 0.5))
                       * h.tf * ({K1} + 1) / (h.tf + {K1} * (1 - {B} + {B} * h.length / st.avgdl))) AS score,
                   count(*) AS matched_terms
            FROM hits AS h JOIN df ON df.term = h.term CROSS JOIN stats AS st
            GROUP BY h.doc_id
        ),
        ranked AS (
            SELECT s.doc_id, s.score, s.matched_terms FROM scored AS s {filters}
            ORDER BY s.score DESC, s.doc_id LIMIT ?
        )
        {_DETAILS[kind]}
        ORDER BY r.score DESC, r.doc_id
        """,
        [terms, kind, kind, *params, limit],
    )
    columns = [d[0] for d in result.description]
    return [SearchHit(kind=kind, **dict(zip(columns, row, strict=True))) for row in result.fetchall()]


def snippet(text: str, query: str, width: int = 32) -> tuple[str, list[tuple[int, int]]]:
    """A window of about `width` words around the first query match, and the (start, end) spans that match."""
    wanted = {term for term in stem_tokens(_python_tokens(query)) if term}
    words = list(re.finditer(r"\S+", text))
    if not words:
        return "", []
    first = next((i for i, w in enumerate(words) if _matches(w.group(), wanted)), 0)
    start = max(0, first - width // 3)
    chosen = words[start:start + width]
    begin, end = chosen[0].start(), chosen[-1].end()
    prefix = "… " if start > 0 else ""
    suffix = " …" if start + width < len(words) else ""
    excerpt = prefix + text[begin:end].replace("\n", " ") + suffix
    spans: list[tuple[int, int]] = []
    for match in re.finditer(r"[^\W_]+", excerpt):
        if _matches(match.group(), wanted):
            spans.append((match.start(), match.end()))
    return excerpt, spans


def _python_tokens(text: str) -> list[str]:
    folded = unicodedata.normalize("NFKD", text.lower())
    folded = "".join(ch for ch in folded if not unicodedata.combining(ch))
    return [t for t in re.split(r"[^\w]+|_", folded) if 2 <= len(t) <= 40]


def _matches(word: str, wanted: set[str]) -> bool:
    return any(term in wanted for term in stem_tokens(_python_tokens(word)) if term)


# --- helpers ------------------------------------------------------------------------------------------------


class _transaction:
    def __init__(self, con: duckdb.DuckDBPyConnection) -> None:
        self.con = con

    def __enter__(self) -> None:
        self.con.execute("BEGIN TRANSACTION")

    def __exit__(self, exc_type: object, *_: object) -> None:
        self.con.execute("COMMIT" if exc_type is None else "ROLLBACK")


def _count(con: duckdb.DuckDBPyConnection, sql: str) -> int:
    return int(con.execute(sql).fetchall()[0][0])
