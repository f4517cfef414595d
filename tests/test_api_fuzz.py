"""Property-based API testing with schemathesis: cases generated from the app's own OpenAPI description.

Runs over the sample store through the ASGI transport (no socket), a bounded number of examples per
operation. Checks: no 5xx, and the response conforms to the description (status code documented,
content type, body schema). Generated ids only ever reach 404s, so every operation is also called
with real ids and matching filters, and those 200s are validated against their schemas too. Then the security requirements of docs/api.md that tests/test_api.py
does not already cover: path traversal, CSP on HTML pages, size and page limits, loopback default,
no write methods.
"""

from __future__ import annotations

import pytest
import schemathesis
from fastapi.testclient import TestClient
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.core.failures import FailureGroup
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from newsgraph.api import create_app
from newsgraph.api.app import MAX_BODY_BYTES, MAX_PATH_BYTES, MAX_QUERY_BYTES, SECURITY_HEADERS
from newsgraph.store import queries

MAX_EXAMPLES = 20
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def app(sample_db):
    return create_app(sample_db)


@pytest.fixture(scope="module")
def api_schema(app):
    return schemathesis.openapi.from_asgi("/openapi.json", app)


def _check_operation(operation, mode: GenerationMode) -> int:
    """Up to MAX_EXAMPLES generated requests to one operation; raises on the first failed check."""
    sent = []

    @given(operation.as_strategy(generation_mode=mode))
    @settings(max_examples=MAX_EXAMPLES, deadline=None, derandomize=True, database=None,
              suppress_health_check=list(HealthCheck), phases=[Phase.explicit, Phase.generate, Phase.shrink])
    def run(case) -> None:
        sent.append(case.call_and_validate(checks=CHECKS).status_code)

    run()
    return len(sent)


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE], ids=lambda m: m.value)
def test_api_conforms_to_its_openapi_description(api_schema, mode):
    """Valid requests (positive) and requests that break the description (negative): never a 5xx,
    and every answer is documented in the description (status code, content type, body schema)."""
    failures, tried, requests = {}, 0, 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        if mode is GenerationMode.NEGATIVE and not any(True for _ in operation.iter_parameters()):
            continue  # nothing to break: no parameters and no body
        tried += 1
        try:
            requests += _check_operation(operation, mode)
        except (Exception, FailureGroup) as exc:  # collect every operation's failure, not just the first
            failures[operation.label] = f"{type(exc).__name__}: {exc}"[:1500]
    print(f"\nschemathesis {mode.value}: {tried} operations, {requests} requests, {len(failures)} failing")
    assert tried >= 10
    assert not failures, "\n\n".join(f"{label}: {text}" for label, text in failures.items())


def _real_cases(app) -> dict[str, list[dict]]:
    """Per path template, the parameters of requests that reach real records (random ids only ever 404)."""
    with TestClient(app) as c:
        def ids(kind: str, **params) -> list[str]:
            return [r["id"] for r in c.get(f"/api/{kind}", params={"limit": 200, **params}).json()["items"]]

        records = {"doc_id": ids("documents")[:12], "entity_id": ids("entities")[:12], "event_id": ids("events")[:25],
                   "claim_id": ids("claims"), "story_id": ids("stories")}
        top_entity, top_story = records["entity_id"][0], records["story_id"][0]
    cases: dict[str, list[dict]] = {"/api/search": [{"query": {"q": q}} for q in ("carrier", "japan navy", "said")]}
    for name, values in records.items():
        cases[name] = [{"path_parameters": {name: v}} for v in values]
    for lists in ("/api/documents", "/api/entities", "/api/events", "/api/quotes", "/api/claims", "/api/stories"):
        cases[lists] = [{"query": {"limit": 200}}, {"query": {"limit": 3, "offset": 3}},
                        {"query": {"entity": top_entity}}, {"query": {"story": top_story}}]
    cases["/api/entities"].append({"query": {"type": "person"}})
    cases["/api/claims"].append({"query": {"status": "Conflict"}})
    return cases


def test_responses_with_real_records_conform(app, api_schema):
    """Every operation called with real ids and filters that match: the 200s (detail pages included,
    which generated ids never reach) are validated against their response schemas."""
    cases, checked = _real_cases(app), 0
    for result in api_schema.get_all_operations():
        operation = result.ok()
        names = [p.name for p in operation.iter_parameters() if p.location == "path"]
        declared = {p.name for p in operation.iter_parameters() if p.location == "query"}
        wanted = cases.get(names[0], []) if names else cases.get(operation.path, [{}])
        for kwargs in (k for k in wanted if set(k.get("query", {})) <= declared):
            response = operation.Case(**kwargs).call_and_validate(checks=CHECKS)
            assert response.status_code == 200, (operation.label, kwargs, response.text[:300])
            checked += 1
    assert checked >= 100


