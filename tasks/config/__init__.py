"""What a run is configured with: settings from the environment and the sources it reads.

Below the flows, above the pipeline: flows read their settings here, never from the CLI package.
"""

from tasks.config.settings import (
    BUNDLED_SOURCES,
    RUNNER_NAMES,
    RefreshSettings,
    RunnerName,
    RunnerSettings,
    Settings,
)
from tasks.config.sources import load_sources, select_sources

__all__ = ["BUNDLED_SOURCES", "RUNNER_NAMES", "RefreshSettings", "RunnerName", "RunnerSettings", "Settings",
           "load_sources", "select_sources"]
