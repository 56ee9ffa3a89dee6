"""Shared fixtures: where the read-only reference material lives, and a throwaway warehouse path."""

from __future__ import annotations

from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED = REPO.parent / "shared"


@pytest.fixture
def shared() -> Path:
    """../shared (real pages, feeds, REST output); tests that need it skip cleanly where it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared reference material is not present")
    return SHARED


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "warehouse.duckdb"
