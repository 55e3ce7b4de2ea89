"""The `fake` product: actions that need no server (actions.py), for testing the bulk engine."""