# --------------------------------------------------------------------------- security requirements


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def ids(client) -> dict[str, str]:
    """One real id of each kind, to reach the detail pages."""
    return {kind: client.get(f"/api/{kind}", params={"limit": 1}).json()["items"][0]["id"]
            for kind in ("documents", "entities", "stories")}


PASSWD_MARKER = "root:"
TRAVERSALS = [
    "/static/../../etc/passwd",
    "/static/%2e%2e/%2e%2e/etc/passwd",
    "/static/..%2f..%2f..%2fetc%2fpasswd",
    "/static/css/..%2f..%2f..%2f..%2fapi%2fapp.py",
    "/static/%2fetc%2fpasswd",
    "/static//etc/passwd",
    "/docs/assets/..%2f..%2f..%2f..%2fetc%2fpasswd",
    "/api/documents/..%2f..%2fetc%2fpasswd",
    "/api/documents/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "/documents/..%2f..%2fetc%2fpasswd",
    "/entities/%2e%2e%2fsettings.py",
]


@pytest.mark.parametrize("url", TRAVERSALS)
def test_no_file_is_read_by_a_user_supplied_path(client, url):
    response = client.get(url)
    assert response.status_code in (400, 404), (url, response.status_code)
    assert PASSWD_MARKER not in response.text and "import " not in response.text


def test_static_files_come_only_from_the_fixed_table(client):
    assert client.get("/static/css/app.css").status_code == 200
    assert client.get("/static/css/missing.css").status_code == 404
    assert client.get("/static/").status_code == 404


@pytest.mark.parametrize("page", ["/", "/search?q=carrier", "/relations", "/documents/{documents}",
                                  "/entities/{entities}", "/stories/{stories}", "/stories/unknown_story",
                                  "/static/css/app.css", "/api/search?q=carrier", "/api/stories/{stories}"])
def test_strict_csp_on_pages_and_api(client, ids, page):
    response = client.get(page.format(**ids))
    assert response.status_code in (200, 404)
    csp = response.headers["content-security-policy"]
    assert csp == SECURITY_HEADERS["content-security-policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert directives["script-src"] == "'self'" and directives["object-src"] == "'none'"
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp and "*" not in csp
    assert response.headers["x-frame-options"] == "DENY"


def test_html_pages_hold_no_inline_script(client, ids):
    """The CSP forbids inline scripts; a page that relied on one would silently break."""
    for page in ("/", f"/stories/{ids['stories']}", f"/documents/{ids['documents']}", "/docs"):
        html = client.get(page).text
        for tag in html.split("<script")[1:]:
            head, _, rest = tag.partition(">")
            body = rest.split("</script>", 1)[0]
            assert "src=" in head or 'type="application/json"' in head or not body.strip(), (page, head)
        assert " onclick=" not in html and " onload=" not in html and "javascript:" not in html


def test_long_paths_and_bodies_are_refused(client):
    long_path = client.get("/api/documents/" + "d" * (MAX_PATH_BYTES + 1))
    assert long_path.status_code == 414
    on_page = client.get("/search?q=" + "w" * (MAX_QUERY_BYTES + 1))
    assert on_page.status_code == 414 and "content-security-policy" in on_page.headers
    # Just under the limit: a declared parameter repeated (unknown names are a 422 of their own).
    repeated = [("outlet", "x" * 180)] * ((MAX_QUERY_BYTES - 100) // 188)
    at_limit = client.get("/api/documents", params=repeated)
    assert at_limit.status_code == 200 and len(str(at_limit.url.query)) > MAX_QUERY_BYTES - 300
    chunked = client.post("/api/search", content=iter([b"x" * 4096] * (MAX_BODY_BYTES // 4096 + 2)))
    assert chunked.status_code == 413
    assert client.post("/api/search", headers={"content-length": "abc"}, content=b"").status_code == 413


@pytest.mark.parametrize("kind", ["entities", "events", "quotes", "claims", "stories", "search"])
def test_page_size_over_the_maximum_is_422(client, kind):
    params = {"limit": queries.MAX_LIMIT + 1} | ({"q": "carrier"} if kind == "search" else {})
    assert client.get(f"/api/{kind}", params=params).status_code == 422
    params["limit"] = queries.MAX_LIMIT
    assert client.get(f"/api/{kind}", params=params).status_code == 200


@pytest.mark.parametrize("method", ["post", "put", "patch", "delete"])
@pytest.mark.parametrize("url", ["/api", "/api/stories/{stories}", "/api/search?q=x", "/", "/stories/{stories}",
                                 "/static/css/app.css"])
def test_write_methods_are_not_allowed(client, ids, method, url):
    response = getattr(client, method)(url.format(**ids))
    assert response.status_code == 405, (method, url, response.status_code)


def test_serve_binds_to_loopback_by_default():
    from typer.testing import CliRunner

    from newsgraph.cli.main import app as cli

    help_text = " ".join(CliRunner().invoke(cli, ["serve", "--help"], env={"COLUMNS": "200"}).output.split())
    assert "--host" in help_text and "[default: 127.0.0.1]" in help_text
