"""The cited brief: every sentence carries citation markers that resolve to the numbered source list."""

from __future__ import annotations

import json
import re
from html.parser import HTMLParser

import pytest

from newsgraph.outputs.brief import (
    build_brief,
    build_briefs,
    format_date,
    lead_sentence,
    render_html,
    render_markdown,
    tidy,
)
from newsgraph.store import db

MARKERS = re.compile(r"((?:\[\d+\])+)")
# A sentence boundary inside one cited unit: three lowercase letters, [.!?], space, a capital; or a
# Chinese or Japanese full stop (。！？, closing brackets after it) with more text after it.
INNER_BOUNDARY = re.compile(r"[a-z]{3}[.!?][\"”’]?\s+[\"“]?[A-Z]|[。！？][」』）]*\s*[^\s」』）]")


def cited_units(block: str) -> list[tuple[str, list[int]]]:
    """Split a paragraph or list item into (sentence, marker numbers); text without markers fails."""
    parts = MARKERS.split(block.strip())
    assert parts[-1].strip() == "", f"text after the last citation: {parts[-1]!r}"
    units = []
    for text, marks in zip(parts[0::2], parts[1::2], strict=False):
        assert text.strip(), f"markers without a sentence in {block!r}"
        assert not INNER_BOUNDARY.search(text), f"two sentences share one citation: {text!r}"
        units.append((text.strip(), [int(n) for n in re.findall(r"\d+", marks)]))
    assert units, f"uncited text: {block!r}"
    return units


def markdown_blocks(md: str) -> list[tuple[list[str], set[int]]]:
    """Per brief: its cited blocks (headline, paragraphs, list items) and its listed source numbers."""
    out = []
    for chunk in md.split("\n---\n"):
        body, _, sources = chunk.partition("\n## Sources\n")
        listed = {int(n) for n in re.findall(r"^\[(\d+)\] \S", sources, flags=re.M)}
        blocks = []
        for line in body.splitlines():
            line = line.strip()
            if not line or line.startswith("## "):
                continue  # blank lines and section labels are layout, not sentences
            blocks.append(re.sub(r"^(# |- )", "", line))
        out.append((blocks, listed))
    return out


class _BriefHTML(HTMLParser):
    """Collects, per <article>, the text of h1/p/li blocks, the link targets and the source ids."""

    BLOCKS = ("h1", "p", "li")

    def __init__(self) -> None:
        super().__init__()
        self.briefs: list[dict] = []
        self.stack: list[str] = []
        self.in_sources = False
        self.external: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag in ("script", "link", "img", "iframe"):
            self.external.append(tag)
        if tag == "article":
            self.briefs.append({"blocks": [], "hrefs": [], "ids": set()})
        if tag == "ol" and "sources" in (a.get("class") or ""):
            self.in_sources = True
        if tag == "li" and self.in_sources and a.get("id"):
            self.briefs[-1]["ids"].add(a["id"])
        if tag == "a" and a.get("href"):
            self.briefs[-1]["hrefs"].append(a["href"])
        if tag in self.BLOCKS and not self.in_sources:
            self.briefs[-1]["blocks"].append("")
            self.stack.append(tag)

    def handle_endtag(self, tag):
        if tag == "ol":
            self.in_sources = False
        if tag in self.BLOCKS and self.stack and not self.in_sources:
            self.stack.pop()
            if self.stack:  # a nested list: the inner item is its own block
                self.briefs[-1]["blocks"].append("")

    def handle_data(self, data):
        if self.stack and not self.in_sources:
            self.briefs[-1]["blocks"][-1] += data


def html_briefs(html: str) -> _BriefHTML:
    parser = _BriefHTML()
    parser.feed(html)
    return parser


def assert_fully_cited_markdown(md: str) -> int:
    n = 0
    for blocks, listed in markdown_blocks(md):
        assert listed and blocks
        for block in blocks:
            for _, numbers in cited_units(block):
                assert numbers and set(numbers) <= listed, (block, listed)
                n += 1
    return n


