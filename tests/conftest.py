"""Shared fixtures: the bundled sample corpus ingested once per session, and ../shared when present."""

from __future__ import annotations

from pathlib import Path

import pytest

import netguard

ROOT = Path(__file__).resolve().parents[1]
SHARED = ROOT.parent / "shared"
SAMPLE = ROOT / "src" / "newsgraph" / "data" / "sample"

needs_shared = pytest.mark.skipif(not SHARED.is_dir(), reason="../shared is not present")

pytest_plugins = ["webtools"]  # the live server and Chromium fixtures of the browser tests

netguard.install()  # no test may reach beyond loopback (tests/netguard.py)


@pytest.fixture(autouse=True)
def loopback_only():
    """Fail the test that tried to connect beyond loopback, even if the code under test caught the error."""
    before = len(netguard.ATTEMPTS)
    yield
    tried = netguard.ATTEMPTS[before:]
    if tried:
        pytest.fail(f"the test tried to reach beyond loopback: {tried}")


@pytest.fixture(scope="session")
def context():
    """Settings, knowledge base and spaCy pipeline, loaded once for the whole run."""
    from newsgraph.nlp.pipeline import make_context

    return make_context()


@pytest.fixture(scope="session")
def sample_db(tmp_path_factory, context) -> Path:
    """The sample corpus ingested into a fresh store (read it; don't write to it)."""
    from newsgraph.archive import Archive

    path = tmp_path_factory.mktemp("sample") / "sample.duckdb"
    with Archive(path) as archive:
        archive._ctx = context
        archive.ingest([SAMPLE], meta=SAMPLE / "meta.jsonl")
    return path


@pytest.fixture(scope="session")
def sample_export(sample_db) -> dict:
    from newsgraph.archive import Archive

    with Archive(sample_db, read_only=True) as archive:
        return archive.export()


EVENT_STAGES = ("entities", "time", "quantities", "quotes", "events")


@pytest.fixture(scope="session")
def analyse_events(context):
    """Run the stages up to events over one sentence we wrote (published 2031-04-10)."""
    from newsgraph.model import Analysis, Document
    from newsgraph.stages import registered

    stages = [(n, fn) for n, fn in registered() if n in EVENT_STAGES]

    def run(text: str):
        a = Analysis(document=Document(id="t", source="t.txt", text=text, published="2031-04-10"))
        a.nlp = context.nlp(text)
        for _, fn in stages:
            fn(a, context)
        return a

    return run
