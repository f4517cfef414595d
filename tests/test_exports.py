"""Export formats: every format round-trips and agrees with the JSON contract."""

from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from collections import Counter
from pathlib import Path

import duckdb
import networkx as nx
import pycountry
import pytest
from typer.testing import CliRunner

from newsgraph.outputs import plover
from newsgraph.outputs.formats import EXPORTERS
from newsgraph.outputs.tables import TABLE_KIND, TABLES, flatten

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
GSR_FILE = SHARED / "benchmarks" / "plover" / "PLOVER_GSR_CAMEO.txt"
ISO_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
ID_COLUMN = {"documents": "id", "entities": "id", "events": "id", "quotes": "id", "claims": "id", "stories": "id"}


@pytest.fixture(scope="module")
def archive(sample_db):
    from newsgraph.archive import Archive

    with Archive(sample_db, read_only=True) as a:
        yield a


@pytest.fixture(scope="module")
def tables(sample_export):
    return flatten(sample_export)


def _export(archive, fmt: str, path: Path) -> Path:
    EXPORTERS[fmt](archive, path)
    return path


def _expected_rows(data: dict) -> dict[str, int]:
    """Row counts each table must have, computed from the contract itself."""
    return {
        "documents": len(data["documents"]), "entities": len(data["entities"]),
        "mentions": sum(len(e["mentions"]) for e in data["entities"]), "events": len(data["events"]),
        "event_sources": sum(len(e["sources"]) for e in data["events"]),
        "participants": sum(len(e["participants"]) for e in data["events"]), "quotes": len(data["quotes"]),
        "attributions": len(data["attributions"]),
        "attribution_content": sum(len(a["content"]) for a in data["attributions"]),
        "claims": len(data["claims"]),
        "claim_values": sum(max(1, len(v["sources"])) for c in data["claims"] for v in c["values"]),
        "stories": len(data["stories"]), "story_documents": sum(len(s["documents"]) for s in data["stories"]),
        "topics": len(data.get("topics", [])), "topic_stories": sum(len(t["stories"]) for t in data.get("topics", [])),
    }


# -- a hand-written contract, for the flattening rules ---------------------------------------------
def _tiny_export() -> dict:
    text = "Admiral Jane Roe said the frigate Aurora docked at Port Elm. Officials agreed to talks."
    span = {"doc": "d1", "start": 0, "end": 16, "text": text[0:16]}
    return {
        "schema": "newsgraph/2",
        "documents": [{"id": "d1", "source": "a.txt", "title": "T", "outlet": None, "author": None,
                       "published": "2024-05-02", "published_basis": "metadata", "language": "en", "text": text,
                       "removed": [{"text": "Share", "reason": "share_prompt", "line": 3}], "duplicate_of": None,
                       "story": "s1"}],
        "entities": [
            {"id": "e1", "name": "Jane Roe", "type": "PERSON", "aliases": [], "kb_ids": {},
             "attributes": {"titles": ["Admiral"], "country": "Freedonia"}, "mentions": [span]},
            {"id": "e2", "name": "Aurora", "type": "VESSEL", "aliases": [], "kb_ids": {"wikidata": "Q1"},
             "attributes": {}, "mentions": []},
        ],
        "events": [{"id": "v1", "type": "PORT_CALL", "plover": "CONSULT", "modality": "planned", "summary": "s",
                    "participants": [{"entity": "e2", "name": "Aurora", "role": "actor"},
                                     {"entity": "e1", "name": "Jane Roe", "role": "partner"}],
                    "location": None, "date": None, "quantities": [],
                    "sources": [{"doc": "d1", "start": 41, "end": 47, "text": "docked"}]}],
        "quotes": [],
        "attributions": [{"id": "a1", "kind": "indirect", "doc": "d1", "speaker": "e1", "speaker_name": "Jane Roe",
                          "source": {"start": 0, "end": 16, "text": text[0:16]},
                          "cue": {"start": 17, "end": 21, "text": "said"},
                          "content": [{"start": 22, "end": 40, "text": text[22:40]},
                                      {"start": 41, "end": 59, "text": text[41:59]}],
                          "statement_type": "statement"}],
        "claims": [{"id": "c1", "subject": "e2", "subject_name": "Aurora", "attribute": "port", "status": "conflict",
                    "explanation": "", "values": [
                        {"value": "Port Elm", "normalized": {"v": 1}, "sources": [span]},
                        {"value": "Elm", "normalized": {"v": 2}, "sources": [span, span]}]}],
        "stories": [{"id": "s1", "title": "T", "documents": ["d1"]}],
    }


