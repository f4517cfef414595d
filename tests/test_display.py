"""The display layer (newsgraph.display): what pages and API answers show, built without a face."""

from __future__ import annotations

import pytest

from newsgraph.display.document import document_page, reason_labels
from newsgraph.display.paging import neighbours, pager
from newsgraph.display.search import explain_no_match, search_page
from newsgraph.display.story import actor_network, story_page
from newsgraph.display.text import placed_removals, reader_pieces
from newsgraph.store import db, queries
from newsgraph.views import fetch

TEXT = "First paragraph here.\n\nSecond one.\n\nThird and last."


@pytest.fixture(scope="module")
def con(sample_db):
    connection = db.connect(sample_db, read_only=True)
    yield connection
    connection.close()


# --------------------------------------------------------------------------- text and removals


def test_removals_are_placed_only_at_paragraph_boundaries():
    removed = [{"text": "Menu", "reason": "nav", "line": 1, "at": 0},
               {"text": "Photo: A. Person", "reason": "credit", "line": 4, "at": TEXT.index("\n\nSecond")},
               {"text": "Share", "reason": "share_prompt", "line": 9, "at": len(TEXT)},
               {"text": "mid-word", "reason": "nav", "line": 5, "at": 3},  # not a boundary: not trusted
               {"text": "old store", "reason": "nav", "line": 2}]  # no offset recorded
    placed, loose = placed_removals(TEXT, removed)
    assert sorted(placed) == [0, TEXT.index("\n\nSecond"), len(TEXT)]
    assert [r["text"] for r in loose] == ["old store", "mid-word"]  # raw line order


def test_reader_pieces_keep_the_text_and_put_removals_in_place():
    highlights = [{"start": 0, "end": 5, "kind": "mention"}, {"start": TEXT.index("Third"), "end": len(TEXT),
                                                              "kind": "event"}]
    removed = [{"text": "Menu", "reason": "nav", "at": 0},
               {"text": "Caption", "reason": "caption", "at": TEXT.index("\n\nSecond")},
               {"text": "Share", "reason": "share_prompt", "at": len(TEXT)}]
    reader = reader_pieces(TEXT, highlights, removed)
    pieces = reader["pieces"]
    assert "".join(p.get("text", "") for p in pieces) == TEXT
    order = [p["removed"][0]["text"] if "removed" in p else p["text"] for p in pieces]
    assert order[0] == "Menu" and order[-1] == "Share"
    caption = order.index("Caption")
    assert order[caption - 1].endswith("paragraph here.") and order[caption + 1].startswith("\n\nSecond")
    assert reader["count"] == 3 and reader["loose"] == []


def test_every_cleaner_reason_has_words_for_the_reader():
    import re
    from pathlib import Path

    import newsgraph.ingest.clean as clean

    source = Path(clean.__file__).read_text(encoding="utf-8")
    reasons = set(re.findall(r'(?:reason = |return |\(|or )"([a-z_]+)"', source)) & {
        "nav", "share_prompt", "copyright", "widget", "teaser", "credit", "caption", "bio", "title",
        "repeated_headline", "byline", "dateline", "subhead"}
    assert len(reasons) >= 10
    assert reasons <= set(reason_labels())


def test_document_page_labels_its_removals(con):
    doc_id = con.execute("SELECT id FROM documents WHERE json_array_length(removed) > 3 LIMIT 1").fetchone()[0]
    view = document_page(queries.get_document(con, doc_id))
    removed = [r for p in view["pieces"] if "removed" in p for r in p["removed"]]
    assert len(removed) + len(view["loose_removals"]) == len(view["doc"]["removed"])
    assert all(r["label"] for r in removed)
    assert sum(n for _, n in view["removal_reasons"]) == len(view["doc"]["removed"])
    assert len(view["page_data"]["facts"]) == len(view["doc"]["highlights"])


def test_document_page_passes_attributions_to_the_panel():
    doc = {"id": "d1", "text": TEXT, "highlights": [], "quotes": [],
           "attributions": [{"id": "a1", "kind": "direct", "speaker": "e1", "speaker_name": "Rana Voss",
                             "source": {"start": 0, "end": 5}, "cue": None, "content": None, "extra": 1}]}
    data = document_page(doc)["page_data"]
    assert data["attributions"]["a1"]["speaker_name"] == "Rana Voss" and "extra" not in data["attributions"]["a1"]
    assert "attributions" not in document_page(doc | {"attributions": []})["page_data"]


