"""The typed API and the HTTP behaviour every route shares (newsgraph.api.params, .http, .errors).

Unknown parameters, case-insensitive filters, paging links, HEAD/OPTIONS, ETag/304, gzip, CORS,
the OpenAPI description's types, and HTML error pages for browser routes (JSON under /api/).
"""

from __future__ import annotations

import gzip
import re

import httpx
import pytest
import typer
from fastapi.testclient import TestClient

from newsgraph.api import create_app
from newsgraph.api.app import SECURITY_HEADERS
from newsgraph.api.http import GZIP_MIN_BYTES
from newsgraph.cli.serve import check_origin


@pytest.fixture(scope="module")
def app(sample_db):
    return create_app(sample_db)


@pytest.fixture(scope="module")
def client(app):
    with TestClient(app) as c:
        yield c


@pytest.fixture(scope="module")
def ids(client) -> dict[str, str]:
    out = {}
    for kind, key in (("documents", "doc_id"), ("entities", "entity_id"), ("events", "event_id"),
                      ("claims", "claim_id"), ("stories", "story_id"), ("attributions", "attribution_id"),
                      ("topics", "topic_id")):
        out[key] = client.get(f"/api/{kind}", params={"limit": 1}).json()["items"][0]["id"]
    return out


@pytest.fixture(scope="module")
def openapi(client) -> dict:
    return client.get("/openapi.json").json()


def _get_paths(openapi: dict, ids: dict[str, str]) -> list[str]:
    """Every GET path of the description, with real ids filled in (search gets a query)."""
    paths = []
    for path, ops in openapi["paths"].items():
        if "get" in ops:
            url = path.format(**ids)
            paths.append(url + ("?q=carrier" if url == "/api/search" else ""))
    return paths


# --------------------------------------------------------------------------- the OpenAPI description


def _resolve(openapi: dict, schema: dict) -> dict:
    while "$ref" in schema:
        schema = openapi["components"]["schemas"][schema["$ref"].rsplit("/", 1)[-1]]
    return schema


def test_every_200_has_a_typed_schema(openapi):
    """No endpoint answers an untyped object: each JSON 200 names a model with declared fields."""
    checked = 0
    for path, ops in openapi["paths"].items():
        for method, op in ops.items():
            content = op["responses"]["200"]["content"]
            if "application/json" not in content:
                assert path == "/alerts.atom" and "application/atom+xml" in content
                continue
            schema = content["application/json"]["schema"]
            if schema.get("type") == "array":
                schema = schema["items"]
            resolved = _resolve(openapi, schema)
            assert resolved.get("properties"), (method, path, schema)
            checked += 1
    assert checked >= 18


