"""No false alarms on ordinary variation, measured over many simulated healthy months rather than one: the
rules through the real `source_health` table and baseline view (in memory), six seeds x 40 nights x 3 sources.

benchmarks/health_rules.py runs the same over more seeds and prints the rates (last run: 1 false alarm in
12,150 healthy runs: a ~12-a-day source with nothing at all on Thanksgiving)."""

from __future__ import annotations

import duckdb

from tasks.health.task import assess_and_store
from tests.health.recorded import SOURCES, healthy_runs
from warehouse.migrate import migrate


def fresh() -> duckdb.DuckDBPyConnection:
    con = duckdb.connect()
    con.execute("SET TimeZone = 'UTC'")
    migrate(con)
    return con


def test_healthy_months_raise_no_alarm() -> None:
    runs, alarms = 0, []
    for seed in range(6):
        con = fresh()
        for run in sorted((r for name in SOURCES for r in healthy_runs(name, seed, 40)),
                          key=lambda r: (r.started_at, r.source)):
            health, alert = assess_and_store(con, run)
            runs += 1
            if health.reasons or alert is not None:
                alarms.append(f"seed {seed} {run.source} {run.started_at:%Y-%m-%d}: {health.summary}")
        con.close()
    assert runs == 720
    assert alarms == []


def test_a_collapse_to_five_where_fifty_are_usual_is_caught_every_time() -> None:
    for seed in range(6):
        con = fresh()
        nights = healthy_runs("news", seed, 31)
        for run in nights[:30]:
            assess_and_store(con, run)
        collapsed = nights[30].model_copy(update={"discovered": 5})
        health, _ = assess_and_store(con, collapsed)
        assert [r.code for r in health.reasons] == ["volume"], (seed, health.summary)
        con.close()
