"""Byline strings -> author names, people or organisations, and the keys that say two strings are one author.

A byline names people ("Ron Paul and Daniel McAdams") or an organisation: the site's staff or desk, a wire
service, a news agency ("Antiwar Staff", "The Editors", "Associated Press"). Both are authors; `author_kind`
tells them apart. A byline part that only names a job ("Staff Writer", "Senior Editor") names nobody.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import Literal

AuthorKind = Literal["person", "organization"]

_PREFIX = re.compile(r"^\s*(?:authors?\s*:|written\s+by|posted\s+by|reported\s+by|by)\s+", re.IGNORECASE)
_SPLIT = re.compile(r"\s*(?:,|;|\band\b|&|\bund\b|\bet\b|\by\b)\s*", re.IGNORECASE)
# Parts of a name that are not the person: titles before, degrees and suffixes after.
_TITLES = {"dr", "rep", "sen", "gen", "prof", "mr", "mrs", "ms", "rev", "col", "lt", "capt", "sir", "hon"}
_SUFFIXES = {"esq", "phd", "md", "jr", "sr", "ii", "iii", "iv", "mba", "jd"}
_KEPT_SUFFIXES = {"jr", "sr", "ii", "iii", "iv"}
# A job, not a name: a part made only of these words and ending in a role ("Staff Writer", "Our Correspondent").
_ROLES = frozenset({
    *("writer", "reporter", "correspondent", "contributor", "editor", "columnist", "admin", "administrator"),
    *("author", "blogger", "producer", "photographer", "journalist", "intern", "moderator", "webmaster"),
})
_ROLE_MODIFIERS = frozenset({
    *("staff", "senior", "contributing", "special", "chief", "political", "foreign", "national", "guest"),
    *("managing", "executive", "associate", "assistant", "deputy", "news", "sports", "business", "local"),
    *("freelance", "investigative", "editorial", "site", "our", "the", "a", "an", "your"),
})
# The last word of a collective byline: the site's staff, desk or team, an editorial board, a wire service.
_COLLECTIVES = frozenset({
    *("staff", "staffers", "desk", "team", "editors", "writers", "reporters", "correspondents", "contributors"),
    *("newsroom", "bureau", "board", "wire", "wires", "newswire", "agency", "agencies", "service", "services"),
    "news",
})
# Words only organisations carry in their names.
_ORGANISATION_WORDS = frozenset({
    *("inc", "llc", "ltd", "corp", "corporation", "institute", "foundation", "council", "committee"),
    *("association", "coalition", "alliance", "network", "media", "magazine", "gazette", "tribune", "radio"),
    *("television", "tv", "university", "ministry", "organization", "organisation", "society", "centre", "center"),
})
# News agencies and wire services, by the names they sign with.
_NEWS_AGENCIES = frozenset({
    *("reuters", "associated press", "agence france presse", "united press international", "xinhua", "ria novosti"),
    *("sputnik", "interfax", "bloomberg", "deutsche presse agentur", "kyodo", "kyodo news", "jiji press", "yonhap"),
    *("press trust of india", "anadolu", "anadolu agency", "bernama", "pa media", "press association"),
    *("canadian press", "australian associated press", "inter press service", "ukrinform"),
})
# Their short names, which are also given names ("Ani", "Wafa", "Efe"): agencies only when written in capitals.
_AGENCY_ACRONYMS = frozenset({
    *("AP", "AFP", "UPI", "DPA", "ANSA", "EFE", "PTI", "IANS", "ANI", "WAFA", "IRNA", "AAP", "IPS", "TASS"),
    "ANTARA",
})
_DOMAIN = re.compile(r"^[\w-]+(?:\.[\w-]+)*\.[a-z]{2,}$", re.IGNORECASE)
_DATE_TAIL = re.compile(
    r"\s*(?:[-|–—,]\s*)?(?:on\s+)?(?:\d{1,4}[./-]\d{1,2}[./-]\d{1,4}|"
    r"(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d{1,2}).*$",
    re.IGNORECASE,
)
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")


def split_byline(raw: str) -> list[str]:
    """'By Ron Paul and Daniel McAdams' -> ['Ron Paul', 'Daniel McAdams']; fewer names beat wrong ones.

    Organisations stay ('Antiwar Staff', 'Associated Press'); job titles go ('By Jane Doe, Staff Writer')."""
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
    """Tidy one author's name: no degree suffixes like 'Esq.', no job title after it, no stray punctuation;
    titles kept for display. Empty when the part is only a job ('Staff Writer')."""
    tokens = _name_tokens(raw)
    while tokens and _bare(tokens[-1]) in _SUFFIXES and _bare(tokens[-1]) not in _KEPT_SUFFIXES:
        tokens.pop()
    tokens = _without_job_title(tokens)
    if not tokens:
        return ""
    name = " ".join(tokens).strip(" .,;:-")
    # "Marc A. Scaringi." -> keep initials' dots, drop a trailing one after a full word
    if name.endswith(".") and len(name.split()[-1]) > 2:
        name = name[:-1]
    return name


def author_kind(name: str, site_names: Iterable[str] = ()) -> AuthorKind:
    """'organization' for a staff, desk, team or board byline, a news agency or wire service, a name only
    organisations carry (Institute, Media, Inc), a domain ('Antiwar.com'), or the site's own name; else 'person'.

    `site_names`: the site's own names ('antiwar' for original.antiwar.com)."""
    if any(_DOMAIN.match(token) for token in name.split()):
        return "organization"
    words = _words(name)
    if words and words[0] == "the":
        words = words[1:]
    if not words:
        return "person"
    if words[-1] in _COLLECTIVES or any(w in _ORGANISATION_WORDS for w in words):
        return "organization"
    if " ".join(words) in _NEWS_AGENCIES or name.strip(" .") in _AGENCY_ACRONYMS or name.strip() == "dpa":
        return "organization"
    # the byline is the site's own name ("Antiwar", "AntiWar"); a person on johnsmith.com stays a person
    return "organization" if "".join(words) in {"".join(_words(n)) for n in site_names} else "person"


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


