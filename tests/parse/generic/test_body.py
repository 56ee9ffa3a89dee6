"""The article body: what is kept (decks, blocks a page builder scattered, spelled-out addresses) and
what is cut (captions, credits, author bios, disclosures, teasers after the article, copies)."""

from __future__ import annotations

from tasks.parse.generic import extract_article

SENTENCE = "The council met on Tuesday evening, and the debate about the new budget went on for hours. "
OTHER = "A second line of thought, with its own words, so that the text is not one sentence repeated. "


def _page(article: str, head: str = "", around: str = "") -> str:
    return f"<html><head>{head}</head><body>{around}<article>{article}</article></body></html>"


def _body(page: str) -> str:
    return extract_article(page, "https://news.test/story").body_text


def test_deck_beside_the_headline_opens_the_body() -> None:
    page = (
        "<html><body><header class='article-header'><h1>Budget approved</h1>"
        "<p class='article__lede'>After a long night the council approved the budget for next year.</p></header>"
        f"<div class='entry-content'><p>{SENTENCE * 3}</p><p>{OTHER * 3}</p></div></body></html>"
    )
    body = _body(page)
    assert body.startswith("After a long night the council approved the budget")
    assert body.count("After a long night") == 1


def test_cut_teaser_excerpt_by_the_headline_is_no_deck() -> None:
    page = (
        "<html><body><h1>Budget approved</h1>"
        "<div class='excerpt'>Two councillors walked out of an earlier meeting, saying the plan...</div>"
        f"<div class='entry-content'><p>{SENTENCE * 3}</p><p>{OTHER * 3}</p></div></body></html>"
    )
    assert "walked out" not in _body(page)


def test_page_builder_blocks_nested_deep_are_read_whole() -> None:
    """The text lives in blocks each wrapped a different number of levels deep (as page builders
    nest their widgets): the container of them all is the body, the link bar beside it is not."""

    def nest(inner: str, depth: int, name: str) -> str:
        for level in range(depth):
            inner = f"<div class='{name}-{level}'>{inner}</div>"
        return inner

    blocks = (
        nest(f"<div class='text'><p>Lead part. {SENTENCE * 3}</p><p>{OTHER * 3}</p></div>", 2, "a")
        + nest(f"<p>Middle part. {OTHER}</p>", 4, "b")
        + "<h2>A subheading</h2>"
        + nest(f"<ul><li>Point one of the list, long enough.</li></ul><p>Final part. {SENTENCE}</p>", 3, "c")
    )
    page = (
        f"<html><body><div id='page'><h1>Budget approved</h1><div class='main'>{blocks}</div>"
        "<div class='links'><a href='/a'>Home</a> <a href='/b'>About us</a></div></div></body></html>"
    )
    body = _body(page)
    for kept in ("Lead part.", "Middle part.", "A subheading", "Point one of the list", "Final part."):
        assert kept in body
    assert "About us" not in body


def test_article_body_printed_twice_is_read_once() -> None:
    copy = f"<div itemprop='articleBody'><p>{SENTENCE * 3}</p><p>{OTHER * 3}</p></div>"
    page = f"<html><body><main>{copy}</main><div class='print-version'>{copy}</div></body></html>"
    assert _body(page).count("A second line of thought") == 3


def test_captions_credits_and_author_bio_are_not_body() -> None:
    article = (
        f"<p>{SENTENCE * 2}</p><figure><img src='a.jpg'><figcaption>The town hall at dusk.</figcaption></figure>"
        "<p>Photograph by Jane Roe</p>"
        f"<p>{OTHER * 2}</p>"
        "<div class='m-author__bio'><p>Jane Roe covers the city for the paper since 2009.</p></div>"
    )
    body = _body(_page(article))
    assert "A second line of thought" in body
    for cut in ("The town hall at dusk", "Photograph by", "covers the city"):
        assert cut not in body


def test_metadata_lines_and_disclosures_are_not_body() -> None:
    article = (
        "<p>Anzeige, enthält Affiliate Links</p>"
        f"<p>{SENTENCE * 2}</p><p>19:49</p><p>Publiziert: 03.04.2020, 12:35</p><p>{OTHER * 2}</p>"
        "<p>Quelle: Landesregierung</p><p>Alle Angaben ohne Gewähr</p><p>225.86 points up</p>"
    )
    body = _body(_page(article))
    for cut in ("Affiliate", "19:49", "Publiziert", "Quelle", "ohne Gewähr"):
        assert cut not in body
    assert "225.86 points up" in body  # a number is not a date


