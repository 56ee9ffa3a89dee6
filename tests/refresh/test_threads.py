"""Re-reading a thread from its article page: the page is judged against the stored article before its comments
count (another article's page, noise or a cut page under this URL is a failure, and nothing is loaded)."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest

from schemas.pipeline import FetchedThread, RawResponse, ThreadTarget
from schemas.rows import StoredArticleFacts
from schemas.source import Source
from tasks.refresh.threads import read_threads
from testing.snapshot.site import SnapshotSite
from tests.flows.helpers import original_on_loopback

BASE = "https://original.antiwar.com"
MEMO = f"{BASE}/paul/2026/07/01/a-memorandum-is-not-peace/"
OTHER = f"{BASE}/dan_steinbock/2026/06/29/the-price-of-a-closed-strait/"
SOURCE = Source.model_validate(original_on_loopback(BASE))
FACTS = StoredArticleFacts(article_id="memo", post_id=None, url=MEMO, title="A Memorandum Is Not Peace",
                           word_count=186, content_hash="h", published_at=datetime(2026, 7, 1, tzinfo=UTC),
                           modified_at=None, parser="site_html", channel="page", field_channels={})


def page(body: bytes) -> FetchedThread:
    response = RawResponse(url=MEMO, final_url=MEMO, status=200, body=body, role="article",
                           headers={"Content-Type": "text/html; charset=UTF-8"}, fetched_at=datetime.now(UTC))
    return FetchedThread(target=ThreadTarget(article_id="memo", source="original", url=MEMO, system="wordpress"),
                         responses=[response])


def real(url: str) -> bytes:
    return SnapshotSite().handle("GET", url, {}).body


def test_the_articles_own_page_gives_its_thread() -> None:
    threads, failures = read_threads(SOURCE, [page(real(MEMO))], facts={"memo": FACTS})
    assert failures == [] and len(threads) == 1 and len(threads[0].comments) == 3


@pytest.mark.parametrize("body", [
    real(OTHER),
    random.Random(7).randbytes(6 * 1024),
    " ".join(random.Random(7).choice(["strait", "the", "ledger", "qz", "of"]) for _ in range(900)).encode(),
], ids=["another-article", "random-bytes", "word-soup"])
def test_a_page_that_is_not_the_article_is_a_failure_and_loads_nothing(body: bytes) -> None:
    threads, failures = read_threads(SOURCE, [page(body)], facts={"memo": FACTS})
    assert threads == []
    assert [(f.url, f.reason) for f in failures] == [(MEMO, "implausible")] and failures[0].detail
