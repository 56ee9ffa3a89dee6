"""Prefect task: normalize a parsed batch into warehouse rows."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from schemas import FailureRecord, NormalizedArticle, Source
from schemas.pipeline import ParsedBatch
from tasks.normalize.articles import normalize_article
from tasks.normalize.authors import AuthorResolver


def normalize_all(
    source: Source, batch: ParsedBatch, resolver: AuthorResolver
) -> tuple[list[NormalizedArticle], list[FailureRecord]]:
    articles: list[NormalizedArticle] = []
    failures: list[FailureRecord] = []
    for fetched, parsed in batch.parsed:
        fetched_at = max(r.fetched_at for r in fetched.responses)
        try:
            articles.append(normalize_article(parsed, fetched.target, source, fetched_at, resolver))
        except Exception as exc:  # one bad article must not cost the batch; it is recorded and retried
            failures.append(
                FailureRecord(
                    source=source.name,
                    url=fetched.target.url,
                    stage="normalize",
                    reason="normalize_error",
                    detail=f"{type(exc).__name__}: {exc}",
                )
            )
    return _one_per_article(articles), failures


def _one_per_article(articles: list[NormalizedArticle]) -> list[NormalizedArticle]:
    """Two URLs of one post (a slug change) in one batch: keep the last fetched."""
    by_id = {a.article.article_id: a for a in articles}
    return list(by_id.values())


@task(name="normalize-batch", cache_policy=NO_CACHE)
def normalize_batch(
    source: Source, batch: ParsedBatch, resolver: AuthorResolver
) -> tuple[list[NormalizedArticle], list[FailureRecord]]:
    return normalize_all(source, batch, resolver)
