"""DOM helpers of the article-page reader: forgiving selectors, meta tags, JSON-LD."""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tasks.parse.bylines import collapse_ws, select_within


def node_text(node: LexborNode | None) -> str:
    return collapse_ws(node.text()) if node is not None else ""


def first_match(tree: LexborNode, selector: str | None) -> LexborNode | None:
    if not selector:
        return None
    try:
        return tree.css_first(selector)
    except Exception:  # a malformed selector in sources.yaml must not sink the page
        return None


def all_matches(tree: LexborNode, selector: str | None) -> list[LexborNode]:
    if not selector:
        return []
    try:
        return tree.css(selector)
    except Exception:
        return []


def within(node: LexborNode, selector: str) -> list[LexborNode]:
    try:
        return select_within(node, selector)
    except Exception:
        return []


def meta_content(tree: LexborNode, key: str) -> str:
    for attr in ("property", "name", "itemprop"):
        node = first_match(tree, f'meta[{attr}="{key}"]')
        if node is not None and node.attributes.get("content"):
            return collapse_ws(node.attributes.get("content") or "")
    return ""


def meta_contents(tree: LexborNode, key: str) -> list[str]:
    return [collapse_ws(n.attributes.get("content") or "") for n in all_matches(tree, f'meta[property="{key}"]')]


def json_ld_objects(tree: LexborNode) -> Iterator[dict[str, Any]]:
    """Every JSON-LD object on the page, @graph members included."""
    for script in all_matches(tree, 'script[type="application/ld+json"]'):
        try:
            data = json.loads(script.text() or "")
        except ValueError:
            continue
        stack = [data]
        while stack:
            item = stack.pop()
            if isinstance(item, list):
                stack.extend(reversed(item))
            elif isinstance(item, dict):
                yield item
                if isinstance(item.get("@graph"), list):
                    stack.extend(reversed(item["@graph"]))


def json_ld_value(tree: LexborNode, key: str) -> str:
    for item in json_ld_objects(tree):
        value = item.get(key)
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def json_ld_names(value: object) -> list[str]:
    """Names in a JSON-LD author value (string, Person, or a list of them); @id URLs are no names."""
    if isinstance(value, list):
        return [name for item in value for name in json_ld_names(item)]
    if isinstance(value, dict):
        return json_ld_names(value.get("name"))
    if isinstance(value, str) and value.strip() and not re.match(r"^(?:https?:)?//|^/", value.strip()):
        return [value]
    return []


def dedupe(names: list[str]) -> list[str]:
    result: list[str] = []
    for name in names:
        if name and name not in result:
            result.append(name)
    return result


def parse_tree(html: str) -> LexborHTMLParser | None:
    if isinstance(html, bytes | bytearray):
        html = bytes(html).decode("utf-8", errors="replace")
    if not isinstance(html, str) or not html.strip():
        return None
    try:
        return LexborHTMLParser(html.replace("\x00", ""))
    except Exception:  # lexbor rejects some junk; an empty article is the answer then
        return None
