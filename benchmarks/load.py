#!/usr/bin/env python3
"""Load benchmark: a million comment rows through the real load path (`tasks.load.load_articles`).

For each size, in a fresh process (so peak memory belongs to that size alone):
  new        N articles with M comments each, loaded in batches into an empty warehouse file
  no-change  the same batches again (idempotent: nothing is written)
  10%-change the same batches with every 10th comment edited and every 10th article's body rewritten
             (the old comment texts go to comment_versions, the old article versions to article_versions)
and, as the peer in the same process, DuckDB's own bulk insert of the same comment rows (arrow table → INSERT
… SELECT into an unindexed table of the same columns, one transaction per batch): the floor under any load
path into a DuckDB file on this machine.

Each batch goes through what the flows call: `load_articles` on the run's held writer connection
(warehouse.connection.hold_writer: reopened every WIREHOUSE_WRITER_HOLD_SECONDS, each close a checkpoint), i.e.
load_batch's arrow conversion, SQL and commit. Only that is timed, with the checkpoints; building the pydantic
rows, which upstream stages do, is not. Rows/s counts comment rows, on wall time and on this process's CPU time
(the machine is shared; CPU time is the steadier figure). Peak RSS is the process high-water mark during each
phase (reset between phases through /proc/self/clear_refs), so it shows whether memory follows the batch or N.

    python benchmarks/load.py [--comments M] [--batch B] [--sizes 2500,10000]

Targets on the 2-core reference machine: new loads >= 0.8x the raw-insert peer of the same run, >= 100k rows/s
no-change, peak RSS flat (within 10%) in N for every phase.
Writes only to a temporary directory.
"""

from __future__ import annotations

import argparse
import contextlib
import hashlib
import json
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from dataclasses import asdict, dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import duckdb  # noqa: E402

from schemas.rows import (  # noqa: E402
    ArticleAuthorRow,
    ArticleRow,
    AuthorAliasRow,
    AuthorRow,
    CommentRow,
    CommentSectionRow,
    NormalizedArticle,
)
from tasks.config import Settings  # noqa: E402
from tasks.load import load_articles  # noqa: E402
from warehouse.batch_tables import COMMENT_SCHEMA, comment_tables  # noqa: E402
from warehouse.connection import hold_writer  # noqa: E402

SOURCE = "bench-news"
START = datetime(2024, 1, 1, tzinfo=UTC)
# Words of the kind found in Antiwar.com comment threads; sampled with a skewed (Zipf-like) distribution.
_WORD_TEXT = (
    "the of and to in a is that for it as was with be by on not he this are or his from at which but have an "
    "they you were their one all we can her has there been if more when will would who so no war peace iran "
    "syria iraq israel gaza ukraine russia china nato congress president senate military troops strike strikes "
    "drone drones sanctions oil weapons missile missiles bombing bombings ceasefire negotiations diplomacy "
    "election media propaganda empire government policy intervention occupation refugees civilians killed "
    "wounded casualties pentagon budget defense contractors truth lies history people country countries world "
    "american americans europe european border borders regime change democracy freedom security intelligence "
    "cia fbi state department official officials report reports said says according source sources attack "
    "attacks militants rebels forces army navy air base bases soldiers veterans taxpayers dollars billions "
    "agree disagree exactly wrong right point comment article thanks great nonsense indeed truly obviously"
)
WORDS = _WORD_TEXT.split()
_CUMULATIVE = [1 / (rank + 1) for rank in range(len(WORDS))]


@dataclass
class Phase:
    size: int
    comments_per_article: int
    phase: str
    comment_rows: int
    seconds: float
    cpu_seconds: float
    peak_rss_mb: float
    written: int

    @property
    def rows_per_second(self) -> float:
        return self.comment_rows / self.seconds if self.seconds else 0.0

    @property
    def rows_per_cpu_second(self) -> float:
        return self.comment_rows / self.cpu_seconds if self.cpu_seconds else 0.0


@dataclass
class Stopwatch:
    """Wall and CPU time summed over the stretches run inside `timing()`."""

    seconds: float = 0.0
    cpu_seconds: float = 0.0

    @contextlib.contextmanager
    def timing(self) -> Iterator[None]:
        started, started_cpu = time.perf_counter(), time.process_time()
        try:
            yield
        finally:
            self.seconds += time.perf_counter() - started
            self.cpu_seconds += time.process_time() - started_cpu


