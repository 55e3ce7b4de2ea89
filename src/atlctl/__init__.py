"""atlctl: an ACLI-compatible command-line client for Atlassian products and Slack."""

__version__ = "0.1.0"
