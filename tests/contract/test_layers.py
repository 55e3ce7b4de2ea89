"""The shape of the tree, read from the source (every import: module level, in functions, under
TYPE_CHECKING): dependencies run one way, no import circles, and no product module is imported from
outside its own folder except through the registries, which name products as strings."""

import ast
import pathlib
import re

import pytest

SRC = pathlib.Path(__file__).resolve().parents[2] / "src"
# Low to high: a module may import its own layer and the layers below it.
LAYERS = ["foundation", "credentials", "auth", "http", "products", "actions", "batch", "cli"]
FOUNDATION = {"atlctl", "atlctl.errors", "atlctl.environment", "atlctl.files", "atlctl.console", "atlctl.redact",
              "atlctl.values"}
ENTRY = {"atlctl.__main__": "cli"}  # `python -m atlctl` is the command line
REGISTRIES = {"atlctl.products.registry", "atlctl.sandbox.registry"}
PRODUCT_NAME = re.compile(r"^atlctl\.(products|sandbox)\.(\w+)")


def _modules() -> dict[str, pathlib.Path]:
    found = {}
    for path in SRC.rglob("*.py"):
        name = ".".join(path.relative_to(SRC).with_suffix("").parts)
        found[name.removesuffix(".__init__")] = path
    return found


MODULES = _modules()


def _imports(path: pathlib.Path) -> set[str]:
    targets = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            targets.update(a.name for a in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and not node.level:
            targets.add(node.module)
            targets.update(f"{node.module}.{a.name}" for a in node.names)
    return {_owner(t) for t in targets if t.startswith("atlctl")} - {None}


def _owner(target: str) -> str | None:
    while target and target not in MODULES:
        target = target.rpartition(".")[0]
    return target or None


EDGES = {name: _imports(path) - {name} for name, path in MODULES.items()}


def layer(module: str) -> str | None:
    if module in FOUNDATION:
        return "foundation"
    if module in ENTRY:
        return ENTRY[module]
    part = module.split(".")[1]
    return part if part in LAYERS else None


def product_folder(module: str) -> str | None:
    """`atlctl.products.jira` for any module in that folder (a package: product modules are folders)."""
    found = PRODUCT_NAME.match(module)
    if found and (SRC / "atlctl" / found[1] / found[2]).is_dir():
        return found[0]
    return None


def test_every_client_module_has_a_layer():
    unplaced = [m for m in MODULES if not m.startswith("atlctl.sandbox") and layer(m) is None]
    assert not unplaced


@pytest.mark.parametrize("module", sorted(m for m in MODULES if not m.startswith("atlctl.sandbox")))
def test_dependencies_run_one_way(module):
    mine = LAYERS.index(layer(module))
    upward = [t for t in EDGES[module] if not t.startswith("atlctl.sandbox") and LAYERS.index(layer(t)) > mine]
    assert not upward, f"{module} ({layer(module)}) imports from layers above it: {upward}"


def test_client_and_sandbox_meet_only_over_http():
    """The one crossing: `atlctl sandbox` starts the sandbox's own command line."""
    crossing = [(m, t) for m, targets in EDGES.items() for t in targets
                if m.startswith("atlctl.sandbox") != t.startswith("atlctl.sandbox") and layer(t) != "foundation"]
    assert crossing == [("atlctl.cli.main", "atlctl.sandbox.cli")]


def test_product_modules_are_imported_only_from_their_own_folder():
    leaks = [(m, t) for m, targets in EDGES.items() for t in targets
             if product_folder(t) and not (m == product_folder(t) or m.startswith(product_folder(t) + "."))]
    assert not leaks


def test_only_the_registries_name_a_product_module():
    """A string naming a product module (for importlib) stands only in the registries."""
    named = []
    for module, path in MODULES.items():
        if module in REGISTRIES or product_folder(module):
            continue
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.Constant) and isinstance(node.value, str) and product_folder(node.value):
                named.append((module, node.value))
    assert not named


def test_no_import_circles():
    index, low, stack, on_stack, circles = {}, {}, [], set(), []

    def visit(v):  # Tarjan's strongly connected components
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in EDGES[v]:
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                circles.append(sorted(component))

    for module in MODULES:
        if module not in index:
            visit(module)
    assert not circles


def test_the_checks_see_imports_in_functions_and_under_type_checking():
    """The parser behind these tests, on a module known to import only inside a function."""
    assert "atlctl.actions.context" in EDGES["atlctl.cli.main"]
    assert "atlctl.http.connection" in EDGES["atlctl.products.base"]  # under TYPE_CHECKING
