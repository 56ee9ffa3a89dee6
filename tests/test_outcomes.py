"""tasks/outcomes.py: a window's targets to their outcome, a run to its status, failures to a readable summary."""

from __future__ import annotations

from datetime import UTC, datetime

from schemas import FailureRecord, RunReport
from tasks.outcomes import WindowTally, group_failures, run_outcome

A, B, C, D = (f"https://news.example/2026/07/01/story-{n}/" for n in "abcd")
DNS = "ConnectError: [Errno -2] Name or service not known"


def _failure(url: str, reason: str, stage: str = "fetch", detail: str = "") -> FailureRecord:
    return FailureRecord(source="news", url=url, stage=stage, reason=reason, detail=detail)


def _report(**counts: object) -> RunReport:
    return RunReport(run_id="r", flow="backfill", started_at=datetime.now(UTC), sources=["news"], **counts)


def test_a_window_is_finished_when_every_target_loaded_or_failed_for_good() -> None:
    tally = WindowTally()
    tally.add_targets([A, B, C, D])
    tally.add_discovery(True, [])
    tally.add_failures([_failure(A, "http_404"), _failure(B, "robots"), _failure(C, "offsite")])
    assert (tally.loaded, tally.failed_permanent, tally.pending_count, tally.finished) == (1, 3, 0, True)


def test_a_transient_failure_at_any_stage_keeps_the_window_open() -> None:
    tally = WindowTally()
    tally.add_targets([A, B, C])
    tally.add_discovery(True, [])
    tally.add_failures([_failure(A, "http_503"), _failure(B, "unparseable", "parse"),
                        _failure(C, "http_404"), _failure(C, "timeout", "comments")])
    assert (tally.loaded, tally.failed_permanent, tally.pending_count, tally.finished) == (0, 0, 3, False)


def test_listings_not_read_whole_keep_the_window_open_even_with_no_targets() -> None:
    offline = WindowTally()
    offline.add_discovery(True, [_failure("https://news.example/feed/", "unreachable", "discover", DNS)])
    assert not offline.discovery_complete and not offline.finished
    gone_feed = WindowTally()  # a feed that is gone for good does not hold a window open
    gone_feed.add_discovery(True, [_failure("https://news.example/feed/", "http_410", "discover")])
    assert gone_feed.finished
    cut = WindowTally()  # the kind itself says its listings were cut (a sitemap over its limits)
    cut.add_discovery(False, [])
    assert not cut.finished


def test_run_outcome() -> None:
    assert run_outcome(_report(fetched=3)) == ("completed", "")
    some = _report(fetched=3, failed=1, failures=[_failure(A, "http_404")], failures_by_reason={"http_404": 1})
    assert run_outcome(some)[0] == "completed_with_failures"
    offline = _report(failed=2, failures=[_failure(A, "unreachable", "discover", DNS), _failure(B, "unreachable")],
                      failures_by_reason={"unreachable": 2})
    assert run_outcome(offline) == ("failed", f"no request reached news: {DNS}")
    # nothing loaded, but the site answered (404s): it was reached, the run completed with failures
    answered = _report(failed=1, failures=[_failure(A, "http_404")], failures_by_reason={"http_404": 1})
    assert run_outcome(answered)[0] == "completed_with_failures"


def test_failures_grouped_by_reason_with_one_example_and_the_full_count() -> None:
    failures = [_failure(f"https://news.example/{n}/", "unreachable", "refresh", DNS) for n in range(3)]
    failures += [_failure(A, "http_404")]
    report = _report(failed=250, failures=failures, failures_by_reason={"unreachable": 249, "http_404": 1})
    groups = group_failures(report)
    assert [(g.reason, g.stage, g.count) for g in groups] == [("unreachable", "refresh", 249), ("http_404", "fetch", 1)]
    assert groups[0].example_url == "https://news.example/0/" and groups[0].example_detail == DNS
