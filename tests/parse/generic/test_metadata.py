"""Structured metadata: JSON-LD in its many shapes, OpenGraph and <meta>, microdata."""

from __future__ import annotations

from selectolax.lexbor import LexborHTMLParser

from tasks.parse.generic import extract_article
from tasks.parse.generic.metadata import read_metadata


def _meta(head: str, body: str = ""):
    return read_metadata(LexborHTMLParser(f"<html><head>{head}</head><body>{body}</body></html>"))


def _ld(json_text: str) -> str:
    return f'<script type="application/ld+json">{json_text}</script>'


def test_json_ld_graph_with_referenced_author() -> None:
    meta = _meta(
        _ld(
            '{"@context":"https://schema.org","@graph":['
            '{"@type":"Person","@id":"#p1","name":"Daniel Lemire"},'
            '{"@type":["BlogPosting"],"headline":"JSON parsing","author":{"@id":"#p1"},'
            '"datePublished":"2019-08-02T19:26:27+00:00","inLanguage":"en-US"}]}'
        )
    )
    assert meta.titles[0] == "JSON parsing"
    assert meta.authors == ["Daniel Lemire"]
    assert meta.published == ["2019-08-02T19:26:27+00:00"]
    assert meta.language == "en"


def test_json_ld_list_of_objects_and_author_list() -> None:
    meta = _meta(
        _ld(
            '[{"@type":"WebSite","name":"Example News"},'
            '{"@type":"NewsArticle","headline":"Two bylines","author":['
            '{"@type":"Person","name":"Ann One"},{"@type":"Person","givenName":"Bo","familyName":"Two"}],'
            '"publisher":{"@type":"Organization","name":"Example News"},"keywords":["a","b"]}]'
        )
    )
    assert meta.authors == ["Ann One", "Bo Two"]
    assert meta.site_name == "Example News"
    assert meta.tags == ["a", "b"]


def test_json_ld_organization_author_is_not_a_person() -> None:
    meta = _meta(_ld('{"@type":"NewsArticle","headline":"H","author":{"@type":"Organization","name":"NatGeo"}}'))
    assert meta.authors == []
    assert meta.organization_authors == ["NatGeo"]


def test_json_ld_tolerates_comments_trailing_commas_and_control_characters() -> None:
    meta = _meta(_ld('<!-- {"@type":"Article","headline":"Line\tone","author":"Jo Doe",} -->'))
    assert meta.titles == ["Line one"]
    assert meta.authors == ["Jo Doe"]


def test_broken_json_ld_is_skipped_and_meta_tags_still_read() -> None:
    meta = _meta(
        _ld('{"@type": "Article", "headline": ')
        + '<meta property="og:title" content="From OpenGraph">'
        + '<meta name="author" content="Kim Lee">'
        + '<meta property="article:published_time" content="2020-01-08T12:00:00Z">'
        + '<meta property="article:author" content="https://facebook.com/kimlee">'
    )
    assert meta.titles == ["From OpenGraph"]
    assert meta.meta_authors == ["Kim Lee"]
    assert meta.published == ["2020-01-08T12:00:00Z"]


def test_microdata_headline_and_date() -> None:
    meta = _meta(
        "<title>Page</title>",
        '<article><h1 itemprop="headline">Micro headline</h1>'
        '<time itemprop="datePublished" datetime="2018-10-26">26 Oct</time></article>',
    )
    assert "Micro headline" in meta.titles
    assert "2018-10-26" in meta.published
    assert meta.html_title == "Page"


def test_json_ld_author_beats_meta_and_dom_in_the_article() -> None:
    page = (
        "<html><head>"
        + _ld('{"@type":"NewsArticle","headline":"Title here","author":{"@type":"Person","name":"By Ann One"}}')
        + '<meta name="author" content="Site Admin Team"></head><body><h1>Title here</h1>'
        + '<p class="byline">By Somebody Else</p><p>'
        + "Body text that is long enough to be a paragraph of the article. " * 3
        + "</p></body></html>"
    )
    assert extract_article(page).bylines == ["Ann One"]
