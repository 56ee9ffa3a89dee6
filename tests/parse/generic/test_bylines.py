"""Byline strings into clean person names."""

from __future__ import annotations

import pytest
from selectolax.lexbor import LexborHTMLParser

from tasks.parse.generic.bylines import bylines_from_dom, clean_person_name, names_from_strings, split_byline


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("By Jason Ditz", ["Jason Ditz"]),
        ("BY JASON DITZ", ["JASON DITZ"]),
        ("Written by Kelley Beaucar Vlahos", ["Kelley Beaucar Vlahos"]),
        ("By Ron Paul and Daniel McAdams", ["Ron Paul", "Daniel McAdams"]),
        ("By Alice Wu, Bob Stone & Carla Diaz", ["Alice Wu", "Bob Stone", "Carla Diaz"]),
        ("Von Benjamin Fischer und Marcus Theurer", ["Benjamin Fischer", "Marcus Theurer"]),
        ("Par Loïc Le Clerc", ["Loïc Le Clerc"]),
        ("Por Camila Méndez", ["Camila Méndez"]),
        ("By Emily Burack | January 8, 2020, 3:12 pm", ["Emily Burack"]),
        ("By Molly Wood, Staff Writer", ["Molly Wood"]),
        ("Tom Chen, Senior Political Correspondent", ["Tom Chen"]),
        ("Author: Jason Ditz", ["Jason Ditz"]),
        ("Jane Roe (jane.roe@example.com)", ["Jane Roe"]),
        ("Updated 2 hours ago", []),
        ("Staff Writer", []),
        ("Associated Press", []),
        ("wordpressadmin", []),
        ("posted in world news", []),
        ("", []),
        ("Rachel MacDonald Writer", ["Rachel MacDonald"]),
        ("Mateusz Haberny Founder at Oakywood", ["Mateusz Haberny"]),
        ("Recipe by PJ Hamel", ["PJ Hamel"]),
        ("Maria &amp; Katerina", ["Maria", "Katerina"]),
        ("Jean-Luc Aufranc (CNXSoft)", ["Jean-Luc Aufranc (CNXSoft)"]),
        ("Written by", []),
        ("Sat", []),
        ("a founder of Intellectual Ventures", []),
    ],
)
def test_split_byline(raw: str, expected: list[str]) -> None:
    assert split_byline(raw) == expected


def test_clean_person_name_rejects_dates_and_long_text() -> None:
    assert clean_person_name("March 4, 2021") == ""
    assert clean_person_name("This is a sentence that is much too long to be anybody's name at all") == ""
    assert clean_person_name("  Noah Carl  ") == "Noah Carl"


def test_names_from_strings_deduplicates_in_order() -> None:
    assert names_from_strings(["Maria Lopez", "By maria lopez and Tom Chen"]) == ["Maria Lopez", "Tom Chen"]


def test_bylines_from_dom_takes_the_first_byline_not_teasers() -> None:
    page = LexborHTMLParser(
        """<article><h1>Story</h1><p class="byline">By <a rel="author" href="/a">Emily Burack</a></p>
        <p>Text.</p></article>
        <section class="more"><div class="teaser"><a rel="author" href="/b">Julie Pace</a></div>
        <div class="teaser"><a rel="author" href="/c">Sue Surkes</a></div></section>"""
    )
    assert bylines_from_dom(page, set()) == ["Emily Burack"]


def test_bylines_from_dom_keeps_co_authors_of_one_byline() -> None:
    page = LexborHTMLParser(
        '<div class="byline">By <a rel="author" href="/a">Maria Lopez</a> and '
        '<a rel="author" href="/b">Tom Chen</a></div>'
    )
    assert bylines_from_dom(page, set()) == ["Maria Lopez", "Tom Chen"]