def _hash(text: str) -> str:
    return hashlib.sha256(text.encode()).hexdigest()


def _text(rng: random.Random, low: int, high: int) -> str:
    return " ".join(rng.choices(WORDS, weights=_CUMULATIVE, k=rng.randint(low, high)))


def make_article(index: int, comments: int, edited: bool) -> NormalizedArticle:
    """Article `index` with its comments; the same index always gives the same rows, `edited` changes 10%."""
    rng = random.Random(index)
    article_id = f"{SOURCE}:{index}"
    title = f"Story {index}: " + _text(rng, 4, 9)
    body = _text(rng, 250, 700)
    if edited and index % 10 == 0:
        body += " Update: " + _text(random.Random(-index), 10, 30)
    published = START + timedelta(minutes=37 * index)
    author = AuthorRow.model_construct(author_id=f"writer-{index % 40}", display_name=f"Writer {index % 40}",
                                       bio=None)
    rows = []
    for n in range(comments):
        text = _text(rng, 8, 80)
        if edited and n % 10 == 0:
            text += " [edited]"
        name = f"reader{rng.randint(0, 5000)}"
        parent = f"{article_id}#c{rng.randrange(n)}" if n and rng.random() < 0.4 else None
        rows.append(CommentRow.model_construct(
            comment_id=f"{article_id}#c{n}", article_id=article_id, site_comment_id=str(n), parent_id=parent,
            depth=1 if parent else 0, position=n, author_name=name, posted_at=published + timedelta(minutes=n),
            text=text, html=f"<p>{text}</p>", content_hash=_hash(name + text),
        ))
    return NormalizedArticle.model_construct(
        article=ArticleRow.model_construct(
            article_id=article_id, source=SOURCE, post_id=index, url=f"https://news.example/{index}/",
            title=title, deck=None, published_at=published, modified_at=None, body_text=body,
            body_html=f"<p>{body}</p>", word_count=len(body.split()), content_hash=_hash(title + body),
            categories=["News"], tags=[], comment_count_hint=comments, parser="bench", fetched_at=published,
        ),
        authors=[author],
        aliases=[AuthorAliasRow.model_construct(alias=author.display_name.lower(), author_id=author.author_id,
                                                position=0)],
        article_authors=[ArticleAuthorRow.model_construct(article_id=article_id, author_id=author.author_id,
                                                          position=0)],
        comments=rows,
        comments_complete=True,
        comment_section=CommentSectionRow.model_construct(article_id=article_id, system="wordpress_rest", fetched=True,
                                                          complete=True, note="", thread_ref=""),
    )


def batches(size: int, comments: int, batch: int, edited: bool) -> Iterator[list[NormalizedArticle]]:
    for first in range(0, size, batch):
        yield [make_article(i, comments, edited) for i in range(first, min(first + batch, size))]


def _reset_peak_rss() -> None:
    # Writing 5 to clear_refs resets the kernel's high-water mark (VmHWM) for this process (Linux >= 4.0).
    with contextlib.suppress(OSError):
        Path("/proc/self/clear_refs").write_text("5")


def _peak_rss_mb() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run_size(size: int, comments: int, batch: int) -> list[Phase]:
    """All three phases for one size, then the raw-insert peer, in this process."""
    settings = Settings()
    phases: list[Phase] = []
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.duckdb"
        for phase, edited in (("new", False), ("no-change", False), ("10%-change", True)):
            _reset_peak_rss()
            clock = Stopwatch()
            written = 0
            with contextlib.ExitStack() as held:
                held.enter_context(hold_writer(db, settings.writer_hold_seconds, settings.writer_memory_limit))
                for articles in batches(size, comments, batch, edited):
                    with clock.timing():
                        counts = load_articles(db, SOURCE, articles, [], [], f"bench-{phase}")
                    written += counts.comments_inserted + counts.comments_updated
                    del articles
                with clock.timing():
                    held.close()  # the last close checkpoints what is still in the log
            phases.append(Phase(size, comments, phase, size * comments, clock.seconds, clock.cpu_seconds,
                                _peak_rss_mb(), written))
        phases.append(_raw_insert_peer(Path(tmp) / "peer.duckdb", size, comments, batch))
    return phases


