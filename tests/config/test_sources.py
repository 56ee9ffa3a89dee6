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
    assert str(caught.value) == (f"sources file {path}, line 8: source 'b' (sources.1): "
                                 "rest_url: not a setting of feed sources")


def test_an_unknown_kind_names_the_kinds_there_are(tmp_path: Path) -> None:
    path = write(tmp_path, {"name": "a", "kind": "gopher", "base_url": "https://a.example.org/"})
    with pytest.raises(ConfigError, match=r"source 'a' \(sources\.0\): kind: kind 'gopher' is none of wordpress, feed"):
        load_sources(path)


def test_a_bad_value_of_a_kind_setting_is_reported_where_it_is(tmp_path: Path) -> None:
    path = write(tmp_path, {"name": "a", "kind": "wordpress", "base_url": "https://a.example.org/",
                            "fetch_article_html": "sometimes"})
    with pytest.raises(ConfigError,
                       match=r"line 3: source 'a' \(sources\.0\): fetch_article_html: Input should be a valid boolean"):
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
    assert str(caught.value) == (f"sources file {path}, line 7: source 'wire' (sources.0): "
                                 "sitemaps: not a setting of wordpress sources")


def test_the_stored_declaration_of_other_kinds_has_no_sitemaps_key() -> None:
    # sources.config in the warehouse is the declaration as a run read it; kinds without sitemaps keep theirs
    for source in load_sources(BUNDLED_SOURCES):
        assert "sitemaps" not in source.model_dump_json()


def test_a_yaml_error_keeps_its_line_and_column_and_shows_the_line_with_a_marker(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text("sources:\n  - name: a\n    kind: feed\n    base_url: https://a.example/\n   enabled: no\n")
    with pytest.raises(ConfigError) as caught:
        load_sources(path)
    first, quoted, marker = str(caught.value).splitlines()
    assert first == (f"sources file {path} is not valid YAML (line 5, column 4): while parsing a block collection, "
                     "expected <block end>, but found '<block mapping start>'")
    assert quoted == "  5 |    enabled: no"
    assert marker.index("^") == quoted.index("enabled")


def test_the_marker_sits_under_the_character_when_the_line_holds_tabs(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text('sources:\n  - name: "a\tb" c: d\n')
    with pytest.raises(ConfigError) as caught:
        load_sources(path)
    first, quoted, marker = str(caught.value).splitlines()
    assert "(line 2, column 17)" in first  # PyYAML counts the tab as one column
    assert "\t" not in quoted and quoted[marker.index("^")] == "c"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "is empty: it needs a 'sources:' list of sites to read"),
        ("# sources go here\n\n", "is empty: it needs a 'sources:' list of sites to read"),
        ("sources:\n", "has no sources: its 'sources:' list is empty"),
        ("sources: []\n", "has no sources: its 'sources:' list is empty"),
        ("- name: a\n  kind: feed\n", "must be a mapping with a 'sources:' list, not a list"),
        ("just words\n", "must be a mapping with a 'sources:' list, not a string"),
    ],
)
def test_a_file_without_sources_says_so(text: str, message: str, tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(text)
    with pytest.raises(ConfigError) as caught:
        load_sources(path)
    assert str(caught.value) == f"sources file {path} {message}"


def test_a_schema_error_names_the_source_its_field_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, {"name": "a", "kind": "feed", "base_url": "https://a.example.org/"},
                 {"kind": "feed", "base_url": "https://b.example.org/"},
                 {"name": "c", "kind": "feed", "base_url": "https://c.example.org/", "max_pages": "many"})
    with pytest.raises(ConfigError) as caught:
        load_sources(path)
    assert str(caught.value) == f"sources file {path}, line 5: source #2 (no name) (sources.1): name: Field required"
    duplicate = write(tmp_path, {"name": "a", "kind": "feed", "base_url": "https://a.example.org/"},
                      {"name": "a", "kind": "feed", "base_url": "https://b.example.org/"})
    with pytest.raises(ConfigError, match=r"sources: Value error, duplicate source names: a$"):
        load_sources(duplicate)