def test_teasers_after_a_late_related_heading_are_cut() -> None:
    article = (
        f"<p>{SENTENCE * 4}</p><p>{OTHER * 4}</p><h3>Você pode gostar...</h3>"
        "<div class='teaser'><p>A long teaser paragraph of another article, with enough words to be scored "
        "as a paragraph of text on its own.</p></div>"
    )
    body = _body(_page(article))
    assert "Você pode gostar" not in body
    assert "teaser paragraph" not in body


def test_read_also_in_the_middle_does_not_end_the_article() -> None:
    article = f"<p>{SENTENCE * 4}</p><p>Leggi anche</p><p>{OTHER * 4}</p><p>The last words of the story.</p>"
    assert "The last words of the story." in _body(_page(article))


def test_spelled_out_address_stays_but_a_link_teaser_goes() -> None:
    article = (
        f"<p>{SENTENCE * 3}</p><p><a href='http://www.openpetition.de'>http://www.openpetition.de</a></p>"
        f"<p><a href='/other-story'>Read our other story about parking fees</a></p><p>{OTHER * 3}</p>"
    )
    body = _body(_page(article))
    assert "http://www.openpetition.de" in body
    assert "parking fees" not in body


def test_subheading_with_a_chrome_looking_id_is_kept() -> None:
    article = f"<p>{SENTENCE * 3}</p><h3 id='nav_only_the_foil_remains'>Only the foil remains</h3><p>{OTHER * 3}</p>"
    assert "Only the foil remains" in _body(_page(article))


def test_soft_hyphens_and_zero_width_spaces_do_not_split_words() -> None:
    article = f"<p>Wäh\u00adrend Sie über den Markt schlen\u00addern, hö\u200bren Sie Musik. {SENTENCE * 2}</p>"
    assert "Während Sie über den Markt schlendern, hören Sie Musik." in _body(_page(article))


def test_signature_line_at_the_end_is_kept_but_a_dangling_label_goes() -> None:
    article = f"<p>{SENTENCE * 3}</p><p>{OTHER * 3}</p><p>Euer HansEhrlich</p><p>Teilnehmende Blogs:</p>"
    body = _body(_page(article))
    assert body.endswith("Euer HansEhrlich")


def test_link_lists_go_but_long_wrappers_with_links_stay() -> None:
    # Wrappers nested around a long article hold its links too: too little of their text is links.
    linked = f"<p>{SENTENCE} See <a href='/budget'>the budget itself</a> and <a href='/vote'>the vote</a>. {OTHER}</p>"
    related = "".join(f"<li><a href='/story-{n}'>Another story about the council, part {n}</a></li>" for n in range(6))
    article = f"<div class='wrap'><div class='inner'>{linked * 12}<ul>{related}</ul><p>{OTHER * 3}</p></div></div>"
    body = _body(_page(article))
    assert body.count("the budget itself") == 12
    assert "Another story about the council" not in body
    assert body.endswith(OTHER.strip())


def test_a_paragraph_ending_in_read_more_is_another_articles_teaser() -> None:
    # A celebrity-news theme follows the story with the next story's opening and a "Weiterlesen" link,
    # in the same markup as the story's own paragraphs.
    teaser = (
        "<p>Sommerzeit ist Urlaubszeit, das lässt sich die Sängerin nicht zweimal sagen. Seht selbst! "
        "<a href='/stars/urlaub-griechenland'>Weiterlesen</a></p>"
    )
    body = _body(_page(f"<h1>Budget approved</h1><p>{SENTENCE * 3}</p><p>{OTHER * 3}</p>{teaser}"))
    assert "Urlaubszeit" not in body and "hours" in body
    # A sentence that merely mentions reading more stays.
    kept = "<p>Those who want the details can read more in the council's published minutes of the meeting.</p>"
    assert "published minutes" in _body(_page(f"<h1>Budget approved</h1><p>{SENTENCE * 3}</p>{kept}<p>{OTHER}</p>"))
