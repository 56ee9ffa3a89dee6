"""Words in class and id attributes ("share-bar", "post_meta", "sidebar-left"), matched as whole parts.

A word matches a whole part of a token split at whitespace, "-" and "_", as the regular expression
`(?:^|[\\s_-])(?:word|...)(?:$|[\\s_-])` would. Set lookups do it instead: every page brings class
strings no cache has seen, and an alternation of a hundred words tried at each position of each
string costs microseconds per element.

Word notation: `read-?more` (optional hyphen: "readmore", "read-more"), `sr-only` (a hyphen),
`advert*` (followed by any letters or digits: "advertising", "advert2").
"""

from __future__ import annotations

import re

_SEPARATOR = re.compile(r"(-\??)")


def _spellings(word: str) -> list[tuple[str, ...]]:
    """The parts of each spelling of `word` ("read-?more" -> ("readmore",), ("read", "more"))."""
    pieces = _SEPARATOR.split(word)
    spellings: list[list[str]] = [[pieces[0]]]
    for separator, piece in zip(pieces[1::2], pieces[2::2], strict=True):
        grown: list[list[str]] = []
        for parts in spellings:
            if separator == "-?":
                grown.append([*parts[:-1], parts[-1] + piece])
            grown.append([*parts, piece])
        spellings = grown
    return [tuple(parts) for parts in spellings]


class WordMarks:
    """Which of several word lists a lower-cased "class id" string names; list i sets bit 1 << i."""

    def __init__(self, *word_lists: str) -> None:
        self._exact: dict[str, int] = {}
        self._prefixes: list[tuple[str, int]] = []
        self._compounds: dict[str, list[tuple[tuple[str, ...], int]]] = {}
        for index, words in enumerate(word_lists):
            bit = 1 << index
            for word in words.split():
                if word.endswith("*"):
                    self._prefixes.append((word[:-1], bit))
                    continue
                for parts in _spellings(word):
                    if len(parts) == 1:
                        self._exact[parts[0]] = self._exact.get(parts[0], 0) | bit
                    else:
                        self._compounds.setdefault(parts[0], []).append((parts, bit))
        # A compound with a part that is a word of the same list is found by that part already.
        for first, spellings in list(self._compounds.items()):
            kept = [(parts, bit) for parts, bit in spellings if not any(self._exact.get(p, 0) & bit for p in parts)]
            if kept:
                self._compounds[first] = kept
            else:
                del self._compounds[first]
        self._prefix_starts = tuple(prefix for prefix, _ in self._prefixes)

    def match(self, marks: str) -> int:
        """The bits of the lists with a word in `marks` (0 for none)."""
        # Set operations in C answer the common case: no part is a word, no prefix or compound near.
        parts = marks.replace("_", " ").replace("-", " ").split()
        found = 0
        for part in self._exact.keys() & parts:
            found |= self._exact[part]
        if self._prefixes and any(prefix in marks for prefix in self._prefix_starts):
            for part in parts:
                for prefix, bit in self._prefixes:
                    rest = part[len(prefix) :]
                    if part.startswith(prefix) and (not rest or rest.isalnum()):
                        found |= bit
        if not self._compounds.keys().isdisjoint(parts):
            found |= self._match_compounds(marks)
        return found

    def _match_compounds(self, marks: str) -> int:
        """Compounds are hyphenated: their parts follow each other inside one hyphenated token."""
        found = 0
        for token in marks.replace("_", " ").split():
            if "-" not in token:
                continue
            parts = token.split("-")
            for index, part in enumerate(parts):
                for spelled, bit in self._compounds.get(part, ()):
                    if tuple(parts[index : index + len(spelled)]) == spelled:
                        found |= bit
        return found
