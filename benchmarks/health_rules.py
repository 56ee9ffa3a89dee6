#!/usr/bin/env python3
"""Health rules benchmark: how often healthy sources raise an alarm, and how soon real breakage is caught.

Simulated nightly runs of three sources of different sizes (tests/health/recorded.py: weekly rhythm, holidays,
day-to-day spread beyond Poisson, the odd failure, missing byline and empty comment thread, a REST API closed on
purpose, a feed with a night of 503s now and then) go through the real path: `source_health` rows in DuckDB,
the baseline view, the rules, the alert decision. Printed per seed range:

  false alarms   healthy runs judged degraded or broken, per 1,000 runs (and the notifications that would
                 have gone out: one when a source turns unwell, one when it recovers)
  detection      after 30 healthy nights of `news` (~50 a weekday), the share of 31st nights whose volume was
                 cut to 10/25/40% of what that night had (thinned at random) that come out degraded by volume

    python benchmarks/health_rules.py [--seeds 0:30] [--days 45]

Costs ~20 ms of CPU a run (in-memory DuckDB): about 3 minutes of CPU for 30 seeds (4,050 runs, plus 2,790 for
detection). Last run, --seeds 0:90: 1 false alarm in 12,150 runs; detection 82, 11 and 0 of 90.
"""

from __future__ import annotations

import argparse
import random
import sys
import time
from pathlib import Path

import duckdb

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from tasks.health.task import assess_and_store
from tests.health.recorded import SOURCES, binomial, healthy_runs
from warehouse.migrate import migrate


def fresh() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    migrate(con)
    return con


def false_alarms(seeds: range, days: int) -> tuple[int, list[str], int]:
    runs, alarms, alerts = 0, [], 0
    for seed in seeds:
        con = fresh()
        nights = sorted((r for name in SOURCES for r in healthy_runs(name, seed, days)),
                        key=lambda r: (r.started_at, r.source))
        for run in nights:
            health, alert = assess_and_store(con, run)
            runs += 1
            alerts += alert is not None
            if health.reasons:
                alarms.append(f"seed {seed} {run.source} {run.started_at:%Y-%m-%d}: {health.summary}")
        con.close()
    return runs, alarms, alerts


def detection(seeds: range, keep: float) -> tuple[int, int]:
    caught = total = 0
    for seed in seeds:
        con = fresh()
        nights = healthy_runs("news", seed, 31)
        for run in nights[:30]:
            assess_and_store(con, run)
        last = nights[30]
        rng = random.Random(seed)
        kept = binomial(rng, last.discovered, keep)
        health, _ = assess_and_store(con, last.model_copy(update={"discovered": kept}))
        total += 1
        caught += any(r.code == "volume" for r in health.reasons)
        con.close()
    return caught, total


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", default="0:30", help="seed range start:end")
    parser.add_argument("--days", type=int, default=45, help="nights per seed and source")
    args = parser.parse_args()
    start, end = (int(x) for x in args.seeds.split(":"))
    seeds = range(start, end)
    cpu = time.process_time()
    runs, alarms, alerts = false_alarms(seeds, args.days)
    print(f"false alarms: {len(alarms)} in {runs:,} healthy runs ({1000 * len(alarms) / runs:.2f} per 1,000), "
          f"{alerts} notifications; {1000 * (time.process_time() - cpu) / runs:.1f} ms CPU a run")
    for alarm in alarms:
        print(f"  {alarm}")
    for keep in (0.10, 0.25, 0.40):
        caught, total = detection(seeds, keep)
        print(f"detection: volume cut to {keep:.0%} of the night's -> degraded by volume on {caught} of {total} nights")


if __name__ == "__main__":
    main()
