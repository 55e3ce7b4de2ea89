"""Jira's settings under /_sandbox/settings: "jira" (DC) and "jira_cloud" (rate_limit and faults
only, which every product has)."""

from __future__ import annotations

from typing import Any

from atlctl.sandbox.settings import Schema, Settings, SettingsError, boolean, int_between, parse_version, version

DC_SCHEMA: Schema = {
    "version": version,
    "websudo": boolean,
    "websudo_idle_seconds": int_between(1, 86400),
    "basic_auth": boolean,
    "session_idle_seconds": int_between(1, 30 * 86400),
    "captcha_threshold": int_between(1, 1000),
    "xsrf_legacy": boolean,
}
CLOUD_SCHEMA: Schema = {}


def dc_defaults(jira_version: str) -> dict[str, Any]:
    return {
        "version": jira_version,
        "websudo": True,
        "websudo_idle_seconds": 600,  # Jira's secure administrator session timeout
        "basic_auth": True,
        "session_idle_seconds": 300 * 60,  # Jira's web.xml session-timeout (300 minutes)
        "captcha_threshold": 3,  # Jira's default maximum authentication attempts
        "xsrf_legacy": False,  # atlassian.rest.xsrf.legacy.enabled: XSRF failures are 404 (§0.4)
    }


class JiraSettings(Settings):
    # What Jira's filters read on Cloud, whose schema lacks the setting.
    version_tuple: tuple[int, int, int] | None = None
    xsrf_legacy = False

    def apply(self, values: dict[str, Any]) -> None:
        super().apply(values)
        if "version" in values:
            self.version_tuple = parse_version(self.version)

    def check_together(self, values: dict[str, Any]) -> None:
        # Turning basic auth off is a Jira 8.16+ feature; an older version cannot have it off.
        if values.get("basic_auth") is False and parse_version(values["version"]) < (8, 16, 0):
            raise SettingsError("basic_auth: false needs version 8.16.0 or later (Jira added the switch in 8.16)")
