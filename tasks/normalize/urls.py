"""Canonical URLs: one article per URL, whichever channel found it."""

from __future__ import annotations

from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

# Tracking parameters that never change what a page is.
_TRACKING_PREFIXES = ("utm_",)
_TRACKING_NAMES = {"fbclid", "gclid", "mc_cid", "mc_eid", "_ga", "ref_src"}


def canonical_url(url: str) -> str:
    """Lowercase scheme and host, drop default ports, fragments and tracking parameters.

    The path keeps its case (WordPress permalinks like /Antiwar_Staff/ are case-sensitive on some hosts).
    """
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").lower()
    port = parts.port
    if port and not ((scheme == "http" and port == 80) or (scheme == "https" and port == 443)):
        host = f"{host}:{port}"
    query = [
        (key, value)
        for key, value in parse_qsl(parts.query, keep_blank_values=True)
        if not key.lower().startswith(_TRACKING_PREFIXES) and key.lower() not in _TRACKING_NAMES
    ]
    path = parts.path or "/"
    return urlunsplit((scheme, host, path, urlencode(query), ""))


def host_of(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


# Second-level labels under a country code that are not the site's name: example.co.uk, example.com.au.
_GENERIC_SECOND_LEVEL = frozenset({"co", "com", "org", "net", "gov", "ac", "edu", "or", "ne", "go"})


def site_name_of(host: str) -> str:
    """The name a site's host carries: 'antiwar' for original.antiwar.com, 'bbc' for www.bbc.co.uk; '' for an
    IP address or a one-label host."""
    labels = [label for label in host.lower().strip(".").split(".") if label]
    if len(labels) < 2 or all(label.isdigit() for label in labels):
        return ""
    if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _GENERIC_SECOND_LEVEL:
        return labels[-3]
    return labels[-2]
