"""Disqus: detection on the page, the threads/listPosts API with cursor pagination, errors, and ingest with it.

The API answers are the recorded shapes in tests/fixtures/disqus/, served with the article page and the site
feed from one loopback server (`DisqusSite`); nothing reaches disqus.com.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import duckdb
import httpx
import pytest

from schemas.errors import DisqusApiError
from schemas.pipeline import Target, TargetKind
from schemas.source import DisqusSettings, Source
from tasks.comments.base import SystemName as CommentSystem
from tasks.comments.detect import page_signals
from tasks.comments.disqus import api as disqus
from tasks.comments.disqus import read_pages as read_disqus_pages
from tasks.comments.disqus.settings import api_key
from tasks.comments.registry import choose_system
from tasks.fetch.fetcher import Fetcher
from tasks.sources.reading import parse_fetched
from tasks.sources.targets import fetch_target
from testing.http_server import respond, serve
from tests.flows.helpers import FAST_LOOPBACK, write_sources

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "disqus"
GOOD_KEY = "test-public-key-0123456789"
FORUM = "wirehouse-news"
ARTICLE_PATH = "/2026/07/01/ceasefire-holds-for-one-news-cycle/"
IDENTIFIER = "4242 https://news.example.org/?p=4242"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def article_page(base: str, embed: str = "plugin") -> bytes:
    """A WordPress post page with the Disqus plugin's embed (or Disqus's universal embed code)."""
    url = base + ARTICLE_PATH
    if embed == "plugin":
        script = (
            "<script type='text/javascript' id='disqus_embed-js-extra'>\n/* <![CDATA[ */\nvar embedVars = "
            + json.dumps({"disqusConfig": {"integration": "wordpress 3.0.23"}, "disqusIdentifier": IDENTIFIER,
                          "disqusShortname": FORUM, "disqusTitle": "Ceasefire Holds for One News Cycle",
                          "disqusUrl": url, "postId": "4242"}).replace("/", "\\/")
            + ";\n/* ]]> */\n</script>\n"
            f"<script src='{base}/wp-content/plugins/disqus-comment-system/public/js/comment_embed.js'></script>"
        )
    else:
        script = (
            "<script>\nvar disqus_config = function () {\n"
            f"  this.page.url = '{url}';\n  this.page.identifier = 'article-4242';\n}};\n"
            "(function() { var d = document, s = d.createElement('script');\n"
            f"s.src = 'https://{FORUM}.disqus.com/embed.js'; s.setAttribute('data-timestamp', +new Date());\n"
            "(d.head || d.body).appendChild(s); })();\n</script>"
        )
    return f"""<!DOCTYPE html><html lang="en-US"><head><meta charset="UTF-8">
<title>Ceasefire Holds for One News Cycle &#8211; Example News</title>
<link rel="alternate" type="application/rss+xml" title="Example News &raquo; Feed" href="{base}/feed/" />
<link rel="shortlink" href="{base}/?p=4242" />
</head><body class="post-template-default single single-post postid-4242">
<article id="post-4242" class="post-4242 post type-post status-publish">
<h1 class="entry-title">Ceasefire Holds for One News Cycle</h1>
<time class="entry-date published" datetime="2026-07-01T08:30:00+00:00">July 1, 2026</time>
<div class="entry-content">
<p>The ceasefire announced on Monday held through Tuesday morning, officials in both capitals said, while
naval deployments in the region continued on their announced schedule.</p>
<p>Mediators said the next round of talks would open on Thursday. Neither delegation confirmed it would
attend, and the state department declined to say whether the envoy would travel.</p>
<p>Analysts noted that the previous truce, agreed in the spring, lasted eleven days before artillery
exchanges resumed along the same stretch of the border.</p>
</div>
<div class="author-info"><span class="byline">By <a href="{base}/author/jdoe/" rel="author">Jane Doe</a></span></div>
</article>
<div id="disqus_thread"></div>
{script}
</body></html>""".encode()


def site_feed(base: str, comment_count: int = 4) -> bytes:
    return f"""<?xml version="1.0" encoding="UTF-8"?><rss version="2.0"
 xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:wfw="http://wellformedweb.org/CommentAPI/"
 xmlns:slash="http://purl.org/rss/1.0/modules/slash/"><channel><title>Example News</title><link>{base}</link>
