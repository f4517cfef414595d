"""Concurrent use: the real server answers while a real ``newsgraph ingest`` writes the same store.

The server (``newsgraph serve --refresh 0.5``) reads private snapshots of the store (docs/api.md),
so an ingest process can take DuckDB's single writer lock while loopback requests keep coming.
The new articles are generated here from invented names and sentences.
"""

from __future__ import annotations

import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import time
from itertools import cycle
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from newsgraph.api import create_app

pytestmark = pytest.mark.slow

NEW_DOCS = 10
MAX_REQUESTS = 400
MAX_SECONDS = 150.0
PAUSE_S = 0.15  # between requests: the machine is shared, the ingest needs the CPU more than we do

# Invented navies, ships, ports and officials for the generated articles.
FLEETS = [
    ("Aland", "Aland Navy", "ANS Tern", "Port Vellis", "Rear Admiral Ines Varga"),
    ("Borduria", "Bordurian Coast Guard", "BCG Falcon", "Szohod", "Commodore Petr Halas"),
    ("Carpania", "Carpanian Navy", "CNS Ibex", "Lake Dorn", "Captain Mirela Sandu"),
    ("Dravonia", "Dravonian Fleet", "DFS Osprey", "Keel Harbour", "Admiral Teodor Brask"),
    ("Estovia", "Estovian Navy", "ENS Marten", "Riva Point", "Vice Admiral Lena Kossa"),
    ("Fenmark", "Fenmark Naval Command", "FNS Heron", "Gull Sound", "Captain Ossian Lund"),
    ("Galicra", "Galicran Navy", "GNS Lynx", "Tarro Bay", "Rear Admiral Dario Pell"),
    ("Hestria", "Hestrian Coast Guard", "HCG Plover", "Amberquay", "Commander Sefa Noor"),
    ("Ivoria", "Ivorian Fleet", "IFS Condor", "Salt Reach", "Admiral Bruno Kesk"),
    ("Jorvania", "Jorvanian Navy", "JNS Otter", "Ferren Cove", "Captain Alba Ruin"),
]
ACTIVITIES = ["mine clearance drills", "a search and rescue exercise", "anti-submarine training",
              "a fisheries patrol", "air defence serials", "a port security inspection",
              "replenishment at sea", "a cargo escort mission", "a survey of the shipping lanes",
              "a disaster relief rehearsal"]
MONTHS = ["March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]


def generated_article(i: int) -> dict[str, str]:
    """One invented news-please style record, over 60 words, different in names and numbers from the others."""
    country, service, ship, port, officer = FLEETS[i]
    partner = FLEETS[(i + 3) % len(FLEETS)][0]
    activity, month = ACTIVITIES[(i * 7) % len(ACTIVITIES)], MONTHS[i]
    crew, days = 120 + 17 * i, 3 + i
    body = (
        f"{ship} of the {service} arrived in {port} on {month} {i + 4}, 2025, for {activity} with ships from "
        f"{partner}, officials in {country} said.\n"
        f"The vessel carries a crew of {crew} sailors and will stay for {days} days before sailing north. "
        f"\"We came to {port} to learn how our partners work at sea,\" {officer} told reporters on the pier.\n"
        f"Diplomats from {partner} welcomed the visit and said a second round of {activity} could follow "
        f"next year. Local fishing groups asked the {service} to keep the harbour approaches open during "
        f"the {days}-day stay, and the port authority agreed to publish a daily schedule of closures."
    )
    return {"title": f"{ship} reaches {port} for {activity}", "maintext": body,
            "date_publish": f"2025-{(i % 9) + 3:02d}-{i + 5:02d}", "authors": ["Test Desk"],
            "source_domain": "invented-wire.example", "url": f"https://invented-wire.example/fleet/{i}"}


def test_generated_articles_are_long_enough_and_distinct():
    articles = [generated_article(i) for i in range(NEW_DOCS)]
    assert all(len(a["maintext"].split()) >= 60 for a in articles)
    assert len({a["maintext"] for a in articles}) == len({a["url"] for a in articles}) == NEW_DOCS


# --------------------------------------------------------------------------- the real server


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _newsgraph(*args: str) -> list[str]:
    return [sys.executable, "-m", "newsgraph.cli.main", *args]


def _wait_until_up(client: httpx.Client, proc: subprocess.Popen, timeout: float = 90) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise AssertionError(f"server exited with {proc.returncode}")
        try:
            if client.get("/api").status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.3)
    raise AssertionError("server did not start")


