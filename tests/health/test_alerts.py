"""Alerts: one notification per change of a source's health, to a loopback webhook receiver and through Apprise;
a Prefect event for every run that finds a source unwell; nothing stored about where alerts go."""

from __future__ import annotations

import hashlib
import hmac
import json
from datetime import timedelta
from pathlib import Path

import pytest
from prefect.events import emit_event
from prefect.events.clients import AssertingEventsClient
from prefect.events.worker import EventsWorker
from pydantic import SecretStr

from schemas.health import AlertKind, HealthAlert, HealthReason, HealthStatus, SourceHealth
from tasks.health.alerts import decide_alert, health_marker, health_report_lines
from tasks.health.settings import HealthSettings
from tasks.health.task import finish_source_health
from testing.webhook_receiver import webhook_receiver
from tests.health.conftest import night
from tests.health.test_rules import redesigned, thin
from warehouse.connection import open_reader

SECRET = "s3cret-signing-key"
TOKEN = "T0KEN-b7c1e2"  # webhook URLs often carry a credential in their path


def test_a_redesign_sends_one_alert_and_a_recovery_one_notice(after_month: Path) -> None:
    events: list[dict] = []
    with webhook_receiver() as (url, posts):
        settings = HealthSettings(webhook_urls=[f"{url}/hook/{TOKEN}"], webhook_secret=SecretStr(SECRET))
        nights = [redesigned(night("news", 1), 30), redesigned(night("news", 2), 28), night("news", 3),
                  night("news", 4)]
        verdicts = [finish_source_health(after_month, run, settings, emit=lambda **e: events.append(e))
                    for run in nights]
    assert [v.status for v in verdicts] == [HealthStatus.DEGRADED, HealthStatus.DEGRADED, HealthStatus.OK,
                                            HealthStatus.OK]
    assert len(posts) == 2  # the news when it broke, the news when it recovered; nothing while nothing changed
    first, recovery = (HealthAlert.model_validate_json(p.body) for p in posts)
    assert first.kind is AlertKind.DEGRADED and first.source == "news" and first.previous_status is HealthStatus.OK
    assert first.reasons[0].message == (
        "body selector `div.entry-content` matched 0 of 30 pages since 2026-12-01; generic extractor used")
    assert recovery.kind is AlertKind.RECOVERED and recovery.previous_status is HealthStatus.DEGRADED
    assert posts[0].path == f"/hook/{TOKEN}" and posts[0].headers["x-wirehouse-event"] == "degraded"
    assert posts[0].headers["content-type"] == "application/json"
    signature = hmac.new(SECRET.encode(), posts[0].body, hashlib.sha256).hexdigest()
    assert posts[0].headers["x-wirehouse-signature"] == f"sha256={signature}"
    # Prefect events: each unwell run, and the recovery once
    assert [e["event"] for e in events] == ["wirehouse.source.degraded", "wirehouse.source.degraded",
                                            "wirehouse.source.recovered"]
    # where alerts go is never stored: not the URL's token, not the signing key
    with open_reader(after_month) as con:
        stored_text = " ".join(str(row) for table in ("source_health", "runs", "sources")
                               for row in con.execute(f"SELECT * FROM {table}").fetchall())
    assert "news" in stored_text and TOKEN not in stored_text and SECRET not in stored_text


def test_an_apprise_target_gets_the_alert(after_month: Path) -> None:
    with webhook_receiver(status=200) as (url, posts):
        apprise_url = url.replace("http://", "json://") + "/apprise"
        settings = HealthSettings(notify_urls=[apprise_url])
        finish_source_health(after_month, thin(night("news", 1), 5), settings, emit=lambda **e: None)
    assert len(posts) == 1 and posts[0].path == "/apprise"
    message = json.loads(posts[0].body)
    assert message["title"] == "Wirehouse: news is degraded" and message["type"] == "warning"
    assert "volume: 5 articles discovered" in message["message"]


def test_a_receiver_that_fails_costs_the_run_nothing(after_month: Path, caplog: pytest.LogCaptureFixture) -> None:
    with webhook_receiver(status=500) as (url, posts):
        settings = HealthSettings(webhook_urls=[f"{url}/hook/{TOKEN}", "http://127.0.0.1:9/closed"],
                                  notify_urls=["not-a-scheme://x"])
        health = finish_source_health(after_month, thin(night("news", 1), 5), settings, emit=lambda **e: None)
    assert health.status is HealthStatus.DEGRADED and health.alert == "degraded"
    assert len(posts) == 2  # asked again once after a 5xx, then given up
    warnings = [r.getMessage() for r in caplog.records if "not delivered" in r.getMessage()]
    assert len(warnings) == 3 and all(TOKEN not in w for w in warnings)