<description>News</description>
<item><title>Ceasefire Holds for One News Cycle</title><link>{base}{ARTICLE_PATH}</link>
<comments>{base}{ARTICLE_PATH}#comments</comments><dc:creator><![CDATA[Jane Doe]]></dc:creator>
<pubDate>Wed, 01 Jul 2026 08:30:00 +0000</pubDate><guid isPermaLink="false">{base}/?p=4242</guid>
<description><![CDATA[The ceasefire announced on Monday held through Tuesday morning.]]></description>
<wfw:commentRss>{base}{ARTICLE_PATH}feed/</wfw:commentRss><slash:comments>{comment_count}</slash:comments>
</item></channel></rss>""".encode()


@dataclass
class DisqusSite:
    """One loopback server: the feed, the article page, and the Disqus API answering from `pages`."""

    pages: list[bytes] = field(default_factory=lambda: [fixture("listPosts-page1.json"),
                                                        fixture("listPosts-page2.json")])
    embed: str = "plugin"
    api_requests: list[dict[str, list[str]]] = field(default_factory=list)
    base: str = ""

    def api(self, request: BaseHTTPRequestHandler) -> None:
        query = parse_qs(urlsplit(request.path).query)
        self.api_requests.append(query)
        if query.get("api_key") != [GOOD_KEY]:
            respond(400, fixture("error-invalid-key.json"), {"Content-Type": "application/json"})(request)
            return
        if query.get("forum") != [FORUM]:
            respond(400, fixture("error-unknown-forum.json"), {"Content-Type": "application/json"})(request)
            return
        # cursor n+1 is the `next` of page n, as the fixtures say
        cursors = [None] + [json.loads(page)["cursor"]["next"] for page in self.pages[:-1]]
        index = cursors.index(query.get("cursor", [None])[0])
        respond(200, self.pages[index], {"Content-Type": "application/json; charset=utf-8"})(request)

    @contextmanager
    def serve(self) -> Iterator[str]:
        routes = {
            "/feed/": lambda r: respond(200, site_feed(self.base), {"Content-Type": "application/rss+xml"})(r),
            ARTICLE_PATH: lambda r: respond(200, article_page(self.base, self.embed),
                                            {"Content-Type": "text/html; charset=UTF-8"})(r),
            "/api/3.0/threads/listPosts.json": self.api,
        }
        with serve(routes) as (base, _hits):  # type: ignore[arg-type]
            self.base = base
            yield base


def disqus_source_entry(base: str, api_key: str | None = GOOD_KEY, name: str = "disqus-news",
                        forum: str = FORUM) -> dict[str, object]:
    entry: dict[str, object] = {
        "name": name, "kind": "feed", "base_url": base + "/", "feed_url": base + "/feed/",
        "selectors": {"title": "h1.entry-title", "body": "div.entry-content"}, "politeness": FAST_LOOPBACK,
    }
    if api_key is not None:
        entry["disqus"] = {"forum": forum, "api_key": api_key, "api_url": base + "/api/3.0/"}
    return entry


def disqus_source(base: str, api_key: str | None = GOOD_KEY, forum: str = FORUM) -> Source:
    return Source.model_validate(disqus_source_entry(base, api_key, forum=forum))


# --- the API's answers ----------------------------------------------------------------------------------


def test_list_posts_pages_carry_cursor_parents_and_skip_spam_and_deleted_posts() -> None:
    first = disqus.parse_list_posts(fixture("listPosts-page1.json"))
    second = disqus.parse_list_posts(fixture("listPosts-page2.json"))

    assert first.next_cursor == "1751371380000000:0:0" and second.next_cursor is None
    assert [(c.site_id, c.parent_site_id, c.author) for c in first.comments + second.comments] == [
        ("6200000101", None, "Realist in Ohio"),
        ("6200000102", "6200000101", "Old Navy Hand"),
        ("6200000104", None, "Marguerite"),  # the spam post and the deleted placeholder are not comments
        ("6200000106", "6200000104", "Realist in Ohio"),
    ]
    reply = first.comments[1]
    assert reply.posted_at == datetime(2026, 7, 1, 10, 3, tzinfo=UTC)
    assert reply.text == ("It held long enough to move the carrier group. That was the point.\n\n"
                          "Watch the deployment map.")
    assert reply.html.startswith("<p>It held long enough")


@pytest.mark.parametrize(("name", "code", "words"), [
    ("error-invalid-key.json", 5, ["an invalid API key", "Invalid API key", "check disqus.api_key of source 'news'"]),
    ("error-unknown-forum.json", 2, ["forum name", "Unable to find forum"]),
])
def test_error_answers_become_one_clear_line(name: str, code: int, words: list[str]) -> None:
    with pytest.raises(DisqusApiError) as caught:
        disqus.parse_list_posts(fixture(name), status=400)
    assert caught.value.code == code
    source = Source(name="news", kind="feed", base_url="https://news.example.org/",
                    disqus=DisqusSettings(forum=FORUM, api_key="k"))
    message = disqus.describe_error(caught.value, source)
    assert message.startswith(f"Disqus API refused the thread of forum '{FORUM}'")
    assert all(word in message for word in words), message
    assert "\n" not in message


@pytest.mark.parametrize("body", [b"<html>Bad Gateway</html>", b"[1, 2]", b'{"code": 0, "response": "x"}'])
def test_answers_that_are_not_the_api_are_errors(body: bytes) -> None:
    with pytest.raises(DisqusApiError):
        disqus.parse_list_posts(body, status=502 if body.startswith(b"<") else 200)


def test_list_posts_url_names_the_thread_and_redaction_hides_the_key() -> None:
    settings = DisqusSettings(forum=FORUM, api_key="secret-key")
    url = disqus.list_posts_url(settings, "secret-key", f"ident:{IDENTIFIER}", cursor="17:0:0")
    query = parse_qs(urlsplit(url).query)
    assert url.startswith("https://disqus.com/api/3.0/threads/listPosts.json?")
    assert query == {"api_key": ["secret-key"], "forum": [FORUM], "thread:ident": [IDENTIFIER], "limit": ["100"],
                     "order": ["asc"], "cursor": ["17:0:0"]}
    assert "secret-key" not in disqus.redact(url) and "REDACTED" in disqus.redact(url)
    link = disqus.list_posts_url(settings, "k", "link:https://news.example.org/a/")
    assert parse_qs(urlsplit(link).query)["thread:link"] == ["https://news.example.org/a/"]
    with pytest.raises(ValueError):
        disqus.list_posts_url(settings, "k", "4242")


def test_key_can_come_from_the_environment_and_never_reaches_the_stored_declaration(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("NEWS_DISQUS_KEY", "from-env")
    assert api_key(DisqusSettings(forum=FORUM, api_key_env="NEWS_DISQUS_KEY")) == "from-env"
    assert api_key(DisqusSettings(forum=FORUM)) is None
    source = Source(name="n", kind="feed", base_url="https://n.example.org/",
                    disqus=DisqusSettings(forum=FORUM, api_key="hunter2"))
    assert "hunter2" not in source.model_dump_json()  # what the sources table stores


# --- detection ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(("embed", "forum", "ref"), [
    ("plugin", FORUM, f"ident:{IDENTIFIER}"),
    ("universal", FORUM, "ident:article-4242"),
])
def test_detector_reads_both_embeds(embed: str, forum: str, ref: str) -> None:
    html = article_page("https://news.example.org", embed).decode()
    signals = page_signals(html, "https://news.example.org" + ARTICLE_PATH)
    assert signals.disqus is not None
    assert signals.disqus.forum == forum
    assert signals.disqus.thread_ref("https://x/") == ref
    assert choose_system(signals, rest_comments=True) is CommentSystem.DISQUS  # Disqus wins over REST


def test_detector_ignores_the_sample_codes_placeholders_and_plain_mentions() -> None:
    sample = """<div id="disqus_thread"></div><script>
    /* var disqus_config = function () { this.page.url = PAGE_URL; this.page.identifier = PAGE_IDENTIFIER; }; */
    </script>"""
    signals = page_signals(sample, "https://blog.example.org/post/")
    assert signals.disqus is not None and signals.disqus.identifier is None
    assert signals.disqus.thread_ref("https://blog.example.org/post/") == "link:https://blog.example.org/post/"
    assert page_signals("<p>We moved our comments from Disqus to WordPress.</p>", "https://x/").disqus is None


# --- fetching the thread ----------------------------------------------------------------------------------


async def _fetch(source: Source, ref: str) -> list:
    async with httpx.AsyncClient() as client:
        fetcher = Fetcher(source, client, "wirehouse-test", throttle=False)
        return await disqus.fetch_thread(source, ref, fetcher)


def test_thread_is_read_cursor_by_cursor_and_stored_without_the_key() -> None:
    site = DisqusSite()
    with site.serve() as base:
        responses = asyncio.run(_fetch(disqus_source(base), f"ident:{IDENTIFIER}"))

    assert [r.status for r in responses] == [200, 200]
    assert [q.get("cursor") for q in site.api_requests] == [None, ["1751371380000000:0:0"]]
    assert all(q["thread:ident"] == [IDENTIFIER] and q["order"] == ["asc"] for q in site.api_requests)
    assert all(GOOD_KEY not in r.url and GOOD_KEY not in r.final_url and r.role == disqus.ROLE for r in responses)
    comments, complete, error = read_disqus_pages(responses)
    assert complete and not error and len(comments) == 4


def test_bad_key_ends_the_read_with_a_gap_that_says_why() -> None:
    site = DisqusSite()
    with site.serve() as base:
        responses = asyncio.run(_fetch(disqus_source(base, api_key="revoked-key"), f"ident:{IDENTIFIER}"))

    assert len(site.api_requests) == 1, "an error answer is not retried"
    (gap,) = responses
    assert gap.status == 0 and gap.role == disqus.ROLE and "revoked-key" not in gap.url
    comments, complete, error = read_disqus_pages(responses)
    assert comments == [] and not complete
    assert error == (f"Disqus API refused the thread of forum '{FORUM}' because of an invalid API key "
                     "(code 5: Invalid API key); check disqus.api_key of source 'disqus-news'")


def test_without_a_key_nothing_is_asked() -> None:
    site = DisqusSite()
    with site.serve() as base:
        assert asyncio.run(_fetch(disqus_source(base, api_key=None), f"ident:{IDENTIFIER}")) == []
    assert site.api_requests == []


def _read_article(source: Source, base: str):  # type: ignore[no-untyped-def]
    async def run():  # type: ignore[no-untyped-def]
        async with httpx.AsyncClient() as client:
            fetcher = Fetcher(source, client, "wirehouse-test", throttle=False)
            target = Target(source=source.name, kind=TargetKind.HTML_ARTICLE, url=base + ARTICLE_PATH,
                            comment_count_hint=4, discovered_at=datetime.now(UTC))
            return await fetch_target(source, target, fetcher, {})

    fetched = asyncio.run(run())
    return parse_fetched(fetched, source)


def test_article_page_with_disqus_gets_its_thread_from_the_api() -> None:
    site = DisqusSite(embed="universal")
    with site.serve() as base:
        article = _read_article(disqus_source(base), base)
    assert article.title == "Ceasefire Holds for One News Cycle"
    assert [c.author for c in article.comments] == ["Realist in Ohio", "Old Navy Hand", "Marguerite", "Realist in Ohio"]
    assert article.comments_complete
    assert article.comment_read.system == "disqus" and article.comment_read.thread_ref == "ident:article-4242"
    assert site.api_requests[0]["thread:ident"] == ["article-4242"]


@pytest.mark.parametrize(("api_key", "fetched", "note"), [
    ("revoked-key", False, "because of an invalid API key"),
    (None, False, "not fetched: source 'disqus-news' sets no disqus settings (forum, api_key)"),
])
def test_article_without_a_usable_key_records_comments_as_not_fetched(
    api_key: str | None, fetched: bool, note: str
) -> None:
    with DisqusSite().serve() as base:
        article = _read_article(disqus_source(base, api_key=api_key), base)
    assert article.body_text.startswith("The ceasefire announced on Monday")  # the article itself is whole
    assert article.comments == [] and not article.comments_complete
    assert article.comment_read.fetched is fetched
    assert note in (article.comment_read.error or article.comment_read.note)


# --- the whole ingest -------------------------------------------------------------------------------------


@pytest.mark.usefixtures("prefect_harness")
def test_ingest_loads_the_thread_and_survives_a_bad_key(tmp_path: Path) -> None:
    from flows.nightly import nightly

    def run(db: Path, api_key: str) -> tuple:  # type: ignore[type-arg]
        with DisqusSite().serve() as base:
            sources = write_sources(tmp_path / f"{db.stem}.yaml", [disqus_source_entry(base, api_key=api_key)])
            report = asyncio.run(nightly(db=str(db), sources_file=str(sources), since=datetime(2026, 6, 30, tzinfo=UTC),
                                         until=datetime(2026, 7, 3, tzinfo=UTC)))
        return report, duckdb.connect(str(db), read_only=True)

    good, con = run(tmp_path / "good.duckdb", GOOD_KEY)
    try:
        assert good.failed == 0 and good.articles_written == 1
        thread = con.execute("SELECT depth, author_name, reply_to FROM comment_threads ORDER BY path").fetchall()
        assert thread == [(0, "Realist in Ohio", None), (1, "Old Navy Hand", "Realist in Ohio"),
                          (0, "Marguerite", None), (1, "Realist in Ohio", "Marguerite")]
        assert con.execute("SELECT system, fetched, complete FROM comment_sections").fetchall() == [
            ("disqus", True, True)]
        assert con.execute("SELECT count(*) FROM commenters").fetchall() == [(3,)]
        assert good.comment_counts_checked == 1 and good.comment_count_differences == []  # slash:comments 4
        urls = [u for (u,) in con.execute("SELECT url FROM raw_responses WHERE role = 'disqus_json'").fetchall()]
        assert len(urls) == 2 and not any(GOOD_KEY in u for u in urls)
    finally:
        con.close()

    bad, con = run(tmp_path / "bad.duckdb", "revoked-key")
    try:
        assert bad.status == "completed_with_failures" and bad.articles_written == 1, (
            "the article loads without its comments")
        (failure,) = bad.failures
        assert (failure.stage, failure.reason) == ("comments", "disqus_api")
        assert "invalid API key" in failure.detail and "check disqus.api_key of source 'disqus-news'" in failure.detail
        assert con.execute("SELECT stage, reason FROM failures WHERE resolved_at IS NULL").fetchall() == [
            ("comments", "disqus_api")]
        assert con.execute("SELECT system, fetched, complete FROM comment_sections").fetchall() == [
            ("disqus", False, False)]
        assert con.execute("SELECT count(*) FROM comments").fetchall() == [(0,)]
        assert bad.comments_not_fetched == 1
        (difference,) = bad.comment_count_differences
        assert (difference.advertised, difference.loaded, difference.system) == (4, 0, "disqus")
    finally:
        con.close()
