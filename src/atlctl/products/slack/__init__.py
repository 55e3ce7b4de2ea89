"""Slack's Web API (https://slack.com/api/<method>), with bot (xoxb-) and user (xoxp-) tokens."""
