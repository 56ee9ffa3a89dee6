"""Gap responses: a comment channel that failed leaves a status-0 response saying why, in place of its answer.

The parse stage reads a gap as "this part of the thread is missing", so the read is known incomplete and
nothing is marked deleted; gaps are never stored.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from datetime import UTC, datetime

from schemas.errors import FetchError
from schemas.pipeline import RawResponse

GAP_HEADER = "x-wirehouse-error"
Get = Callable[[str, str], Awaitable[RawResponse]]  # (url, role) -> response; raises FetchError


def gap_response(url: str, role: str, failure: FetchError | str) -> RawResponse:
    """A gap for `url`: why it is missing is the fetch error's reason and detail, or the message given."""
    message = f"{failure.reason}: {failure.detail}" if isinstance(failure, FetchError) else failure
    return RawResponse(url=url, final_url=url, status=0, headers={GAP_HEADER: message[:500]}, body=b"",
                       fetched_at=datetime.now(UTC), role=role)


def gap_message(response: RawResponse, default: str) -> str:
    return response.headers.get(GAP_HEADER, default)


async def get_or_gap(get: Get, url: str, role: str) -> RawResponse:
    """`get(url, role)`, or a gap saying why it failed."""
    try:
        return await get(url, role)
    except FetchError as exc:
        return gap_response(url, role, exc)
