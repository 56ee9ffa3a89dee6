"""The bad successes are what they claim: several variants per kind, each drawn from the real answer it replaces,
unlike it, and (where the kind says so) well formed; the loopback fault serves them with status 200."""

from __future__ import annotations

import json
import random
import re
from html.parser import HTMLParser

import httpx
import pytest

from testing import bad_successes as bad
from testing.faults import FaultySite
from testing.snapshot.site import SnapshotSite

NEWS_POST = 173724
NEWS_PAGE = "/2026/07/02/car-bomb-in-damascus-market-kills-at-least-7/"
ORIGINAL_PAGE = "/paul/2026/07/01/a-memorandum-is-not-peace/"
SAMPLES = {  # channel -> (host, path, a sibling's path)
    "html": ("original.antiwar.com", ORIGINAL_PAGE,
             "/bandow/2026/06/30/natos-spending-pledge-is-an-american-subsidy-by-another-name/"),
    "post": ("news.antiwar.com", f"/wp-json/wp/v2/posts/{NEWS_POST}?_embed=1", "/wp-json/wp/v2/posts/173710?_embed=1"),
    "comments": ("news.antiwar.com", f"/wp-json/wp/v2/comments?post={NEWS_POST}&per_page=100",
                 "/wp-json/wp/v2/comments?post=173710&per_page=100"),
}
CASES = [pytest.param(v, channel, id=f"{v.id}@{channel}") for v in bad.VARIANTS for channel in sorted(v.channels)]


@pytest.fixture(scope="module")
def snapshot() -> SnapshotSite:
    return SnapshotSite()


def real(snapshot: SnapshotSite, channel: str) -> bad.Real:
    host, path, other = SAMPLES[channel]
    answer = snapshot.handle("GET", f"https://{host}{path}", {})
    return bad.Real(path, answer.body, snapshot.handle("GET", f"https://{host}{other}", {}).body, "Antiwar.com")


def words(html: str) -> list[str]:
    return re.sub(r"<[^>]+>", " ", html).split()


VOID = frozenset({"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"})


class _Balance(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.stack: list[str] = []

    def handle_starttag(self, tag: str, attrs: object) -> None:
        if tag not in VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag: str) -> None:
        if tag in self.stack:
            while self.stack.pop() != tag:
                pass


def test_every_kind_of_the_issue_has_several_variants() -> None:
    assert set(bad.KINDS) == {"empty", "noise", "challenge", "login", "maintenance", "soft404", "consent",
                              "other-article", "wrong-json", "html-for-json", "truncated"}
    for kind in bad.KINDS:
        assert len([v for v in bad.VARIANTS if v.kind == kind]) >= 3, kind
    assert len({v.id for v in bad.VARIANTS}) == len(bad.VARIANTS)


@pytest.mark.parametrize(("variant", "channel"), CASES)
def test_a_variant_is_not_the_real_answer(variant: bad.Variant, channel: str, snapshot: SnapshotSite) -> None:
    original = real(snapshot, channel)
    content_type, body = variant.draw(original, random.Random(1))
    assert body != original.body
    if variant.kind == "wrong-json":
        assert content_type.startswith("application/json")
        json.loads(body)  # JSON, just not the shape asked for
    if variant.kind == "html-for-json":
        assert b"<html" in body.lower() or b"<!doctype" in body.lower()


@pytest.mark.parametrize("variant", [v for v in bad.VARIANTS if v.kind == "truncated" and "html" in v.channels],
                         ids=lambda v: v.id)
def test_a_truncated_page_is_well_formed_and_keeps_the_start_of_the_article(variant: bad.Variant,
                                                                              snapshot: SnapshotSite) -> None:
    original = real(snapshot, "html")
    _, body = variant.draw(original, random.Random(1))
    page = body.decode()
    checker = _Balance()
    checker.feed(page)
    assert checker.stack == [], f"left open: {checker.stack}"
    assert page.rstrip().endswith("</html>")
    first_sentence = "The politicians and pundits in Washington"  # the column opens with it
    assert first_sentence in page
    assert len(words(page)) < 0.75 * len(words(original.text))


@pytest.mark.parametrize("variant", [v for v in bad.VARIANTS if v.kind == "soft404"], ids=lambda v: v.id)
def test_a_soft_404_wears_the_sites_chrome_without_the_article(variant: bad.Variant, snapshot: SnapshotSite) -> None:
    original = real(snapshot, "html")
    _, body = variant.draw(original, random.Random(1))
    page = body.decode()
    assert 'id="main-header"' in page and 'id="main-footer"' in page  # the Divi theme's own header and footer
    assert 'rel="canonical"' not in page and "A Memorandum Is Not Peace</h1>" not in page


def test_the_fault_answers_200_with_the_variant() -> None:
    site = FaultySite("news.antiwar.com")
    variant = next(v for v in bad.VARIANTS if v.id == "other-article/other-json")
    site.faults[f"/wp-json/wp/v2/posts/{NEWS_POST}?"] = bad.fault(variant, "/wp-json/wp/v2/posts/173710?_embed=1")
    with site.serve() as base:
        answer = httpx.get(f"{base}/wp-json/wp/v2/posts/{NEWS_POST}?_embed=1", headers={"If-None-Match": '"x"'})
    assert answer.status_code == 200 and answer.json()["id"] == 173710
