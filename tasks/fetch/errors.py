"""The fetch errors, from the one hierarchy in schemas.errors (imported from here by older code)."""

from schemas.errors import (
    BadContent,
    FetchError,
    FetchTimeout,
    HttpStatusError,
    OffsiteURL,
    RobotsDisallowed,
    SourceUnreachable,
    TooLarge,
    TransportError,
)

__all__ = ["BadContent", "FetchError", "FetchTimeout", "HttpStatusError", "OffsiteURL", "RobotsDisallowed",
           "SourceUnreachable", "TooLarge", "TransportError"]
