"""Jira's settings under /_sandbox/settings: "jira" (DC) and "jira_cloud" (rate_limit and faults
only, which every product has)."""

from __future__ import annotations

from typing import Any

from atlctl.sandbox.atlassian import ServerSettings
from atlctl.sandbox.settings import Schema, boolean, int_between, version

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
BASIC_SWITCH_VERSION = (8, 16, 0)  # Jira can turn basic auth off natively from 8.16 (§2.3)


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


class JiraSettings(ServerSettings):
    product_name = "Jira"
    basic_switch = BASIC_SWITCH_VERSION
    # What Jira's filters read on Cloud, whose schema lacks the setting.
    version_tuple: tuple[int, int, int] | None = None
    xsrf_legacy = False
