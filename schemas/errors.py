"""Every exception Wirehouse raises on purpose, in one hierarchy.

Catch `WirehouseError` for "anything Wirehouse said no to"; each subclass's message is one line meant for the
user or the run report. Fetch errors carry a short `reason` that the failures table stores.
"""

from __future__ import annotations


class WirehouseError(Exception):
    """Something Wirehouse cannot do as asked; the message is one line."""


class ConfigError(WirehouseError):
    """A settings or sources problem the user must fix."""


# --- fetching ----------------------------------------------------------------------------------------------


class FetchError(WirehouseError):
    """A URL could not be fetched; `reason` is a short class name stored in the failures table."""

    reason = "fetch_error"

    def __init__(self, url: str, detail: str = "", status: int | None = None) -> None:
        super().__init__(f"{self.reason}: {url}" + (f" ({detail})" if detail else ""))
        self.url = url
        self.detail = detail
        self.status = status


class HttpStatusError(FetchError):
    reason = "http_status"

    def __init__(self, url: str, status: int, detail: str = "") -> None:
        super().__init__(url, detail or f"HTTP {status}", status)
        self.reason = f"http_{status}"


class TransportError(FetchError):
    """Connection refused/reset, DNS failure, timeout."""

    reason = "transport"


class FetchTimeout(TransportError):
    reason = "timeout"


class SourceUnreachable(TransportError):
    """The host never answered this run (name does not resolve, every connection refused): not retried."""

    reason = "unreachable"


class RobotsDisallowed(FetchError):
    reason = "robots"


class OffsiteURL(FetchError):
    """Outside the source's declared domains, not http(s), or a private address the source may not reach."""

    reason = "offsite"


class TooLarge(FetchError):
    reason = "too_large"


class BadContent(FetchError):
    """Wrong content type, truncated or undecodable body."""

    reason = "bad_content"


# --- reading what was fetched ------------------------------------------------------------------------------


class ParseError(WirehouseError, ValueError):
    """Nothing usable could be read from the responses."""


class RestFormatError(ParseError):
    """The WordPress REST API answered with something that is not the JSON WordPress sends."""


class FeedError(ParseError):
    """The bytes are not a feed we can read (a site feed or a post's comment feed)."""


class DisqusApiError(ParseError):
    """The Disqus API answered with an error: `code` is Disqus's own (5 = invalid API key), 0 when unknown."""

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message


# --- the warehouse -----------------------------------------------------------------------------------------


class WarehouseError(WirehouseError):
    """The warehouse cannot be used as asked."""


class WarehouseBusy(WarehouseError):
    """Another process kept the database file locked for longer than we were willing to wait."""


class RunInProgress(WarehouseError):
    """Another ingest, backfill or refresh holds the warehouse's run lock."""


# --- runs --------------------------------------------------------------------------------------------------


class RunFailed(Exception):
    """A run ended without reaching what it was to read (e.g. every source absent); its report is recorded.

    Not a WirehouseError: nothing the user typed is wrong. `report` is the run's RunReport.
    """

    def __init__(self, message: str, report: object = None) -> None:
        super().__init__(message)
        self.report = report
