"""The REST API over the sample store: every endpoint, filters, pagination, errors, headers, read-only."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
import time
from pathlib import Path

import duckdb
import httpx
import pytest
from fastapi.testclient import TestClient

from newsgraph.api import create_app
from newsgraph.api.app import MAX_QUERY_BYTES, SECURITY_HEADERS, file_signature
from newsgraph.api.docs import _swagger_dir
from newsgraph.cli.serve import is_loopback
from newsgraph.store import db, queries

CSP = SECURITY_HEADERS["content-security-policy"]


@pytest.fixture(scope="module")
def client(sample_db):
    with TestClient(create_app(sample_db)) as c:
        yield c


@pytest.fixture(scope="module")
def store(sample_db):
    con = db.connect(sample_db, read_only=True)
    yield con
    con.close()


def _get(client, url: str, status: int = 200) -> dict:
    response = client.get(url)
    assert response.status_code == status, response.text
    return response.json()


def _ids(page: dict) -> list[str]:
    return [item["id"] for item in page["items"]]


def _doc_text(client, doc_id: str, cache: dict = {}) -> str:  # noqa: B006  (a per-run cache is intended)
    if doc_id not in cache:
        cache[doc_id] = _get(client, f"/api/documents/{doc_id}")["text"]
    return cache[doc_id]


# --------------------------------------------------------------------------- index and lists


def test_index_counts_match_the_store(client, store):
    data = _get(client, "/api")
    for table in ("documents", "entities", "events", "quotes", "attributions", "claims", "stories"):
        assert data["counts"][table] == store.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
    assert data["store"]["read_only"] is True
    assert data["public_bind"] is False


def test_documents_paginate_without_overlap(client, store):
    total = store.execute("SELECT count(*) FROM documents").fetchone()[0]
    first = _get(client, "/api/documents?limit=5")
    second = _get(client, "/api/documents?limit=5&offset=5")
    assert first["total"] == second["total"] == total
    assert len(first["items"]) == 5 and (first["limit"], second["offset"]) == (5, 5)
    assert not set(_ids(first)) & set(_ids(second))
    everything = _get(client, f"/api/documents?limit={queries.MAX_LIMIT}")
    assert len(everything["items"]) == total


def test_documents_filter_by_date_range_and_duplicates(client):
    page = _get(client, "/api/documents?from=2024-08-01&to=2024-08-31")
    assert page["total"] > 0
    assert all("2024-08-01" <= d["published"] <= "2024-08-31" for d in page["items"])
    originals = _get(client, "/api/documents?duplicates=false&limit=200")
    assert all(d["duplicate_of"] is None for d in originals["items"])
    assert originals["total"] < _get(client, "/api/documents")["total"]


def test_document_detail_highlights_point_into_its_text(client):
    doc_id = _ids(_get(client, "/api/documents?duplicates=false&limit=1"))[0]
    doc = _get(client, f"/api/documents/{doc_id}")
    assert doc["highlights"], "an original article has marked spans"
    for mark in doc["highlights"]:
        assert doc["text"][mark["start"]:mark["end"]] == mark["text"], mark
    kinds = {mark["kind"] for mark in doc["highlights"]}
    assert "mention" in kinds
    entity_ref = next(m["ref"] for m in doc["highlights"] if m["kind"] == "mention" and m["ref"].startswith("entity_"))
    assert _get(client, f"/api/entities/{entity_ref}")["id"] == entity_ref


def test_entities_filter_by_type_and_name(client):
    people = _get(client, "/api/entities?type=PERSON&limit=200")
    assert people["total"] > 0 and all(e["type"] == "PERSON" for e in people["items"])
    counts = [e["mentions"] for e in people["items"]]
    assert counts == sorted(counts, reverse=True)
    name = people["items"][0]["name"]
    named = _get(client, f"/api/entities?name={name}")
    assert people["items"][0]["id"] in _ids(named)


def test_entity_detail_has_mentions_related_and_links(client):
    top = _get(client, "/api/entities?limit=1")["items"][0]
    entity = _get(client, f"/api/entities/{top['id']}")
    assert len(entity["mentions"]) == top["mentions"]
    for span in entity["mentions"][:10]:
        assert _doc_text(client, span["doc"])[span["start"]:span["end"]] == span["text"]
    assert entity["related"] and all(r["id"] != top["id"] for r in entity["related"])
    for key in ("events", "quotes", "claims", "coordinates", "documents"):
        assert key in entity


def test_entity_coordinates_come_from_its_attributes(client, store):
    row = store.execute("SELECT id, attributes FROM entities WHERE json_extract(attributes, '$.lat') IS NOT NULL "
                        "LIMIT 1").fetchone()
    if row is None:
        pytest.skip("no entity with coordinates in this store")
    attributes = json.loads(row[1])
    assert _get(client, f"/api/entities/{row[0]}")["coordinates"] == {"lat": attributes["lat"],
                                                                       "lon": attributes["lon"]}


def test_events_filters(client):
    every = _get(client, "/api/events?limit=200")
    assert every["total"] > 0
    plover = every["items"][0]["plover"]
    by_plover = _get(client, f"/api/events?plover={plover}&limit=200")
    assert by_plover["total"] >= 1 and all(e["plover"] == plover for e in by_plover["items"])
    planned = _get(client, "/api/events?modality=planned&limit=200")
    assert all(e["modality"] == "planned" for e in planned["items"])
    dated = _get(client, "/api/events?from=2024-01-01&to=2024-12-31&limit=200")
    for e in dated["items"]:
        assert e["date"]["start"] <= "2024-12-31" and (e["date"]["end"] or e["date"]["start"]) >= "2024-01-01"
    assert dated["total"] < every["total"]


def test_events_filter_by_participant(client):
    event = next(e for e in _get(client, "/api/events?limit=200")["items"] if e["participants"])
    actor = event["participants"][0]["entity"]
    found = _get(client, f"/api/events?entity={actor}&limit=200")
    assert event["id"] in _ids(found)
    assert found["total"] < _get(client, "/api/events")["total"]


def test_event_detail_lists_every_source(client):
    listed = max(_get(client, "/api/events?limit=200")["items"], key=lambda e: e["sources"])
    event = _get(client, f"/api/events/{listed['id']}")
    assert len({s["doc"] for s in event["sources"]}) == listed["sources"]
    for source in event["sources"]:
        trigger = source["trigger"]
        assert _doc_text(client, trigger["doc"])[trigger["start"]:trigger["end"]] == trigger["text"]


def test_quotes_filter_by_speaker_and_point_into_text(client):
    page = _get(client, "/api/quotes?limit=200")
    assert page["total"] > 0
    speaker = next(q["speaker"] for q in page["items"] if q["speaker"])
    theirs = _get(client, f"/api/quotes?entity={speaker}&limit=200")
    assert theirs["total"] >= 1 and all(q["speaker"] == speaker for q in theirs["items"])
    for quote in theirs["items"]:
        assert _doc_text(client, quote["doc"])[quote["start"]:quote["end"]] == quote["text"]


def test_attributions_filter_by_document_speaker_and_kind(client):
    page = _get(client, "/api/attributions?limit=200")
    assert page["total"] > 0
    first = page["items"][0]
    text = _doc_text(client, first["doc"])
    for a in _get(client, f"/api/attributions?document={first['doc']}&limit=200")["items"]:
        assert a["doc"] == first["doc"]
        for span in [a["cue"], *a["content"], *([a["source"]] if a["source"] else [])]:
            assert text[span["start"]:span["end"]] == span["text"]
    speaker = next(a["speaker"] for a in page["items"] if a["speaker"])
    theirs = _get(client, f"/api/attributions?entity={speaker}&limit=200")["items"]
    assert theirs and all(a["speaker"] == speaker for a in theirs)
    indirect = _get(client, "/api/attributions?kind=indirect&limit=200")["items"]
    assert indirect and all(a["kind"] == "indirect" for a in indirect)
    word = max(re.findall(r"[A-Za-z]+", " ".join(c["text"] for c in first["content"])), key=len)
    found = _get(client, f"/api/attributions?text={word}&limit=200")["items"]
    assert first["id"] in {a["id"] for a in found}
    assert all(word.lower() in " ".join(c["text"] for c in a["content"]).lower() for a in found)
    one = _get(client, f"/api/attributions/{first['id']}")
    assert one["content"] == first["content"]
    doc = _get(client, f"/api/documents/{first['doc']}")
    assert {h["kind"] for h in doc["highlights"]} >= {"attr_cue", "attr_content"}
    assert first["id"] in {a["id"] for a in doc["attributions"]}


def test_claims_filter_by_status_and_detail(client):
    page = _get(client, "/api/claims?limit=200")
    assert page["total"] > 0
    status = page["items"][0]["status"]
    same = _get(client, f"/api/claims?status={status}&limit=200")
    assert all(c["status"] == status for c in same["items"])
    claim = _get(client, f"/api/claims/{page['items'][0]['id']}")
    assert len(claim["values"]) == page["items"][0]["values"]
    for value in claim["values"]:
        src = value["source"]
        assert _doc_text(client, src["doc"])[src["start"]:src["end"]] == src["text"]


def test_story_detail_holds_only_its_own_records(client):
    listed = _get(client, "/api/stories?limit=1")["items"][0]
    story = _get(client, f"/api/stories/{listed['id']}")
    assert len(story["documents"]) == listed["documents"] > 0
    assert all(d["story"] == listed["id"] for d in story["documents"])
    assert all(e["story"] == listed["id"] for e in story["events"])
    for key in ("claims", "quotes", "entities"):
        assert isinstance(story[key], list)


def test_topics_list_their_stories_and_events(client, store):
    page = _get(client, "/api/topics")
    assert page["total"] == store.execute("SELECT count(*) FROM topics").fetchone()[0] > 0
    top = page["items"][0]
    topic = _get(client, f"/api/topics/{top['id']}")
    assert len(topic["stories"]) == top["stories"] > 0
    story_ids = {s["id"] for s in topic["stories"]}
    assert all(_get(client, f"/api/stories/{sid}")["topic"] == top["id"] for sid in story_ids)
    assert all(e["story"] in story_ids for e in topic["events"])
    firsts = [s["first_date"] for s in topic["stories"] if s["first_date"]]
    assert firsts == sorted(firsts)


def test_search_and_dyads(client):
    hits = _get(client, "/api/search?q=carrier&limit=2")
    assert hits["items"] and hits["total"] >= len(hits["items"])
    scores = [h["score"] for h in hits["items"]]
    assert scores == sorted(scores, reverse=True)
    assert _get(client, "/api/search?q=zzzqqqxxx")["total"] == 0
    dyads = _get(client, "/api/dyads")
    assert isinstance(dyads["available"], bool) and isinstance(dyads["items"], list)


def test_facets_count_the_filter_values(client):
    facets = _get(client, "/api/facets")
    assert sum(facets["entity_types"].values()) == _get(client, "/api")["counts"]["entities"]


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize("kind", ["documents", "entities", "events", "claims", "stories", "attributions",
                                  "topics"])
def test_unknown_id_is_404_naming_it(client, kind):
    body = _get(client, f"/api/{kind}/no_such_id_42", status=404)
    assert "no_such_id_42" in body["detail"]


@pytest.mark.parametrize("url", [
    "/api/events?from=2024-13-40",
    "/api/documents?to=yesterday",
    f"/api/documents?limit={queries.MAX_LIMIT + 1}",
    "/api/documents?limit=0",
    "/api/documents?offset=-1",
    "/api/events?from=2024-09-01&to=2024-01-01",
    "/api/claims?status=rumoured",
    "/api/attributions?kind=rumour",
    "/api/attributions?statement_type=wish",
    "/api/events?modality=maybe",
    "/api/entities?type=SPACESHIP",
    "/api/events?plover=DROP%20TABLE",
    "/api/search",
])
def test_bad_parameters_are_422(client, url):
    assert client.get(url).status_code == 422


def test_oversized_requests_are_refused(client):
    long_query = client.get("/api/documents?outlet=" + "x" * (MAX_QUERY_BYTES + 1))
    assert long_query.status_code == 414
    assert long_query.headers["content-security-policy"] == CSP
    assert client.post("/api/documents", content=b"x" * 100_000).status_code == 413


# --------------------------------------------------------------------------- security and read-only


@pytest.mark.parametrize("url", ["/api", "/api/documents/missing", "/api/documents?limit=0", "/docs",
                                 "/docs/assets/swagger-ui.css", "/openapi.json"])
def test_security_headers_on_every_response(client, url):
    headers = client.get(url).headers
    assert headers["content-security-policy"] == CSP
    assert headers["x-content-type-options"] == "nosniff"
    assert headers["referrer-policy"] == "no-referrer"


def test_no_write_is_possible(client, sample_db):
    before = file_signature(sample_db)
    for method in ("post", "put", "patch", "delete"):
        assert getattr(client, method)("/api/documents").status_code == 405
    cursor = client.app.state.store.cursor()
    try:
        with pytest.raises(duckdb.Error):
            cursor.execute("DELETE FROM documents")
    finally:
        cursor.close()
    _get(client, "/api/documents")
    assert file_signature(sample_db) == before


def test_docs_work_offline(client):
    page = client.get("/docs").text
    init = client.get("/docs/init.js")
    assert init.status_code == 200 and "/openapi.json" in init.text
    for text in (page, init.text):
        assert "http://" not in text and "https://" not in text and "//cdn" not in text
    if _swagger_dir() is None:  # without the package: a plain page that points at the schema
        assert "/openapi.json" in page
    for asset in ("swagger-ui-bundle.js", "swagger-ui.css") if _swagger_dir() else ():
        assert f"/docs/assets/{asset}" in page
        assert len(client.get(f"/docs/assets/{asset}").content) > 1000
    assert client.get("/docs/assets/index.html").status_code == 404
    assert client.get("/docs/assets/..%2F..%2Fsettings.py").status_code == 404
    paths = _get(client, "/openapi.json")["paths"]
    for path in ("/api/documents", "/api/entities/{entity_id}", "/api/events", "/api/search", "/api/dyads"):
        assert path in paths


def test_loopback_detection():
    assert is_loopback("127.0.0.1") and is_loopback("::1") and is_loopback("localhost")
    assert not is_loopback("0.0.0.0") and not is_loopback("192.168.1.5") and not is_loopback("example.org")


# --------------------------------------------------------------------------- concurrent ingest


def _add_document(path: Path, doc_id: str) -> None:
    con = db.connect(path)
    con.execute("INSERT INTO documents (id, source, text, content_hash) VALUES (?, 'test', ?, ?)",
                [doc_id, "A harbour pilot said the tug would arrive at noon.", doc_id])
    con.close()


def test_snapshot_follows_a_writer_without_locking_it(sample_db, tmp_path):
    copy = tmp_path / "live.duckdb"
    shutil.copyfile(sample_db, copy)
    with TestClient(create_app(copy, refresh_s=0)) as c:
        before = _get(c, "/api/documents")["total"]
        _add_document(copy, "doc_written_while_serving")  # would fail if the server held the file
        assert _get(c, "/api/documents")["total"] == before + 1
        assert _get(c, "/api/documents/doc_written_while_serving")["text"].startswith("A harbour pilot")


# --------------------------------------------------------------------------- the real server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _wait_until_up(base: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited: {proc.stdout.read() if proc.stdout else ''}")
        try:
            httpx.get(f"{base}/api", timeout=1)
            return
        except httpx.TransportError:
            time.sleep(0.3)
    raise AssertionError("server did not start")


def test_newsgraph_serve_answers_real_requests(sample_db):
    port = _free_port()
    cli = Path(sys.executable).with_name("newsgraph")
    command = [str(cli)] if cli.exists() else [sys.executable, "-m", "newsgraph.cli.main"]
    proc = subprocess.Popen([*command, "serve", "--db", str(sample_db), "--port", str(port)],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                            env={**os.environ, "PYTHONWARNINGS": "ignore"})
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, proc)
        index = httpx.get(f"{base}/api").json()
        assert index["counts"]["documents"] > 0
        page = httpx.get(f"{base}/api/documents", params={"limit": 2})
        assert page.status_code == 200 and len(page.json()["items"]) == 2
        assert page.headers["content-security-policy"] == CSP
        assert httpx.get(f"{base}/api/events/nope").status_code == 404
        assert httpx.get(f"{base}/docs").status_code == 200
    finally:
        proc.terminate()
        proc.wait(timeout=15)