def _raw_insert_peer(db: Path, size: int, comments: int, batch: int) -> Phase:
    """DuckDB alone: the same comment rows, arrow table built the same way, INSERT … SELECT, commit per batch."""
    _reset_peak_rss()
    columns = ", ".join(COMMENT_SCHEMA.names)
    clock = Stopwatch()
    with duckdb.connect(str(db)) as con:
        con.execute("""CREATE TABLE comments (comment_id VARCHAR NOT NULL, article_id VARCHAR NOT NULL,
            site_comment_id VARCHAR NOT NULL, parent_id VARCHAR, depth INTEGER NOT NULL, position INTEGER NOT NULL,
            author_name VARCHAR NOT NULL, posted_at TIMESTAMPTZ, text VARCHAR NOT NULL, html VARCHAR NOT NULL,
            content_hash VARCHAR NOT NULL, commenter_id VARCHAR, first_seen_at TIMESTAMPTZ, updated_at TIMESTAMPTZ)""")
        for articles in batches(size, comments, batch, False):
            rows = [row for item in articles for row in item.comments]
            with clock.timing():
                con.register("batch", comment_tables(rows, [])["_batch_comments"])
                con.execute("BEGIN")
                con.execute(f"INSERT INTO comments SELECT {columns}, now(), now() FROM batch")
                con.execute("COMMIT")
        with clock.timing():
            con.execute("CHECKPOINT")  # the load path's close checkpoints too
    return Phase(size, comments, "peer: raw", size * comments, clock.seconds, clock.cpu_seconds, _peak_rss_mb(),
                 size * comments)


def print_table(phases: list[Phase], batch: int, comments: int) -> None:
    print(f"\nLoad benchmark: load_batch, {comments} comments per article, batches of {batch} articles "
          f"({batch * comments:,} comments per batch)\n")
    header = f"{'articles':>9} {'comment rows':>13} {'phase':<11} {'written':>10} {'seconds':>8} {'rows/s':>10} " \
             f"{'rows/CPU-s':>11} {'vs raw':>7} {'CPU vs raw':>10} {'peak RSS MB':>12}"
    print(header)
    print("-" * len(header))
    for p in phases:
        raw = next(r for r in phases if r.size == p.size and r.phase == "peer: raw")
        ratio = p.rows_per_second / raw.rows_per_second if raw.rows_per_second else 0.0
        cpu_ratio = p.rows_per_cpu_second / raw.rows_per_cpu_second if raw.rows_per_cpu_second else 0.0
        print(f"{p.size:>9,} {p.comment_rows:>13,} {p.phase:<11} {p.written:>10,} {p.seconds:>8.2f} "
              f"{p.rows_per_second:>10,.0f} {p.rows_per_cpu_second:>11,.0f} {ratio:>6.2f}x {cpu_ratio:>9.2f}x "
              f"{p.peak_rss_mb:>12,.0f}")
    print("\n'peer: raw' is DuckDB's bulk INSERT of the same comment rows into an unindexed table (no diff, no other"
          "\ntables); 'vs raw' is each phase's rows/s over it on wall time, 'CPU vs raw' on this process's CPU time"
          "\n(steadier on a shared machine).")
    print("Targets: new >= 0.8x the raw peer; no-change >= 100,000 rows/s; peak RSS within 10% from the smallest"
          " to the largest size.")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="2500,10000", help="article counts to run, each in its own process")
    parser.add_argument("--comments", type=int, default=100, help="comments per article")
    parser.add_argument("--batch", type=int, default=Settings().batch_size,
                        help="articles per load (default: the flows' WIREHOUSE_BATCH_SIZE)")
    parser.add_argument("--child", type=int, help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.child is not None:
        print(json.dumps([asdict(p) for p in run_size(args.child, args.comments, args.batch)]))
        return
    phases: list[Phase] = []
    for size in (int(s) for s in args.sizes.split(",")):
        print(f"loading {size:,} articles x {args.comments} comments …", file=sys.stderr, flush=True)
        out = subprocess.run(
            [sys.executable, __file__, "--child", str(size), "--comments", str(args.comments),
             "--batch", str(args.batch)],
            check=True, capture_output=True, text=True,
        ).stdout
        phases += [Phase(**row) for row in json.loads(out.splitlines()[-1])]
    print_table(phases, args.batch, args.comments)


if __name__ == "__main__":
    main()
