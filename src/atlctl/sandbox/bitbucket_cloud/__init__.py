"""Bitbucket Cloud (API 2.0) in the sandbox, under /bitbucket-cloud."""
