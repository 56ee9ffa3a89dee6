"""One exception hierarchy for everything that can go wrong fetching a URL."""

from __future__ import annotations


class FetchError(Exception):
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