def assert_fully_cited_html(html: str) -> int:
    parsed = html_briefs(html)
    assert parsed.external == [], "the HTML brief must be self-contained"
    assert "http" not in re.sub(r"<li id=\"b\d+-src-\d+\">.*?</li>", "", html, flags=re.S), "external link"
    n = 0
    for brief in parsed.briefs:
        assert brief["ids"]
        for href in brief["hrefs"]:
            assert href.startswith("#") and href[1:] in brief["ids"], href
        for block in brief["blocks"]:
            if not block.strip():
                continue
            for _, numbers in cited_units(block.replace("\xa0", " ")):
                assert numbers
                n += 1
    return n


# -- a small store written for these tests ---------------------------------------------------------

DOCS = {
    "d1": ("Aurora Harbour Gazette <script>alert('x')</script>", "Coastal Post & Review", "2031-04-02",
           "The frigate Stella Polare arrived in the port of Osaka on Monday for a five-day visit. "
           "Officials from both navies met aboard the frigate to plan a joint exercise."),
    "d2": ("Stella Polare reaches Osaka", "Northern Ledger", "2031-04-03",
           "The Italian frigate Stella Polare docked in Osaka on Monday, opening a five-day visit. "
           "Its captain said the crew looked forward to training with Japanese sailors."),
}


def _small_store(path):
    con = db.connect(path)
    for doc, (title, outlet, published, text) in DOCS.items():
        con.execute("INSERT INTO documents (id, source, text, content_hash, title, outlet, published, story, url) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, 's1', ?)",
                    [doc, f"{doc}.txt", text, doc, title, outlet, published, f"https://{doc}.example/a"])
    con.execute("INSERT INTO stories (id, title) VALUES ('s1', ?)", [DOCS["d1"][0]])
    for eid, name, type_, attrs in [("e_ship", "Stella Polare", "VESSEL", {"country": "ITA", "class": "frigate"}),
                                    ("e_jpn", "Japan", "COUNTRY", {"iso3": "JPN"}),
                                    ("e_capt", "Livia Serra", "PERSON", {"titles": ["Captain"]})]:
        con.execute("INSERT INTO entities (id, name, type, kb_ids, attributes) VALUES (?, ?, ?, '{}', ?)",
                    [eid, name, type_, json.dumps(attrs)])
        for doc in DOCS:
            con.execute("INSERT INTO entity_map VALUES (?, ?)", [f"{doc}:{eid}", eid])
            con.execute("INSERT INTO mentions (doc, start, \"end\", text, label, local_entity) VALUES (?, 0, 1, 'x', ?, ?)",
                        [doc, type_, f"{doc}:{eid}"])
    participants = [{"entity": "e_ship", "name": "Stella Polare", "role": "actor"},
                    {"entity": "e_jpn", "name": "Japan", "role": "partner"}]
    con.execute("INSERT INTO events (id, type, plover, modality, participants, date, story) VALUES "
                "('ev1', 'PORT_CALL', 'CONSULT', 'happened', ?, ?, 's1')",
                [json.dumps(participants), json.dumps({"start": "2031-03-31", "end": "2031-03-31", "granularity": "day",
                                                       "text": "Monday", "basis": "stated"})])
    for doc in DOCS:
        sentence = DOCS[doc][3].split(". ")[0] + "."
        con.execute("INSERT INTO event_mentions (id, doc, type, sent_start, sent_end, sentence) VALUES (?, ?, 'PORT_CALL', 0, ?, ?)",
                    [f"m_{doc}", doc, len(sentence), sentence])
        con.execute("INSERT INTO event_map VALUES (?, 'ev1')", [f"m_{doc}"])
    con.execute("INSERT INTO quotes (id, doc, start, \"end\", text, speaker_local, speaker_name) VALUES "
                "('q1', 'd2', 0, 10, 'We look forward to training with our hosts <b>at sea</b> next week.', 'd2:e_capt', 'Livia Serra')")
    con.execute("INSERT INTO claims VALUES ('c1', 'e_ship', 'Stella Polare', 'deployment_duration', 'conflict', '')")
    for doc, value in (("d1", "five-day"), ("d2", "six-day")):
        con.execute("INSERT INTO claim_values (id, doc, subject, subject_name, attribute, value, normalized, modality, "
                    "published) VALUES (?, ?, 'e_ship', 'Stella Polare', 'deployment_duration', ?, '{}', 'happened', ?)",
                    [f"v_{doc}", doc, value, DOCS[doc][2]])
        con.execute("INSERT INTO claim_map VALUES (?, 'c1')", [f"v_{doc}"])
    return con