def test_models_mark_always_present_fields_required(openapi):
    doc = _resolve(openapi, {"$ref": "#/components/schemas/DocumentSummary"})
    assert {"id", "title", "published", "story", "duplicate_of"} <= set(doc["required"])
    page = openapi["paths"]["/api/documents"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    assert {"total", "items", "next", "prev"} <= set(_resolve(openapi, page)["required"])


def test_every_error_answer_is_described(openapi):
    for path, ops in openapi["paths"].items():
        responses = ops["get"]["responses"]
        for status in ("413", "414", "422", "503"):
            assert status in responses, (path, status)
        if "{" in path:
            assert "404" in responses, path


# --------------------------------------------------------------------------- parameters


def test_unknown_parameters_are_422_naming_them(client, openapi, ids):
    for url in _get_paths(openapi, ids):
        sep = "&" if "?" in url else "?"
        response = client.get(f"{url}{sep}stroy=x&colour=red")
        assert response.status_code == 422, url
        named = {tuple(e["loc"]) for e in response.json()["detail"]}
        assert named == {("query", "stroy"), ("query", "colour")}, url


def test_unknown_parameter_message_suggests_the_close_name(client):
    detail = client.get("/api/documents?stroy=x").json()["detail"][0]
    assert "'stroy'" in detail["msg"] and "did you mean 'story'" in detail["msg"]
    assert "limit" in detail["msg"] and "offset" in detail["msg"]  # paging parameters count as declared


def test_browser_pages_ignore_unknown_parameters(client, ids):
    assert client.get("/?utm_source=newsletter").status_code == 200
    assert client.get(f"/stories/{ids['story_id']}?ref=mail").status_code == 200


@pytest.mark.parametrize("url, lower, canonical", [
    ("/api/entities", {"type": "person"}, {"type": "PERSON"}),
    ("/api/events", {"modality": "HAPPENED"}, {"modality": "happened"}),
    ("/api/events", {"type": "meet"}, {"type": "MEET"}),
    ("/api/events", {"plover": "Consult"}, {"plover": "CONSULT"}),
    ("/api/claims", {"status": "Conflict"}, {"status": "conflict"}),
])
def test_enum_filters_ignore_letter_case(client, url, lower, canonical):
    folded = client.get(url, params=lower | {"limit": 200})
    exact = client.get(url, params=canonical | {"limit": 200})
    assert folded.status_code == exact.status_code == 200
    assert exact.json()["total"] > 0
    assert [i["id"] for i in folded.json()["items"]] == [i["id"] for i in exact.json()["items"]]


def test_unknown_enum_value_is_still_422(client):
    assert client.get("/api/entities?type=spaceship").status_code == 422


# --------------------------------------------------------------------------- paging


def test_next_links_walk_every_record_once(client):
    every = [d["id"] for d in client.get("/api/documents?limit=200").json()["items"]]
    seen, url, pages = [], "/api/documents?limit=3&duplicates=true", 0
    while url:
        page = client.get(url).json()
        seen += [d["id"] for d in page["items"]]
        url, pages = page["next"], pages + 1
        assert pages <= len(every)
    assert seen == every and pages == -(-len(every) // 3)


def test_link_header_names_first_prev_next_last(client):
    response = client.get("/api/entities?limit=5&offset=5&type=PERSON")
    links = dict((rel, url) for url, rel in re.findall(r'<([^>]+)>; rel="(\w+)"', response.headers["link"]))
    assert set(links) == {"first", "prev", "next", "last"}
    body = response.json()
    assert links["next"] == body["next"] and links["prev"] == body["prev"]
    assert "offset=10" in links["next"] and "offset=0" in links["prev"] and "type=PERSON" in links["next"]
    last = client.get(links["last"]).json()
    assert last["next"] is None and last["offset"] + len(last["items"]) == body["total"]


def test_first_page_has_no_prev(client):
    body = client.get("/api/quotes?limit=2").json()
    assert body["prev"] is None and body["next"]


# --------------------------------------------------------------------------- HEAD, OPTIONS, ETag, gzip


def test_head_answers_like_get_without_a_body(client, openapi, ids):
    pages = ["/", f"/stories/{ids['story_id']}", f"/documents/{ids['doc_id']}", "/static/css/app.css"]
    for url in _get_paths(openapi, ids) + pages:
        get, head = client.get(url), client.head(url)
        assert head.status_code == get.status_code == 200, url
        assert head.content == b"", url
        for name in ("content-type", "etag", "content-length"):
            assert head.headers.get(name) == get.headers.get(name), (url, name)


def test_options_lists_the_allowed_methods(client):
    response = client.options("/api/documents")
    assert response.status_code == 204 and response.headers["allow"] == "GET, HEAD, OPTIONS"
    assert client.options("/api/nothing/here").status_code == 404


def test_etag_and_if_none_match_give_304(client, ids):
    for url in ("/api/documents", f"/api/stories/{ids['story_id']}", f"/stories/{ids['story_id']}",
                "/static/js/common.js"):
        first = client.get(url)
        etag = first.headers["etag"]
        again = client.get(url, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b"", url
        assert again.headers["etag"] == etag
        other = client.get(url, headers={"If-None-Match": '"something-else"'})
        assert other.status_code == 200 and other.content == first.content
    # Weak comparison: the strong form of a weak tag matches too, and * matches anything.
    etag = client.get("/api/facets").headers["etag"]
    assert client.get("/api/facets", headers={"If-None-Match": etag.removeprefix("W/")}).status_code == 304
    assert client.get("/api/facets", headers={"If-None-Match": "*"}).status_code == 304


def test_different_answers_get_different_etags(client):
    a = client.get("/api/documents?limit=2").headers["etag"]
    b = client.get("/api/documents?limit=3").headers["etag"]
    assert a != b


def test_errors_get_no_etag(client):
    response = client.get("/api/documents/nope")
    assert response.status_code == 404 and "etag" not in response.headers


def test_large_answers_are_gzipped(client, ids):
    url = f"/api/stories/{ids['story_id']}"
    raw = client.get(url, headers={"Accept-Encoding": "gzip"}).content  # httpx decodes: compare raw bytes below
    with client.stream("GET", url, headers={"Accept-Encoding": "gzip"}) as response:
        assert response.headers["content-encoding"] == "gzip"
        compressed = b"".join(response.iter_raw())
    assert len(compressed) < len(raw) and gzip.decompress(compressed) == raw
    plain = client.get(url, headers={"Accept-Encoding": "identity"})
    assert "content-encoding" not in plain.headers and plain.content == raw
    with client.stream("GET", "/api/facets", headers={"Accept-Encoding": "gzip"}) as small:
        body = b"".join(small.iter_raw())
    assert len(body) < GZIP_MIN_BYTES and "content-encoding" not in small.headers


# --------------------------------------------------------------------------- CORS


def test_cors_is_off_by_default(client):
    response = client.get("/api/documents", headers={"Origin": "https://elsewhere.example"})
    assert response.status_code == 200 and "access-control-allow-origin" not in response.headers
    preflight = client.options("/api/documents", headers={"Origin": "https://elsewhere.example",
                                                          "Access-Control-Request-Method": "GET"})
    assert "access-control-allow-origin" not in preflight.headers


def test_cors_allows_only_the_listed_origins(sample_db):
    with TestClient(create_app(sample_db, cors_origins=["https://desk.example"])) as c:
        allowed = c.get("/api/documents?limit=1", headers={"Origin": "https://desk.example"})
        assert allowed.headers["access-control-allow-origin"] == "https://desk.example"
        assert "link" in allowed.headers["access-control-expose-headers"].lower()
        other = c.get("/api/documents?limit=1", headers={"Origin": "https://other.example"})
        assert "access-control-allow-origin" not in other.headers
        preflight = c.options("/api/documents", headers={"Origin": "https://desk.example",
                                                         "Access-Control-Request-Method": "GET"})
        assert preflight.status_code == 200
        assert preflight.headers["access-control-allow-origin"] == "https://desk.example"
        refused = c.options("/api/documents", headers={"Origin": "https://desk.example",
                                                       "Access-Control-Request-Method": "DELETE"})
        assert refused.status_code == 400


@pytest.mark.parametrize("origin, expected", [
    ("https://desk.example", "https://desk.example"), ("http://127.0.0.1:3000/", "http://127.0.0.1:3000"),
    ("*", "*"),
])
def test_serve_accepts_origins(origin, expected):
    assert check_origin(origin) == expected


@pytest.mark.parametrize("origin", ["desk.example", "ftp://desk.example", "https://desk.example/app",
                                    "https://user@desk.example", "https://"])
def test_serve_refuses_what_is_not_an_origin(origin):
    with pytest.raises(typer.BadParameter):
        check_origin(origin)


# --------------------------------------------------------------------------- error answers


@pytest.mark.parametrize("url", ["/no/such/page", "/stories/no_such_story", "/documents/no_such_doc",
                                 "/entities/no_such_entity"])
def test_browser_routes_get_html_404(client, url):
    response = client.get(url, headers={"Accept": "text/html"})
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert '<main id="main"' in response.text and '{"detail"' not in response.text
    assert response.headers["content-security-policy"] == SECURITY_HEADERS["content-security-policy"]


def test_stories_path_is_the_story_list(client):
    response = client.get("/stories")
    assert response.status_code == 200 and 'id="stories"' in response.text


@pytest.mark.parametrize("url", ["/api/no/such", "/api/documents/no_such_doc", "/static/nothing.js"])
def test_api_routes_get_json_errors(client, url):
    response = client.get(url, headers={"Accept": "text/html"})
    assert response.status_code == 404
    if url.startswith("/api/"):
        assert "no_such_doc" in response.json()["detail"] or response.json()["detail"] == "Not Found"


def test_browser_route_asked_for_json_gets_json(client):
    response = client.get("/no/such/page", headers={"Accept": "application/json"})
    assert response.status_code == 404 and response.json() == {"detail": "Not Found"}


def test_wrong_method_on_a_page_is_an_html_405(client):
    response = client.post("/", headers={"Accept": "text/html"})
    assert response.status_code == 405 and "text/html" in response.headers["content-type"]
    assert "GET" in response.headers["allow"]


def test_bad_parameter_on_a_page_is_an_html_422(client):
    response = client.get("/search?q=carrier&offset=-3")
    assert response.status_code == 422 and "text/html" in response.headers["content-type"]
    assert "offset" in response.text


def test_a_crash_is_a_500_page_without_traceback(sample_db, monkeypatch):
    def broken(con, story_id):
        raise RuntimeError("secret internals")

    monkeypatch.setattr("newsgraph.views.fetch.story_page", broken)
    monkeypatch.setattr("newsgraph.views.fetch.story", broken)
    with TestClient(create_app(sample_db), raise_server_exceptions=False) as c:
        page = c.get("/stories/anything")
        assert page.status_code == 500 and "text/html" in page.headers["content-type"]
        assert "secret internals" not in page.text and "Traceback" not in page.text
        assert page.headers["content-security-policy"] == SECURITY_HEADERS["content-security-policy"]
        api = c.get("/api/stories/anything")
        assert api.status_code == 500 and api.json() == {"detail": "internal error (RuntimeError)"}


def test_real_server_answers_head_and_conditional_requests(sample_db):
    """The same behaviour over real HTTP (uvicorn), where HEAD and 304 bodies are checked by the server."""
    import socket
    import threading
    import time

    import uvicorn

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    server = uvicorn.Server(uvicorn.Config(create_app(sample_db), host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    try:
        deadline = time.monotonic() + 20
        while not server.started and time.monotonic() < deadline:
            time.sleep(0.05)
        base = f"http://127.0.0.1:{port}"
        get = httpx.get(f"{base}/api/documents")
        head = httpx.head(f"{base}/api/documents")
        assert head.status_code == 200 and head.content == b""
        assert head.headers["content-length"] == get.headers["content-length"]
        again = httpx.get(f"{base}/api/documents", headers={"If-None-Match": get.headers["etag"]})
        assert again.status_code == 304 and again.content == b""
    finally:
        server.should_exit = True
        thread.join(timeout=10)
