"""Slack's Web API in the sandbox, under /slack (standing for https://slack.com)."""
