"""Grouped search: snippets with marked words, entities by alias and KB id, quotes, claims, filters, duplicates."""

from __future__ import annotations

import shutil

import httpx
import pytest

from newsgraph.display.search import search_results
from newsgraph.display.snippets import hit_spans, plain, query_terms, snippet
from newsgraph.store import db
from webtools import needs_chromium


@pytest.fixture(scope="module")
def con(sample_db, tmp_path_factory):
    copy = tmp_path_factory.mktemp("search") / "sample.duckdb"
    shutil.copyfile(sample_db, copy)
    connection = db.connect(copy, read_only=True)
    yield connection
    connection.close()


def test_snippet_marks_every_form_of_the_query_words(con):
    text = ("A long opening about the weather and the markets. " * 8
            + "The patrol boats left the bay at dawn; two more Patrol boats followed. " + "Filler words here. " * 20)
    pieces = snippet(text, hit_spans(con, text, query_terms(con, "patrolling boat")))
    marked = [p["text"] for p in pieces if p["hit"]]
    assert marked == ["patrol", "boats", "Patrol", "boats"]
    assert len(plain(pieces)) <= 245 and plain(pieces).startswith("…") and plain(pieces).endswith("…")
    assert "\n" not in plain(pieces)
    short = snippet("Boats", hit_spans(con, "Boats", query_terms(con, "boat")))
    assert short == [{"text": "Boats", "hit": True}]


def test_entities_found_by_a_word_an_alias_or_a_kb_id(con):
    found = search_results(con, "GCAP fighter")
    programme = next(e for e in found["entities"] if e["type"] == "PROGRAM")
    assert "GCAP" in programme["aliases"]
    assert search_results(con, programme["kb"])["entities"][0]["id"] == programme["id"]
    # A word matches at a word's start: "fighter" does not find a name that only holds it inside a word.
    names = [e["name"] for e in search_results(con, "fighter")["entities"]]
    assert all(any(w.lower().startswith("fighter") for w in n.replace("-", " ").split()) for n in names), names


def test_quotes_and_claims_come_from_the_matching_documents(con):
    found = search_results(con, "GCAP fighter")
    docs = {h["id"] for h in search_results(con, "GCAP fighter", limit=200)["hits"]["items"]}
    assert found["quotes"] and all(q["doc"] in docs for q in found["quotes"])
    assert all(any(p["hit"] for p in q["snippet"]) for q in found["quotes"])
    assert all("fact=attribution" in q["link"] for q in found["quotes"])
    conflict = next(c for c in found["claims"] if c["status"] == "conflict")
    assert " · " in conflict["stated"] and "fact=claim" in conflict["link"]


def test_duplicates_fold_under_their_original(con):
    original, copy = con.execute("SELECT duplicate_of, id FROM documents WHERE duplicate_of IS NOT NULL "
                                 "ORDER BY id LIMIT 1").fetchone()
    title = con.execute("SELECT title FROM documents WHERE id = ?", [original]).fetchone()[0]
    folded = search_results(con, title, limit=200)["hits"]
    ids = [h["id"] for h in folded["items"]]
    assert copy not in ids and original in ids
    assert copy in [d["id"] for d in folded["items"][ids.index(original)]["duplicates"]]
    unfolded = search_results(con, title, limit=200, duplicates=True)["hits"]
    assert copy in [h["id"] for h in unfolded["items"]] and unfolded["total"] > folded["total"]


def test_filters_apply_before_paging_and_explain_an_empty_result(con):
    everything = search_results(con, "Cavour", limit=200)["hits"]
    languages = dict(con.execute("SELECT id, language FROM documents").fetchall())
    assert len({languages[h["id"]] for h in everything["items"]}) > 1
    english = search_results(con, "Cavour", limit=200, filters={"language": "en"})["hits"]
    assert 0 < english["total"] < everything["total"]
    assert {languages[h["id"]] for h in english["items"]} == {"en"}
    dated = search_results(con, "Japan", limit=200, filters={"date_from": "2024-08-01", "date_to": "2024-08-31"})
    published = dict(con.execute("SELECT id, CAST(published AS VARCHAR) FROM documents").fetchall())
    assert all("2024-08-01" <= published[h["id"]] <= "2024-08-31" for h in dated["hits"]["items"])
    none = search_results(con, "Cavour", filters={"date_from": "1990-01-01", "date_to": "1990-12-31"})
    assert none["hits"]["total"] == 0
    assert f"{everything['total']} documents match" in none["why_empty"][0]


def test_api_search_is_grouped_filtered_and_typed(live):
    page = live.api("/api/search", q="GCAP fighter", limit=5)
    assert page["total"] > 5 and len(page["items"]) == 5 and page["next"]
    hit = page["items"][0]
    assert hit["highlights"] and all(hit["snippet"][s:e].lower().startswith(("gcap", "fighter"))
                                     for s, e in hit["highlights"])
    assert page["entities"] and page["quotes"] and page["claims"] and page["why_empty"] is None
    empty = live.api("/api/search", q="whereas")
    assert empty["total"] == 0 and "too common" in empty["why_empty"][0]
    wrong = httpx.get(live.url + "/api/search", params={"q": "japan", "lang": "en"}, timeout=30)
    assert wrong.status_code == 422 and "did you mean 'language'" in wrong.text


@pytest.mark.browser
@needs_chromium
def test_search_page_groups_marks_and_links(live, page):
    page.goto(live.url + "/search?q=GCAP+fighter")
    page.wait_for_load_state("networkidle")
    marks = page.locator("#results .snippet mark.term").all_inner_texts()
    assert marks and {m.lower().rstrip("s") for m in marks} <= {"gcap", "fighter"}
    assert "Global Combat Air Programme" in page.locator("#entity-results").inner_text()
    assert page.locator("#claim-results .badge.conflict").count() >= 1
    page.locator("#quote-results a").first.click()
    page.wait_for_load_state("networkidle")
    assert "/documents/" in page.url and page.locator("#reader .cited").count() >= 1
    page.goto(live.url + "/search?q=Japan&language=it&to=later")
    page.wait_for_load_state("networkidle")
    assert "not a date" in page.locator(".note").inner_text()
    assert page.locator("#search-language").input_value() == "it"
    assert page.errors == []
