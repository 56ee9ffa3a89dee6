"""Validators for conditional GETs, read once for a whole window (flows/runners.py) and handed out per batch:
each batch gets exactly what reading the warehouse for that batch alone gives."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

from schemas import FailureRecord, RawResponse, RunReport, Source, Target, TargetKind, Validators
from tasks.load import load_articles, prepare_run
from tasks.sources.state import first_urls, validators_for, validators_of

BASE = "https://news.example.org"
NOW = datetime(2026, 7, 2, 12, tzinfo=UTC)


def source() -> Source:
    return Source.model_validate({"name": "news", "kind": "wordpress", "base_url": BASE + "/"})


def targets(src: Source) -> list[Target]:
    posts = [Target(source="news", kind=TargetKind.WP_POST, url=f"{BASE}/2026/07/0{n}/post-{n}/", post_id=100 + n,
                    discovered_at=NOW) for n in range(1, 6)]
    pages = [Target(source="news", kind=TargetKind.HTML_ARTICLE, url=f"{BASE}/column-{n}/", discovered_at=NOW)
             for n in range(1, 3)]
    return posts + pages


def stored(url: str, status: int = 200, **headers: str) -> RawResponse:
    return RawResponse(url=url, final_url=url, status=status, headers={"content-type": "text/html", **headers},
                       body=f"<p>{url}</p>".encode(), fetched_at=NOW, role="article")


def test_window_validators_handed_out_per_batch_match_per_batch_reads(db_path: Path) -> None:
    src = source()
    window = targets(src)
    report = RunReport(run_id="r1", flow="nightly", started_at=NOW, sources=["news"])
    prepare_run(db_path, [src], report)
    post_1, post_2, post_3, _, _, column_1, column_2 = window
    responses = [
        stored(first_urls(src, post_1)[0], etag='"p1"'),  # the page
        stored(first_urls(src, post_1)[1], **{"last-modified": "Wed, 01 Jul 2026 10:00:00 GMT"}),  # its REST post
        stored(first_urls(src, post_2)[2], etag='"c2"'),  # only its comment page 1
        stored(first_urls(src, post_3)[0], etag='"p3"'),  # the last try of this one failed: no validators
        stored(first_urls(src, post_3)[1], etag='"j3"'),
        stored(column_1.url, etag='"col1"'),
        stored(column_2.url, status=404, etag='"gone"'),  # not a 200: nothing to validate against
    ]
    failure = FailureRecord(source="news", url=post_3.url, stage="fetch", reason="http_500")
    load_articles(db_path, "news", [], responses, [failure], "r1")

    whole = validators_for(db_path, src, window)
    assert whole == {
        post_1.url: Validators(etag='"p1"'),
        first_urls(src, post_1)[1]: Validators(last_modified="Wed, 01 Jul 2026 10:00:00 GMT"),
        first_urls(src, post_2)[2]: Validators(etag='"c2"'),
        column_1.url: Validators(etag='"col1"'),
    }
    for size in (1, 2, 3, 7):
        for start in range(0, len(window), size):
            batch = window[start : start + size]
            assert validators_of(whole, src, batch) == validators_for(db_path, src, batch), (size, start)
