"""Progress events from flows to whoever listens (the CLI's progress bar); flows never import the CLI."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class ProgressEvent:
    source: str
    stage: str  # "discovered", "batch_loaded", "chunk_done"
    done: int
    total: int
    detail: str = ""


_listeners: list[Callable[[ProgressEvent], None]] = []


def add_listener(listener: Callable[[ProgressEvent], None]) -> None:
    _listeners.append(listener)


def remove_listener(listener: Callable[[ProgressEvent], None]) -> None:
    if listener in _listeners:
        _listeners.remove(listener)


def emit(event: ProgressEvent) -> None:
    for listener in list(_listeners):
        listener(event)
