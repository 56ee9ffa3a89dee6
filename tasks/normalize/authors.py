"""One row per real author, whichever channel named them and however it spelled the name.

Channels disagree (feed `Jason Ditz` vs REST user `jason`; feed `Ron Paul and Daniel McAdams` vs the shared
account `Paul McAdams`). The rule: human-written bylines (the page, the feed, Co-Authors Plus) decide who the
authors are; account names seen on the same article become aliases of those people when every token of the
account name belongs to them. Aliases learned once resolve the account name on later articles alone.
An organisation byline ("Antiwar Staff", "Associated Press") is an author too, of kind `organization`.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from schemas import AuthorAliasRow, AuthorRow
from tasks.normalize.people import (
    alias_key,
    author_id_for,
    author_kind,
    clean_name,
    names_only_a_collective,
    person_key,
    person_tokens,
    split_byline,
)


@dataclass
class Byline:
    """The author strings one channel gave for an article."""

    channel: str  # "page", "feed", "coauthors", "rest_user"
    names: list[str]
    human: bool = True  # False for account names (REST user display names and slugs)


@dataclass
class ResolvedAuthors:
    authors: list[AuthorRow]
    aliases: list[AuthorAliasRow]


@dataclass
class AuthorResolver:
    """Resolves bylines to author ids; remembers aliases across the articles of a run."""

    alias_to_ids: dict[str, list[str]] = field(default_factory=dict)
    known_bios: dict[str, str] = field(default_factory=dict)
    display_names: dict[str, str] = field(default_factory=dict)  # author_id -> name as first seen

    def resolve(self, bylines: list[Byline], bios: dict[str, str] | None = None, site: str = "") -> ResolvedAuthors:
        """The authors of one article; `site` is the site's own name ('antiwar'), which makes a byline an
        organisation when it is that name, and tells one site's bare 'Staff' from another's."""
        channels = [(b, [n for raw in b.names for n in split_byline(raw)]) for b in bylines]
        channels = [(b, names) for b, names in channels if names]
        if not channels:
            return ResolvedAuthors([], [])
        primary_names = _choose_primary(channels)

        people: list[tuple[str, str]] = []  # (author_id, display name)
        aliases: list[AuthorAliasRow] = []
        for name in primary_names:
            # a bare "Staff" is each site's own: never an alias, which would join every site's staff
            known = None if names_only_a_collective(name) else self.alias_to_ids.get(alias_key(name))
            if known and (len(known) == 1 or len(primary_names) == 1):
                # a shared account alone on the article stands for all its people
                people.extend((author_id, self.display_names.get(author_id, name)) for author_id in known)
            else:
                author_id = author_id_for(name, author_kind(name, [site]), site)
                people.append((author_id, name))
                if not names_only_a_collective(name):
                    aliases.append(AuthorAliasRow(alias=alias_key(name), author_id=author_id, position=0))
        people = list(dict.fromkeys(people))
        for author_id, name in people:
            self.display_names.setdefault(author_id, clean_name(name) or name)
        for _byline, names in channels:
            for name in names:
                if names_only_a_collective(name) or any(alias_key(name) == a.alias for a in aliases):
                    continue
                matched = _match_account(name, people)
                for position, author_id in enumerate(matched):
                    aliases.append(AuthorAliasRow(alias=alias_key(name), author_id=author_id, position=position))
        for alias in aliases:
            ids = self.alias_to_ids.setdefault(alias.alias, [])
            if alias.author_id not in ids:
                ids.append(alias.author_id)

        bios = {k: v for k, v in (bios or {}).items() if v}
        rows = []
        for author_id, name in people:
            kind = author_kind(self.display_names[author_id], [site])
            bio = self._bio_for(author_id, name, bios, len(people), kind)
            rows.append(AuthorRow(author_id=author_id, display_name=self.display_names[author_id], bio=bio, kind=kind))
        return ResolvedAuthors(rows, aliases)

    def _bio_for(self, author_id: str, name: str, bios: dict[str, str], author_count: int, kind: str) -> str | None:
        for raw_name, bio in bios.items():
            if person_key(raw_name) == person_key(name) or alias_key(raw_name) in self._aliases_of(author_id):
                self.known_bios[author_id] = bio
                return bio
        if author_count == 1 and len(bios) == 1 and kind == "person":
            bio = next(iter(bios.values()))
            # a lone bio belongs to the lone author only if it names them ("Jason Ditz is news editor of ...")
            if person_tokens(name) and person_tokens(name)[-1] in person_tokens(bio):
                self.known_bios[author_id] = bio
                return bio
        return self.known_bios.get(author_id)

    def _aliases_of(self, author_id: str) -> set[str]:
        return {alias for alias, ids in self.alias_to_ids.items() if author_id in ids}


def _choose_primary(channels: list[tuple[Byline, list[str]]]) -> list[str]:
    """The most trustworthy channel: human bylines with full names first, then any human one, then accounts."""
    for byline, names in channels:
        if byline.human and all(" " in n for n in names):
            return names
    for byline, names in channels:
        if byline.human:
            return names
    return channels[0][1]


def _match_account(name: str, people: list[tuple[str, str]]) -> list[str]:
    """Author ids an account name stands for, or [] when any of its tokens belongs to nobody on the byline."""
    tokens = person_tokens(name)
    if not tokens:
        return []
    key = person_key(name)
    same = [a for a, n in people if person_key(n) == key]
    if same:
        return same[:1]
    matched: list[str] = []
    for token in tokens:
        owners = [a for a, n in people if token in person_tokens(n)]
        if len(owners) != 1:
            return []  # a token nobody (or everybody) owns: not safe to link
        if owners[0] not in matched:
            matched.append(owners[0])
    return matched
