"""API latency: ``newsgraph serve`` in a subprocess, a loopback httpx client, a bounded number of requests.

The endpoints are found in the server's own OpenAPI document (the first GET path with one parameter
whose path names stories / entities, and the search path), so the bench follows the API as it is written.
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


def measure_latency(store: Path, requests: int, port: int) -> dict[str, Any]:
    import httpx

    from newsgraph.bench.measures import percentiles

    ids = _sample_ids(store, requests)
    proc = subprocess.Popen([sys.executable, "-m", "newsgraph.cli.main", "serve", "--db", str(store),
                             "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    try:
        with httpx.Client(base_url=f"http://127.0.0.1:{port}", timeout=30) as client:
            spec = _wait_ready(client, proc)
            urls = _endpoint_urls(spec, ids, requests)
            results: dict[str, Any] = {}
            for name, batch in urls.items():
                results[name] = _timed(client, batch, percentiles)
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    headline = "; ".join(f"{k} p50 {v['p50_ms']} ms p95 {v['p95_ms']} ms" for k, v in results.items() if "p50_ms" in v)
    return {"endpoints": results, "requests_per_endpoint": requests, "headline": headline}


def _sample_ids(store: Path, n: int) -> dict[str, list[str]]:
    con = db.connect(store, read_only=True)
    try:
        stories = [r[0] for r in con.execute("SELECT id FROM stories ORDER BY hash(id) LIMIT ?", [n]).fetchall()]
        entities = [r[0] for r in con.execute("SELECT id FROM entities ORDER BY hash(id) LIMIT ?", [n]).fetchall()]
    finally:
        con.close()
    return {"story": stories, "entity": entities}


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
        time.sleep(0.5)
    raise RuntimeError("newsgraph serve did not answer within 90 s")


def _endpoint_urls(spec: dict[str, Any], ids: dict[str, list[str]], n: int) -> dict[str, list[str]]:
    paths = [p for p, ops in spec.get("paths", {}).items() if "get" in ops]
    urls: dict[str, list[str]] = {}
    for kind, word in (("story", "stor"), ("entity", "entit")):
        path = next((p for p in paths if word in p and len(re.findall(r"\{[^}]+\}", p)) == 1), None)
        if path and ids[kind]:
            urls[kind] = [re.sub(r"\{[^}]+\}", ids[kind][i % len(ids[kind])], path) for i in range(n)]
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
