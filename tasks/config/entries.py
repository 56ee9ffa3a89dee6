"""A proposed source entry as sources.yaml text with a comment on each choice, and adding it to a sources file.

The file is appended to as text, never re-dumped: its comments, order and quoting stay exactly as written. The
result is read back (and every source in it validated) before it replaces the file, in one rename.
"""

from __future__ import annotations

import os
import re
import tempfile
import textwrap
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from schemas import Source
from schemas.errors import ConfigError
from tasks.config.sources import load_sources
from tasks.sources.registry import check_settings

ORDER = ("name", "kind", "base_url", "rest_url", "feed_url", "sitemaps", "allowed_domains", "selectors", "politeness")
COMMENT_WIDTH = 110
_SOURCES_KEY = re.compile(r"^sources:[ \t]*(#.*)?$", re.MULTILINE)
_ITEM = re.compile(r"^([ \t]*)- ", re.MULTILINE)


def validated(entry: Mapping[str, Any]) -> Source:
    """The entry as a Source, checked as the sources loader checks it; raises ConfigError in one line."""
    try:
        source = Source.model_validate(dict(entry))
        check_settings(source)
    except (ValidationError, KeyError) as exc:
        raise ConfigError(f"proposed entry is not valid: {str(exc).splitlines()[0]}") from None
    return source


def render_entry(entry: Mapping[str, Any], reasons: Mapping[str, str], indent: int = 2) -> str:
    """The entry as one item of a `sources:` list, each key with its reason as a comment line above it; reasons
    for what the entry leaves out (selectors, comments, sitemaps not taken) follow as comments."""
    keys = [k for k in ORDER if k in entry] + [k for k in entry if k not in ORDER]
    lines: list[str] = []
    for position, key in enumerate(keys):
        # the first key's comment sits above the item's dash, the others' level with their keys
        inner = "" if position == 0 else "  "
        lines += [inner + line for line in _comment(key, reasons[key])] if key in reasons else []
        dumped = yaml.dump({key: entry[key]}, Dumper=_IndentedDumper, default_flow_style=False, sort_keys=False,
                           width=1000, allow_unicode=True).rstrip("\n").splitlines()
        lines.append(("- " if position == 0 else "  ") + dumped[0])
        lines += ["  " + line for line in dumped[1:]]
    for key, reason in reasons.items():
        if key not in entry:
            lines += ["  " + line for line in _comment(key.replace("_", " "), reason)]
    pad = " " * indent
    return "\n".join(pad + line for line in lines) + "\n"


class _IndentedDumper(yaml.SafeDumper):
    """Lists indented under their key, as sources.yaml writes them."""

    def increase_indent(self, flow: bool = False, indentless: bool = False) -> None:
        super().increase_indent(flow, False)


def _comment(key: str, reason: str) -> list[str]:
    return textwrap.wrap(f"{key}: {reason}", COMMENT_WIDTH, initial_indent="# ", subsequent_indent="#   ",
                         break_long_words=False, break_on_hyphens=False)


def append_entry(path: Path, entry: Mapping[str, Any], reasons: Mapping[str, str]) -> None:
    """Add the entry to the sources file at `path` (created when missing), keeping the file's text as it is.

    Raises ConfigError (one line) when a source of that name or base URL is already declared, or when the
    file's `sources:` list is not a block list the entry can be appended to.
    """
    text = path.read_text(encoding="utf-8") if path.is_file() else ""
    existing = load_sources(path) if text.strip() else []
    name, base = entry["name"], validated(entry).base_url
    for source in existing:
        if source.name == name:
            raise ConfigError(f"{path}: a source named {name!r} is already declared (choose another with --name)")
        if source.base_url == base:
            raise ConfigError(f"{path}: {base} is already declared as source {source.name!r}")
    if not text.strip():
        new_text = "sources:\n" + render_entry(entry, reasons, indent=2)
    else:
        separator = "\n" if text.endswith("\n") else "\n\n"
        new_text = text + separator + render_entry(entry, reasons, _indent(path, text))
    _replace_checked(path, new_text, len(existing) + 1)


def _indent(path: Path, text: str) -> int:
    """How deep the file indents the items of its `sources:` block list."""
    key = _SOURCES_KEY.search(text)
    item = _ITEM.search(text, key.end()) if key else None
    if key is None or item is None:
        raise ConfigError(f"{path}: its sources are not a block list ('sources:' then '- name: ...' lines); "
                          "add the entry by hand")
    return len(item.group(1).expandtabs())


def _replace_checked(path: Path, new_text: str, expected: int) -> None:
    """Write `new_text` beside the file, read it back as a sources file, then rename it over the original."""
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(new_text)
        written = load_sources(Path(temporary))
        if len(written) != expected:
            raise ConfigError(f"{path}: appending the entry did not give {expected} sources; add it by hand")
        if path.exists():
            os.chmod(temporary, path.stat().st_mode & 0o777)
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
