"""The WordPress kind's `bulk` setting: on by default, read by the WordPress kind alone, stored only when off."""

from __future__ import annotations

import json

import pytest
from pydantic import ValidationError

from schemas import Source
from tasks.sources.registry import check_settings


def test_bulk_is_on_by_default_and_stored_only_when_off() -> None:
    on = Source(name="wire", kind="wordpress", base_url="https://news.example.org/")
    off = Source(name="wire", kind="wordpress", base_url="https://news.example.org/", bulk=False)
    assert on.bulk and check_settings(on).bulk  # type: ignore[attr-defined]
    assert not check_settings(off).bulk  # type: ignore[attr-defined]
    # declarations stored before the setting existed keep their stored form
    assert "bulk" not in json.loads(on.model_dump_json()) and json.loads(off.model_dump_json())["bulk"] is False


def test_a_feed_source_may_not_declare_bulk() -> None:
    with pytest.raises(ValidationError, match="bulk"):
        check_settings(Source(name="f", kind="feed", base_url="https://example.org/", bulk=False))
