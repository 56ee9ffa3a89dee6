"""Facts the bundled sites' pages carry reach the tables through the real nightly flow (issue 13, item 7):
every original.antiwar.com columnist's bio, the "Antiwar Staff" byline, the reprint note of a blog post, and
commenters that are not merged."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.flows.test_flows import demo_db, query

__all__ = ["demo_db"]  # the module-scoped nightly run over the snapshot, shared with test_flows

pytestmark = pytest.mark.usefixtures("prefect_harness")


def test_every_columnist_has_the_bio_the_page_prints(demo_db: Path) -> None:
    rows = query(demo_db, """
        SELECT au.display_name, au.bio, a.body_text FROM articles a
        JOIN article_authors aa USING (article_id) JOIN authors au USING (author_id)
        WHERE a.source = 'antiwar-original' AND au.kind = 'person' ORDER BY 1""")
    assert [name for name, _, _ in rows] == [
        "Dan Steinbock", "Doug Bandow", "Ramzy Baroud", "Ron Paul", "Ted Galen Carpenter"]
    bios = {name: bio for name, bio, _ in rows}
    assert bios["Ron Paul"].startswith("Ron Paul is a former Republican congressman from Texas")
    assert bios["Dan Steinbock"].startswith("Dr. Dan Steinbock is the founder of Difference Group")
    for name, bio, body in rows:
        assert bio and bio not in body, name


def test_a_staff_byline_is_an_author_of_kind_organization(demo_db: Path) -> None:
    assert query(demo_db, """
        SELECT b.author_ids, au.kind FROM article_bylines b JOIN articles a USING (article_id)
        JOIN authors au ON au.author_id = b.author_ids[1] WHERE a.title = 'Why We Keep Counting'""") == [
        (["antiwar-staff"], "organization")]
    assert query(demo_db, "SELECT count(*) FROM authors WHERE kind = 'organization'") == [(1,)]


def test_a_reprint_note_has_its_own_columns(demo_db: Path) -> None:
    ((reprinted_from, note, body, html),) = query(demo_db, """
        SELECT reprinted_from, reprint_note, body_text, body_html FROM articles
        WHERE title = 'Precision Is a Sales Pitch'""")
    assert reprinted_from == "Bracing Views"
    assert note == "Reprinted from Bracing Views with the author’s permission."
    assert body.startswith("Every war of my lifetime has been sold as a precise one.")
    assert "Reprinted" not in html
    assert query(demo_db, "SELECT count(*) FROM articles WHERE reprint_note IS NOT NULL") == [(1,)]


def test_commenters_are_as_many_as_the_names_shown(demo_db: Path) -> None:
    names = query(demo_db, "SELECT count(DISTINCT author_name) FROM comments WHERE author_name <> ''")
    assert query(demo_db, "SELECT count(*) FROM commenters") == names
    rows = dict(query(demo_db, """SELECT display_name, commenter_id FROM commenters
                                  WHERE display_name IN ('Old Navy Hand', 'W. Becker', 'Ana R.')"""))
    assert sorted(rows) == ["Ana R.", "Old Navy Hand", "W. Becker"]
    assert rows["Old Navy Hand"].startswith("old-navy-hand-") and rows["W. Becker"].startswith("w-becker-")