def test_flatten_follows_the_table_columns_and_counts():
    data = _tiny_export()
    flat = flatten(data)
    assert set(flat) == set(TABLES)
    for name, rows in flat.items():
        assert all(list(r) == [c for c, _ in TABLES[name]] for r in rows), name
    assert {k: len(v) for k, v in flat.items()} == _expected_rows(data)
    assert [r["position"] for r in flat["claim_values"]] == [0, 1, 1]
    assert flat["entities"][0]["country"] is None  # a country name, not an ISO3 code
    assert json.loads(flat["documents"][0]["removed"])[0]["reason"] == "share_prompt"
    assert flat["participants"][1] == {"event": "v1", "position": 1, "entity": "e1", "name": "Jane Roe",
                                       "role": "partner", "country": None, "country_basis": None}
    row = flat["attributions"][0]
    assert (row["speaker"], row["cue_text"], row["content_parts"]) == ("e1", "said", 2)
    assert row["content_text"] == "the frigate Aurora … docked at Port Elm"
    assert [r["position"] for r in flat["attribution_content"]] == [0, 1]


def test_plover_record_of_a_hand_written_event():
    record = plover.plover_records(flatten(_tiny_export()))[0]
    assert record["event"] == ["CONSULT"] and record["quad_code"] == 1
    assert record["mode"] == "visit" and "future" in record["context"]
    assert [a["actor_text"] for a in record["source"]] == ["Aurora", "Jane Roe"]  # partners are sources
    assert {a["sector"] for a in record["source"]} == {"MIL"}
    assert record["date"] == "2024-05-02"  # no event date: the report's
    assert record["text"] == "Admiral Jane Roe said the frigate Aurora docked at Port Elm."
    gsr = plover.to_gsr(record)
    assert gsr["event"] == "CONSULT" and gsr["source"][0] == {"actorText": "Aurora", "sector": "MIL"}


@pytest.mark.parametrize(("name", "titles", "type_", "expected"), [
    ("Ann Lee", ["Defence Minister"], "PERSON", "GOV"),
    ("Bo Chan", ["retired admiral"], "PERSON", "ELI"),
    ("Cy Dunn", ["Rear Admiral"], "PERSON", "MIL"),
    ("Northern Coast Guard", [], "ORG", "COP"),
    ("Dee Fox", [], "PERSON", None),
])
def test_sector_rules(name, titles, type_, expected):
    assert plover.sector({"name": name, "type": type_}, {"titles": titles}) == expected


def test_actor_codes_come_from_the_export_the_kb_and_the_non_state_table():
    from newsgraph.nlp.kb import load_kb

    kb = load_kb()
    assert plover.actor_code({"country": "JPN"}, {}, kb) == "JPN"
    assert plover.actor_code({"country": None}, {"kb": "ng:italian-navy"}, kb) == "ITA"
    assert plover.actor_code({"country": None}, {"kb": "Q7184"}, kb) == "IGO"
    assert plover.actor_code({"country": None}, {}, kb) is None


# -- the sample corpus, every format ---------------------------------------------------------------
def test_tables_match_the_contract(tables, sample_export):
    assert {k: len(v) for k, v in tables.items()} == _expected_rows(sample_export)
    assert tables["events"], "the sample corpus has events"


@pytest.mark.parametrize("fmt", ["parquet", "csv"])
def test_table_files_round_trip_through_duckdb(archive, tables, sample_export, tmp_path, fmt):
    folder = _export(archive, fmt, tmp_path / fmt)
    con = duckdb.connect()
    reader = "read_parquet" if fmt == "parquet" else "read_csv"
    for name in TABLES:
        path = folder / f"{name}.{fmt}"
        rows = con.execute(f"SELECT count(*) FROM {reader}('{path}')").fetchone()[0]
        assert rows == len(tables[name]), name
        if name in ID_COLUMN:
            ids = {r[0] for r in con.execute(f"SELECT id FROM {reader}('{path}')").fetchall()}
            assert ids == {r["id"] for r in sample_export[name]}, name
    docs = f"{reader}('{folder}/documents.{fmt}')"
    texts = dict(con.execute(f"SELECT id, text FROM {docs}").fetchall())
    assert texts == {d["id"]: d["text"] for d in sample_export["documents"]}
    # provenance survives the round trip: each span is the document text at its offsets
    bad = con.execute(
        f"SELECT count(*) FROM {reader}('{folder}/event_sources.{fmt}') s JOIN {docs} d ON d.id = s.doc "
        "WHERE substring(d.text, s.start + 1, s.\"end\" - s.start) <> s.text"
    ).fetchone()[0]
    assert bad == 0
    published = con.execute(f"SELECT typeof(published) FROM {docs} LIMIT 1").fetchone()[0]
    assert published == "DATE"
    claims = f"{reader}('{folder}/claims.{fmt}'" + (", allow_quoted_nulls = false)" if fmt == "csv" else ")")
    explanations = dict(con.execute(f"SELECT id, explanation FROM {claims}").fetchall())
    assert explanations == {c["id"]: c["explanation"] for c in sample_export["claims"]}


def test_jsonl_has_one_line_per_record(archive, sample_export, tmp_path):
    path = _export(archive, "jsonl", tmp_path / "all.jsonl")
    lines = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    assert len(lines) == sum(len(sample_export[t]) for t in TABLE_KIND)
    assert Counter(r["kind"] for r in lines) == {k: len(sample_export[t]) for t, k in TABLE_KIND.items()
                                                 if sample_export[t]}
    first_event = next(r for r in lines if r["kind"] == "event")
    assert {k: v for k, v in first_event.items() if k != "kind"} == sample_export["events"][0]
    first_attribution = next(r for r in lines if r["kind"] == "attribution")
    assert first_attribution["attribution_kind"] == sample_export["attributions"][0]["kind"]


