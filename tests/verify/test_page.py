"""Structural signals of a page: what each kind of non-article page shows, and what an article page does not."""

from __future__ import annotations

from tasks.verify.page import page_kinds, page_signals, text_kinds
from tests.verify import bad_pages as bad


def test_challenge_pages_show_their_scripts_and_ask_for_javascript() -> None:
    signals = page_signals(bad.cloudflare_just_a_moment())
    assert signals.challenge_script and signals.noscript_js and signals.noindex
    assert signals.kinds == ["challenge"] and signals.page_words < 50
    assert page_signals(bad.datadome()).challenge_script


def test_login_walls_have_a_password_input() -> None:
    signals = page_signals(bad.wordpress_login())
    assert signals.password_form and "login" in signals.kinds


def test_titles_and_headings_name_the_kind_in_several_languages() -> None:
    assert page_kinds("Einen Moment bitte…", []) == ["challenge"]
    assert page_kinds("Sitio en mantenimiento", []) == ["maintenance"]
    assert page_kinds("Page introuvable – Le Journal", []) == ["not found"]
    assert page_kinds("", ["503 Service Temporarily Unavailable"]) == ["maintenance", "http error"]
    assert page_kinds("Senate Panel Advances Record Military Budget", ["Senate Panel Advances"]) == []


def test_a_body_must_keep_naming_a_kind_to_count() -> None:
    article = ("The committee rejected a proposal to subscribe every veteran automatically to the program. "
               + "Lawmakers said the costs of the plan had not been estimated and asked for a new study. " * 20)
    assert text_kinds(article, len(article.split())) == []
    assert text_kinds("Subscribe to continue reading. Already a subscriber? Log in.", 9) == ["login"]
    # words that hold a kind's word are not it: troops/oops, Russian "agreed", Polish "according to"
    assert text_kinds("US troops said the drills went on", 7) == []
    assert text_kinds("Он согласился, что проверка займёт неделю; zgodnie z planem", 9) == []


def test_the_canonical_link_and_og_url_are_read() -> None:
    assert page_signals('<link rel="canonical" href="https://a.example/x/">').canonical == "https://a.example/x/"
    assert page_signals('<meta property="og:url" content="https://a.example/y/">').canonical == \
        "https://a.example/y/"


def test_unreadable_markup_gives_no_signals() -> None:
    signals = page_signals("\x00\x01<<<>>>")
    assert not signals.kinds and not signals.password_form and not signals.challenge_script
