"""Bitbucket Data Center's entry in the sandbox registry: its start-up option, read by the CLI before
anything heavy loads, and create(), which loads the implementation."""

from __future__ import annotations

from typing import TYPE_CHECKING

from atlctl.sandbox.settings import Option, version

if TYPE_CHECKING:
    from atlctl.sandbox.product import Environment, Product

OPTIONS = (Option("bitbucket_version", "8.19.5", "Bitbucket DC version to report and behave as", version),)


def create(env: Environment) -> list[Product]:
    """Bitbucket Data Center under /bitbucket, with its own realm."""
    from atlctl.sandbox.bitbucket.product import BitbucketProduct
    from atlctl.sandbox.bitbucket.resources import build

    return [BitbucketProduct(env, build())]
