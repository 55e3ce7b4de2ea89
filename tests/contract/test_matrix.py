"""`atlctl auth matrix` is the authentication matrix the code runs: the table in DEVELOPERS.md is
listed by it, and every listed row is the one `choose` returns for its credentials."""

import json
import pathlib

import pytest

from atlctl.auth.select import choose, row_for
from atlctl.products import registry
from atlctl.products.base import WEB_SESSION
from tests.helpers import run

ANY_AUTH = ("auto", "basic", "session", "token")  # every --auth value
DEVELOPERS = pathlib.Path(__file__).resolve().parents[2] / "DEVELOPERS.md"
JIRA = registry.product("jira")


def documented_rows() -> list[dict]:
    """The rows of the matrix table in DEVELOPERS.md."""
    text = DEVELOPERS.read_text().split("## The authentication matrix", 1)[1]
    table = text[text.index("| Deployment "):].split("\n\n", 1)[0]  # the first table of the section
    lines = table.splitlines()[2:]  # after the heading and the |---| line
    rows = []
    for line in lines:
        cells = [cell.strip() for cell in line.strip().strip("|").split("|")]
        rows.append({"deployment": cells[0], "credentials": cells[1], "auth": cells[2].split(", "), "scheme": cells[3],
                     "sent": cells[4], "minVersion": cells[5] or None})
    return rows


def matrix_json(*argv) -> list[dict]:
    outcome = run("auth", "matrix", *argv, "--output", "json")
    assert outcome.code == 0, outcome.err
    return json.loads(outcome.out)


def markdown(entries: list[dict]) -> str:
    """The table as DEVELOPERS.md shows it (printed when the two differ, to paste there)."""
    lines = []
    for e in entries:
        note = ("; ".join(e["restrictions"]) or e["message"] or "").replace("|", "&#124;")
        lines.append(f"| {e['deployment']} | {e['credentials']} | {', '.join(e['auth'])} | {e['scheme']} | {e['sent']} "
                     f"| {e['minVersion'] or ''} | {note} |")
    return "\n".join(lines)


def test_the_documented_matrix_is_what_auth_matrix_lists():
    entries = matrix_json("jira")
    listed = [{k: e[k] for k in ("deployment", "credentials", "auth", "scheme", "sent", "minVersion")} for e in entries]
    documented = documented_rows()
    assert len(documented) >= 15
    # every row, in the order choose() tries them
    assert documented == listed, "DEVELOPERS.md's matrix should read:\n" + markdown(entries)


def test_rows_are_well_formed():
    from atlctl.auth.select import GIVEN

    for name in registry.names():
        for row in registry.product(name).rows:
            assert row.given in GIVEN and row.deployment in registry.product(name).deployments
            assert row.min_version is None or all(isinstance(n, int) for n in row.min_version)
            assert all(isinstance(text, str) for text in row.restrictions)
            assert (row.scheme is None) == (row.error is not None), row
            assert row.scheme is not None or row.message, row


@pytest.mark.parametrize("index", range(len(JIRA.rows)))
def test_each_listed_row_is_the_one_choose_returns(index):
    entry, row = matrix_json("jira")[index], JIRA.rows[index]
    assert (entry["deployment"], entry["credentials"], entry["auth"]) == (row.deployment, row.given, list(row.auth))
    creds = row.example_credentials
    for requested in row.auth:
        assert row_for(JIRA.rows, row.deployment, creds, requested) is row, (requested, creds)
        if row.scheme is None:
            with pytest.raises(row.error):
                choose(JIRA, row.deployment, row.min_version, creds, requested)
        elif row.scheme != "anonymous":
            choice = choose(JIRA, row.deployment, row.min_version, creds, requested)
            assert (choice.scheme, choice.row) == (row.scheme, row)
            assert entry["scheme"] == choice.scheme


def test_every_credential_and_auth_combination_has_a_row():
    """No combination falls through the table: each is a scheme or a refusal with a message."""
    from atlctl.auth.select import GIVEN

    for name in registry.names():
        product = registry.product(name)
        for deployment in product.deployments:
            for _, example in GIVEN.values():
                for requested in ANY_AUTH:
                    row = row_for(product.rows, deployment, example, requested)
                    assert row.scheme is not None or (row.error and row.message)


def test_session_rows_have_a_session_strategy():
    for name in registry.names():
        product = registry.product(name)
        for row in product.rows:
            if row.scheme == "session" or (row.upgrades and "session" in row.upgrades.values()):
                assert product.session(row.deployment) is not None, (name, row)


def test_the_chosen_row_refuses_what_it_says():
    token_row = row_for(JIRA.rows, "server", registry.product("jira").rows[1].example_credentials, "auto")
    assert WEB_SESSION in token_row.refuses


def test_text_csv_and_product_help_show_the_same_rows():
    text = run("auth", "matrix", "jira")
    assert text.code == 0 and "Authorization: Bearer TOKEN" in text.out and "8.14" in text.out
    csv = run("auth", "matrix", "jira", "--output", "csv")
    assert csv.code == 0 and csv.out.splitlines()[0].startswith("Product,Deployment,Credentials given,--auth")
    assert len(csv.out.strip().splitlines()) == len(JIRA.rows) + 1
    cloud = run("auth", "matrix", "jiracloud", "--output", "csv", "--columns", "Deployment")
    assert set(cloud.out.split()) == {"Deployment", "cloud"}  # an ACLI client name implying Cloud: its rows
    helped = run("jira", "--help")
    assert "Authentication (the first row that matches is used" in helped.out
    assert "Authorization: Basic email:api-token" in helped.out


def test_unknown_product():
    outcome = run("auth", "matrix", "jora")
    assert outcome.code == 254 and "Unknown product: jora" in outcome.err and "jira" in outcome.err


def test_every_product_declares_what_the_core_calls():
    """The auth commands verify a profile with getServerInfo and getCurrentUser; schemes map to flows."""
    from atlctl.actions.registry import REGISTRY
    from atlctl.auth.schemes import SCHEMES

    for name in registry.names():
        product = registry.product(name)
        assert REGISTRY.find(name, "getServerInfo") and REGISTRY.find(name, "getCurrentUser")
        assert name in product.clients and set(product.clients.values()) <= {None, *product.deployments}
        for row in product.rows:
            assert row.scheme in (None, "anonymous", *SCHEMES), row
            for target in (row.upgrades or {}).values():  # an upgrade lands on a row that works
                upgraded = row_for(product.rows, row.deployment, row.example_credentials, target)
                assert upgraded.scheme in SCHEMES, (row, upgraded)


def test_a_product_without_rows_still_has_help():
    from atlctl.cli.matrix import text

    assert text([]) == "(no authentication rows)"


def test_acli_import_knows_each_product_by_its_client_names():
    from atlctl.credentials.acli import CLIENTS

    for name in registry.names():
        for client, deployment in registry.product(name).clients.items():
            assert CLIENTS[client] == (name, deployment)


def test_columns_pick_what_the_text_table_shows():
    outcome = run("auth", "matrix", "jira", "--columns", "Credentials given,Scheme used")
    lines = outcome.out.splitlines()
    assert outcome.code == 0 and lines[0].split() == ["Credentials", "given", "Scheme", "used"]
    assert len(lines) == len(JIRA.rows) + 1 and not any("message:" in line for line in lines)
