"""Author normalization: the channel disagreements seen on Antiwar.com end as one row per person."""

from __future__ import annotations

import pytest

from tasks.normalize.authors import AuthorResolver, Byline
from tasks.normalize.people import author_id_for, author_kind, person_key, split_byline


@pytest.mark.parametrize(
    ("raw", "names"),
    [
        ("Author: Jason Ditz", ["Jason Ditz"]),
        ("By Dave DeCamp", ["Dave DeCamp"]),
        ("Ron Paul and Daniel McAdams", ["Ron Paul", "Daniel McAdams"]),
        ("Marc A. Scaringi. Esq.", ["Marc A. Scaringi"]),
        ("Rep. John J. Duncan, Jr.", ["Rep. John J. Duncan Jr."]),
        ("By Jane Doe, Staff Writer", ["Jane Doe"]),
        ("By John Smith | March 3, 2020", ["John Smith"]),
        ("by Anna Lee on 2024-05-01", ["Anna Lee"]),
        # an organisation signs too; a job title alone names nobody
        ("Associated Press", ["Associated Press"]),
        ("By Antiwar Staff", ["Antiwar Staff"]),
        ("Dave DeCamp and Antiwar Staff", ["Dave DeCamp", "Antiwar Staff"]),
        ("By Jane Doe Senior Correspondent", ["Jane Doe"]),
        ("Staff Writer", []),
        ("Admin", []),
        ("", []),
    ],
)
def test_split_byline(raw: str, names: list[str]) -> None:
    assert split_byline(raw) == names


@pytest.mark.parametrize(
    ("a", "b"),
    [("Marc A. Scaringi. Esq.", "Marc Scaringi"), ("Noah Carl", "NoahCarl"), ("Dave DeCamp", "dave decamp")],
)
def test_same_person_same_key(a: str, b: str) -> None:
    assert person_key(split_byline(a)[0]) == person_key(b)
    assert author_id_for(split_byline(a)[0]) == author_id_for(b)


def test_distinct_people_distinct_ids() -> None:
    assert author_id_for("Ron Paul") != author_id_for("Rand Paul")
    assert author_id_for("Dave DeCamp") != author_id_for("Dave Camp")


# The eight disagreements between the feeds and the REST API that ../shared/README.md lists.
PAIRS = [
    ("Jason Ditz", "jason", ["jason-ditz"]),
    ("Kelley Beaucar Vlahos", "vlahos", ["kelley-vlahos"]),
    ("Noah Carl", "NoahCarl", ["noah-carl"]),
    ("Ron Paul and Daniel McAdams", "Paul McAdams", ["ron-paul", "daniel-mcadams"]),
    ("Marc A. Scaringi. Esq.", "Marc Scaringi", ["marc-scaringi"]),
]


@pytest.mark.parametrize(("feed", "account", "expected"), PAIRS)
def test_channels_on_one_article_resolve_to_the_same_people(feed: str, account: str, expected: list[str]) -> None:
    resolver = AuthorResolver()
    resolved = resolver.resolve([Byline("feed", [feed]), Byline("rest_user", [account], human=False)])
    assert [a.author_id for a in resolved.authors] == expected
    # the account name is now an alias: alone on a later article it resolves to the same people
    later = resolver.resolve([Byline("rest_user", [account], human=False)])
    assert [a.author_id for a in later.authors] == expected
    assert [a.display_name for a in later.authors] == [a.display_name for a in resolved.authors]


def test_account_alias_does_not_capture_unrelated_people() -> None:
    resolver = AuthorResolver()
    resolved = resolver.resolve([Byline("feed", ["Dave DeCamp"]), Byline("rest_user", ["jason"], human=False)])
    assert [a.author_id for a in resolved.authors] == ["dave-decamp"]
    assert all(alias.alias != "jason" for alias in resolved.aliases)


def test_bio_goes_to_the_author_it_names() -> None:
    resolver = AuthorResolver()
    resolved = resolver.resolve(
        [Byline("page", ["Author: Jason Ditz"])], {"Jason Ditz": "Jason Ditz is news editor of Antiwar.com."}
    )
    assert resolved.authors[0].bio == "Jason Ditz is news editor of Antiwar.com."
    unrelated = AuthorResolver().resolve([Byline("page", ["Dave DeCamp"])], {"x": "Jason Ditz is news editor."})
    assert unrelated.authors[0].bio is None


def test_several_authors_keep_byline_order() -> None:
    resolved = AuthorResolver().resolve([Byline("page", ["By Ray McGovern, Scott Ritter and Larry Johnson"])])
    assert [a.display_name for a in resolved.authors] == ["Ray McGovern", "Scott Ritter", "Larry Johnson"]


# --- organisations sign too ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("byline", "author_id"),
    [
        ("Antiwar Staff", "antiwar-staff"),  # the byline of "Why We Keep Counting"
        ("By The Associated Press", "associated-press"),
        ("Canadian Press", "canadian-press"),
        ("Reuters", "reuters"),
        ("AFP", "afp"),
        ("Agence France-Presse", "agence-france-presse"),
        ("Xinhua News Agency", "xinhua-news-agency"),
        ("The Editors", "antiwar-editors"),  # a bare collective is the site's own
        ("Editorial Board", "antiwar-editorial-board"),
        ("News Desk", "antiwar-news-desk"),
        ("Antiwar.com", "antiwar-com"),
        ("Antiwar", "antiwar"),  # the site's own name
        ("Quincy Institute for Responsible Statecraft", "quincy-institute-for-responsible-statecraft"),
    ],
)
def test_organisation_bylines_are_authors_of_kind_organization(byline: str, author_id: str) -> None:
    resolved = AuthorResolver().resolve([Byline("page", [byline])], site="antiwar")
    assert [(a.author_id, a.kind) for a in resolved.authors] == [(author_id, "organization")]
    assert resolved.authors[0].bio is None


@pytest.mark.parametrize(
    "name",
    ["Ron Paul", "Michael Bloomberg", "Dave DeCamp", "Marc A. Scaringi", "Ted Galen Carpenter", "Eyal Press", "Wafa",
     "Ani"],
)
def test_people_stay_people(name: str) -> None:
    assert author_kind(name, ["antiwar"]) == "person"
    # a site named like its author's first name does not make the author an organisation
    assert author_kind("Dave Smith", ["dave"]) == "person"


def test_a_bare_staff_byline_is_a_different_author_on_another_site() -> None:
    resolver = AuthorResolver()
    here = resolver.resolve([Byline("feed", ["Staff"])], site="antiwar")
    there = resolver.resolve([Byline("feed", ["Staff"])], site="example")
    assert [a.author_id for a in here.authors] == ["antiwar-staff"]
    assert [a.author_id for a in there.authors] == ["example-staff"]


def test_a_person_and_an_organisation_on_one_byline() -> None:
    resolved = AuthorResolver().resolve([Byline("page", ["By Dave DeCamp and Antiwar Staff"])], site="antiwar")
    assert [(a.author_id, a.kind) for a in resolved.authors] == [
        ("dave-decamp", "person"), ("antiwar-staff", "organization")]
