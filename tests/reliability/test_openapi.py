"""The app's OpenAPI description (webhooks/openapi.yaml) matches its routes, and requests
generated from its schemas get only the answers it declares.

Schemathesis is the usual tool for the second part; it is not in the lock file, so this is a
small hypothesis-based equivalent: for each operation, form bodies and query parameters are
drawn from the document's schemas (positive: values that conform; negative: any text, missing
required fields), Twilio requests are signed and console requests carry a session and a CSRF
token, and every answer's status code and content type must be among those declared.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path
from typing import Any

import pytest
import schemathesis
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft4Validator

from assistant.demo.seed import seed_demo
from assistant.unit_of_work import UnitOfWork
from tests.reliability.conftest import EXAMPLES, ScriptedRasa, Twilio
from tests.reliability.test_hostile_webhooks import hostile_text
from tests.webhooks.conftest import make_settings
from webhooks import create_app

SPEC_PATH = Path(__file__).resolve().parents[2] / "webhooks" / "openapi.yaml"
SPEC: dict[str, Any] = yaml.safe_load(SPEC_PATH.read_text())
FUZZ = settings(
    max_examples=EXAMPLES,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FORM = "application/x-www-form-urlencoded"


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


def _flask_routes() -> set[tuple[str, str]]:
    """Every (path, method) the app serves, static files aside."""
    app = create_app(make_settings("sqlite:///:memory:"))
    rules = [rule for rule in app.url_map.iter_rules() if rule.endpoint != "static"]
    served = {rule.rule for rule in rules}
    routes = set()
    for rule in rules:
        if rule.rule.endswith("/") and rule.rule.rstrip("/") in served:
            continue  # "/portal/" and "/fhir/R4/" are the same operations as "/portal", "/fhir/R4"
        path = re.sub(r"<(?:[^:>]+:)?([a-z_]+)>", r"{\1}", rule.rule)
        routes |= {(path, m.lower()) for m in rule.methods - {"HEAD", "OPTIONS"}}
    return routes


def test_every_route_is_described_and_nothing_else():
    """A new webhook, page or form needs its entry (and is then fuzzed by schemathesis)."""
    described = {(path, method) for path, method, _ in operations()}
    assert described == _flask_routes()


# --- Requests drawn from the schemas -----------------------------------------------------------

SAMPLE_URI = st.sampled_from(["https://api.twilio.com/2010-04-01/Accounts/AC1/Recordings/RE1"])


def value_for(schema: dict[str, Any], negative: bool) -> st.SearchStrategy[str]:
    """A string for a form field or query parameter (all of them are strings on the wire)."""
    if negative:
        return st.one_of(hostile_text, value_for(schema, negative=False))
    if "enum" in schema:
        return st.sampled_from([str(v) for v in schema["enum"]])
    if schema.get("type") == "integer":
        return st.integers(schema.get("minimum", 0), schema.get("maximum", 10**6)).map(str)
    if schema.get("format") == "date":
        return st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)).map(str)
    if schema.get("format") == "uri":
        return SAMPLE_URI
    if "pattern" in schema:
        return st.from_regex(schema["pattern"].replace("^", r"\A").replace("$", r"\Z"))
    return st.text(max_size=min(schema.get("maxLength", 200), 200)).filter(
        lambda s: "\x00" not in s
    )


def form_for(schema: dict[str, Any], negative: bool) -> st.SearchStrategy[dict[str, str]]:
    if schema.get("anyOf"):  # one of several sets of required fields
        return st.one_of(
            form_for(
                {**schema, "anyOf": None, "required": schema.get("required", []) + b["required"]},
                negative,
            )
            for b in schema["anyOf"]
        )
    properties = schema.get("properties", {})
    required = [name for name in schema.get("required", []) if name != "csrf_token"]
    optional = [name for name in properties if name not in required and name != "csrf_token"]
    strategies = {name: value_for(properties[name], negative) for name in required}
    base = st.fixed_dictionaries(
        strategies, optional={n: value_for(properties[n], negative) for n in optional}
    )
    if not negative:
        return base
    # negative: a required field may also be missing
    return st.tuples(base, st.lists(st.sampled_from(required or [""]), max_size=1)).map(
        lambda pair: {k: v for k, v in pair[0].items() if k not in pair[1]}
    )


def query_for(
    operation: dict[str, Any], negative: bool, where: str = "query"
) -> st.SearchStrategy[dict[str, str]]:
    params = [p for p in operation.get("parameters", []) if p["in"] == where]
    required = {p["name"]: value_for(p["schema"], negative) for p in params if p.get("required")}
    optional = {
        p["name"]: value_for(p["schema"], negative) for p in params if not p.get("required")
    }
    return st.fixed_dictionaries(required, optional=optional)


def check_declared(operation: dict[str, Any], response, label: str) -> None:
    declared = operation["responses"]
    code = str(response.status_code)
    assert code in declared, f"{label}: {code} is not declared ({sorted(declared)})"
    content = declared[code].get("content")
    if content and response.get_data():
        assert response.mimetype in content, f"{label}: {response.mimetype} for {code}"


TWILIO_OPERATIONS = [(p, m, o) for p, m, o in operations() if p.startswith("/twilio/")]
CONSOLE_GETS = [
    (p, o)
    for p, m, o in operations()
    if p.startswith("/console/") and m == "get" and p != "/console/"
]
CONSOLE_TASK_POSTS = [
    (p, o) for p, m, o in operations() if p.startswith("/console/tasks/") and m == "post"
]


@pytest.fixture
def twilio(sqlite_url: str, scripted_rasa: ScriptedRasa) -> Twilio:
    with UnitOfWork(sqlite_url) as uow:
        seed_demo(uow.session, today=date(2026, 11, 23))
        uow.commit()
    return Twilio(create_app(make_settings(sqlite_url, RASA_URL=scripted_rasa.url)).test_client())


def _url(path: str, query: dict[str, str]) -> str:
    from urllib.parse import urlencode

    return f"{path}?{urlencode(query)}" if query else path


@pytest.mark.parametrize("negative", [False, True], ids=["positive", "negative"])
@pytest.mark.parametrize(
    "path,operation",
    [(p, o) for p, _m, o in TWILIO_OPERATIONS],
    ids=[p for p, _m, _o in TWILIO_OPERATIONS],
)
@FUZZ
@given(data=st.data())
def test_twilio_operations_answer_only_what_they_declare(twilio, path, operation, negative, data):
    schema = operation.get("requestBody", {}).get("content", {}).get(FORM, {}).get("schema", {})
    form = data.draw(form_for(schema, negative), label="form")
    url = _url(path, data.draw(query_for(operation, negative), label="query"))
    response = twilio.post(url, form)
    check_declared(operation, response, url)
    if not negative:
        assert response.status_code in (200, 204), (url, form, response.status_code)


@pytest.fixture
def console(twilio: Twilio):
    client = twilio.client
    token = _csrf(client, "/console/login")
    client.post(
        "/console/login",
        data={
            "email": "manager@riverside.example",
            "password": "demo-manager",
            "csrf_token": token,
        },
    )
    return client


def _csrf(client, path: str) -> str:
    page = client.get(path).get_data(as_text=True)
    return re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)


def _fill_path(path: str, values: dict[str, str]) -> str:
    return re.sub(r"\{([a-z_]+)\}", lambda m: values[m.group(1)], path)


@pytest.mark.parametrize("negative", [False, True], ids=["positive", "negative"])
@pytest.mark.parametrize("path,operation", CONSOLE_GETS, ids=[p for p, _o in CONSOLE_GETS])
@FUZZ
@given(data=st.data())
def test_console_pages_answer_only_what_they_declare(console, path, operation, negative, data):
    values = data.draw(query_for(operation, False, where="path"), label="path")
    query = data.draw(query_for(operation, negative), label="query")
    url = _url(_fill_path(path, values), query)
    response = console.get(url)
    check_declared(operation, response, url)


@pytest.mark.parametrize(
    "path,operation", CONSOLE_TASK_POSTS, ids=[p for p, _o in CONSOLE_TASK_POSTS]
)
@FUZZ
@given(data=st.data())
def test_console_forms_answer_only_what_they_declare(console, path, operation, data):
    task = data.draw(st.sampled_from(["1", "2", "3", "999999"]), label="task")
    schema = operation["requestBody"]["content"][FORM]["schema"]
    form = data.draw(form_for(schema, negative=True), label="form")
    form["csrf_token"] = _csrf(console, "/console/queue")
    url = _fill_path(path, {"task_id": task})
    response = console.post(url, data=form)
    check_declared(operation, response, url)
