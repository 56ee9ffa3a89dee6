"""Delivering a health alert to the configured targets: JSON webhooks, and Apprise URLs for everything else.

A webhook receives the alert itself (`HealthAlert` as JSON), so a receiver can act on the source, status and
reasons without parsing prose. Apprise (the library Prefect's own notification blocks are built on) reaches
Slack, Teams, Discord, mail, ntfy, Telegram, PagerDuty and ~100 more from one URL each, in ephemeral runs too,
with no Prefect server or block to set up. A failed delivery is logged and reported, never raised: an alert
that cannot be sent must not fail the ingest run that found the problem.
"""

from __future__ import annotations

import hashlib
import hmac
import logging
import time
from dataclasses import dataclass
from urllib.parse import urlsplit

import httpx

from schemas.health import AlertKind, HealthAlert
from tasks.health.settings import HealthSettings

log = logging.getLogger(__name__)

WEBHOOK_ATTEMPTS = 2
WEBHOOK_RETRY_PAUSE_SECONDS = 1.0
USER_AGENT = "Wirehouse-health/1"


@dataclass(frozen=True)
class Delivery:
    target: str  # the target with its path and credentials left out: safe to log and show
    ok: bool
    detail: str = ""


def deliver(alert: HealthAlert, settings: HealthSettings, client: httpx.Client | None = None) -> list[Delivery]:
    """Send `alert` to every configured target; one Delivery per target."""
    deliveries = []
    if settings.webhook_urls:
        own = client is None
        http = client or httpx.Client(timeout=settings.timeout_seconds, follow_redirects=False)
        try:
            secret = settings.webhook_secret.get_secret_value() if settings.webhook_secret else None
            deliveries += [post_webhook(http, url, alert, secret) for url in settings.webhook_urls]
        finally:
            if own:
                http.close()
    deliveries += [notify_apprise(url, alert, settings.timeout_seconds) for url in settings.notify_urls]
    for delivery in deliveries:
        if not delivery.ok:
            log.warning("health alert for %s not delivered to %s: %s", alert.source, delivery.target, delivery.detail)
    return deliveries


def post_webhook(client: httpx.Client, url: str, alert: HealthAlert, secret: str | None = None) -> Delivery:
    body = alert.model_dump_json().encode()
    headers = {"Content-Type": "application/json", "User-Agent": USER_AGENT, "X-Wirehouse-Event": alert.kind.value}
    if secret:
        headers["X-Wirehouse-Signature"] = "sha256=" + hmac.new(secret.encode(), body, hashlib.sha256).hexdigest()
    detail = ""
    for attempt in range(WEBHOOK_ATTEMPTS):
        if attempt:
            time.sleep(WEBHOOK_RETRY_PAUSE_SECONDS)
        try:
            response = client.post(url, content=body, headers=headers)
        except httpx.HTTPError as exc:
            detail = f"{type(exc).__name__}: {exc}"
            continue
        if response.is_success:
            return Delivery(redact(url), True, f"HTTP {response.status_code}")
        detail = f"HTTP {response.status_code}"
        if response.status_code < 500 and response.status_code != 429:
            break  # the receiver refuses this alert; asking again will not change its mind
    return Delivery(redact(url), False, detail)


def notify_apprise(url: str, alert: HealthAlert, timeout_seconds: float) -> Delivery:
    import apprise  # only when an Apprise target is configured

    notifier = apprise.Apprise()
    if not notifier.add(url):
        return Delivery(redact(url), False, "not a URL Apprise understands")
    notify_type = {AlertKind.BROKEN: apprise.NotifyType.FAILURE, AlertKind.DEGRADED: apprise.NotifyType.WARNING,
                   AlertKind.RECOVERED: apprise.NotifyType.SUCCESS}[alert.kind]
    try:
        sent = notifier.notify(title=alert.title, body=alert.text, notify_type=notify_type, timeout=timeout_seconds)
    except Exception as exc:  # a plugin bug must not fail the run
        return Delivery(redact(url), False, f"{type(exc).__name__}: {exc}")
    return Delivery(redact(url), bool(sent), "" if sent else "Apprise reported a failed notification")


def redact(url: str) -> str:
    """scheme://host/… : webhook paths and Apprise URLs often hold the token."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    return f"{parts.scheme}://{host}/…" if host else f"{parts.scheme}://…"