def names_same_person(written: str, name: str) -> bool:
    """Whether `written` (the opening of a bio) names the person `name`, as bios write it: the same first and
    last name with or without middle names and initials ('James W. Carden' for 'James Carden', 'Thomas Karat' for
    'Thomas S. Karat'), with a title ('Dr. Dan Steinbock'), or a title and the last name ('Dr. Behnam' for
    'M. Reza Behnam')."""
    tokens, own = person_tokens(written), person_tokens(name)
    if not tokens or not own:
        return False
    if len(tokens) >= 2:
        return person_key(written) == person_key(name)
    first_word = _bare(written.split()[0])
    return first_word in _TITLES and tokens[0] == own[-1]


def author_id_for(name: str, kind: AuthorKind = "person", site: str = "") -> str:
    """A person's first and last name ('jason-ditz'); an organisation's whole name without a leading 'The'
    ('associated-press', 'antiwar-staff'), with the site's name before a bare 'Staff' or 'The Editors', which
    on another site is another organisation ('antiwar-staff' for 'Staff' on original.antiwar.com)."""
    if kind == "person":
        return person_key(name).replace(" ", "-") or "unknown"
    words = _words(name)
    if words and words[0] == "the":
        words = words[1:]
    if site and names_only_a_collective(name):
        words = [*_words(site), *words]
    return "-".join(words) or "unknown"


def names_only_a_collective(name: str) -> bool:
    """'Staff', 'The Editors', 'Editorial Board': a byline that is some site's own collective, which one
    depending on the site; 'Antiwar Staff' names its organisation."""
    words = _words(name)
    return bool(words) and all(w in _COLLECTIVES or w in _ROLE_MODIFIERS for w in words)


def alias_key(raw: str) -> str:
    return " ".join(unicodedata.normalize("NFC", raw).lower().split())


def looks_like_full_name(name: str) -> bool:
    return len(person_tokens(name)) >= 2 and " " in name.strip()


def _without_job_title(tokens: list[str]) -> list[str]:
    """'Jane Doe Staff Writer' -> 'Jane Doe'; 'Senior Editor' -> [] (a job, nobody's name)."""
    words = [_bare(t) for t in tokens]
    if not words or words[-1] not in _ROLES:
        return tokens
    end = len(tokens)
    while end and (words[end - 1] in _ROLES or words[end - 1] in _ROLE_MODIFIERS):
        end -= 1
    return tokens[:end]


def _words(name: str) -> list[str]:
    """Lowercase ASCII words of a name, punctuation dropped: 'Agence France-Presse' -> agence france presse."""
    return [w for w in re.split(r"[^a-z0-9]+", _ascii_fold(name).lower()) if w]


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
