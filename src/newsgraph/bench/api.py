"""API latency: ``newsgraph serve`` in a subprocess, a loopback httpx client, a bounded number of requests.

The endpoints are found in the server's own OpenAPI document (the first GET path with one parameter
whose path names stories / entities / topics, the search path and the relations path), so the bench
follows the API as it is written; an endpoint the API does not have (topics before they exist) is
listed under ``missing``. ``first_page``: the server is started ``restarts`` times; each time, once it
accepts connections, the story *page* (HTML, brief included) of a different story is requested and
timed: the first page after a start.
"""

from __future__ import annotations

import random
import re
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from newsgraph.store import db

READY_TIMEOUT_S = 90
QUERIES = ("carrier", "treaty", "water cannon", "fighter", "minister", "exercise", "navy", "coast guard")


ENDPOINTS = ("story", "entity", "topic", "search", "relations")
GOAL_MS = 100
FIRST_PAGE_GOAL_MS = 1000


def _serve(store: Path, port: int) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "newsgraph.cli.main", "serve", "--db", str(store),
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)


def _stop(proc: subprocess.Popen) -> None:
    proc.terminate()
    proc.wait(timeout=30)


def measure_latency(store: Path, requests: int, port: int, restarts: int = 0) -> dict[str, Any]:
    import httpx

    from newsgraph.bench.measures import percentiles

    ids = _sample_ids(store, max(requests, restarts))
    proc = _serve(store, port)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            spec = _wait_ready(client, proc)
            urls = _endpoint_urls(spec, ids, requests)
            results: dict[str, Any] = {}
            for name, batch in urls.items():
                results[name] = _timed(client, batch, percentiles)
    finally:
        _stop(proc)
    first = first_pages(store, port, ids["story"][:restarts], percentiles) if restarts and ids["story"] else None
    headline = "; ".join(f"{k} p50 {v['p50_ms']} ms p95 {v['p95_ms']} ms" for k, v in results.items() if "p50_ms" in v)
    if first:
        headline += f"; first story page after a start p95 {first['p95_ms']} ms"
    worst = max((v["p95_ms"] for v in results.values() if "p95_ms" in v), default=None)
    return {"endpoints": results, "requests_per_endpoint": requests, "missing": [e for e in ENDPOINTS if e not in urls],
            "first_page": first, "worst_p95_ms": worst, "p95_goal_ms": GOAL_MS,
            "first_page_goal_ms": FIRST_PAGE_GOAL_MS, "headline": headline}


def first_pages(store: Path, port: int, stories: list[str], percentiles) -> dict[str, Any]:
    """Start the server once per story; time that story's page, the first request after the start."""
    import httpx

    samples, errors = [], 0
    for story in stories:
        proc = _serve(store, port)
        try:
            with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=60) as client:
                _wait_ready(client, proc)
                began = time.perf_counter()
                response = client.get(f"/stories/{story}")
                samples.append(time.perf_counter() - began)
                errors += response.status_code >= 400
        finally:
            _stop(proc)
    return percentiles(samples) | {"errors": errors, "starts": len(stories)}


def _sample_ids(store: Path, n: int) -> dict[str, list[str]]:
    con = db.connect(store, read_only=True)
    try:
        stories = [r[0] for r in con.execute("SELECT id FROM stories ORDER BY hash(id) LIMIT ?", [n]).fetchall()]
        entities = [r[0] for r in con.execute("SELECT id FROM entities ORDER BY hash(id) LIMIT ?", [n]).fetchall()]
        topics = []
        if con.execute("SELECT count(*) FROM information_schema.tables WHERE table_name = 'topics'").fetchone()[0]:
            topics = [r[0] for r in con.execute("SELECT id FROM topics ORDER BY hash(id) LIMIT ?", [n]).fetchall()]
    finally:
        con.close()
    return {"story": stories, "entity": entities, "topic": topics}


def _wait_ready(client, proc: subprocess.Popen) -> dict[str, Any]:
    deadline = time.monotonic() + READY_TIMEOUT_S
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"newsgraph serve exited: {proc.stderr.read()[-400:] if proc.stderr else ''}")
        for path in ("/openapi.json", "/api/openapi.json"):
            try:
                spec = client.get(path).json()
            except Exception:  # not listening yet
                continue
            if isinstance(spec, dict) and spec.get("paths"):
                return spec
        time.sleep(0.1)
    raise RuntimeError("newsgraph serve did not answer within 90 s")


def _endpoint_urls(spec: dict[str, Any], ids: dict[str, list[str]], n: int) -> dict[str, list[str]]:
    paths = [p for p, ops in spec.get("paths", {}).items() if "get" in ops]
    urls: dict[str, list[str]] = {}
    for kind, word in (("story", "stor"), ("entity", "entit"), ("topic", "topic")):
        path = next((p for p in paths if word in p and len(re.findall(r"\{[^}]+\}", p)) == 1), None)
        if path and ids.get(kind):
            urls[kind] = [re.sub(r"\{[^}]+\}", ids[kind][i % len(ids[kind])], path) for i in range(n)]
    relations = next((p for p in paths if ("dyad" in p or "relation" in p) and "{" not in p), None)
    if relations:
        urls["relations"] = [relations] * n
    search = next((p for p in paths if "search" in p and "{" not in p), None)
    if search:
        param = _query_param(spec["paths"][search]["get"])
        rng = random.Random(17)
        urls["search"] = [f"{search}?{param}={rng.choice(QUERIES)}" for _ in range(n)]
    return urls


def _query_param(op: dict[str, Any]) -> str:
    names = [p["name"] for p in op.get("parameters", []) if p.get("in") == "query"]
    return next((n for n in names if n in ("q", "query", "text")), names[0] if names else "q")


def _timed(client, urls: list[str], percentiles) -> dict[str, Any]:
    samples, failures = [], 0
    for url in urls:
        began = time.perf_counter()
        response = client.get(url)
        samples.append(time.perf_counter() - began)
        failures += response.status_code >= 400
    return percentiles(samples) | {"errors": failures, "example": urls[0]}
