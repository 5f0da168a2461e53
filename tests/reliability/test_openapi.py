"""The app's OpenAPI description (webhooks/openapi.yaml) is valid and matches its routes:
every route the Flask app serves is described, and nothing else is.

Requests generated from the document's schemas are test_schemathesis.py's job.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import schemathesis
import yaml
from jsonschema import Draft4Validator
from werkzeug.routing import IntegerConverter, Rule

from tests.factories.webhooks import make_settings
from webhooks import create_app

SPEC_PATH = Path(__file__).resolve().parents[2] / "webhooks" / "openapi.yaml"
SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())


def resolve(node: Any) -> Any:
    """The node with local `$ref`s replaced and `allOf` merged (enough for this document)."""
    if isinstance(node, list):
        return [resolve(n) for n in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        target: Any = SPEC
        for part in node["$ref"].removeprefix("#/").split("/"):
            target = target[part]
        return resolve(target)
    if "allOf" in node:
        merged: dict[str, Any] = {"type": "object", "properties": {}, "required": []}
        for part in resolve(node["allOf"]):
            merged["properties"].update(part.get("properties", {}))
            merged["required"] += part.get("required", [])
        return merged
    return {key: resolve(value) for key, value in node.items()}


def operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, resolve(operation))
        for path, item in SPEC["paths"].items()
        for method, operation in item.items()
    ]


# --- The document itself -----------------------------------------------------------------------


def test_the_document_is_openapi_3_with_valid_schemas():
    assert SPEC["openapi"].startswith("3.0")
    schemathesis.openapi.from_path(SPEC_PATH).validate()  # against the OpenAPI 3.0 meta-schema
    for name, schema in SPEC["components"]["schemas"].items():
        Draft4Validator.check_schema(resolve(schema)), name
    for path, method, operation in operations():
        assert operation["responses"], (path, method)
        for code in operation["responses"]:
            assert re.fullmatch(r"[1-5][0-9][0-9]", code), (path, method, code)
        body = operation.get("requestBody", {}).get("content", {})
        for media in body.values():
            Draft4Validator.check_schema(media["schema"])


def _rules() -> list[Rule]:
    app = create_app(make_settings("sqlite:///:memory:"))
    return [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]


def _openapi_path(rule: Rule) -> str:
    return re.sub(r"<(?:[^:>]+:)?([a-z_]+)>", r"{\1}", rule.rule)


def _flask_routes() -> set[tuple[str, str]]:
    """Every (path, method) the app serves, static files aside."""
    rules = _rules()
    served = {rule.rule for rule in rules}
    routes = set()
    for rule in rules:
        if rule.rule.endswith("/") and rule.rule.rstrip("/") in served:
            continue  # "/portal/" and "/fhir/R4/" are the same operations as "/portal", "/fhir/R4"
        routes |= {(_openapi_path(rule), m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def test_every_route_is_described_and_nothing_else():
    """A new webhook, page or form needs its entry (and is then fuzzed by schemathesis)."""
    described = {(path, method) for path, method, _ in operations()}
    assert described == _flask_routes()


def test_integer_path_parameters_have_the_routes_bounds():
    """An id the route accepts but the database cannot hold was a 500 (the portal's visits): a
    documented integer maximum must be the route's own (`int(max=...)`), so larger ids 404."""
    for rule in _rules():
        path = _openapi_path(rule)
        for name, converter in rule._converters.items():
            if not isinstance(converter, IntegerConverter):
                continue
            for method in rule.methods - {"HEAD", "OPTIONS"}:
                operation = resolve(SPEC["paths"][path][method.lower()])
                (schema,) = [
                    p["schema"] for p in operation.get("parameters", []) if p["name"] == name
                ]
                assert schema["type"] == "integer", (path, name)
                assert converter.max == schema["maximum"], (path, name, converter.max)
