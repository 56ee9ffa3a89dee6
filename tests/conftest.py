"""Shared fixtures: where the read-only reference material lives, and a throwaway warehouse path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from prefect.logging.configuration import setup_logging

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"

# Prefect sets up its log handlers lazily, binding them to whatever sys.stderr is at the first flow run;
# inside a CliRunner invocation that stream is closed afterwards. Setting up now binds pytest's own stream.
setup_logging()


@pytest.fixture
def shared() -> Path:
    """../shared (real pages, feeds, REST output); tests that need it skip cleanly where it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared reference material is not present")
    return SHARED


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"


@pytest.fixture(scope="session")
def prefect_harness() -> Iterator[None]:
    """One temporary Prefect server for every test that runs a flow (it takes ~10 s to start)."""
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
