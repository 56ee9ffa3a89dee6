"""The extractor's building blocks: class/id word matching, the one walk that finds elements by tag,
the one CSS pass for attribute-marked elements, removal, whitespace and paragraph text."""

from __future__ import annotations

import re

import pytest
from selectolax.lexbor import LexborHTMLParser

from tasks.parse.generic.chrome import CHROME_WORDS as _CHROME_WORDS
from tasks.parse.generic.headline import squash_lines
from tasks.parse.generic.marked import find_marked
from tasks.parse.generic.marks import WordMarks
from tasks.parse.generic.text import (
    block_paragraphs,
    decompose_all,
    find_tags,
    in_document,
    text_len,
    without_marks,
)


@pytest.mark.parametrize(
    ("marks", "expected"),
    [
        ("share-buttons", 1),  # a word is a whole part of a token
        ("shareholder-letter", 0),  # not a part of a word
        ("post_meta entry", 1),  # "_" separates parts as "-" does
        ("read-more", 1),  # a compound: "read" and "more" in one token, in order
        ("readmore", 1),  # its other spelling
        ("read more", 0),  # two tokens are not the compound
        ("read_more", 0),  # nor are parts joined by "_" (the compound's hyphen is a hyphen)
        ("table-of-contents", 2),  # weak words set the second bit
        ("visually-hidden", 3),  # a strong compound holding a weak word
        ("advertisement-top", 1),  # "advert*": any letters or digits follow
        ("advert2", 1),
        ("advert.x", 0),  # but not punctuation
        ("sponsoredcontent", 1),
        ("", 0),
    ],
)
def test_chrome_words_match_whole_parts(marks: str, expected: int) -> None:
    assert _CHROME_WORDS.match(marks) == expected


def test_word_marks_agree_with_the_regular_expression_they_stand_for() -> None:
    words = "share ad tag-?list sr-only recommend* toc table-?of-?contents"
    marks = WordMarks(words)
    pattern = re.compile(
        r"(?:^|[\s_-])(?:share|ad|tag-?list|sr-only|recommend\w*|toc|table-?of-?contents)(?:$|[\s_-])"
    )
    samples = [
        "share", "x-share-y", "shares", "ad", "ads", "load", "tag-list", "taglist", "tag_list", "tag", "sr-only",
        "sr_only", "recommended", "recommend_box", "recommend.x", "toc", "tocx", "table-ofcontents",
        "tableof-contents", "table_of_contents", "a  b\tshare", "--share", "x--y",
    ]  # fmt: skip
    for sample in samples:
        assert bool(marks.match(sample)) == bool(pattern.search(sample)), sample


def test_find_tags_sorts_elements_into_groups_in_document_order() -> None:
    tree = LexborHTMLParser(
        "<html><head><script>x</script><title>T</title><style>s</style></head>"
        "<body><nav><svg><title>icon</title></svg></nav><p>text</p><footer>f</footer><noscript>n</noscript></body></html>"
    )
    invisible, never_text = find_tags(tree.root, "script, style, noscript", "nav, svg, footer")
    assert [n.tag for n in invisible] == ["script", "style", "noscript"]
    assert [n.tag for n in never_text] == ["nav", "svg", "footer"]
    # An element belongs to the first group naming its tag.
    (first, second) = find_tags(tree.root, "title", "title, p")
    assert [n.text() for n in first] == ["T", "icon"] and [n.tag for n in second] == ["p"]


def test_removing_nested_elements_in_any_order() -> None:
    tree = LexborHTMLParser("<div id=a><div id=b><p id=c>inner</p></div><p>kept</p></div><p>after</p>")
    outer, inner = tree.css_first("#b"), tree.css_first("#c")
    decompose_all([inner, outer])  # a node before its ancestor
    assert tree.body.text(separator="|") == "kept|after"
    tree = LexborHTMLParser("<div id=a><div id=b><p id=c>inner</p></div><p>kept</p></div>")
    decompose_all([tree.css_first("#b"), tree.css_first("#c")])  # and after it
    assert tree.body.text() == "kept"
    tree = LexborHTMLParser("<nav><nav>x</nav></nav><p>y</p>")
    decompose_all(tree.css("nav"))
    assert tree.body.text() == "y"


def test_in_document_tells_removed_subtrees() -> None:
    tree = LexborHTMLParser("<div class=comment><h1>in a comment</h1></div><h1>in the page</h1>")
    in_comment, in_page = tree.css("h1")
    decompose_all([tree.css_first(".comment")])
    assert not in_document(in_comment) and in_document(in_page)


def test_find_marked_sorts_one_query_into_its_kinds() -> None:
    tree = LexborHTMLParser(
        "<html><head><meta itemprop='headline' content='Declared'></head><body>"
        "<h1 class='entry-title'>The headline</h1><time itemprop='datePublished' datetime='2020-01-02'>2 Jan</time>"
        "<ol class='commentlist'><li id='comment-7' class='comment'><p>First!</p></li>"
        "<li id='c1234'><p>Blogger</p></li><li id='contact'>not a comment id</li></ol>"
        "<a href='#comments' class='comments-link'>3 comments</a></body></html>"
    )
    found = find_marked(tree)
    assert [n.tag for n in found.first_headings] == ["meta", "h1"]
    assert [n.tag for n in found.microdata] == ["time"]  # <meta> declarations are read as such
    ids = [attrs.get("id") or attrs.get("class") for _, attrs in found.comment_candidates]
    # What the comment pre-filter selects: finding the items among them is the comments module's job.
    assert ids == ["commentlist", "comment-7", "c1234", "contact", "comments-link"]


def test_paragraph_text_collapses_every_kind_of_whitespace() -> None:
    tree = LexborHTMLParser(
        "<div><p>one  two\nthree\u00a0four</p><p>plain text, single spaces</p>"
        "<p>line<br>  next\tline</p>tail</div>"
    )
    assert block_paragraphs(tree.css_first("div")) == [
        "one two three four", "plain text, single spaces", "line\nnext line", "tail",
    ]  # fmt: skip
    html = tree.css_first("div").html or ""
    assert "\ue000" in html and "\ue000" not in without_marks(html)


def test_text_len_counts_what_is_not_whitespace() -> None:
    assert text_len(" a b\n\tc\r\n ") == 3
    assert text_len("") == 0


def test_squash_lines_keeps_one_break_per_run_of_lines() -> None:
    assert squash_lines("  a   b \n\n  c\t d \n") == "a b\nc d"
    assert squash_lines("no breaks   here") == "no breaks here"
    assert squash_lines("\n \n") == ""
