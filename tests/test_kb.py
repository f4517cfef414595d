"""The knowledge base: loading, alias lookups, country codes, patterns and user extra dirs."""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.model import ENTITY_TYPES
from newsgraph.nlp.kb import load_kb, normalise


@pytest.fixture(scope="module")
def kb():
    return load_kb()


def test_normalise_ignores_case_dots_articles_and_possessives():
    assert normalise("the U.S.") == normalise("US") == "us"
    assert normalise("Japan's") == "japan"
    assert normalise("Élysée") == "elysee"


def test_every_iso_country_is_present_with_iso3(kb):
    countries = [e for e in kb.entries.values() if e.type == "COUNTRY"]
    assert len(countries) >= 249
    assert all(len(e.attributes["iso3"]) == 3 for e in countries)


def test_demonym_table_covers_many_states(kb):
    with_demonyms = [e for e in kb.entries.values() if e.type == "COUNTRY" and e.attributes["demonyms"]]
    assert len(with_demonyms) >= 80


@pytest.mark.parametrize(
    ("name", "iso3"),
    [
        ("the UK", "GBR"),
        ("U.S.", "USA"),
        ("Britain", "GBR"),
        ("America", "USA"),
        ("South Korea", "KOR"),
        ("Taiwan", "TWN"),
        ("Italian", "ITA"),
        ("North Korean", "PRK"),
        ("Russia", "RUS"),
    ],
)
def test_short_names_and_demonyms_resolve_to_states(kb, name, iso3):
    entry = kb.lookup(name, "COUNTRY")
    assert entry is not None and kb.country_code(entry.id) == iso3


@pytest.mark.parametrize(
    ("name", "type_", "iso3"),
    [
        ("Kyiv", "PLACE", "UKR"),
        ("JASDF", "ORG", "JPN"),
        ("Marina Militare", "ORG", "ITA"),
        ("Taranto Naval Base", "FACILITY", "ITA"),
        ("Cavour", "VESSEL", "ITA"),
        ("Kremlin", "FACILITY", "RUS"),
    ],
)
def test_country_code_of_capitals_forces_bases_and_ships(kb, name, type_, iso3):
    entry = kb.lookup(name, type_)
    assert entry is not None
    assert kb.country_code(entry.id) == iso3


def test_lookup_respects_type_and_unknown_names(kb):
    assert kb.lookup("GCAP").type == "PROGRAM"
    assert kb.lookup("GCAP", "VESSEL") is None
    assert kb.lookup("Ruritania") is None
    assert kb.get("Q38").name == "Italy"


def test_entries_use_the_vocabulary_and_qids(kb):
    for entry in kb.entries.values():
        assert entry.type in ENTITY_TYPES, entry.id
        assert entry.wikidata is None or entry.wikidata.startswith("Q")
        assert entry.id.startswith(("Q", "ng:"))


def test_capitals_carry_coordinates(kb):
    tokyo = kb.lookup("Tokyo", "PLACE")
    assert abs(tokyo.attributes["lat"] - 35.7) < 0.5 and abs(tokyo.attributes["lon"] - 139.7) < 0.5


def test_patterns_skip_bare_ambiguous_names(kb):
    texts = {p["pattern"] for p in kb.patterns()}
    assert {"HMS Queen Elizabeth", "NATO", "Italian", "F-35B"} <= texts
    assert "Jordan" not in texts  # also a person's name: typed only in context
    assert "Amerigo Vespucci" not in texts
    assert all({"label", "pattern", "id"} <= set(p) for p in kb.patterns())
    assert kb.patterns() is kb.patterns()  # built once


def test_load_kb_is_cached_and_accepts_user_dirs(tmp_path: Path):
    assert load_kb() is load_kb()
    (tmp_path / "mine.yaml").write_text(
        "type: VESSEL\nentries:\n  - {name: Sea Falcon, aliases: [KD Sea Falcon], country: MYS}\n"
        "titles: [Harbour Master]\n",
        encoding="utf-8",
    )
    kb = load_kb([tmp_path])
    entry = kb.lookup("kd sea falcon")
    assert entry is not None and entry.id == "ng:sea-falcon" and kb.country_code(entry.id) == "MYS"
    assert "Harbour Master" in kb.lexicon["titles"]
    assert load_kb().lookup("Sea Falcon") is None


def test_missing_user_dir_is_an_error(tmp_path: Path):
    with pytest.raises(FileNotFoundError):
        load_kb([tmp_path / "nope"])
