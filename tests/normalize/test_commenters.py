"""Commenter ids: a distinct name as shown is a distinct commenter, one name is one commenter on every article;
on the snapshot's threads and on the real comment threads of ../shared."""

from __future__ import annotations

import json
import re
from hashlib import sha256
from pathlib import Path

from schemas.pipeline import ParsedComment
from tasks.normalize.comments import commenter_id_for, normalize_comments
from tasks.parse.html_article import parse_article_html

SNAPSHOT = Path(__file__).resolve().parents[2] / "testing" / "snapshot"


def test_reader_handles_are_not_cut_to_person_names() -> None:
    # version 5 made these old-hand, becker and ana: the same ids as "Old Hand", "Becker" and "Ana"
    for name, other in [("Old Navy Hand", "Old Hand"), ("W. Becker", "Becker"), ("Ana R.", "Ana"),
                        ("Marc A. Scaringi", "Marc Scaringi"), ("Jeff from Texas", "Jeff Texas"),
                        ("skeptic_mike", "skeptic mike"), ("Omg", "omg -_-")]:
        assert commenter_id_for(name) != commenter_id_for(other), (name, other)
    assert commenter_id_for("Old Navy Hand").startswith("old-navy-hand-")
    assert commenter_id_for("  Old   Navy Hand ") == commenter_id_for("Old Navy Hand")  # only spacing differs
    assert commenter_id_for("") is None and commenter_id_for("   ") is None
    assert commenter_id_for("李小龙") == commenter_id_for("李小龙") != commenter_id_for("李小虎")
    # one commenter across articles
    comment = ParsedComment(site_id="1", author="W. Becker", text="Agreed.")
    first = normalize_comments("article-1", [comment])[0]
    second = normalize_comments("article-2", [comment.model_copy(update={"site_id": "9"})])[0]
    assert first.comment_id != second.comment_id
    assert first.commenter_id == second.commenter_id == commenter_id_for("W. Becker")


def test_snapshot_commenter_ids_keep_every_word_of_the_name() -> None:
    names = {comment["author_name"] for path in SNAPSHOT.glob("*/comments/*.json")
             for comment in json.loads(path.read_text(encoding="utf-8"))}
    assert {"Old Navy Hand", "W. Becker", "Ana R."} <= names
    for name in names:
        words = re.findall(r"[a-z0-9]+", name.lower())
        assert commenter_id_for(name) == "-".join([*words, sha256(name.encode()).hexdigest()[:10]]), name
    assert len({commenter_id_for(name) for name in names}) == len(names)


def test_real_threads_keep_their_commenters_apart(shared: Path) -> None:
    """Every commenter name on the real pages and the real WordPress threads of ../shared gets its own id."""
    names: set[str] = set()
    gold = json.loads((shared / "data" / "pages" / "gold.json").read_text(encoding="utf-8"))
    for page, entry in gold.items():
        html = (shared / "data" / "pages" / "html" / page).read_text(encoding="utf-8", errors="replace")
        names |= {c.author for c in parse_article_html(html, entry.get("url", "")).comments if c.author.strip()}
    for path in (shared / "data" / "wordpress").glob("*/*comments*.json"):
        names |= {c["author_name"] for c in json.loads(path.read_text(encoding="utf-8")) if c.get("author_name")}
    names = {" ".join(name.split()) for name in names}
    assert len(names) > 400
    assert len({commenter_id_for(name) for name in names}) == len(names)
