"""Where health alerts go, from the environment only: a webhook URL is often a credential, so none is stored in
sources.yaml or the warehouse.

    WIREHOUSE_HEALTH_WEBHOOK_URLS="https://hooks.example/wirehouse"        # POST the alert as JSON
    WIREHOUSE_HEALTH_WEBHOOK_SECRET="..."                                  # optional HMAC-SHA256 signature
    WIREHOUSE_HEALTH_NOTIFY_URLS="slack://T/B/C mailtos://user:pw@host"    # Apprise URLs: Slack, mail, ntfy, …

Several URLs are separated by spaces or commas (or given as a JSON list).
"""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict


class HealthSettings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="WIREHOUSE_HEALTH_", extra="ignore")

    webhook_urls: Annotated[list[str], NoDecode] = Field(default_factory=list,
                                                         description="POST each alert as JSON here")
    webhook_secret: SecretStr | None = Field(default=None, description="signs the webhook body (X-Wirehouse-"
                                             "Signature: sha256=HEX of HMAC-SHA256 over the body)")
    notify_urls: Annotated[list[str], NoDecode] = Field(default_factory=list,
                                                        description="Apprise URLs (slack://, mailtos://, ntfy://…)")
    timeout_seconds: float = Field(default=10.0, gt=0, le=120, description="per delivery attempt")
    backoff: bool = Field(default=True, description="scheduled runs leave a broken source alone on a backoff")

    @field_validator("webhook_urls", "notify_urls", mode="before")
    @classmethod
    def _split(cls, value: object) -> object:
        if isinstance(value, str):
            text = value.strip()
            if text.startswith("["):
                import json

                return json.loads(text)
            return [part for part in text.replace(",", " ").split() if part]
        return value

    @property
    def has_targets(self) -> bool:
        return bool(self.webhook_urls or self.notify_urls)
