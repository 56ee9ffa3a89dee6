"""Helpers for tests that run the real flows: a sources.yaml pointing at loopback snapshot servers."""

from __future__ import annotations

from pathlib import Path

import yaml

NEWS_SELECTORS = {"title": "h1.entry-title", "deck": "span.pagesub", "body": "div.entry-content",
                  "comments": "ol.commentlist"}
FAST_LOOPBACK = {"allow_private_addresses": True, "requests_per_second": 1000, "max_concurrency": 8,
                 "retry_backoff_seconds": 0.01, "timeout_seconds": 5}
# A real source's retry policy (3 retries, backoff doubling from 1 s): an absent host must not be retried.
REAL_RETRIES = {**FAST_LOOPBACK, "max_retries": 3, "retry_backoff_seconds": 1.0}


def write_sources(path: Path, entries: list[dict[str, object]]) -> Path:
    path.write_text(yaml.safe_dump({"sources": entries}), encoding="utf-8")
    return path


def news_on_loopback(base: str, name: str = "news") -> dict[str, object]:
    return {"name": name, "kind": "wordpress", "base_url": base + "/", "feed_url": base + "/feed/",
            "selectors": NEWS_SELECTORS, "politeness": FAST_LOOPBACK}


def original_on_loopback(base: str, name: str = "original") -> dict[str, object]:
    return {"name": name, "kind": "feed", "base_url": base + "/", "feed_url": base + "/feed/",
            "selectors": {"title": "h1.entry-title", "body": "div.et_pb_post_content_0_tb_body",
                          "byline": "a[rel=author]", "body_exclude": [".addtoany"]},
            "politeness": FAST_LOOPBACK}
