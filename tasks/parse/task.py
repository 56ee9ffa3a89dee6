"""Prefect task: parse a batch of fetched targets; a page that cannot be read becomes a failure record."""

from __future__ import annotations

from prefect import task
from prefect.cache_policies import NO_CACHE

from schemas import FailureRecord, FetchedTarget, Source
from schemas.errors import ParseError
from schemas.pipeline import ParsedBatch
from tasks.parse.dispatch import parse_fetched


def parse_all(source: Source, fetched: list[FetchedTarget]) -> ParsedBatch:
    batch = ParsedBatch()
    for item in fetched:
        if item.not_modified:
            continue  # a 304: the stored version stands, nothing to parse
        if item.failure is not None:
            batch.failures.append(
                FailureRecord(
                    source=source.name,
                    url=item.target.url,
                    stage="fetch",
                    reason=item.failure.reason,
                    detail=item.failure.detail,
                )
            )
            continue
        try:
            batch.parsed.append((item, parse_fetched(item, source)))
        except ParseError as exc:
            batch.failures.append(
                FailureRecord(
                    source=source.name, url=item.target.url, stage="parse", reason="unparseable", detail=str(exc)
                )
            )
        except Exception as exc:  # a parser bug on one page must not cost the other pages of the batch
            batch.failures.append(
                FailureRecord(
                    source=source.name,
                    url=item.target.url,
                    stage="parse",
                    reason="parser_error",
                    detail=f"{type(exc).__name__}: {exc}",
                )
            )
    return batch


@task(name="parse-batch", cache_policy=NO_CACHE)
def parse_batch(source: Source, fetched: list[FetchedTarget]) -> ParsedBatch:
    return parse_all(source, fetched)
