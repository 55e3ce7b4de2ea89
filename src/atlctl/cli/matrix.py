"""The authentication matrix as a user reads it (`atlctl auth matrix`, `atlctl PRODUCT --help`),
made from the same rows `auth.select.choose` looks schemes up in, in the order it tries them."""

from __future__ import annotations

from atlctl.products.base import Result

# key in --output json -> column heading in text and csv
COLUMNS = {"product": "Product", "deployment": "Deployment", "credentials": "Credentials given", "auth": "--auth",
           "scheme": "Scheme used", "sent": "How it is sent", "minVersion": "Minimum version",
           "restrictions": "Restrictions", "message": "Message"}
WRAPPED = ("restrictions", "message")  # text output: on lines of their own below the row


def entries(product, needs=None) -> list[dict]:
    """One dict per row of `product`; the first row that matches the credentials and --auth is used.
    With `needs` (an action's capabilities): only the rows that can run such an action."""
    return [{
        "product": product.name,
        "deployment": row.deployment,
        "credentials": row.given,
        "auth": list(row.auth),
        "scheme": row.outcome,
        "sent": row.sent,
        "minVersion": ".".join(map(str, row.min_version)) if row.min_version else None,
        "restrictions": list(row.restrictions),
        "message": _readable(row.message, product.title) if row.scheme is None else None,
    } for row in product.rows if needs is None or _applies(row, needs)]


def _applies(row, needs) -> bool:
    """A row that refuses an action needing `needs` is left out of that action's help; so is anonymous
    access for an action that needs a user."""
    from atlctl.products.base import AUTHENTICATED

    if row.scheme is None:
        return False  # a refusal for the credentials, whatever the action: `auth matrix` lists them
    if row.scheme == "anonymous" and AUTHENTICATED in needs:
        return False
    return not (row.refuses and any(capability in row.refuses for capability in needs))


def _readable(message: str, title: str) -> str:
    from atlctl.auth.select import EITHER

    return message.format(title=title, user="USER", got="", minimum="MIN", version="VERSION", either=EITHER)


def result(entries: list[dict]) -> Result:
    """For --output csv/json (json: the entries as they are)."""
    rows = [{COLUMNS[key]: value for key, value in entry.items()} for entry in entries]
    return Result(data=entries, rows=rows, columns=list(COLUMNS.values()), noun="rows")


def text(entries: list[dict], wanted: str | None = None) -> str:
    """Aligned columns, one row a line; restrictions and refusal messages on lines of their own.
    `wanted`: --columns, by heading or number."""
    from atlctl.actions.render import select_columns

    if not entries:
        return "(no authentication rows)"
    headings = select_columns(list(COLUMNS.values()), wanted)
    chosen = [k for k in COLUMNS if COLUMNS[k] in headings]
    keys = [k for k in chosen if k not in WRAPPED or wanted]
    cells = [{k: _cell(e[k]) for k in COLUMNS} for e in entries]
    widths = {k: max(len(COLUMNS[k]), *(len(c[k]) for c in cells)) for k in keys}
    lines = ["  ".join(COLUMNS[k].ljust(widths[k]) for k in keys).rstrip()]
    for c in cells:
        lines.append("  ".join(c[k].ljust(widths[k]) for k in keys).rstrip())
        lines += [f"    {COLUMNS[k].lower()}: {c[k]}" for k in WRAPPED if c[k] and k not in keys and k in chosen]
    return "\n".join(lines)


def _cell(value) -> str:
    if value is None:
        return ""
    return ", ".join(value) if isinstance(value, list) else str(value)
