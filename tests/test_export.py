"""The export contract on the sample corpus: schema-valid, every span points at its text."""

from __future__ import annotations

import json
import subprocess
import sys

import jsonschema
import pytest

from newsgraph.outputs.export import validate_export


def _spans(data: dict):
    for entity in data["entities"]:
        yield from entity["mentions"]
    for event in data["events"]:
        yield from event["sources"]
    for claim in data["claims"]:
        for value in claim["values"]:
            yield from value["sources"]
            if value["context"] is not None:
                yield value["context"]
    for quote in data["quotes"]:
        yield {"doc": quote["doc"], "start": quote["start"], "end": quote["end"], "text": quote["text"]}
    for a in data["attributions"]:
        for part in [a["source"], a["cue"], *a["content"]]:
            if part is not None:
                yield {"doc": a["doc"], **part}


def test_sample_export_is_schema_valid(sample_export):
    validate_export(sample_export)
    assert sample_export["schema"] == "newsgraph/2"
    assert len(sample_export["documents"]) >= 15


def test_every_span_points_at_its_text(sample_export):
    texts = {d["id"]: d["text"] for d in sample_export["documents"]}
    spans = list(_spans(sample_export))
    assert spans
    for span in spans:
        assert texts[span["doc"]][span["start"] : span["end"]] == span["text"], span


def test_claim_values_point_at_the_value_inside_their_sentence(sample_export):
    values = [v for c in sample_export["claims"] for v in c["values"]]
    assert values
    for v in values:
        (src,) = v["sources"]
        assert src["text"] == v["value"]  # the value's own span, never the whole clause
        ctx = v["context"]
        assert ctx["doc"] == src["doc"] and ctx["start"] <= src["start"] and src["end"] <= ctx["end"]
        assert len(ctx["text"]) > len(src["text"]) and "\n" not in ctx["text"]
        assert v["basis"] in ("stated", "inferred")


def test_an_upgraded_v1_claim_value_has_its_new_fields_unknown():
    from newsgraph.outputs.export import upgrade_v1

    span = {"doc": "d", "start": 0, "end": 4, "text": "ship"}
    old = {"schema": "newsgraph/1", "documents": [], "entities": [], "events": [], "quotes": [], "stories": [],
           "claims": [{"id": "c", "subject": None, "subject_name": "x", "attribute": "a", "status": "single_source",
                       "explanation": "", "values": [{"value": "v", "normalized": {}, "sources": [span]}]}]}
    (value,) = upgrade_v1(old)["claims"][0]["values"]
    assert value == {"value": "v", "normalized": {}, "sources": [span], "context": None, "basis": None,
                     "speaker": None, "speaker_name": None}
    validate_export(upgrade_v1(old))


def test_entity_types_come_from_the_vocabulary_and_ids_resolve(sample_export):
    ids = {e["id"] for e in sample_export["entities"]}
    for event in sample_export["events"]:
        for p in event["participants"]:
            assert p["entity"] is None or p["entity"] in ids
    for quote in sample_export["quotes"]:
        assert quote["speaker"] is None or quote["speaker"] in ids
    for a in sample_export["attributions"]:
        assert a["speaker"] is None or a["speaker"] in ids


def test_attributions_cover_every_kind_of_report_in_the_sample(sample_export):
    kinds = {a["kind"] for a in sample_export["attributions"]}
    assert {"direct", "indirect", "according_to"} <= kinds
    speakers = {a["speaker"] for a in sample_export["attributions"]}
    types = {e["id"]: e["type"] for e in sample_export["entities"]}
    assert {types[s] for s in speakers if s} <= {"PERSON", "ORG", "COUNTRY", "NORP"}


def test_an_export_of_the_previous_contract_reads_with_attributions_empty(sample_export):
    from newsgraph.outputs.export import read_export

    old = _as_v1(sample_export)
    upgraded = read_export(old)
    assert upgraded["schema"] == "newsgraph/2" and upgraded["attributions"] == []
    bases = {ev["date"]["basis"] for ev in upgraded["events"] if ev["date"]}
    assert bases and bases <= {"stated", "relative", "inferred"}  # the old names come back renamed


def _as_v1(export: dict) -> dict:
    """What newsgraph/1 would have written for the same store: no NORP type, the old date-basis names,
    none of the lists newsgraph/2 added."""
    old_bases = {"stated": "absolute", "relative": "publication"}
    entities = [e | {"type": "COUNTRY" if e["type"] == "NORP" else e["type"]} for e in export["entities"]]
    events = [ev | {"date": None if not ev["date"] or ev["date"]["basis"] == "reported" else
                    ev["date"] | {"basis": old_bases.get(ev["date"]["basis"], ev["date"]["basis"])}}
              for ev in export["events"]]
    keep = ("documents", "quotes", "claims", "stories")
    return {"schema": "newsgraph/1", "entities": entities, "events": events} | {k: export[k] for k in keep}


def test_a_broken_export_is_refused():
    with pytest.raises(jsonschema.ValidationError):
        validate_export({"schema": "newsgraph/2", "documents": [{"id": 1}], "entities": [], "events": [],
                         "quotes": [], "claims": [], "stories": []})


def test_cli_export_writes_a_valid_file(sample_db, tmp_path):
    out = tmp_path / "x.json"
    run = subprocess.run([sys.executable, "-m", "newsgraph.cli.main", "export", "--db", str(sample_db),
                          "--format", "json", "--output", str(out)], capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    validate_export(json.loads(out.read_text(encoding="utf-8")))
    bad = subprocess.run([sys.executable, "-m", "newsgraph.cli.main", "export", "--db", str(sample_db),
                          "--format", "yaml", "--output", str(out)], capture_output=True, text=True, timeout=300)
    assert bad.returncode != 0 and "unknown format" in bad.stderr