@pytest.fixture()
def small(tmp_path):
    con = _small_store(tmp_path / "brief.duckdb")
    yield con
    con.close()


def test_small_store_brief_is_cited_and_escaped(small):
    brief = build_brief(small, "s1")
    keys = [s.key for s in brief.sections]
    assert keys[:2] == ["summary", "events"] and "disputed" in keys and "quotes" in keys and "relations" in keys
    assert {s.doc for s in brief.sources} == {"d1", "d2"}
    for sentence in brief.sentences():
        assert sentence.cites and set(sentence.cites) <= {s.number for s in brief.sources}
    md, html = render_markdown(brief), render_html(brief)
    assert assert_fully_cited_markdown(md) == len(brief.sentences())
    assert assert_fully_cited_html(html) == len(brief.sentences())
    assert "<script>" not in html and "<b>at sea</b>" not in html
    assert "&lt;script&gt;" in html and "Coastal Post &amp; Review" in html


def test_small_store_facts_read_like_an_analyst_wrote_them(small):
    md = render_markdown(build_brief(small, "s1"))
    assert "31 March 2031: port call by Stella Polare with Japan" in md
    assert "took place; reported by 2 independent sources" in md
    assert "Sources disagree on the deployment duration of Stella Polare" in md
    assert "“five-day”" in md and "“six-day”" in md
    assert "Livia Serra (Captain): “We look forward to training" in md
    assert "Italy and Japan, March 2031: 1 cooperative event" in md
    assert not re.search(r"\b(ev1|e_ship|d1|d2|s1)\b", md.split("## Sources")[0]), "raw ids in the brief"


def test_summary_is_extractive(small):
    brief = build_brief(small, "s1")
    texts = {doc: " ".join(t[3].split()) for doc, t in DOCS.items()}
    number_to_doc = {s.number: s.doc for s in brief.sources}
    summary = next(s for s in brief.sections if s.key == "summary")
    for sentence in (s for block in summary.blocks for s in block):
        assert any(sentence.text.rstrip(".") in texts[number_to_doc[n]] for n in sentence.cites), sentence


def test_unsourced_facts_are_dropped(small):
    small.execute("INSERT INTO events (id, type, plover, modality, participants, story) VALUES "
                  "('ev_orphan', 'MEET', 'CONSULT', 'happened', ?, 's1')",
                  [json.dumps([{"entity": "e_jpn", "name": "Japan", "role": "actor"}])])
    md = render_markdown(build_brief(small, "s1"))
    assert md.count("talks by Japan") == 0  # no reporting document: not in the brief


JAPANESE_LEAD = ("海上自衛隊の護衛艦「しらぬい」は3月2日、三か月にわたるインド洋での訓練を終えて舞鶴港に帰港した。"
                  "乗組員約二百人の家族が岸壁で出迎えた。")
JAPANESE_TEXT = JAPANESE_LEAD + "艦長は「全員が無事に戻れたことを誇りに思う」と述べた。\n次の派遣は秋の予定だ。"


def test_a_story_of_one_japanese_report_has_a_summary_cut_at_its_full_stop(tmp_path):
    con = db.connect(tmp_path / "ja.duckdb")
    try:
        con.execute("INSERT INTO documents (id, source, text, content_hash, title, outlet, published, story, language) "
                    "VALUES ('j1', 'j1.txt', ?, 'j1', '護衛艦「しらぬい」が舞鶴に帰港', '舞鶴新報', '2031-03-03', 'sj', 'ja')",
                    [JAPANESE_TEXT])
        con.execute("INSERT INTO stories (id, title) VALUES ('sj', '護衛艦「しらぬい」が舞鶴に帰港')")
        brief = build_brief(con, "sj")
    finally:
        con.close()
    summary = next(s for s in brief.sections if s.key == "summary")
    sentences = [s for block in summary.blocks for s in block]
    assert [s.text for s in sentences] == [JAPANESE_LEAD.split("。")[0] + "。"]  # no "." added after "。"
    assert assert_fully_cited_markdown(render_markdown(brief)) == len(brief.sentences())
    assert assert_fully_cited_html(render_html(brief)) == len(brief.sentences())