def _first_id(client: httpx.Client, kind: str) -> str:
    items = client.get(f"/api/{kind}", params={"limit": 1}).json()["items"]
    assert items, f"the starting store has no {kind}"
    return items[0]["id"]


class Tally:
    """Requests sent, answered, and every failure (a 5xx or a transport error) with its URL."""

    def __init__(self) -> None:
        self.sent = 0
        self.ok = 0
        self.failures: list[str] = []
        self.seconds: list[float] = []

    def get(self, client: httpx.Client, url: str, **params: object) -> httpx.Response | None:
        self.sent += 1
        started = time.monotonic()
        try:
            response = client.get(url, params=params)
        except httpx.TransportError as exc:
            self.failures.append(f"{url}: {type(exc).__name__}")
            return None
        self.seconds.append(time.monotonic() - started)
        if response.status_code >= 500:
            self.failures.append(f"{url}: {response.status_code} {response.text[:200]}")
        elif response.status_code == 200:
            self.ok += 1
        else:
            self.failures.append(f"{url}: unexpected {response.status_code}")
        return response


def _new_doc_ids(documents: list[dict]) -> list[str]:
    return sorted(d["id"] for d in documents if (d.get("url") or "").startswith("https://invented-wire.example/"))


def _final_view(client: httpx.Client) -> dict:
    """What the server answers once the ingest is done: counts, and entities found per new document
    (an equality lookup on the snapshot, the kind a badly replayed write-ahead log gets wrong)."""
    documents = client.get("/api/documents", params={"limit": 200}).json()["items"]
    per_doc = {doc: client.get("/api/entities", params={"document": doc, "limit": 1}).json()["total"]
               for doc in _new_doc_ids(documents)}
    return {"counts": client.get("/api").json()["counts"], "new_doc_entities": per_doc}


def _final_view_of_store(path: Path) -> dict:
    """The same, read straight from the store file once the server has stopped."""
    from newsgraph.store import db, queries

    con = db.connect(path, read_only=True)
    try:
        documents = queries.list_documents(con, limit=queries.MAX_LIMIT)["items"]
        per_doc = {doc: queries.list_entities(con, document=doc, limit=1)["total"] for doc in _new_doc_ids(documents)}
        return {"counts": queries.overview(con)["counts"], "new_doc_entities": per_doc}
    finally:
        con.close()


