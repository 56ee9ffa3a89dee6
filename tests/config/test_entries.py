"""A proposed entry as commented YAML, and adding it to a sources file without touching what the file says."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from schemas.errors import ConfigError
from tasks.config import BUNDLED_SOURCES, load_sources
from tasks.config.entries import append_entry, render_entry

ENTRY = {
    "name": "test-wire", "kind": "sitemap", "base_url": "https://wire.example/",
    "feed_url": "https://wire.example/index.xml",
    "sitemaps": ["https://wire.example/sitemap_index.xml", "https://wire.example/news-sitemap.xml"],
    "politeness": {"requests_per_second": 0.5, "max_concurrency": 1},
}
REASONS = {
    "name": "from the site's address",
    "kind": "sitemaps list the articles: backfills read them by date, nightly runs by lastmod",
    "feed_url": "10 items from 2025-12-22 to 2025-12-31, declared by the home page; it holds only recent items, "
                "so backfills use the sitemaps",
    "sitemaps": "https://wire.example/sitemap_index.xml splits 36 sitemaps by period back to 2023-01-01",
    "politeness": "robots.txt asks for Crawl-delay: 2",
    "selectors": "none needed: the generic extractor read https://wire.example/news/2025/12/31/a/ (312 words)",
    "comments": "no comment system detected",
}
COMMENTED = """# Our sources. Keep this comment.
sources:
  # The first one, with a comment above it
  - name: first   # and one after it
    kind: feed
    base_url: 'https://first.example/'
    feed_url: "https://first.example/feed/"
"""


def test_the_entry_renders_as_yaml_with_a_comment_on_each_choice() -> None:
    text = render_entry(ENTRY, REASONS, indent=0)
    assert yaml.safe_load(text) == [ENTRY]
    comments = [line.strip() for line in text.splitlines() if line.strip().startswith("#")]
    for key in REASONS:
        assert any(line.startswith(f"# {key}: ") for line in comments), key
    assert text.index("# kind: sitemaps list") < text.index("kind: sitemap\n")  # each reason above its key
    assert max(len(line) for line in text.splitlines()) <= 120


@pytest.mark.parametrize("indent", [0, 2, 4])
def test_appending_keeps_the_files_text_and_comments_whatever_its_indent(tmp_path: Path, indent: int) -> None:
    path = tmp_path / "sources.yaml"
    original = COMMENTED.replace("\n  ", "\n" + " " * indent) if indent != 2 else COMMENTED
    path.write_text(original, encoding="utf-8")
    append_entry(path, ENTRY, REASONS)
    text = path.read_text(encoding="utf-8")
    assert text.startswith(original)  # byte for byte: comments, quotes, order
    sources = load_sources(path)
    assert [s.name for s in sources] == ["first", "test-wire"]
    assert [str(u) for u in sources[1].sitemaps] == ENTRY["sitemaps"]
    assert "# kind: sitemaps list the articles" in text[len(original):]


def test_the_bundled_file_takes_an_entry_too(tmp_path: Path) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(BUNDLED_SOURCES.read_text(encoding="utf-8"), encoding="utf-8")
    append_entry(path, ENTRY, REASONS)
    assert [s.name for s in load_sources(path)][-1] == "test-wire"


def test_a_missing_file_is_created(tmp_path: Path) -> None:
    path = tmp_path / "new" / "sources.yaml"
    append_entry(path, ENTRY, REASONS)
    assert [s.name for s in load_sources(path)] == ["test-wire"]


@pytest.mark.parametrize(("text", "message"), [
    ("sources:\n  - name: test-wire\n    kind: feed\n    base_url: https://other.example/\n",
     "a source named 'test-wire' is already declared"),
    ("sources:\n  - name: wire\n    kind: feed\n    base_url: https://wire.example/\n",
     "https://wire.example/ is already declared as source 'wire'"),
    ("sources: [{name: a, kind: feed, base_url: 'https://a.example/'}]\n", "not a block list"),
])
def test_what_cannot_be_appended_is_one_line_and_the_file_untouched(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "sources.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message):
        append_entry(path, ENTRY, REASONS)
    assert path.read_text(encoding="utf-8") == text
    assert [p.name for p in tmp_path.iterdir()] == ["sources.yaml"]  # no temporary file left behind