def test_lead_sentence_of_a_script_without_spaces():
    text = "港の話\n\n架空の町ミナトに練習船「ハヤテ」が月曜日に入港し、三日間とどまった。乗員は三十人だった。"
    assert lead_sentence(text, "港の話") == "架空の町ミナトに練習船「ハヤテ」が月曜日に入港し、三日間とどまった。"
    assert lead_sentence("短い。", None) is None  # too short to be a lead
    assert tidy("入港した。") == "入港した。"  # an ideographic full stop ends the sentence


def test_format_date():
    assert format_date("2024-08-23") == "23 August 2024"
    assert format_date("2024-08") == "August 2024"
    assert format_date(None) == "undated"


def test_sample_corpus_briefs_cite_every_sentence(sample_db):
    from newsgraph.archive import Archive

    with Archive(sample_db, read_only=True) as archive:
        briefs = build_briefs(archive)
        docs = dict(archive.con.execute("SELECT id, title FROM documents").fetchall())
    assert len(briefs) >= 3
    for brief in briefs:
        assert {s.doc for s in brief.sources} <= set(docs)
        assert [s.number for s in brief.sources] == list(range(1, len(brief.sources) + 1))
        assert any(s.key == "summary" for s in brief.sections)
    n_sentences = sum(len(b.sentences()) for b in briefs)
    assert assert_fully_cited_markdown(render_markdown(briefs)) == n_sentences
    assert assert_fully_cited_html(render_html(briefs)) == n_sentences


def test_cli_brief_and_relations(sample_db, tmp_path):
    from typer.testing import CliRunner

    from newsgraph.cli.main import app

    runner = CliRunner()
    out = tmp_path / "brief.html"
    result = runner.invoke(app, ["brief", "--db", str(sample_db), "--format", "html", "--output", str(out)])
    assert result.exit_code == 0, result.output
    assert assert_fully_cited_html(out.read_text(encoding="utf-8")) > 0
    result = runner.invoke(app, ["relations", "--db", str(sample_db), "--pair", "JPN-ITA", "--format", "json"])
    assert result.exit_code == 0, result.output
    rows = json.loads(result.output)
    assert rows and {r["pair"] for r in rows} == {"ITA-JPN"}
    bad = runner.invoke(app, ["brief", "--db", str(sample_db), "--format", "pdf"])
    assert bad.exit_code != 0


def test_store_without_stories_gets_one_whole_store_brief(small):
    small.execute("UPDATE documents SET story = NULL")
    small.execute("UPDATE events SET story = NULL")
    small.execute("DELETE FROM stories")
    briefs = build_briefs(small)
    assert len(briefs) == 1 and briefs[0].story is None
    assert assert_fully_cited_markdown(render_markdown(briefs)) == len(briefs[0].sentences())


def test_sample_corpus_brief_states_none_of_the_known_false_statements(sample_db):
    """The sample brief once said: "agreement by Japan with Italy, F-35B and Takashi Ogura", "2035: agreement
    ... (took place)", "agreement by Mutual Defense Treaty with Philippines", and "reported by 2 sources" of
    one article. None of these, nor any event "reported by N" sources with fewer than N outlets cited."""
    from newsgraph.archive import Archive

    with Archive(sample_db, read_only=True) as archive:
        md = render_markdown(build_briefs(archive))
    assert not re.search(r"agreement by [^(\n]*\bF-35B", md)
    assert not re.search(r"\b2035: agreement", md)
    assert "agreement by Mutual Defense Treaty" not in md
    for chunk in md.split("\n---\n"):
        body, _, sources = chunk.partition("\n## Sources\n")
        outlets = {int(n): outlet for n, outlet in re.findall(r"^\[(\d+)\] ([^,]+),", sources, flags=re.M)}
        for n, marks in re.findall(r"reported by (\d+) independent sources?\)\. ((?:\[\d+\])+)", body):
            cited = {outlets[int(m)] for m in re.findall(r"\d+", marks)}
            assert int(n) <= len(cited), (n, marks, cited)
