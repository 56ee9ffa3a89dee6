"""The README's source-health samples, from the real nightly flow: the living month (tests/flows/health_month.py),
then five December nights in which `columns` is redesigned (from the 3rd) and `blog`'s feed answers 404 (from the
2nd), while `wire` stays well. Prints `wirehouse health` and saves the report page and its screenshot.

    .venv/bin/python -m tests.flows.health_story docs/img   # ~2-3 minutes; needs Debian's chromium for the PNG
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

from prefect.testing.utilities import prefect_test_harness
from typer.testing import CliRunner

from tests.flows.health_month import NIGHTS, living_month, night, run_night
from wirehouse.cli import app

DECEMBER_NIGHTS = 5
REDESIGN_FROM, FEED_GONE_FROM = 2, 1  # nights after the month: 3 and 2 December


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    page = out / "report-health.html"
    with (prefect_test_harness(server_startup_timeout=120), tempfile.TemporaryDirectory() as folder,
          living_month(Path(folder)) as month):
        for day in range(DECEMBER_NIGHTS):
            for site in month.sites.values():
                site.now = night(NIGHTS + day)
            month.sites["columns"].theme = "divi" if day >= REDESIGN_FROM else "news"
            month.sites["blog"].failing = {"/feed/": 404} if day >= FEED_GONE_FROM else {}
            run_night(month.db, month.sources, night(NIGHTS + day))
        runner = CliRunner()
        shown = runner.invoke(app, ["health", "--db", str(month.db)], env={"COLUMNS": "118"}, terminal_width=118)
        print(shown.output)
        report = runner.invoke(app, ["report", "--db", str(month.db), "--out", str(page)])
        assert report.exit_code == 0, report.output
    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        print("no chromium: the report is saved, not its screenshot", file=sys.stderr)
        return
    subprocess.run([chromium, "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
                    "--window-size=1200,1500", f"--screenshot={out / 'report-health.png'}", page.resolve().as_uri()],
                   check=True, capture_output=True, timeout=120)
    page.unlink()


if __name__ == "__main__":
    main(Path(sys.argv[1] if len(sys.argv) > 1 else "."))
