"""The gate in the pipeline: a batch loses exactly the articles the gate rejects, each as a failure with the
contract other code reads (stage verify, reason implausible, the reasons as detail); passed ones are marked."""

from __future__ import annotations

from schemas import Source
from schemas.pipeline import FetchedTarget, ParsedBatch, Target
from tasks.normalize.authors import AuthorResolver
from tasks.normalize.task import normalize_all
from tasks.sources.reading import parse_fetched
from tasks.verify.task import gate_articles
from tests.verify.bad_pages import _news_article, cloudflare_just_a_moment
from tests.verify.real_pages import NOW, page_response

SOURCE = Source.model_validate({"name": "news", "kind": "feed", "base_url": "https://news.antiwar.com/",
                                 "feed_url": "https://news.antiwar.com/feed/"})


def _fetched(url: str, html: bytes | str) -> FetchedTarget:
    return FetchedTarget(target=Target(source="news", url=url, discovered_at=NOW), responses=[page_response(url, html)])


def test_the_batch_keeps_the_article_and_records_the_challenge() -> None:
    good_url, good = _news_article(-1)
    bad_url, _ = _news_article(-2)
    items = [_fetched(good_url, good), _fetched(bad_url, cloudflare_just_a_moment())]
    batch = ParsedBatch(parsed=[(item, parse_fetched(item, SOURCE)) for item in items])
    articles, failures = normalize_all(SOURCE, batch, AuthorResolver())
    assert len(articles) == 2 and not failures

    kept, rejected = gate_articles(SOURCE.name, batch.parsed, articles, {}, {})

    assert [a.article.url for a in kept] == [good_url]
    ((failure,),) = [rejected]
    assert (failure.source, failure.url, failure.stage, failure.reason) == ("news", bad_url, "verify", "implausible")
    assert failure.detail.startswith("challenge page; challenge title;")
    assert [parsed.parse_report.plausible for _, parsed in batch.parsed] == [True, False]