# --------------------------------------------------------------------------- paging


@pytest.mark.parametrize("total, limit, offset, expected", [
    (0, 20, 0, {"first": 0, "prev": None, "next": None, "last": 0}),
    (45, 20, 0, {"first": 0, "prev": None, "next": 20, "last": 40}),
    (45, 20, 20, {"first": 0, "prev": 0, "next": 40, "last": 40}),
    (45, 20, 40, {"first": 0, "prev": 20, "next": None, "last": 40}),
    (40, 20, 20, {"first": 0, "prev": 0, "next": None, "last": 20}),
    (45, 20, 5, {"first": 0, "prev": 0, "next": 25, "last": 40}),
])
def test_neighbour_offsets(total, limit, offset, expected):
    assert neighbours(total, limit, offset) == expected


def test_pager_counts_what_the_page_shows():
    page = {"total": 45, "limit": 20, "offset": 40, "items": [{}] * 5}
    assert pager(page) | {} == pager(page)
    assert (pager(page)["from"], pager(page)["to"]) == (41, 45)
    assert pager({"total": 0, "limit": 20, "offset": 0, "items": []})["from"] == 0


# --------------------------------------------------------------------------- search


def test_no_match_is_explained_word_by_word(con):
    reasons = explain_no_match(con, "Which zqxwvk")
    assert any("“which”" in r and "too common" in r for r in reasons)
    assert any("“zqxwvk”" in r and "No document contains" in r for r in reasons)
    assert not any("carrier" in r for r in explain_no_match(con, "carrier zqxwvk"))  # an indexed word is no reason
    assert explain_no_match(con, "!!! ???") == ["The query has no word the index can look up (only punctuation)."]


def test_search_page_explains_only_empty_results(con):
    found = search_page(con, "carrier")
    assert found["hits"]["total"] > 0 and found["why_empty"] is None and found["pager"]["from"] == 1
    empty = search_page(con, "whereas")
    assert empty["hits"]["total"] == 0 and "too common" in empty["why_empty"][0]
    assert search_page(con, "   ")["hits"] is None


# --------------------------------------------------------------------------- story


def test_actor_network_keeps_the_busiest_actors_and_lists_all():
    events = [{"participants": [{"entity": f"e{i}", "name": f"Actor {i}"}, {"entity": "hub", "name": "Hub"}]}
              for i in range(6)]
    net = actor_network(events, [], max_nodes=4)
    assert net["actors"][0]["id"] == "hub" and len(net["actors"]) == 7
    assert len(net["nodes"]) == 4 and net["hidden"] == 3
    shown = {n["id"] for n in net["nodes"]}
    assert all(e["source"] in shown and e["target"] in shown for e in net["edges"])


def test_story_page_holds_what_the_story_page_shows(con):
    story_id = con.execute("SELECT story FROM events WHERE story IS NOT NULL GROUP BY 1 ORDER BY count(*) DESC "
                           "LIMIT 1").fetchone()[0]
    records = fetch.story_page(con, story_id)
    view = story_page(records | {"extra": "kept"})
    timeline = view["timeline"]  # every event is placed on the axis or listed as undated
    assert len(timeline["events"]) + len(timeline["undated"]) == len(view["story"]["events"])
    assert all(not d["duplicate_of"] for d in view["sources"])
    assert {d["id"] for d in view["sources"]} == {d["id"] for d in records["story"]["documents"]
                                                  if not d["duplicate_of"]}
    assert all(c["status"] in ("conflict", "superseded") for c in view["disputed"])
    assert view["extra"] == "kept"  # other records pass through
    if view["brief"]:  # every citation of the brief links somewhere
        sentences = [view["brief"]["headline"]] + [x for sec in view["brief"]["sections"] for b in sec["blocks"]
                                                   for x in b]
        assert all(len(x["citations"]) == len(x["cites"]) for x in sentences)
        assert all(c["href"].startswith("/documents/") for x in sentences for c in x["citations"])
    assert {n["id"] for n in view["network"]["nodes"]} <= {a["id"] for a in view["network"]["actors"]}
    assert fetch.story_page(con, "no_such_story") is None
