"""The sandbox: local emulations of the products atlctl talks to (registry.py lists them), with their
real authentication behaviour.

It imports nothing from the client side of atlctl; the two meet only over HTTP.
"""
