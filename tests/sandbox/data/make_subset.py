"""Rewrite jira-cloud-openapi-subset.json from Atlassian's document for the paths the sandbox serves.

    PYTHONPATH=src python tests/sandbox/data/make_subset.py [SPEC]

SPEC defaults to /work/shared/fixtures/specs/jira-cloud/jira-cloud-platform.swagger-v3.v3.json.
Kept: each served /rest/api/3 operation's `security` and JSON response schemas, the component
schemas they reference (recursively), without descriptions and examples.
"""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

from atlctl.sandbox.jira import routes
from atlctl.sandbox.jira.deployment import CLOUD

HERE = Path(__file__).parent
DEFAULT = "/work/shared/fixtures/specs/jira-cloud/jira-cloud-platform.swagger-v3.v3.json"
_DROP = {"description", "example", "examples", "externalDocs", "title"}


def _template(path: str) -> str:
    return re.sub(r"\{[^}]+\}", "{}", path)


def _strip(node, refs: set[str], under_properties: bool = False):
    if isinstance(node, dict):
        if "$ref" in node:
            refs.add(node["$ref"].rsplit("/", 1)[1])
        return {k: _strip(v, refs, k == "properties") for k, v in node.items() if under_properties or k not in _DROP}
    if isinstance(node, list):
        return [_strip(v, refs) for v in node]
    return node


def main(source: str) -> None:
    spec = json.loads(Path(source).read_text())
    router = routes.build(CLOUD)
    served: dict[str, set[str]] = {}
    for table in (router._fixed, router._templates):
        for methods in table.values():
            for endpoint in methods.values():
                if endpoint.path.startswith("/rest/api/3/"):
                    served.setdefault(_template(endpoint.path), set()).add(endpoint.method.lower())
    refs: set[str] = set()
    paths = {}
    for path, operations in spec["paths"].items():
        methods = served.get(_template(path), set())
        kept = {}
        for method in sorted(methods & operations.keys()):
            operation = operations[method]
            responses = {}
            for status, answer in operation.get("responses", {}).items():
                content = answer.get("content", {}).get("application/json")
                responses[status] = {"content": {"application/json": _strip(content, refs)}} if content else {}
            kept[method] = {"responses": responses, "security": operation.get("security", [])}
        if kept:
            paths[path] = kept
    schemas, todo = {}, sorted(refs)
    while todo:
        name = todo.pop()
        if name in schemas:
            continue
        more: set[str] = set()
        schemas[name] = _strip(spec["components"]["schemas"][name], more)
        todo += sorted(more - schemas.keys())
    out = {"openapi": spec["openapi"], "info": {k: spec["info"][k] for k in ("title", "version", "license")},
           "paths": dict(sorted(paths.items())), "components": {"schemas": dict(sorted(schemas.items()))}}
    (HERE / "jira-cloud-openapi-subset.json").write_text(json.dumps(out, indent=1, sort_keys=False) + "\n")


if __name__ == "__main__":
    main(sys.argv[1] if len(sys.argv) > 1 else DEFAULT)
