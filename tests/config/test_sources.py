"""The sources loader: every declaration in the repository loads, and a kind's settings are checked by its kind."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from schemas.errors import ConfigError
from tasks.config import BUNDLED_SOURCES, load_sources, select_sources
from tasks.sources.registry import KINDS, check_settings, kind_of
from tasks.sources.wordpress.settings import WordPressSettings


def write(tmp_path: Path, *entries: dict[str, object]) -> Path:
    path = tmp_path / "sources.yaml"
    path.write_text(yaml.safe_dump({"sources": list(entries)}), encoding="utf-8")
    return path


def test_the_bundled_sources_load_each_with_its_kind() -> None:
    sources = {s.name: s for s in load_sources(BUNDLED_SOURCES)}
    assert {name: s.kind for name, s in sources.items()} == {
        "antiwar-news": "wordpress", "antiwar-blog": "wordpress", "antiwar-original": "feed"}
    blog = check_settings(sources["antiwar-blog"])
    assert isinstance(blog, WordPressSettings) and str(blog.rest_url) == "https://www.antiwar.com/blog/wp-json/"
    assert kind_of(sources["antiwar-original"]) is KINDS["feed"]
    assert [s.name for s in select_sources(list(sources.values()), ["antiwar-blog"])] == ["antiwar-blog"]


def test_a_setting_of_another_kind_is_one_clear_line(tmp_path: Path) -> None:
    path = write(tmp_path, {"name": "a", "kind": "wordpress", "base_url": "https://a.example.org/"},
                 {"name": "b", "kind": "feed", "base_url": "https://b.example.org/",
                  "rest_url": "https://b.example.org/wp-json/"})
    with pytest.raises(ConfigError) as caught:
        load_sources(path)
    assert str(caught.value) == f"{path}: sources.1.rest_url: not a setting of feed sources"


def test_an_unknown_kind_names_the_kinds_there_are(tmp_path: Path) -> None:
    path = write(tmp_path, {"name": "a", "kind": "gopher", "base_url": "https://a.example.org/"})
    with pytest.raises(ConfigError, match=r"sources\.0\.kind: kind 'gopher' is none of wordpress, feed"):
        load_sources(path)


def test_a_bad_value_of_a_kind_setting_is_reported_where_it_is(tmp_path: Path) -> None:
    path = write(tmp_path, {"name": "a", "kind": "wordpress", "base_url": "https://a.example.org/",
                            "fetch_article_html": "sometimes"})
    with pytest.raises(ConfigError, match=r"sources\.0\.fetch_article_html: Input should be a valid boolean"):
        load_sources(path)


def test_a_sitemap_source_declares_its_sitemaps_which_other_kinds_do_not_read(tmp_path: Path) -> None:
    wire: dict[str, object] = {"name": "wire", "kind": "sitemap", "base_url": "https://wire.example/",
            "sitemaps": ["https://wire.example/sitemap_index.xml", "https://wire.example/news-sitemap.xml"],
            "feed_url": "https://wire.example/index.xml"}
    (source,) = load_sources(write(tmp_path, wire))
    settings = check_settings(source)
    assert [str(u) for u in settings.sitemaps] == wire["sitemaps"]  # type: ignore[attr-defined]
    assert kind_of(source) is KINDS["sitemap"]
    path = write(tmp_path, {**wire, "kind": "wordpress"})
    with pytest.raises(ConfigError) as caught:
        load_sources(path)
    assert str(caught.value) == f"{path}: sources.0.sitemaps: not a setting of wordpress sources"


def test_the_stored_declaration_of_other_kinds_has_no_sitemaps_key() -> None:
    # sources.config in the warehouse is the declaration as a run read it; kinds without sitemaps keep theirs
    for source in load_sources(BUNDLED_SOURCES):
        assert "sitemaps" not in source.model_dump_json()
