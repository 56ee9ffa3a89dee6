"""Reading sources.yaml into validated Source models, with errors that say where and what.

Every problem is a ConfigError whose first line names the file, the place (line and column, or the source and
field) and the fault; a YAML syntax error adds the offending line with a ^ under the column, as editors do.
The CLI checks a run's sources with this before Prefect starts, and the flows load them the same way.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from schemas import Source, SourcesFile
from schemas.errors import ConfigError
from tasks.sources.registry import check_settings


def load_sources(path: Path) -> list[Source]:
    text = _read(path)
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ConfigError(yaml_error_message(path, text, exc)) from exc
    if raw is None:
        raise ConfigError(f"sources file {path} is empty: it needs a 'sources:' list of sites to read")
    if not isinstance(raw, dict):
        raise ConfigError(f"sources file {path} must be a mapping with a 'sources:' list, not a {_yaml_type(raw)}")
    if not raw.get("sources") and set(raw) <= {"sources"}:
        raise ConfigError(f"sources file {path} has no sources: its 'sources:' list is empty")
    try:
        sources = SourcesFile.model_validate(raw).sources
    except ValidationError as exc:
        raise ConfigError(_validation_message(path, text, raw, exc)) from None
    for index, source in enumerate(sources):
        try:
            check_settings(source)
        except KeyError as exc:
            raise ConfigError(_at(path, text, raw, index, "kind", exc.args[0])) from None
        except ValidationError as exc:
            first = exc.errors()[0]
            field = ".".join(str(p) for p in first["loc"])
            message = first["msg"]
            if first["type"] == "extra_forbidden":
                message = f"not a setting of {source.kind} sources"
            raise ConfigError(_at(path, text, raw, index, field, message)) from None
    return sources


def select_sources(sources: list[Source], names: list[str] | None) -> list[Source]:
    """The enabled sources, or exactly the named ones (an unknown name is an error)."""
    if not names:
        return [s for s in sources if s.enabled]
    by_name = {s.name: s for s in sources}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        listed = ", ".join(repr(n) for n in unknown)
        raise ConfigError(f"unknown source{'s' if len(unknown) > 1 else ''} {listed}; known: {', '.join(by_name)}")
    return [by_name[n] for n in names]


def yaml_error_message(path: Path, text: str, exc: yaml.YAMLError) -> str:
    """`<path> is not valid YAML (line L, column C): <what>`, then that line and a ^ under the column."""
    problem = getattr(exc, "problem", None)
    problem_mark = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context", None)
    context_mark = getattr(exc, "context_mark", None)
    if problem_mark is None:
        return f"sources file {path} is not valid YAML: {' '.join(str(exc).split())}"
    lines = text.splitlines()
    mark = problem_mark
    # "unexpected end of stream" points past the text: the place the construct began is the useful one.
    if context_mark is not None and (mark.line >= len(lines) or not lines[mark.line].strip()):
        mark = context_mark
    what = f"{context}, {problem}" if context else str(problem)
    if mark is not problem_mark:
        what += f" at line {problem_mark.line + 1}, column {problem_mark.column + 1}"
    message = f"sources file {path} is not valid YAML (line {mark.line + 1}, column {mark.column + 1}): {what}"
    if mark.line < len(lines):
        line = lines[mark.line]
        gutter = f"  {mark.line + 1} | "
        # Tabs are expanded in both the line and the run up to the column, so the ^ sits under the character.
        caret = " " * len(line[: mark.column].expandtabs())
        message += f"\n{gutter}{line.expandtabs()}\n{' ' * (len(gutter) - 2)}| {caret}^"
    return message


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError(f"sources file not found: {path}") from None
    except IsADirectoryError:
        raise ConfigError(f"cannot read sources file {path}: it is a folder") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read sources file {path}: {exc}") from None


def _validation_message(path: Path, text: str, raw: dict[str, Any], exc: ValidationError) -> str:
    first = exc.errors()[0]
    loc = first["loc"]
    if len(loc) >= 2 and loc[0] == "sources" and isinstance(loc[1], int):
        field = ".".join(str(p) for p in loc[2:]) or "entry"
        return _at(path, text, raw, loc[1], field, first["msg"])
    where = ".".join(str(p) for p in loc)
    return f"sources file {path}: {where + ': ' if where else ''}{first['msg']}"


def _at(path: Path, text: str, raw: dict[str, Any], index: int, field: str, message: str) -> str:
    """`<path>, line N: source 'x' (sources.I): <field>: <message>` — the line when the YAML can say it."""
    entries = raw.get("sources")
    entry = entries[index] if isinstance(entries, list) and index < len(entries) else None
    name = entry.get("name") if isinstance(entry, dict) else None
    who = f"source {name!r}" if isinstance(name, str) and name else f"source #{index + 1} (no name)"
    line = _line_of(text, index, field.split(".")[0])
    return f"sources file {path}{f', line {line}' if line else ''}: {who} (sources.{index}): {field}: {message}"


def _line_of(text: str, index: int, key: str) -> int | None:
    """The 1-based line of `sources[index].key` (or of the entry), from the YAML node tree."""
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return None
    if not isinstance(root, yaml.MappingNode):
        return None
    entries = next((v for k, v in root.value if getattr(k, "value", None) == "sources"), None)
    if not isinstance(entries, yaml.SequenceNode) or index >= len(entries.value):
        return None
    entry = entries.value[index]
    if isinstance(entry, yaml.MappingNode):
        for k, v in entry.value:
            if getattr(k, "value", None) == key:
                return int(v.start_mark.line) + 1
    return int(entry.start_mark.line) + 1


def _yaml_type(value: object) -> str:
    return {list: "list", str: "string", int: "number", float: "number", bool: "boolean"}.get(type(value), "value")
