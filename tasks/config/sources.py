"""Reading sources.yaml into validated Source models, with one-line errors."""

from __future__ import annotations

from pathlib import Path

import yaml
from pydantic import ValidationError

from schemas import Source, SourcesFile
from schemas.errors import ConfigError
from tasks.sources.registry import check_settings


def load_sources(path: Path) -> list[Source]:
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"sources file not found: {path}") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read sources file {path}: {exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"sources file {path} is not valid YAML: {exc}".replace("\n", " ")) from None
    try:
        sources = SourcesFile.model_validate(raw).sources
    except ValidationError as exc:
        raise ConfigError(f"{path}: {_first_error(exc)}") from None
    for index, source in enumerate(sources):
        try:
            check_settings(source)
        except KeyError as exc:
            raise ConfigError(f"{path}: sources.{index}.kind: {exc.args[0]}") from None
        except ValidationError as exc:
            first = exc.errors()[0]
            message = _first_error(exc)
            if first["type"] == "extra_forbidden":
                message = f"{first['loc'][0]}: not a setting of {source.kind} sources"
            raise ConfigError(f"{path}: sources.{index}.{message}") from None
    return sources


def select_sources(sources: list[Source], names: list[str] | None) -> list[Source]:
    """The enabled sources, or exactly the named ones (an unknown name is an error)."""
    if not names:
        return [s for s in sources if s.enabled]
    by_name = {s.name: s for s in sources}
    unknown = [n for n in names if n not in by_name]
    if unknown:
        raise ConfigError(f"unknown source(s): {', '.join(unknown)}; known: {', '.join(by_name)}")
    return [by_name[n] for n in names]


def _first_error(exc: ValidationError) -> str:
    first = exc.errors()[0]
    return f"{'.'.join(str(p) for p in first['loc'])}: {first['msg']}"
