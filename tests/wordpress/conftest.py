"""Fixtures for the tests against a real WordPress: one MariaDB per session, one site per theme.

Without the Debian packages (`make wordpress-deps` installs them) these tests fail in CI with one line saying
what is missing; on a developer's machine they are skipped with that line instead.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from typing import NoReturn

import pytest

from tests.conftest import SHARED
from tests.wordpress.content import PERMALINKS, SITE_OPTIONS, changed, scenario
from tests.wordpress.fixture import (
    THEMES,
    WordPressHost,
    WordPressSite,
    WordPressUnavailable,
    find_toolchain,
    wordpress_host,
)
from tests.wordpress.model import Scenario, read_seed_article

SEED_ARTICLE = SHARED / "data" / "antiwar" / "seed-article.txt"


@dataclass
class Wire:
    """A site under test and what it holds now, so any test can state what it must read there."""

    site: WordPressSite
    content: Scenario
    changed: bool = False

    def change(self) -> None:
        """Edit, comment and moderate as content.changed() says (once: a moderated comment is gone)."""
        if not self.changed:
            self.content, ops = changed(self.content)
            self.site.apply(ops)
            self.changed = True


def _missing(reason: str) -> NoReturn:
    if os.environ.get("CI", "").lower() in {"true", "1", "yes"}:
        pytest.fail(reason, pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="session")
def wordpress() -> Iterator[WordPressHost]:
    """The toolchain and a running MariaDB; sites are made from it per theme."""
    try:
        find_toolchain()
    except WordPressUnavailable as exc:
        _missing(str(exc))
    with ExitStack() as stack:
        try:
            host = stack.enter_context(wordpress_host())
        except WordPressUnavailable as exc:  # the packages are there but would not run: always a failure
            pytest.fail(str(exc), pytrace=False)
        yield host


@pytest.fixture(scope="session", params=THEMES)
def wire(request: pytest.FixtureRequest, wordpress: WordPressHost) -> Iterator[Wire]:
    """An installed site in a classic, then a block theme, holding the scenario's content."""
    if not SEED_ARTICLE.is_file():
        pytest.skip("../shared reference material is not present (the seed article's thread comes from it)")
    content = scenario(read_seed_article(SEED_ARTICLE))
    try:
        with wordpress.site(request.param, SITE_OPTIONS, PERMALINKS) as site:
            site.apply(content.ops())
            yield Wire(site, content)
    except WordPressUnavailable as exc:
        pytest.fail(str(exc), pytrace=False)
