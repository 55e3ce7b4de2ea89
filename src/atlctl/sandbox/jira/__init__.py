"""Jira Data Center and Jira Cloud, as two configurations of one product implementation."""
