"""The fetch client of `wirehouse demo` and the tests: every request answered from the bundled snapshot."""

from __future__ import annotations

from pathlib import Path

import httpx

from tasks.fetch.client import DEFAULT_USER_AGENT, FetchClient
from testing.snapshot.site import SNAPSHOT_ROOT, SnapshotSite


class SnapshotClient(FetchClient):
    """The snapshot's sites at their real URLs, in-process; no rate limits (nothing real is on the other end)."""

    throttle = False

    def __init__(self, user_agent: str = DEFAULT_USER_AGENT, root: Path = SNAPSHOT_ROOT) -> None:
        super().__init__(user_agent)
        self.root = root

    def transport(self, limits: httpx.Limits) -> httpx.AsyncBaseTransport:
        return SnapshotSite(self.root).transport()
