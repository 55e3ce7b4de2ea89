"""The one list of products. Each entry is the module of a product's declaration (a `PRODUCT`,
see products/base.py), imported on first use: naming a product loads nothing else."""

from __future__ import annotations

import importlib

from atlctl.errors import ParameterError

PRODUCTS = {
    "jira": "atlctl.products.jira.product",
    "confluence": "atlctl.products.confluence.product",
    "bitbucket": "atlctl.products.bitbucket.product",
    "bitbucket_cloud": "atlctl.products.bitbucket_cloud.product",
    "slack": "atlctl.products.slack.product",
}


def names() -> list[str]:
    return sorted(PRODUCTS)


def product(name: str):
    """The declaration of product `name` (a key of PRODUCTS)."""
    if name not in PRODUCTS:
        raise ParameterError(f"Unknown product: {name}. Valid products: {', '.join(names())}.")
    return importlib.import_module(PRODUCTS[name]).PRODUCT


def client_name(word: str) -> tuple[str, str | None] | None:
    """(product, deployment it implies) for an ACLI client name such as `jira` or `jiracloud`; None if
    the word is none. The product's own key is always one of its names."""
    word = word.lower()
    if word in PRODUCTS:
        return word, product(word).clients.get(word)
    for name in PRODUCTS:
        declared = product(name)
        if word in declared.clients:
            return name, declared.clients[word]
    return None


def client_names() -> list[str]:
    return sorted({name for key in PRODUCTS for name in (key, *product(key).clients)})