@pytest.fixture
def live_store(sample_db, tmp_path) -> Path:
    """A private copy of the sample store (the session one is shared read-only) and an input folder."""
    store = tmp_path / "live.duckdb"
    shutil.copyfile(sample_db, store)
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    lines = [json.dumps(generated_article(i)) for i in range(NEW_DOCS)]
    (inbox / "fleet-wire.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return store


def test_server_keeps_answering_while_an_ingest_writes_the_store(live_store):
    port = _free_port()
    env = {**os.environ, "PYTHONWARNINGS": "ignore"}
    server = subprocess.Popen(_newsgraph("serve", "--db", str(live_store), "--port", str(port), "--refresh", "0.5"),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env)
    ingest = None
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            _wait_until_up(client, server)
            before = client.get("/api/documents", params={"limit": 1}).json()["total"]
            story, entity = _first_id(client, "stories"), _first_id(client, "entities")
            first_snapshot = client.get("/api").json()["store"]["generation"]
            urls = cycle([("/api/documents", {"limit": 5}), ("/api/search", {"q": "harbour"}),
                          ("/api/stories", {}), (f"/stories/{story}", {}), (f"/entities/{entity}", {}),
                          ("/api", {})])
            ingest = subprocess.Popen(_newsgraph("ingest", str(live_store.parent / "inbox"), "--db", str(live_store)),
                                      stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, env=env)
            tally, seen, snapshot, started = Tally(), before, first_snapshot, time.monotonic()
            while tally.sent < MAX_REQUESTS and time.monotonic() - started < MAX_SECONDS:
                url, params = next(urls)
                response = tally.get(client, url, **params)
                if url == "/api/documents" and response is not None and response.status_code == 200:
                    seen = max(seen, response.json()["total"])
                if url == "/api" and response is not None and response.status_code == 200:
                    snapshot = response.json()["store"]["generation"]
                if ingest.poll() is not None and seen >= before + NEW_DOCS and snapshot > first_snapshot:
                    break
                time.sleep(PAUSE_S)
            elapsed = time.monotonic() - started
            log = ingest.communicate(timeout=300)[0]
            time.sleep(0.6)  # past --refresh, so the next request takes the final snapshot
            served = _final_view(client)
            after = served["counts"]["documents"]
    finally:
        if ingest is not None and ingest.poll() is None:
            ingest.kill()
        server.terminate()
        server.wait(timeout=15)
    print(f"\nconcurrency: {tally.sent} requests in {elapsed:.1f} s, {tally.ok} answered 200, "
          f"{len(tally.failures)} failed, slowest {max(tally.seconds):.2f} s, "
          f"median {statistics.median(tally.seconds):.2f} s; documents {before} -> {seen} seen during the loop "
          f"(+{seen - before} of {NEW_DOCS}), {after} after; {snapshot - first_snapshot} snapshots taken "
          f"during the loop; ingest exit {ingest.returncode}")
    assert ingest.returncode == 0, log[-2000:]
    assert not tally.failures, tally.failures[:10]
    assert seen == before + NEW_DOCS, "the new documents did not show through the API before the loop ended"
    assert after == seen
    assert served == _final_view_of_store(live_store), "the last snapshot differs from the store itself"
    assert all(n > 0 for n in served["new_doc_entities"].values()), "new documents have no entities"
    assert snapshot > first_snapshot, "the server never took a new snapshot of the store"


# --------------------------------------------------------------------------- reader lifecycle


@pytest.mark.parametrize("read_only", [True, False], ids=["snapshot", "direct"])
def test_app_answers_again_after_a_lifespan_restart(sample_db, tmp_path, read_only):
    """A server (or test harness) may run the app's lifespan more than once; shutdown closes the
    reader, and the next startup must not leave every request failing."""
    store = tmp_path / "own.duckdb"
    shutil.copyfile(sample_db, store)
    app = create_app(store, read_only=read_only)
    totals = []
    for _ in range(2):
        with TestClient(app) as client:
            response = client.get("/api/documents", params={"limit": 1})
            assert response.status_code == 200, response.text
            totals.append(response.json()["total"])
    assert totals[0] == totals[1] > 0


# --------------------------------------------------------------------------- exposed-server banner


@pytest.mark.parametrize("public", [False, True])
def test_pages_warn_when_bound_beyond_loopback(sample_db, public):
    app = create_app(sample_db)
    app.state.public_bind = public
    with TestClient(app) as client:
        for url in ("/", "/search?q=carrier", "/entities/no_such_entity"):
            page = client.get(url).text
            assert ('id="public-bind"' in page) is public, url
        assert client.get("/api").json()["public_bind"] is public


def test_serve_flags_a_public_bind(sample_db, monkeypatch):
    """The CLI path: a non-loopback --host sets ``public_bind`` (uvicorn is stubbed, nothing listens)."""
    import uvicorn
    from typer.testing import CliRunner

    from newsgraph.cli.main import app as cli

    served = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: served.update(app=app, **kw))
    result = CliRunner().invoke(cli, ["serve", "--db", str(sample_db), "--host", "0.0.0.0", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert served["host"] == "0.0.0.0" and served["app"].state.public_bind is True
    with TestClient(served["app"]) as client:
        assert 'id="public-bind"' in client.get("/").text
    served.clear()
    assert CliRunner().invoke(cli, ["serve", "--db", str(sample_db)]).exit_code == 0
    assert served["host"] == "127.0.0.1" and served["app"].state.public_bind is False
