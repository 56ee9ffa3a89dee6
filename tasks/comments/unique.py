"""Each comment once, by the site's id, in the order first seen."""

from __future__ import annotations

from schemas.pipeline import ParsedComment


def unique(comments: list[ParsedComment]) -> list[ParsedComment]:
    seen: set[str] = set()
    kept = []
    for comment in comments:
        if comment.site_id not in seen:
            seen.add(comment.site_id)
            kept.append(comment)
    return kept
