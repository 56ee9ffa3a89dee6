"""What `wirehouse demo` prints after the nightly flow ran over the bundled snapshot."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from rich.console import Console
from rich.table import Table
from rich.tree import Tree

from warehouse.connection import open_reader
from warehouse.queries import article_thread, latest_articles, table_counts

# The snapshot holds the seed article of January 2017 besides recent posts; the demo reads them all.
DEMO_SINCE = datetime(2017, 1, 1, tzinfo=UTC)
SEED_URL = "https://news.antiwar.com/2017/01/16/isis-shifts-focus-to-syria-as-they-lose-ground-in-iraq/"


def print_demo_summary(console: Console, db: Path) -> None:
    with open_reader(db) as con:
        counts = table_counts(con)
        articles = latest_articles(con, limit=12)
        thread = article_thread(con, SEED_URL)

    rows = Table(title="Warehouse rows", title_justify="left")
    rows.add_column("table")
    rows.add_column("rows", justify="right")
    for name, count in counts.items():
        rows.add_row(name, f"{count:,}")
    console.print(rows)

    latest = Table(title="Latest articles", title_justify="left")
    for column in ("source", "published (UTC)", "title", "authors", "words", "comments"):
        latest.add_column(column, overflow="fold")
    for article in articles:
        latest.add_row(
            article["source"],
            f"{article['published_at']:%Y-%m-%d %H:%M}",
            article["title"],
            article["authors"],
            str(article["word_count"]),
            str(article["comments"]),
        )
    console.print(latest)

    if thread:
        tree = Tree(f"[bold]Comment thread of the seed article[/] ({len(thread)} comments)")
        nodes = {}
        for comment in thread:  # ordered by path: every parent comes before its replies
            parent = nodes.get(comment["parent_id"], tree)
            snippet = " ".join(comment["text"].split())[:70]
            nodes[comment["comment_id"]] = parent.add(f"[bold]{comment['author_name']}[/]: {snippet}…")
        console.print(tree)
    console.print(f'\nQuery it yourself:  wirehouse sql --db {db} "select count(*) from comments"')
