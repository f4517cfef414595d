"""Languages through the store, the export, the API and the web UI, on the bundled sample corpus
(with its Italian and Japanese articles), and a multilingual ingest with a broken encoding."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from newsgraph import Archive
from newsgraph.api import create_app
from newsgraph.outputs.export import validate_export
from newsgraph.store import db

ITALIAN = "pages/corriere-del-mare-cavour-yokosuka.txt"
JAPANESE = "pages/kaiyo-shimpo-cavour-yokosuka.txt"
ENGLISH = "pages/harbour-times-cavour-yokosuka.txt"


@pytest.fixture(scope="module")
def client(sample_db):
    with TestClient(create_app(sample_db)) as c:
        yield c


def _doc(sample_export: dict, ref: str) -> dict:
    return next(d for d in sample_export["documents"] if d["source"].endswith(ref))


def test_every_sample_document_has_a_language(sample_export):
    validate_export(sample_export)
    docs = sample_export["documents"]
    assert all(d["language"] for d in docs)
    assert _doc(sample_export, ITALIAN)["language"] == "it"
    assert _doc(sample_export, ITALIAN)["language_basis"] == "detected"
    assert _doc(sample_export, JAPANESE)["language"] == "ja"
    assert _doc(sample_export, ENGLISH)["language"] == "en"
    assert _doc(sample_export, ENGLISH)["language_basis"] == "metadata"  # the sidecar names it


def test_non_english_samples_have_no_english_model_records(sample_export):
    foreign = {_doc(sample_export, ref)["id"] for ref in (ITALIAN, JAPANESE)}
    for event in sample_export["events"]:
        assert not {s["doc"] for s in event["sources"]} & foreign
    mentioned = {m["doc"] for e in sample_export["entities"] for m in e["mentions"]}
    assert foreign <= mentioned  # KB names were found in both


def test_the_api_filters_documents_by_language(client):
    italian = client.get("/api/documents", params={"language": "it"}).json()
    assert italian["total"] == 1 and italian["items"][0]["source"].endswith(ITALIAN)
    assert italian["items"][0]["language_confidence"] > 0.9
    assert client.get("/api/documents", params={"language": "not a code"}).status_code == 422
    assert client.get("/api/facets").json()["languages"]["ja"] == 1


def test_the_documents_page_filters_by_language(client):
    page = client.get("/documents", params={"language": "ja"})
    assert page.status_code == 200 and "カヴール" in page.text and "Harbour Times" not in page.text
    everything = client.get("/documents").text
    assert "Corriere del Mare" in everything and "Harbour Times" in everything


def test_reports_in_three_languages_join_one_story(sample_export):
    stories = {_doc(sample_export, ref)["story"] for ref in (ITALIAN, JAPANESE, ENGLISH)}
    assert len(stories) == 1 and None not in stories
    story = next(s for s in sample_export["stories"] if s["id"] in stories)
    english_titles = {d["title"] for d in sample_export["documents"] if d["language"] == "en"}
    assert story["title"] in english_titles  # most of its reports are in English: so is its title


def test_a_multilingual_ingest_flags_encodings_and_keeps_cjk(tmp_path):
    zh = "意大利海军航空母舰加富尔号周二抵达日本横须贺港，进行为期五天的访问。双方海军将举行联合训练。" * 3
    page = ("<html><head><meta charset='utf-8'><title>访问</title></head><body><nav>Home – News</nav>"
            "<article><p>").encode() + zh.encode("gb2312") + b"</p></article></body></html>"
    (tmp_path / "zh.html").write_bytes(page)
    latin = ("<html><head><meta charset='ISO-8859-1'></head><body><article><p>" + "La portaerei è partita da "
             "Taranto e la città ha salutato l'equipaggio, perché la missione durerà più di quattro mesi. " * 4
             + "</p></article></body></html>").encode("latin-1")
    (tmp_path / "it.html").write_bytes(latin)
    with Archive(tmp_path / "s.duckdb") as archive:
        report = archive.ingest([tmp_path])
        assert report.ingested == 2, report.rejected
        data = archive.export()
    by_lang = {d["language"]: d for d in data["documents"]}
    assert set(by_lang) == {"zh", "it"}
    assert "加富尔号" in by_lang["zh"]["text"] and "mixed encodings" in by_lang["zh"]["encoding_issue"]
    assert "città" in by_lang["it"]["text"] and by_lang["it"]["encoding_issue"] is None
    assert not any("\ufffd" in d["text"] for d in data["documents"])
    con = db.connect(tmp_path / "s.duckdb", read_only=True)
    try:
        assert con.execute("SELECT count(*) FROM document_text").fetchone()[0] == 2
    finally:
        con.close()
