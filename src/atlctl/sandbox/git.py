"""Git's own rules, which both Bitbucket sandboxes apply to the names they are given."""

from __future__ import annotations

REF_FORBIDDEN = frozenset(" ~^:?*[\\\x7f") | frozenset(map(chr, range(0x20)))


def valid_branch(name: str) -> bool:
    """`git check-ref-format --branch`: refs/heads/NAME is a valid ref, and NAME neither starts with
    a hyphen nor is HEAD (git-check-ref-format(1), the rules in order)."""
    parts = name.split("/")
    return not (
        any(p.startswith(".") or p.endswith(".lock") for p in parts)  # 1
        or ".." in name  # 3
        or any(ch in REF_FORBIDDEN for ch in name)  # 4, 5 and 10
        or "" in parts  # 6: no leading or trailing slash, none doubled (and not empty)
        or name.endswith(".")  # 7
        or "@{" in name or name == "@"  # 8, 9
        or name.startswith("-") or name == "HEAD"  # --branch
    )
