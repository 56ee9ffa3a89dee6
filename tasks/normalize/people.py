"""Byline strings -> person names, and the keys that say two strings are one person."""

from __future__ import annotations

import re
import unicodedata

_PREFIX = re.compile(r"^\s*(?:authors?\s*:|written\s+by|posted\s+by|reported\s+by|by)\s+", re.IGNORECASE)
_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|\bund\b|\bet\b|\by\b)\s*", re.IGNORECASE)
# Parts of a name that are not the person: titles before, degrees and suffixes after.
_TITLES = {"dr", "rep", "sen", "gen", "prof", "mr", "mrs", "ms", "rev", "col", "lt", "capt", "sir", "hon"}
_SUFFIXES = {"esq", "phd", "md", "jr", "sr", "ii", "iii", "iv", "mba", "jd"}
_KEPT_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
_NOT_PEOPLE = re.compile(
    r"\b(staff|writer|editor|reporter|correspondent|contributor|admin|team|news desk|newsroom|"
    r"associated press|reuters|agencies)\b",
    re.IGNORECASE,
)
_DATE_TAIL = re.compile(
    r"\s*(?:[-|–—,]\s*)?(?:on\s+)?(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}).*$",
    re.IGNORECASE,
)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def split_byline(raw: str) -> list[str]:
    """'By Ron Paul and Daniel McAdams' -> ['Ron Paul', 'Daniel McAdams']; fewer names beat wrong ones."""
    text = unicodedata.normalize("NFC", " ".join(raw.split()))
    text = _PREFIX.sub("", text)
    text = text.split("|")[0]
    text = _DATE_TAIL.sub("", text)
    names: list[str] = []
    parts = _SPLIT.split(text)
    for part in parts:
        tokens = _name_tokens(part)
        if not tokens:
            continue
        if all(_bare(t) in _SUFFIXES for t in tokens) and names:
            # "John J. Duncan, Jr." — the comma split off a suffix of the previous name
            if any(_bare(t) in _KEPT_SUFFIXES for t in tokens):
                names[-1] = f"{names[-1]} {' '.join(t for t in tokens if _bare(t) in _KEPT_SUFFIXES)}"
            continue
        name = clean_name(part)
        if name and name not in names:
            names.append(name)
    return names


def clean_name(raw: str) -> str:
    """Tidy one person's name: no degree suffixes like 'Esq.', no stray punctuation; titles kept for display."""
    tokens = _name_tokens(raw)
    while tokens and _bare(tokens[-1]) in _SUFFIXES and _bare(tokens[-1]) not in _KEPT_SUFFIXES:
        tokens.pop()
    if not tokens or _NOT_PEOPLE.search(" ".join(tokens)):
        return ""
    name = " ".join(tokens).strip(" .,;:-")
    # "Marc A. Scaringi." -> keep initials' dots, drop a trailing one after a full word
    if name.endswith(".") and len(name.split()[-1]) > 2:
        name = name[:-1]
    return name


def person_tokens(name: str) -> list[str]:
    """Lowercase ASCII tokens of a name without titles, suffixes and initials; 'NoahCarl' splits in two."""
    folded = _ascii_fold(_split_account_name(name))
    tokens = [t for t in re.split(r"[^a-z0-9]+", folded.lower()) if t]
    return [t for t in tokens if t not in _TITLES and t not in _SUFFIXES and len(t) > 1]


def person_key(name: str) -> str:
    """First and last name tokens: 'Marc A. Scaringi. Esq.' and 'Marc Scaringi' share 'marc scaringi'."""
    tokens = person_tokens(name)
    if len(tokens) <= 2:
        return " ".join(tokens)
    return f"{tokens[0]} {tokens[-1]}"


def author_id_for(name: str) -> str:
    return person_key(name).replace(" ", "-") or "unknown"


def alias_key(raw: str) -> str:
    return " ".join(unicodedata.normalize("NFC", raw).lower().split())


def looks_like_full_name(name: str) -> bool:
    return len(person_tokens(name)) >= 2 and " " in name.strip()


def _split_account_name(name: str) -> str:
    """'NoahCarl' -> 'Noah Carl' for one-word account names; 'DeCamp' and 'McAdams' stay whole."""
    if " " in name.strip():
        return name
    parts = _CAMEL.sub(" ", name).split()
    return " ".join(parts) if len(parts) > 1 and all(len(p) >= 3 for p in parts) else name


def _name_tokens(text: str) -> list[str]:
    return [t for t in text.replace("\u00a0", " ").split() if t.strip(".,;:")]


def _bare(token: str) -> str:
    return token.lower().replace(".", "").strip(",;:")


def _ascii_fold(text: str) -> str:
    return unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