def test_the_event_goes_through_prefects_events_client(
    after_month: Path, monkeypatch: pytest.MonkeyPatch, prefect_harness: None
) -> None:
    worker = EventsWorker.instance(AssertingEventsClient)
    monkeypatch.setattr(EventsWorker, "instance", lambda *_: worker)
    try:
        finish_source_health(after_month, thin(night("news", 1), 5), HealthSettings(), emit=emit_event)
        finish_source_health(after_month, night("news", 2), HealthSettings(), emit=emit_event)
        worker.drain()
        events = worker._client.events  # type: ignore[union-attr,attr-defined]
    finally:
        AssertingEventsClient.reset()
    assert [e.event for e in events] == ["wirehouse.source.degraded", "wirehouse.source.recovered"]
    assert events[0].resource.id == "wirehouse.source.news" and events[0].resource["wirehouse.status"] == "degraded"
    assert events[0].payload["reasons"][0]["code"] == "volume"
    assert events[1].payload["alert"]["kind"] == "recovered"


def test_alerts_follow_changes_not_runs() -> None:
    base = thin(night("news", 1), 40)
    ok = SourceHealth(figures=base)

    def unwell(status: HealthStatus, *codes: str) -> SourceHealth:
        reasons = [HealthReason(code=c, severity=status, message=c) for c in codes]
        return SourceHealth(figures=base.model_copy(update={"started_at": base.started_at + timedelta(days=1)}),
                            status=status, reasons=reasons)

    assert decide_alert(None, ok) is None and decide_alert(ok, ok) is None
    assert decide_alert(ok, unwell(HealthStatus.DEGRADED, "volume")) is AlertKind.DEGRADED
    same = unwell(HealthStatus.DEGRADED, "volume")
    assert decide_alert(same, unwell(HealthStatus.DEGRADED, "volume")) is None
    assert decide_alert(same, unwell(HealthStatus.DEGRADED, "volume", "comments")) is AlertKind.DEGRADED
    assert decide_alert(same, unwell(HealthStatus.BROKEN, "failures")) is AlertKind.BROKEN
    broken = unwell(HealthStatus.BROKEN, "failures")
    assert decide_alert(broken, unwell(HealthStatus.BROKEN, "failures", "volume")) is None
    assert decide_alert(broken, unwell(HealthStatus.DEGRADED, "volume")) is AlertKind.DEGRADED
    assert decide_alert(broken, ok) is AlertKind.RECOVERED


def test_the_run_report_is_marked_when_a_source_is_unwell() -> None:
    ok = SourceHealth(figures=night("blog", 1))
    bad = SourceHealth(figures=night("news", 1), status=HealthStatus.BROKEN, alert="broken", reasons=[
        HealthReason(code="failures", severity=HealthStatus.BROKEN, message="40 of 40 targets failed (http_403 40)")])
    lines = health_report_lines([ok, bad])
    assert lines[3] == "**⚠ 1 of 2 sources need attention:** news BROKEN"
    assert "| news | broken | 40 of 40 targets failed (http_403 40) | broken |" in lines
    assert lines.index("| news | broken | 40 of 40 targets failed (http_403 40) | broken |") < lines.index(
        "| blog | ok | — |  |")
    assert health_marker([ok, bad]) == "news BROKEN" and health_marker([ok]) == ""
    assert health_report_lines([]) == []


def test_targets_come_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("WIREHOUSE_HEALTH_WEBHOOK_URLS", "https://hooks.example/a, https://hooks.example/b")
    monkeypatch.setenv("WIREHOUSE_HEALTH_NOTIFY_URLS", '["ntfy://wirehouse-alerts"]')
    settings = HealthSettings()
    assert settings.webhook_urls == ["https://hooks.example/a", "https://hooks.example/b"]
    assert settings.notify_urls == ["ntfy://wirehouse-alerts"] and settings.has_targets
    monkeypatch.delenv("WIREHOUSE_HEALTH_WEBHOOK_URLS")
    monkeypatch.delenv("WIREHOUSE_HEALTH_NOTIFY_URLS")
    assert not HealthSettings().has_targets
