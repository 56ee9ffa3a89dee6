"""What `wirehouse report` shows, read from the analyst views in one reader session."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

import duckdb

from warehouse.queries import recent_runs

# Daily charts cover this many days up to the newest day with data; older days are summed in a note.
CHART_DAYS = 60
MIN_CHART_DAYS = 14


@dataclass
class ReportData:
    generated_at: datetime
    totals: dict[str, Any]
    sources: list[str]
    chart_start: date | None
    chart_end: date | None
    articles_per_day: list[tuple[date, str, int]]  # (day, source, articles) within the chart window
    articles_before_window: int
    comments_per_day: list[tuple[date, int, int]]  # (day, comments, commenters) within the chart window
    comments_before_window: int
    top_authors: list[dict[str, Any]] = field(default_factory=list)
    top_commented: list[dict[str, Any]] = field(default_factory=list)
    top_commenters: list[dict[str, Any]] = field(default_factory=list)
    runs: list[dict[str, Any]] = field(default_factory=list)


def _dicts(result: duckdb.DuckDBPyConnection) -> list[dict[str, Any]]:
    columns = [d[0] for d in result.description]
    return [dict(zip(columns, row, strict=True)) for row in result.fetchall()]


def report_data(con: duckdb.DuckDBPyConnection, top: int = 10) -> ReportData:
    totals = _dicts(con.execute("""
        SELECT
            (SELECT count(*) FROM articles) AS articles,
            (SELECT count(*) FROM comments WHERE deleted_at IS NULL) AS comments,
            (SELECT count(*) FROM authors) AS authors,
            (SELECT count(DISTINCT author_name) FROM comments WHERE deleted_at IS NULL) AS commenters,
            (SELECT count(*) FROM article_versions) AS edits,
            (SELECT coalesce(sum(word_count), 0) FROM articles) AS words,
            (SELECT min(published_at) FROM articles) AS first_published_at,
            (SELECT max(published_at) FROM articles) AS last_published_at
    """))[0]
    sources = [row[0] for row in con.execute(
        "SELECT source FROM articles GROUP BY source ORDER BY count(*) DESC, source").fetchall()]
    newest = con.execute("""
        SELECT greatest((SELECT max(day) FROM daily_articles), (SELECT max(day) FROM daily_comments))
    """).fetchall()[0][0]
    start = None
    if newest:
        # From the first day with data in the last CHART_DAYS (at least MIN_CHART_DAYS), so a young warehouse
        # is not drawn as a wide empty chart.
        earliest = con.execute("""
            SELECT least((SELECT min(day) FROM daily_articles WHERE day >= ?),
                         (SELECT min(day) FROM daily_comments WHERE day >= ?))
        """, [newest - timedelta(days=CHART_DAYS - 1)] * 2).fetchall()[0][0]
        start = min(earliest, newest - timedelta(days=MIN_CHART_DAYS - 1))
    articles_per_day = [tuple(row) for row in con.execute(
        "SELECT day, source, articles FROM daily_articles WHERE day >= ? ORDER BY day, source", [start]
    ).fetchall()] if start else []
    comments_per_day = [tuple(row) for row in con.execute("""
        SELECT day, sum(comments), sum(commenters) FROM daily_comments WHERE day >= ? GROUP BY day ORDER BY day
    """, [start]).fetchall()] if start else []
    before = con.execute("""
        SELECT (SELECT coalesce(sum(articles), 0) FROM daily_articles WHERE day < ?),
               (SELECT coalesce(sum(comments), 0) FROM daily_comments WHERE day < ?)
    """, [start, start]).fetchall()[0] if start else (0, 0)
    return ReportData(
        generated_at=con.execute("SELECT now()").fetchall()[0][0],
        totals=totals,
        sources=sources,
        chart_start=start,
        chart_end=newest,
        articles_per_day=articles_per_day,  # type: ignore[arg-type]
        articles_before_window=int(before[0]),
        comments_per_day=comments_per_day,  # type: ignore[arg-type]
        comments_before_window=int(before[1]),
        top_authors=_dicts(con.execute("""
            SELECT display_name, articles, words, sources, first_published_at, last_published_at
            FROM author_activity WHERE articles > 0
            ORDER BY articles DESC, words DESC, display_name LIMIT ?
        """, [top])),
        top_commented=_dicts(con.execute("""
            SELECT title, url, source, published_at, comments, commenters, max_depth
            FROM article_comment_activity WHERE comments > 0
            ORDER BY comments DESC, published_at DESC, article_id LIMIT ?
        """, [top])),
        top_commenters=_dicts(con.execute("""
            SELECT author_name, comments, articles, replies_received FROM top_commenters
            ORDER BY rank, author_name LIMIT ?
        """, [top])),
        runs=recent_runs(con, top),
    )
