"""The sandbox: a local Jira Data Center and Jira Cloud with their real authentication behaviour.

It imports nothing from the client side of atlctl; the two meet only over HTTP.
"""
