"""Checks of a run's arguments that need neither Prefect nor the warehouse, done before a flow is imported.

A mistake (an unknown source, a broken sources file, a warehouse folder that is not there, a date that is
not one) then costs a fraction of a second and one line, not Prefect's start-up and a traceback. The flows
check the same things again through the same loaders, so a run started another way gets the same messages.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

from wirehouse.commands import db_path, fail, run_or_fail

_DAY = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})")


def check_sources(sources_file: Path | None, names: list[str] | None) -> None:
    """The sources file loads and every named source is in it."""
    from tasks.config import Settings, load_sources, select_sources

    def check() -> None:
        select_sources(load_sources(sources_file or Settings().sources_file), names)

    run_or_fail(check)


def check_runner(name: str | None) -> None:
    from tasks.config import RUNNER_NAMES

    if name is not None and name not in RUNNER_NAMES:
        fail(f"--runner must be one of {', '.join(RUNNER_NAMES)}, not {name!r}")


def check_db_folder(db: Path | None) -> Path:
    """The warehouse file a run writes to, whose folder must exist (it is not created: a typo would be)."""
    path = run_or_fail(lambda: db_path(db))
    if path.parent.exists() and not path.parent.is_dir():
        fail(f"{path.parent} is not a folder; choose another warehouse path")
    if not path.parent.is_dir():
        fail(f"folder {path.parent} does not exist; create it or choose another warehouse path")
    if path.is_dir():
        fail(f"{path} is a folder, not a warehouse file; choose another warehouse path")
    return path


def parse_day(option: str, value: str) -> date:
    """A YYYY-MM-DD day, or one line saying what is wrong with it."""
    match = _DAY.fullmatch(value.strip())
    if match is None:
        fail(f"{option} {value!r} is not a date: use YYYY-MM-DD")
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError as exc:  # "month must be in 1..12", "day is out of range for month"
        fail(f"{option} {value!r} is not a date: {exc}")


def parse_time(option: str, value: str) -> datetime:
    """A day (YYYY-MM-DD) or a time (YYYY-MM-DDTHH:MM[:SS][+HH:MM]); naive times are UTC."""
    if _DAY.fullmatch(value.strip()):
        return datetime.combine(parse_day(option, value), datetime.min.time())
    try:
        return datetime.fromisoformat(value.strip())
    except ValueError:
        fail(f"{option} {value!r} is not a date or time: use YYYY-MM-DD or YYYY-MM-DDTHH:MM (UTC unless given)")


def check_range(start: date, end: date) -> None:
    if end < start:
        fail(f"--end {end} is before --start {start}")
