"""Every route answers every bad request with the one JSON error shape, a catalogue code and a 4xx.

The routes are walked from the application itself, so a route added later is checked too: each gets
a request with a method it does not allow, each query parameter gets a value it cannot take, and an
unknown parameter is refused. Nothing may answer 500 or with another shape.
"""

from __future__ import annotations

import re
from typing import Any

import httpx
import pytest
from fastapi.routing import APIRoute
from starlette.routing import Mount

from flashpoint.errors import Errors
from flashpoint.web import create_app
from flashpoint.web.errors import STATUS

pytestmark = pytest.mark.slow

CATALOGUE = {name for name in vars(Errors) if re.fullmatch(r"E\d{3}", name)}
PATH_SAMPLES = {"story_id": "test-01"}  # a real value for each path parameter
BAD_VALUES = {"integer": "not-a-number", "boolean": "maybe", "string": "x" * 1000}


def check_error(response: httpx.Response, what: str) -> dict[str, Any]:
    assert 400 <= response.status_code < 500, f"{what}: {response.status_code} {response.text[:300]}"
    body = response.json()
    assert list(body) == ["error"], what
    error = body["error"]
    assert set(error) == {"code", "status", "message", "param"}, what
    assert error["code"] in CATALOGUE, what
    assert error["status"] == response.status_code == STATUS.get(error["code"], 422), (what, error)
    assert error["message"].strip(), what
    return error


def flatten(routes: list[Any]) -> list[Any]:
    """The app's routes, with those of included routers (FastAPI wraps them) listed in place."""
    out = []
    for route in routes:
        inner = getattr(route, "original_router", None)
        out.extend(flatten(list(inner.routes)) if inner is not None else [route])
    return out


@pytest.fixture(scope="module")
def routes(corpus) -> list[Any]:  # type: ignore[no-untyped-def]
    app = create_app(str(corpus.path), warm=False)
    try:
        return flatten(list(app.routes))
    finally:
        app.state.web.db.close()


def concrete(path: str) -> str:
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: PATH_SAMPLES[m.group(1)], path)


def test_the_openapi_document_lists_every_api_route(routes, client: httpx.Client) -> None:  # type: ignore[no-untyped-def]
    spec = client.get("/openapi.json").json()
    api = {
        route.path.replace(":path}", "}")
        for route in routes
        if isinstance(route, APIRoute) and route.include_in_schema
    }
    assert set(spec["paths"]) == api
    assert all(path.startswith("/api/") for path in api)


def test_every_route_refuses_a_method_it_does_not_allow(routes, client: httpx.Client) -> None:  # type: ignore[no-untyped-def]
    checked = 0
    for route in routes:
        if isinstance(route, APIRoute):
            method = "PUT" if "PUT" not in route.methods else "PATCH"
            error = check_error(client.request(method, concrete(route.path)), f"{method} {route.path}")
            assert error["code"] == "E309"
            checked += 1
        elif isinstance(route, Mount):
            check_error(client.get(f"{route.path}/no-such-file.js"), route.path)
    assert checked >= 15


def test_every_query_parameter_refuses_a_value_it_cannot_take(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    checked = 0
    for path, operations in spec["paths"].items():
        for method, operation in operations.items():
            url = concrete(path)
            params = [p for p in operation.get("parameters", []) if p["in"] == "query"]
            for param in params:
                schema = param["schema"]
                kinds = [option.get("type") for option in schema.get("anyOf", [schema])]
                kind = next(k for k in kinds if k and k != "null")
                value = "not-one-of-them" if "enum" in schema else BAD_VALUES[kind]
                what = f"{method.upper()} {path}?{param['name']}={value[:20]}"
                error = check_error(client.request(method, url, params={param["name"]: value}), what)
                assert error["param"] == param["name"], what
                checked += 1
            if params:
                check_error(client.request(method, url, params={"no_such_parameter": "1"}), f"{path} unknown")
    assert checked >= 60


def test_a_path_parameter_out_of_bounds(client: httpx.Client) -> None:
    check_error(client.get("/api/articles/" + "s" * 600), "long story id")
    check_error(client.get("/api/articles/nope/nothing"), "missing story with a slash")


def test_every_json_body_refuses_broken_json(client: httpx.Client) -> None:
    spec = client.get("/openapi.json").json()
    bodies = [
        (path, method)
        for path, ops in spec["paths"].items()
        for method, op in ops.items()
        if "requestBody" in op
    ]
    assert bodies
    for path, method in bodies:
        for broken in (b"{", b"", b"[1, 2", b'{"page": }'):
            response = client.request(
                method, path, content=broken, headers={"content-type": "application/json"}
            )
            check_error(response, f"{path} body {broken!r}")
