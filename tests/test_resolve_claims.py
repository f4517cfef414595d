"""Claims across documents: interval comparison, independence, statuses, the store step, the sample corpus."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest
import yaml

from newsgraph.resolve.claim_values import (
    COMPATIBLE,
    CONFLICT,
    EQUAL,
    INCOMPARABLE,
    StatedValue,
    assess,
    display,
    independent_groups,
    outlet_key,
    relation,
)

SAMPLE = Path(__file__).resolve().parents[1] / "src" / "newsgraph" / "data" / "sample"


def num(low, high=None, unit="ton", kind="mass", bound="="):
    high = low if high is None and bound in ("=", "~") else high
    return {"kind": kind, "unit": unit, "low": low, "high": high, "bound": bound}


def day(start, end=None, gran="day", bound="="):
    return {"kind": "date", "start": start, "end": end or start, "granularity": gran, "modifier": None,
            "bound": bound}


def sv(vid, norm, outlet, date=None, modality="happened", doc=None, context="", dup=None, basis="metadata"):
    return StatedValue(id=vid, doc=doc or f"doc_{vid}", normalized=norm, value="", modality=modality,
                       outlet=outlet, date=date, date_basis=basis if date else None, context=context,
                       duplicate_of=dup)


# ---------------------------------------------------------------- intervals and units


@pytest.mark.parametrize(
    ("a", "b", "expected"),
    [
        (num(27100), num(27100), EQUAL),
        (num(27100), num(30000), CONFLICT),
        (num(27000, bound="~"), num(27100), COMPATIBLE),  # "about 27,000" ~ 27,100
        (num(27.1, unit="kg", kind="mass"), num(27100, unit="kg"), CONFLICT),
        (num(27100), num(27_100_000, unit="kg"), EQUAL),  # unit conversion
        (num(20, None, "year", "duration", ">"), num(27, unit="year", kind="duration"), COMPATIBLE),
        (num(20, None, "year", "duration", ">"), num(15, unit="year", kind="duration"), CONFLICT),
        (num(2, unit="decade", kind="duration"), num(20, unit="year", kind="duration"), EQUAL),
        (num(None, 10, "F-35B", "count", "<="), num(10, unit="F-35B", kind="count"), COMPATIBLE),
        (num(None, 10, "F-35B", "count", "<="), num(12, unit="F-35B", kind="count"), CONFLICT),
        (num(10, unit="F-35B", kind="count"), num(20, unit="helicopter", kind="count"), INCOMPARABLE),
        (num(5, unit="USD", kind="money"), num(9, unit="EUR", kind="money"), INCOMPARABLE),
        (num(10, unit="knot", kind="speed"), num(18.52, unit="km/h", kind="speed"), EQUAL),
    ],
)
def test_numeric_relations(a, b, expected):
    assert relation(a, b) == expected
    assert relation(b, a) == expected


def test_date_intervals():
    june = day("2024-06-01", "2024-06-30", "month")
    mid_year = day("2024-05-01", "2024-08-31", "year")
    assert relation(june, mid_year) == COMPATIBLE
    assert relation(day("2024-08-22"), day("2024-08-22")) == EQUAL
    assert relation(day("2024-08-22"), day("2023-12-01", "2023-12-31", "month")) == CONFLICT
    by_2035 = day("2035-01-01", "2035-12-31", "year", bound="<=")
    assert relation(by_2035, day("2031-01-01", "2031-12-31", "year")) == COMPATIBLE
    assert relation(by_2035, day("2036-01-01", "2036-12-31", "year")) == CONFLICT


def test_ordinals_and_sets():
    gen = {"kind": "ordinal", "attribute": "generation"}
    assert relation(gen | {"value": 6}, gen | {"value": 6}) == EQUAL
    assert relation(gen | {"value": 5}, gen | {"value": 6}) == CONFLICT
    three = {"kind": "set", "members": ["jp", "it", "uk"], "names": ["Japan", "Italy", "UK"]}
    two = {"kind": "set", "members": ["jp", "it"], "names": ["Japan", "Italy"]}
    other = {"kind": "set", "members": ["jp", "se"], "names": ["Japan", "Sweden"]}
    assert relation(three, dict(three, names=["x"])) == EQUAL  # members decide, not names
    assert relation(three, two, exclusive=True) == COMPATIBLE  # one outlet lists fewer
    assert relation(three, other, exclusive=True) == CONFLICT
    assert relation(three, other, exclusive=False) == COMPATIBLE


def test_display_reads_like_the_article():
    assert display(num(27100)) == "27,100 tons"
    assert display(num(None, 10, "F-35B", "count", "<=")) == "up to 10 F-35B"
    assert display(num(20, None, "year", "duration", ">")) == "over 20 years"
    assert display(day("2024-06-01", "2024-06-30", "month")) == "June 2024"


# ---------------------------------------------------------------- independence


def test_outlet_key_folds_sections_and_domains():
    assert outlet_key("Harbour Times - World") == outlet_key("Harbour Times") == outlet_key("harbourtimes.example")
    assert outlet_key("The Naval Observer") != outlet_key("Harbour Times")
    assert outlet_key(None) is None


def test_same_outlet_duplicates_and_syndicated_copies_count_once():
    para = ("The three governments signed the agreement in the capital on a cold morning after long talks, "
            "and officials from each delegation said the new body would begin work early next year with a small "
            "staff drawn from the ministries involved.")
    values = [
        sv("a", num(1), "Wire Service", context=para),
        sv("b", num(1), "Local Paper", context=para.replace("cold", "grey")),  # republished wire copy
        sv("c", num(1), "Wire Service - Asia", context="A different paragraph written by hand here today."),
        sv("d", num(1), "Other Paper", dup="doc_a"),  # exact duplicate of a's document
        sv("e", num(1), "Independent Daily", context="Officials confirmed the figure in a briefing on Monday."),
    ]
    groups = independent_groups(values)
    assert groups["a"] == groups["b"] == groups["c"] == groups["d"]
    assert groups["e"] != groups["a"]


def test_short_identical_phrases_are_not_proof_of_copying():
    values = [sv("a", num(1), "One", context="The carrier arrived."), sv("b", num(1), "Two", context="The carrier arrived.")]
    groups = independent_groups(values)
    assert groups["a"] != groups["b"]


# ---------------------------------------------------------------- statuses


def test_corroborated_needs_two_independent_sources():
    two = assess([sv("a", num(27100), "North Post", "2024-08-23"), sv("b", num(27100), "South Ledger", "2024-08-28")])
    assert two.status == "corroborated"
    assert "North Post (2024-08-23)" in two.explanation and "South Ledger (2024-08-28)" in two.explanation
    assert set(two.value_status.values()) == {"corroborated"}
    same_outlet = assess([sv("a", num(27100), "North Post", "2024-08-23"),
                          sv("b", num(27100), "North Post - World", "2024-08-25")])
    assert same_outlet.status == "single_source"
    assert same_outlet.independent_of["b"] == "a"


def test_conflict_names_the_majority():
    result = assess([
        sv("a", num(27100), "North Post", "2024-08-23"),
        sv("b", num(27100), "South Ledger", "2024-08-28"),
        sv("c", num(30000), "East Review", None),
    ])
    assert result.status == "conflict"
    assert "most independent sources (2 of 3) give 27,100 tons" in result.explanation
    assert "East Review (undated) gives 30,000 tons" in result.explanation
    assert result.value_status == {"a": "corroborated", "b": "corroborated", "c": "conflict"}


def test_compatible_restatements():
    result = assess([
        sv("a", num(20, None, "year", "duration", ">"), "North Post", "2024-08-23"),
        sv("b", num(27, unit="year", kind="duration"), "East Review", "2024-08-29"),
    ])
    assert result.status == "compatible"
    assert "over 20 years" in result.explanation and "27 years" in result.explanation
    assert set(result.value_status.values()) == {"compatible"}


def test_plan_superseded_by_later_report():
    plan = sv("p", day("2023-12-01", "2023-12-31", "month"), "West Review", "2023-11-20", modality="expected")
    arrived = [sv("a", day("2024-08-22"), "North Post", "2024-08-23"),
               sv("b", day("2024-08-22"), "South Ledger", "2024-08-28")]
    result = assess([plan, *arrived])
    assert result.status == "superseded"
    assert result.value_status["p"] == "superseded"
    assert result.superseded_by["p"] == ["a", "b"]
    assert re.search(r"West Review \(2023-11-20\) expected December 2023; later reports \(North Post 2024-08-23",
                     result.explanation)


def test_fulfilled_plan_is_not_superseded():
    plan = sv("p", day("2024-08-01", "2024-08-31", "month"), "West Review", "2024-07-16", modality="planned")
    result = assess([plan, sv("a", day("2024-08-22"), "North Post", "2024-08-23")])
    assert result.status == "compatible"


def test_undated_values_cannot_supersede():
    plan = sv("p", day("2023-12-01", "2023-12-31", "month"), "West Review", "2023-11-20", modality="expected")
    result = assess([plan, sv("a", day("2024-08-22"), "East Review", None)])
    assert result.status == "conflict"
    assert "undated, so cannot supersede" in result.explanation
    inferred = assess([plan, sv("a", day("2024-08-22"), "East Review", "2024-08-29", basis="inferred")])
    assert inferred.status == "superseded"
    assert "East Review inferred 2024-08-29" in inferred.explanation


def test_negated_value_conflicts_with_the_same_value():
    result = assess([sv("a", num(10, unit="F-35B", kind="count"), "North Post", "2024-08-23"),
                     sv("b", num(10, unit="F-35B", kind="count"), "East Review", "2024-08-24", modality="negated")])
    assert result.status == "conflict"


# ---------------------------------------------------------------- the store step


def _store_with(tmp_path, rows):
    """A store holding hand-written claim values (one document each), for the incremental step."""
    from newsgraph.store import db

    con = db.connect(tmp_path / "claims.duckdb")
    for row in rows:
        _add_value(con, row)
    return con


def test_store_step_is_incremental_and_idempotent(tmp_path):
    from newsgraph.resolve.claims import claim_id, resolve_claims

    con = _store_with(tmp_path, [("d1", "North Post", "2024-08-23", num(27100), "happened"),
                                 ("d2", "South Ledger", "2024-08-28", num(27100), "happened")])
    cid = claim_id("entity_ship", "displacement")
    assert resolve_claims(con) == [cid]
    assert con.execute("SELECT status FROM claims WHERE id = ?", [cid]).fetchone()[0] == "corroborated"
    assert resolve_claims(con) == []  # nothing new: nothing recomputed
    _add_value(con, ("d3", "East Review", None, num(30000), "happened"))
    assert resolve_claims(con) == [cid]
    status, text = con.execute("SELECT status, explanation FROM claims WHERE id = ?", [cid]).fetchone()
    assert status == "conflict" and "East Review (undated)" in text
    per_value = dict(con.execute("SELECT claim_value, status FROM claim_value_status").fetchall())
    assert per_value == {"v_d1": "corroborated", "v_d2": "corroborated", "v_d3": "conflict"}


def _add_value(con, row):
    doc, outlet, published, norm, modality = row
    text = f"Another invented sentence from {outlet} about the ship and its size, written for this test."
    con.execute("INSERT INTO documents (id, source, outlet, published, text, content_hash) VALUES (?, ?, ?, ?, ?, ?)",
                [doc, doc, outlet, published, text, doc])
    con.execute("INSERT INTO entity_map VALUES (?, 'entity_ship')", [f"{doc}_ship"])
    con.execute('INSERT INTO claim_values (id, doc, subject, subject_name, attribute, value, normalized, modality, '
                'published, start, "end", text) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 0, 20, ?)',
                [f"v_{doc}", doc, f"{doc}_ship", "the ship", "displacement", "x", json.dumps(norm), modality,
                 published, text[:20]])


# ---------------------------------------------------------------- the sample corpus (designed cases)

DESIGNED_KINDS = ("agreement", "conflict", "compatible", "superseded")


def _designed_cases() -> list[dict]:
    cases = yaml.safe_load((SAMPLE / "designed.yaml").read_text(encoding="utf-8"))["cases"]
    return [c for c in cases if c["kind"] in DESIGNED_KINDS]


def _doc_of(export: dict, ref: str) -> dict:
    return next(d for d in export["documents"] if d["source"].endswith(ref))


def _claims_at(export: dict, doc: dict, text: str) -> list[tuple[dict, dict]]:
    """(claim, value) pairs whose evidence overlaps the designed text and whose value is stated in it."""
    start = doc["text"].find(text)
    assert start >= 0, f"designed text not in {doc['source']}: {text}"
    end = start + len(text)
    return [(c, v) for c in export["claims"] for v in c["values"] for s in v["sources"]
            if s["doc"] == doc["id"] and s["start"] < end and s["end"] > start
            and (v["value"].lower() in text.lower() or text.lower() in v["value"].lower())]


def _names_outlet(explanation: str, outlet: str | None) -> bool:
    return outlet_key(outlet) in re.sub(r"[^a-z0-9]", "", explanation.lower())


@pytest.mark.slow
@pytest.mark.parametrize("case", _designed_cases(), ids=lambda c: c["id"])
def test_designed_claim_cases(case, sample_export, sample_db):
    found = {}
    for occ in case["occurrences"]:
        doc = _doc_of(sample_export, occ["ref"])
        for claim, value in _claims_at(sample_export, doc, occ["text"]):
            found.setdefault(claim["id"], []).append((occ, doc, value))
    best = max(found.values(), key=len, default=[])
    missing = [o["ref"] + ": " + o["text"] for o in case["occurrences"] if o not in [b[0] for b in best]]
    if len(best) < 2:
        pytest.xfail(f"extraction gap: not in one claim: {missing}")
    claim = next(c for c in sample_export["claims"] if c["id"] in found and found[c["id"]] is best)
    expected = {"agreement": "corroborated", "conflict": "conflict", "compatible": "compatible",
                "superseded": "superseded"}[case["kind"]]
    if case["kind"] == "agreement" and claim["status"] == "conflict":  # the group also holds a dissenting value
        assert _value_statuses(sample_db, claim["id"], best) == {"corroborated"}
        assert "most independent sources" in claim["explanation"]
    else:
        assert claim["status"] == expected, claim["explanation"]
    for _occ, doc, _value in best:
        assert _names_outlet(claim["explanation"], doc["outlet"]), (doc["outlet"], claim["explanation"])


def _value_statuses(sample_db, cid: str, matched) -> set[str]:
    from newsgraph.store import db

    con = db.connect(sample_db, read_only=True)
    try:
        rows = con.execute(
            "SELECT v.doc, v.start, s.status FROM claim_value_status s JOIN claim_values v ON v.id = s.claim_value "
            "WHERE s.claim = ?", [cid]).fetchall()
    finally:
        con.close()
    spans = {(doc["id"], value["sources"][0]["start"]) for _o, doc, value in matched}
    return {status for doc, start, status in rows if (doc, start) in spans}