def _event_triples(data: dict) -> set[tuple[str, str, str]]:
    """(event, actor, partner/target) pairs between two different known entities."""
    known = {e["id"] for e in data["entities"]}
    out = set()
    for ev in data["events"]:
        actors = {p["entity"] for p in ev["participants"] if p["role"] == "actor"}
        for p in ev["participants"]:
            if p["role"] in ("partner", "target"):
                out |= {(ev["id"], a, p["entity"]) for a in actors if a != p["entity"] and {a, p["entity"]} <= known}
    return out


def test_graphml_round_trips_through_networkx(archive, sample_export, tmp_path):
    path = _export(archive, "graphml", tmp_path / "g.graphml")
    graph = nx.read_graphml(path)
    assert set(graph.nodes) == {e["id"] for e in sample_export["entities"]}
    for e in sample_export["entities"]:
        assert graph.nodes[e["id"]]["name"] == e["name"] and graph.nodes[e["id"]]["type"] == e["type"]
    edges = list(graph.edges(data=True))
    assert edges and all(v is not None for _, _, d in edges for v in d.values())
    event_weight = sum(d["weight"] for _, _, d in edges if d["relation"] == "event")
    assert event_weight == len(_event_triples(sample_export))
    # typed keys and file-unique edge ids (Gephi drops repeated ids)
    root = ET.parse(path).getroot()
    ns = {"g": "http://graphml.graphdrawing.org/xmlns"}
    assert all(k.get("attr.type") for k in root.findall("g:key", ns))
    ids = [e.get("id") for e in root.iter("{http://graphml.graphdrawing.org/xmlns}edge")]
    assert len(ids) == len(set(ids)) == graph.number_of_edges()


def _valid_code(code: str) -> bool:
    return code in plover.mapping()["non_state"] or pycountry.countries.get(alpha_3=code) is not None


def test_plover_records_follow_the_spec(archive, sample_export, tmp_path):
    path = _export(archive, "plover", tmp_path / "events.plover.jsonl")
    records = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    events = [e for e in sample_export["events"] if e["modality"] != "negated"]
    assert [r["id"] for r in records] == [e["id"] for e in events]
    texts = {d["id"]: d["text"] for d in sample_export["documents"]}
    allowed = set(plover.RECORD_FIELDS) | set(plover.EXTRA_FIELDS)
    for r in records:
        assert set(r) <= allowed, set(r) - allowed
        assert r["event"] and r["quad_code"] in (1, 2, 3, 4)
        assert "date" not in r or ISO_DATE.match(r["date"])
        for actor in r.get("source", []) + r.get("recipient", []):
            assert set(actor) <= set(plover.ACTOR_FIELDS) and actor["actor_text"]
            assert "code" not in actor or _valid_code(actor["code"]), actor
        info = r["text_info"]
        assert texts[info["doc"]][info["start"] : info["end"]] == r["text"]
        assert all(t in r["text"] for t in r["event_text"][:1])
        assert set(r.get("cite_info", {})) <= set(plover.CITE_FIELDS)
    coded = [a for r in records for a in r.get("source", []) if "code" in a]
    assert len(coded) >= len(records) // 2, "most sample events have a coded source actor"


def test_plover_gsr_shape(archive, tmp_path):
    path = _export(archive, "plover-gsr", tmp_path / "events.json")
    records = json.loads(path.read_text(encoding="utf-8"))
    assert records
    for r in records:
        assert set(r) <= set(plover.GSR_FIELDS)
        assert isinstance(r["event"], str) and r["event"] not in plover.mapping()["gsr_renames"]
        for actor in r.get("source", []) + r.get("target", []):
            assert set(actor) <= set(plover.GSR_ACTOR_FIELDS)


@pytest.mark.skipif(not GSR_FILE.exists(), reason="../shared is not present")
def test_plover_gsr_field_names_are_the_gold_files():
    gold = json.loads(GSR_FILE.read_text(encoding="utf-8"))
    gold_fields = {k for r in gold for k in r}
    gold_actor = {k for r in gold for key in ("source", "target") if isinstance(r.get(key), list)
                  for a in r[key] for k in a}
    assert set(plover.GSR_FIELDS) <= gold_fields
    assert set(plover.GSR_ACTOR_FIELDS) <= gold_actor


def test_cli_rejects_an_unknown_format(sample_db, tmp_path):
    from newsgraph.cli.main import app

    result = CliRunner().invoke(app, ["export", "--db", str(sample_db), "--format", "xlsx",
                                      "--output", str(tmp_path / "x")])
    assert result.exit_code != 0
    assert "unknown format" in result.output and "parquet" in result.output
    assert not (tmp_path / "x").exists()
