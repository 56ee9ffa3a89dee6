"""Structured metadata first: JSON-LD, OpenGraph and other <meta> tags, microdata.

Everything here reads the <head> or explicit markup only; guessing from the visible page is left to
the byline, date and body modules.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tasks.parse.generic.text import css_unique, find_tags, squash

ARTICLE_TYPES = frozenset(
    [
        "article", "newsarticle", "blogposting", "reportagenewsarticle", "analysisnewsarticle",
        "opinionnewsarticle", "backgroundnewsarticle", "reviewnewsarticle", "techarticle",
        "scholarlyarticle", "socialmediaposting", "liveblogposting", "posting", "webpage", "report",
        "medicalwebpage", "discussionforumposting"
    ]
)
_PRIMARY_TYPES = ARTICLE_TYPES - {"webpage", "medicalwebpage"}
_TRAILING_COMMA = re.compile(r",\s*([}\]])")
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")

_PUBLISHED_META = (
    "article:published_time", "og:published_time", "og:article:published_time", "datepublished",
    "date", "pubdate", "publishdate", "publish-date", "publish_date", "publication_date",
    "article.published", "article_date_original", "dc.date.issued", "dcterms.issued", "dc.date",
    "dcterms.date", "dcterms.created", "dc.date.created", "sailthru.date", "parsely-pub-date",
    "cxenseparse:recs:publishtime", "originalpublicationdate", "date_published", "citation_publication_date",
    "citation_date", "release_date", "created", "displaydate", "dc.created",
)  # fmt: skip
_MODIFIED_META = (
    "article:modified_time", "og:updated_time", "datemodified", "last-modified", "dcterms.modified",
    "dc.date.modified", "lastmod", "article.updated",
)  # fmt: skip
_AUTHOR_META = (
    "author", "article:author", "og:article:author", "dc.creator", "dcterms.creator", "sailthru.author",
    "parsely-author", "byl", "citation_author", "twitter:creator:name",
)  # fmt: skip

_AUTHOR_LABEL = re.compile(
    r"^(?:written by|author|by|verfasst von|geschrieben von|autor(?:in)?|écrit par|rédigé par|auteur|"
    r"escrito por|autore|scritto da|geschreven door|door|skrivet av|napisane przez|автор)\s*:?$",
    re.IGNORECASE,
)


@dataclass
class PageMetadata:
    """What the page declares about itself, before any guessing."""

    titles: list[str] = field(default_factory=list)  # structured titles, best first
    html_title: str = ""
    site_name: str = ""
    authors: list[str] = field(default_factory=list)  # person names, structured sources first
    organization_authors: list[str] = field(default_factory=list)
    meta_authors: list[str] = field(default_factory=list)
    published: list[str] = field(default_factory=list)  # raw date strings, best first
    modified: list[str] = field(default_factory=list)
    description: str = ""
    language: str | None = None
    categories: list[str] = field(default_factory=list)
    tags: list[str] = field(default_factory=list)
    article_body: str = ""  # JSON-LD articleBody, when the page gives it
    canonical_url: str = ""
    page_url: str = ""  # og:url, when the page gives one
    generator: str = ""  # <meta name="generator">: the software that made the page
    types: set[str] = field(default_factory=set)  # schema.org types of its JSON-LD objects, lower case


def _load_json(raw: str) -> Any:
    raw = raw.strip()
    if raw.startswith("<!--"):
        raw = raw.removeprefix("<!--").removesuffix("-->")
    raw = raw.strip().removeprefix("//<![CDATA[").removesuffix("//]]>").strip()
    try:
        return json.loads(raw, strict=False)
    except ValueError:
        pass
    try:
        return json.loads(_TRAILING_COMMA.sub(r"\1", _CONTROL.sub(" ", raw)), strict=False)
    except ValueError:
        return None


def _walk_objects(data: Any, depth: int = 0) -> list[dict[str, Any]]:
    """Every JSON-LD object with a @type, following @graph, lists and mainEntity."""
    found: list[dict[str, Any]] = []
    if depth > 6:
        return found
    if isinstance(data, list):
        for item in data:
            found.extend(_walk_objects(item, depth + 1))
    elif isinstance(data, dict):
        if "@type" in data:
            found.append(data)
        for key in ("@graph", "mainEntity", "mainEntityOfPage", "hasPart", "itemListElement"):
            if key in data and isinstance(data[key], (list, dict)):
                found.extend(_walk_objects(data[key], depth + 1))
    return found


def _types(obj: dict[str, Any]) -> set[str]:
    value = obj.get("@type")
    values = value if isinstance(value, list) else [value]
    return {str(v).lower().rsplit("/", 1)[-1] for v in values if v}


def _strings(value: Any) -> list[str]:
    """Plain strings from a JSON-LD value that may be a string, list or {"name"|"@value": ...}."""
    if value is None:
        return []
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [s for item in value for s in _strings(item)]
    if isinstance(value, dict):
        for key in ("name", "@value", "headline"):
            if key in value:
                return _strings(value[key])
    return []


def _ld_people(value: Any, by_id: dict[str, dict[str, Any]]) -> tuple[list[str], list[str]]:
    """(person names, organization names) from a JSON-LD author value."""
    people: list[str] = []
    orgs: list[str] = []
    for item in value if isinstance(value, list) else [value]:
        if isinstance(item, str):
            people.append(item)
            continue
        if not isinstance(item, dict):
            continue
        if "name" not in item and isinstance(item.get("@id"), str):
            item = by_id.get(item["@id"], item)
        names = _strings(item.get("name"))
        if not names and (item.get("givenName") or item.get("familyName")):
            names = [f"{item.get('givenName') or ''} {item.get('familyName') or ''}"]
        (orgs if "organization" in _types(item) or "newsmediaorganization" in _types(item) else people).extend(
            names
        )
    return people, orgs


def _read_json_ld(scripts: list[LexborNode], meta: PageMetadata) -> None:
    objects: list[dict[str, Any]] = []
    for script in scripts:
        data = _load_json(script.text())
        if data is not None:
            objects.extend(_walk_objects(data))
    if not objects:
        return
    for obj in objects:
        meta.types |= _types(obj)
    by_id = {obj["@id"]: obj for obj in objects if isinstance(obj.get("@id"), str)}
    articles = [obj for obj in objects if _types(obj) & _PRIMARY_TYPES]
    articles += [obj for obj in objects if _types(obj) & ARTICLE_TYPES and obj not in articles]
    for obj in articles:
        meta.titles.extend(squash(s) for s in _strings(obj.get("headline")) + _strings(obj.get("name"))[:1])
        people, orgs = _ld_people(obj.get("author") or obj.get("creator"), by_id)
        meta.authors.extend(people)
        meta.organization_authors.extend(orgs)
        meta.published.extend(_strings(obj.get("datePublished")) + _strings(obj.get("dateCreated")))
        meta.modified.extend(_strings(obj.get("dateModified")))
        meta.categories.extend(_strings(obj.get("articleSection")))
        keywords = obj.get("keywords")
        if isinstance(keywords, str):
            meta.tags.extend(k.strip() for k in keywords.split(","))
        else:
            meta.tags.extend(_strings(keywords))
        if not meta.article_body:
            meta.article_body = next(iter(_strings(obj.get("articleBody"))), "")
        if not meta.language:
            meta.language = next(iter(_strings(obj.get("inLanguage"))), None)
    for obj in objects:
        if _types(obj) & {"website", "organization", "newsmediaorganization"} and not meta.site_name:
            meta.site_name = next(iter(_strings(obj.get("name"))), "")


_TITLE_META = ("og:title", "twitter:title", "dc.title", "title", "sailthru.title", "parsely-title")
# Every key _read_meta_tags reads: the many others (viewport, og:image...) are not even cleaned.
_READ_META = frozenset(
    (
        *_TITLE_META, *_AUTHOR_META, *_PUBLISHED_META, *_MODIFIED_META, "og:site_name", "og:url", "generator",
        "og:description", "description", "article:section", "article:tag", "og:locale", "content-language",
        *(f"twitter:{kind}{number}" for kind in ("label", "data") for number in range(1, 5)),
    )
)


def _read_meta_tags(tags: list[LexborNode], meta: PageMetadata) -> None:
    values: dict[str, list[str]] = {}
    for node in tags:
        attrs = node.attributes
        key = (attrs.get("property") or attrs.get("name") or attrs.get("itemprop") or "").strip().lower()
        if key not in _READ_META:
            continue
        content = squash(attrs.get("content"))
        if content:
            values.setdefault(key, []).append(content)
    for key in _TITLE_META:
        meta.titles.extend(values.get(key, []))
    meta.site_name = meta.site_name or next(iter(values.get("og:site_name", [])), "")
    meta.page_url = next(iter(values.get("og:url", [])), "")
    meta.generator = " ".join(values.get("generator", []))
    for key in _AUTHOR_META:
        meta.meta_authors.extend(v for v in values.get(key, []) if "://" not in v and not v.startswith("@"))
    # SEO plugins (Yoast and its kin) label their Twitter card lines: "Written by" / "Verfasst von"
    # in twitter:labelN, the author's display name in twitter:dataN.
    for number in range(1, 5):
        label = next(iter(values.get(f"twitter:label{number}", [])), "")
        if label and _AUTHOR_LABEL.match(label):
            meta.meta_authors.extend(values.get(f"twitter:data{number}", []))
    for key in _PUBLISHED_META:
        meta.published.extend(values.get(key, []))
    for key in _MODIFIED_META:
        meta.modified.extend(values.get(key, []))
    meta.description = next(iter(values.get("og:description", []) + values.get("description", [])), "")
    meta.categories.extend(values.get("article:section", []))
    meta.tags.extend(values.get("article:tag", []))
    if not meta.language:
        meta.language = next(iter(values.get("og:locale", []) + values.get("content-language", [])), None)


def _read_microdata(nodes: list[LexborNode], meta: PageMetadata) -> None:
    for node in nodes:
        attrs = node.attributes
        if attrs.get("itemprop") == "headline":
            text = squash(attrs.get("content") or node.text())
            if text and len(text) < 300:
                meta.titles.append(text)
        else:
            value = attrs.get("content") or attrs.get("datetime") or squash(node.text())
            if value:
                meta.published.append(value)


# The elements that declare metadata by their tag (found by a walk of the caller's, see read_metadata)
# and those that declare it by an attribute (found by a CSS query).
METADATA_TAGS = "script, meta, title, link"
_METADATA_TAG_NAMES = frozenset(tag.strip() for tag in METADATA_TAGS.split(","))
MICRODATA = '[itemprop="headline"], [itemprop="datePublished"]'


def is_microdata(tag: str, attrs: dict[str, str | None]) -> bool:
    """Whether MICRODATA selects an element that is not one of the METADATA_TAGS (read as such)."""
    return attrs.get("itemprop") in ("headline", "datePublished") and tag not in _METADATA_TAG_NAMES


def read_metadata(
    tree: LexborHTMLParser, elements: list[LexborNode] | None = None, microdata: list[LexborNode] | None = None
) -> PageMetadata:
    """Collect the page's declared metadata (JSON-LD first, then <meta>, then microdata).

    `elements`: the page's METADATA_TAGS elements in document order, and `microdata` its elements
    with a MICRODATA itemprop, when the caller has found them (its walks over the page serve several
    steps; see find_tags and marked.py)."""
    if elements is None:
        elements = [node for group in find_tags(tree.root, METADATA_TAGS) for node in group] if tree.root else []
    if microdata is None:
        microdata = [node for node in css_unique(tree, MICRODATA) if is_microdata(node.tag or "", node.attributes)]
    meta = PageMetadata()
    scripts: list[LexborNode] = []
    tags: list[LexborNode] = []
    title_node = canonical = None
    for node in elements:
        tag = node.tag
        if tag == "script":
            if node.attributes.get("type") == "application/ld+json":
                scripts.append(node)
        elif tag == "meta":
            tags.append(node)
        elif tag == "title":
            title_node = title_node or node
        elif tag == "link" and canonical is None and node.attributes.get("rel") == "canonical":
            canonical = node
    _read_json_ld(scripts, meta)
    _read_meta_tags(tags, meta)
    _read_microdata(microdata, meta)
    meta.html_title = squash(title_node.text()) if title_node is not None else ""
    root = tree.root
    if root is not None and not meta.language:
        meta.language = root.attributes.get("lang") or None
    if meta.language:
        meta.language = meta.language.replace("_", "-").split("-")[0].lower() or None
    if canonical is not None:
        meta.canonical_url = canonical.attributes.get("href") or ""
    meta.titles = [t for t in dict.fromkeys(meta.titles) if t]
    meta.categories = [c for c in dict.fromkeys(squash(c) for c in meta.categories) if c]
    meta.tags = [t for t in dict.fromkeys(squash(t) for t in meta.tags) if t]
    return meta
