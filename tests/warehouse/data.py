"""A small, realistic warehouse for the search, view, export and report tests.

Five Antiwar.com-style articles from three sources over three January 2017 days, with bylines (one shared),
threaded comments and one recorded run. The counts the tests expect follow from the table below:

    source            article                    published (UTC)    authors                    comments
    news-antiwar      isis-syria                 2017-01-16 14:00   Jason Ditz                 5 (seed thread)
    news-antiwar      damascus-car-bomb          2017-01-17 09:30   Jason Ditz                 3
    news-antiwar      iran-funds-amendment       2017-01-17 18:10   Dave DeCamp, Jason Ditz    0
    antiwar-blog      precision-sales-pitch      2017-01-16 11:00   Kyle Anzalone              2
    original-antiwar  memorandum-not-peace       2017-01-18 05:00   Ron Paul                   1
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import duckdb

from schemas.report import RunReport
from schemas.rows import ArticleAuthorRow, ArticleRow, AuthorAliasRow, AuthorRow, CommentRow, NormalizedArticle
from tasks.normalize.comments import commenter_id_for
from warehouse.load import load_batch
from warehouse.queries import record_run

BODIES = {
    "isis-syria": (
        "While reports of ISIS' outright defeat in Iraq are dramatically overstated, there's no denying that after "
        "over a year of heavy offensives they have lost a lot of territory. ISIS is shifting its focus to Syria, "
        "where its offensive against Deir Ezzor is seen as an effort to shore up control of the east."
    ),
    "damascus-car-bomb": (
        "A car bomb exploded in a crowded market in the Damascus suburb of Tadamon, killing at least seven people. "
        "No group claimed the bombing. Bombings in the capital have grown rarer since the government retook the "
        "surrounding towns, but the attack shows the war is far from over."
    ),
    "iran-funds-amendment": (
        "The House voted down an amendment that would have blocked funds for military operations against Iran "
        "without authorization from Congress. Supporters of the amendment warned that the Pentagon budget "
        "already pays for a war nobody voted for."
    ),
    "precision-sales-pitch": (
        "Precision is a sales pitch. Every new munition is sold as cleaner than the last, yet the civilian toll of "
        "air strikes in Mosul and Raqqa keeps rising. Contractors profit from each guided bomb dropped."
    ),
    "memorandum-not-peace": (
        "A memorandum is not peace. The ceasefire signed in Astana leaves the hardest questions to negotiators who "
        "have no power to answer them, and Washington is not at the table."
    ),
}

ARTICLES = [
    # key, source, post id, title, published, authors
    ("isis-syria", "news-antiwar", 101, "ISIS Shifts Focus to Syria as They Lose Ground in Iraq",
     datetime(2017, 1, 16, 14, 0, tzinfo=UTC), ["Jason Ditz"]),
    ("damascus-car-bomb", "news-antiwar", 102, "Car Bomb in Damascus Market Kills at Least 7",
     datetime(2017, 1, 17, 9, 30, tzinfo=UTC), ["Jason Ditz"]),
    ("iran-funds-amendment", "news-antiwar", 103, "House Votes Down Amendment to Block Funds for Iran Operations",
     datetime(2017, 1, 17, 18, 10, tzinfo=UTC), ["Dave DeCamp", "Jason Ditz"]),
    ("precision-sales-pitch", "antiwar-blog", 201, "Precision Is a Sales Pitch",
     datetime(2017, 1, 16, 11, 0, tzinfo=UTC), ["Kyle Anzalone"]),
    ("memorandum-not-peace", "original-antiwar", 301, "A Memorandum Is Not Peace",
     datetime(2017, 1, 18, 5, 0, tzinfo=UTC), ["Ron Paul"]),
]

# key -> comments as (site id, parent site id, author, minutes after publication, text)
COMMENTS: dict[str, list[tuple[int, int | None, str, int, str]]] = {
    "isis-syria": [
        (1, None, "Don", 600, "Exactly as planned by the US. ISIS was always a tool for regime change in Syria."),
        (2, 1, "Tom Mauel", 660, "Trump has indicated he would disengage from Syria except to destroy ISIS."),
        (3, 2, "Don", 720, "The US will disengage from Syria if it is hopeless. Time will tell."),
        (4, 1, "Bianca", 900, "I would accept the strategy theory, but the bombing of Deir Ezzor says otherwise."),
        (5, 4, "Don", 1200, "In truth you are agreeing with me. luv from Canada."),
    ],
    "damascus-car-bomb": [
        (11, None, "Dennis", 30, "Another bombing nobody will claim. The market was full of families."),
        (12, None, "Ana R.", 95, "Seven dead and the news will move on by tomorrow."),
        (13, 12, "Dennis", 140, "It already has. Nobody covers Damascus unless the government is blamed."),
    ],
    "precision-sales-pitch": [
        (21, None, "Don", 45, "Precision for the contractors' balance sheets, not for the people underneath."),
        (22, 21, "Layla", 80, "The Raqqa numbers say it all."),
    ],
    "memorandum-not-peace": [
        (31, None, "Harold Finch", 240, "Without Washington at the table the ceasefire will not hold."),
    ],
}
SOURCES = ["news-antiwar", "antiwar-blog", "original-antiwar"]
RUN_STARTED = datetime(2017, 1, 18, 10, 0, tzinfo=UTC)


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode()).hexdigest()


def _slug(name: str) -> str:
    return "-".join(name.lower().split())


def article(key: str, *, body: str | None = None, title: str | None = None) -> tuple[str, NormalizedArticle]:
    """(source, NormalizedArticle) for one sample article, optionally with an edited body or title."""
    _, source, post_id, default_title, published, names = next(a for a in ARTICLES if a[0] == key)
    article_id = f"{source}:{post_id}"
    body = body if body is not None else BODIES[key]
    title = title if title is not None else default_title
    authors = [AuthorRow(author_id=_slug(name), display_name=name) for name in names]
    comments = []
    siblings: dict[int | None, int] = {}
    depths: dict[int, int] = {}
    for site_id, parent, name, minutes, text in COMMENTS.get(key, []):
        depths[site_id] = 0 if parent is None else depths[parent] + 1
        position = siblings.get(parent, 0)
        siblings[parent] = position + 1
        comments.append(CommentRow(
            comment_id=f"{article_id}#c{site_id}", article_id=article_id, site_comment_id=str(site_id),
            parent_id=f"{article_id}#c{parent}" if parent is not None else None, depth=depths[site_id],
            position=position, author_name=name, posted_at=published + timedelta(minutes=minutes), text=text,
            html=f"<p>{text}</p>", content_hash=_hash(name, text), commenter_id=commenter_id_for(name),
        ))
    return source, NormalizedArticle(
        article=ArticleRow(
            article_id=article_id, source=source, post_id=post_id, url=f"https://{source}.example/{key}/",
            title=title, deck=None, published_at=published, modified_at=None, body_text=body,
            body_html=f"<p>{body}</p>", word_count=len(body.split()), content_hash=_hash(title, body),
            categories=["News"], tags=[], comment_count_hint=len(comments), parser="wordpress_rest",
            fetched_at=published + timedelta(hours=1),
        ),
        authors=authors,
        aliases=[AuthorAliasRow(alias=a.display_name.lower(), author_id=a.author_id) for a in authors],
        article_authors=[ArticleAuthorRow(article_id=article_id, author_id=a.author_id, position=i)
                         for i, a in enumerate(authors)],
        comments=comments,
    )


def load_sample(con: duckdb.DuckDBPyConnection) -> None:
    """Load every sample article (one batch per source, as the flows do) and record one finished run."""
    for source in SOURCES:
        batch = [item for src, item in (article(key) for key, *_ in ARTICLES) if src == source]
        load_batch(con, source, batch, [], [], "run-sample")
    record_run(con, RunReport(
        run_id="run-sample", flow="nightly", started_at=RUN_STARTED, finished_at=RUN_STARTED + timedelta(seconds=42),
        status="completed", sources=SOURCES, articles_written=5, comments_written=11,
    ))
