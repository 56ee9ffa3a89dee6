"""The page text around the headline, where bylines, datelines and decks sit when no markup marks them."""

from __future__ import annotations

import re

from selectolax.lexbor import LexborHTMLParser, LexborNode

from tasks.parse.generic.text import is_longer_than, text_len

_AFTER_TITLE = 800
# A dateline or byline is set just above the headline as often as just below it.
_ABOVE_TITLE = 120
_AFTER_TITLE_VISIBLE = 650  # non-whitespace characters: about _AFTER_TITLE characters of text
# Raw characters read from one long neighbour: enough for the window even in deeply indented source.
_RAW_SLICE = 4 * _AFTER_TITLE
_TITLE_PARTS = re.compile(r"\s+[–—|:-]\s+|:\s+")


class HeadlineText:
    """The visible text near the headline, read from the tree once and only when asked for.

    Distances count visible characters (whitespace squashed), not the page source's indentation.
    `lines` keeps a line break wherever one text node ends and the next begins, so a byline is not
    run on into the paragraph after it; `window` is the same text on one line.

    With the heading element known, only the nodes around it are read: its siblings and its
    ancestors' siblings, outwards, until enough text is collected on each side. (Reading the whole
    page to find the headline in it costs more than all the rest of the byline and date search.)"""

    def __init__(self, tree: LexborHTMLParser, title: str, heading: LexborNode | None = None) -> None:
        self._tree = tree
        self.title = title
        self.heading = heading
        self._lines: str | None = None
        self._page_text: str | None = None
        self._followers: list[tuple[LexborNode, int]] | None = None

    @property
    def lines(self) -> str:
        """From just above the headline to a little below it; the top of the page when the
        headline is not in the text."""
        if self._lines is None:
            self._lines = self._around_heading() if self.heading is not None else None
            if self._lines is None:
                self._lines = self._from_page()
        return self._lines

    @property
    def page_text(self) -> str:
        """The whole page's text, a line per text node (read once: byline and date fallbacks share it)."""
        if self._page_text is None:
            body = self._tree.body
            self._page_text = squash_lines(body.text(separator="\n")) if body is not None else ""
        return self._page_text

    @property
    def window(self) -> str:
        return self.lines.replace("\n", " ")

    @property
    def followers(self) -> list[tuple[LexborNode, int]]:
        """The elements after the heading (its siblings, then its ancestors' siblings) up to about
        the window's length of text, nearest first, each with the length of its raw text: where a
        deck would be. (Found without building the window's text, which only bylines and dates
        sometimes need.)"""
        if self._followers is None:
            self._followers = []
            node = self.heading
            seen = 0
            while node is not None and node.tag not in ("body", "html") and seen < _AFTER_TITLE_VISIBLE:
                sibling = node.next
                while sibling is not None and seen < _AFTER_TITLE_VISIBLE:
                    if not (sibling.tag or "-").startswith("-"):  # "-text", "-comment": not elements
                        raw = sibling.text()
                        need = _AFTER_TITLE_VISIBLE - seen
                        # A long neighbour (the article itself) ends the search: its start is enough to tell.
                        long = is_longer_than(raw, need)
                        seen = _AFTER_TITLE_VISIBLE if long else seen + text_len(raw)
                        self._followers.append((sibling, len(raw)))
                    sibling = sibling.next
                node = node.parent
        return self._followers

    def _around_heading(self) -> str | None:
        heading = self.heading
        assert heading is not None
        title = squash_lines(heading.text(separator="\n"))
        if not title:
            return None
        after: list[str] = []
        before: list[str] = []
        after_length = before_length = 0
        node: LexborNode | None = heading
        while node is not None and node.tag not in ("body", "html") and (
            after_length < _AFTER_TITLE or before_length < _ABOVE_TITLE
        ):
            sibling = node.next
            while sibling is not None and after_length < _AFTER_TITLE:
                # Only the start of a long sibling (the article body itself, say) can be in the window.
                text = squash_lines(sibling.text(separator="\n")[:_RAW_SLICE])
                if text:
                    after.append(text)
                    after_length += len(text) + 1
                sibling = sibling.next
            sibling = node.prev
            while sibling is not None and before_length < _ABOVE_TITLE:
                text = squash_lines(sibling.text(separator="\n")[-_RAW_SLICE:])
                if text:
                    before.append(text)
                    before_length += len(text) + 1
                sibling = sibling.prev
            node = node.parent
        above = "\n".join(reversed(before))[-_ABOVE_TITLE:]
        below = "\n".join(after)[:_AFTER_TITLE]
        return "\n".join(part for part in (above, title, below) if part)

    def _from_page(self) -> str:
        text = self.page_text
        start = title_position(text.replace("\n", " "), self.title)
        if start >= 0:
            return text[max(0, start - _ABOVE_TITLE) : start + len(self.title) + _AFTER_TITLE]
        return text[: 2 * _AFTER_TITLE]


_LINE_BREAK = "\ue002"  # a private-use character standing for "\n" while whitespace is squashed


def squash_lines(text: str) -> str:
    """Runs of spaces to one space, runs of whitespace holding a line break to one line break.

    (All in C string methods: a text of many short lines is not split and joined line by line.)"""
    if "\n" not in text:
        return " ".join(text.split())
    words = " ".join(text.replace("\n", f" {_LINE_BREAK} ").split())
    return "\n".join(filter(None, map(str.strip, words.split(_LINE_BREAK))))


def title_position(text: str, title: str) -> int:
    """Where the headline starts in the page text: the whole title, else its longest part (a kicker
    "Topic – Headline" is often set in its own element, so the page text never holds the joined title)."""
    if not title:
        return -1
    start = text.find(title[:60])
    if start >= 0:
        return start
    for part in sorted(_TITLE_PARTS.split(title), key=len, reverse=True):
        if len(part) >= 20:
            start = text.find(part[:60])
            if start >= 0:
                return start
    return -1
