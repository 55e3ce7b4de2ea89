"""Bitbucket Cloud's entry in the sandbox registry: no start-up options; create() loads the
implementation."""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from atlctl.sandbox.product import Environment, Product

OPTIONS = ()


def create(env: Environment) -> list[Product]:
    """Bitbucket Cloud under /bitbucket-cloud, standing for https://api.bitbucket.org."""
    from atlctl.sandbox.bitbucket_cloud.product import BitbucketCloud

    return [BitbucketCloud(env)]
