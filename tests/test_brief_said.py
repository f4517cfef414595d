"""The brief's "Who said what" section (outputs/brief_said.py), over a small store written here."""

from __future__ import annotations

import json

import pytest

from newsgraph.outputs.brief import build_brief, render_markdown
from newsgraph.outputs.brief_said import sentence
from newsgraph.store import db

TEXTS = {
    "d1": "Admiral Livia Serra said the frigate would stay in Osaka until Friday.",
    "d2": "According to the port authority, two tugboats escorted the frigate into the bay.",
}


def _attribution(con, aid, doc, kind, cue, content, speaker=None, name=None, source=None):
    text = TEXTS[doc]

    def at(words):
        start = text.index(words)
        return start, start + len(words)

    c_start, c_end = at(cue)
    parts = [{"start": a, "end": b, "text": text[a:b]} for a, b in map(at, content)]
    s_start, s_end = at(source) if source else (None, None)
    con.execute(
        "INSERT INTO attributions (id, doc, kind, statement_type, cue_start, cue_end, cue_text, content, "
        "content_start, source_start, source_end, source_text, speaker_local, speaker_name) "
        "VALUES (?, ?, ?, 'statement', ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [aid, doc, kind, c_start, c_end, cue, json.dumps(parts), parts[0]["start"], s_start, s_end, source,
         speaker, name])


@pytest.fixture()
def store(tmp_path):
    con = db.connect(tmp_path / "said.duckdb")
    for doc, text in TEXTS.items():
        con.execute("INSERT INTO documents (id, source, text, content_hash, title, outlet, published, story) "
                    "VALUES (?, ?, ?, ?, ?, ?, '2031-04-02', 's1')", [doc, f"{doc}.txt", text, doc, f"T {doc}",
                                                                       f"Outlet {doc}"])
    con.execute("INSERT INTO stories (id, title) VALUES ('s1', 'Frigate visit')")
    for eid, name, type_ in [("e_serra", "Livia Serra", "PERSON"), ("e_port", "Osaka Port Authority", "ORG")]:
        con.execute("INSERT INTO entities (id, name, type, kb_ids, attributes) VALUES (?, ?, ?, '{}', '{}')",
                    [eid, name, type_])
        for doc in TEXTS:
            con.execute("INSERT INTO entity_map VALUES (?, ?)", [f"{doc}:{eid}", eid])
            con.execute("INSERT INTO mentions (doc, start, \"end\", text, label, local_entity) "
                        "VALUES (?, 0, 1, 'x', ?, ?)", [doc, type_, f"{doc}:{eid}"])
    _attribution(con, "a1", "d1", "indirect", "said", ["the frigate would stay in Osaka until Friday"],
                 "d1:e_serra", "Livia Serra", "Admiral Livia Serra")
    _attribution(con, "a2", "d2", "according_to", "According to",
                 ["two tugboats escorted the frigate into the bay"], "d2:e_port", "Osaka Port Authority",
                 "the port authority")
    yield con
    con.close()


def test_who_said_what_cites_the_document_of_each_statement(store):
    brief = build_brief(store, "s1")
    section = next(s for s in brief.sections if s.key == "said")
    by_doc = {src.number: src.doc for src in brief.sources}
    texts = {s.text: [by_doc[n] for n in s.cites] for block in section.blocks for s in block}
    assert texts == {
        "Livia Serra said the frigate would stay in Osaka until Friday.": ["d1"],
        "According to the port authority, two tugboats escorted the frigate into the bay.": ["d2"],
    }
    assert "## Who said what" in render_markdown(brief)


def test_an_attribution_without_a_resolved_speaker_is_left_out(store):
    store.execute("UPDATE attributions SET speaker_local = NULL WHERE id = 'a1'")
    brief = build_brief(store, "s1")
    section = next(s for s in brief.sections if s.key == "said")
    assert [s.text for block in section.blocks for s in block] == [
        "According to the port authority, two tugboats escorted the frigate into the bay."]


def test_sentence_forms():
    a = {"kind": "indirect", "cue": "warned", "source": "she",
         "content": [{"text": "that the talks could fail"}]}
    assert sentence(a, "Ana Ruiz") == "Ana Ruiz warned that the talks could fail"
    assert sentence({**a, "content": [{"text": "fail"}]}, "Ana Ruiz") is None  # too short to stand alone
    long = {**a, "content": [{"text": " ".join(["word"] * 60)}]}
    assert sentence(long, "Ana Ruiz") is None
    told = {**a, "cue": "told", "content": [{"text": "that the port would reopen soon"}]}
    assert sentence(told, "Ana Ruiz") == "Ana Ruiz said that the port would reopen soon"  # no dangling "told"
    assert sentence({**a, "cue": "saying"}, "Ana Ruiz") is None
