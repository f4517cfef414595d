"""Stories: incremental clustering of invented articles by shared entities, words and time."""

from __future__ import annotations

import re
from datetime import date

import pytest

from newsgraph.eval.stories import pairwise_scores
from newsgraph.model import Analysis, Document, Entity, Mention, Span
from newsgraph.resolve.entities import resolve_entities
from newsgraph.resolve.stories import cosine, resolve_stories, terms
from newsgraph.settings import Settings
from newsgraph.stages import Context
from newsgraph.store import db, write

# Three invented topics; each article names its entities in [brackets] (type after a colon).
EXERCISE = [
    ("Navies open Pacific Shield drill near [Guam:PLACE]",
     "The [Japan Maritime Self-Defense Force:ORG] and the [United States Navy:ORG] began the Pacific Shield "
     "naval exercise near [Guam:PLACE], with destroyers rehearsing anti-submarine warfare and air defence. "
     "Admiral [Ken Sato:PERSON] said the drill tests how the two fleets share targeting data at sea."),
    ("Destroyers rehearse submarine hunting in Pacific Shield",
     "Destroyers of the [United States Navy:ORG] and the [Japan Maritime Self-Defense Force:ORG] tracked a "
     "simulated submarine on the third day of the Pacific Shield exercise off [Guam:PLACE]. [Sato:PERSON] "
     "told reporters the anti-submarine warfare drill went well and the fleets shared data quickly."),
    ("Pacific Shield naval drill ends with live-fire air defence",
     "The Pacific Shield naval exercise near [Guam:PLACE] ended with a live-fire air defence drill in which "
     "destroyers of the [Japan Maritime Self-Defense Force:ORG] downed target drones, said Admiral "
     "[Ken Sato:PERSON]. The [United States Navy:ORG] called the exercise a success for submarine warfare."),
]
QUAKE = [
    ("Strong earthquake shakes [Hokkaido:PLACE], thousands evacuated",
     "A magnitude 6.8 earthquake struck eastern [Hokkaido:PLACE] early on Tuesday, collapsing houses and "
     "cutting power to thousands of homes. The [Japan Meteorological Agency:ORG] warned of aftershocks and "
     "rescue teams searched rubble in [Kushiro:PLACE]."),
    ("Rescuers search rubble after [Hokkaido:PLACE] earthquake",
     "Rescue teams in [Kushiro:PLACE] pulled survivors from collapsed houses after the earthquake in "
     "[Hokkaido:PLACE]. The [Japan Meteorological Agency:ORG] said aftershocks of magnitude five could "
     "follow, and power was still cut to thousands of homes."),
    ("Aftershocks rattle [Kushiro:PLACE] as earthquake toll rises",
     "Aftershocks rattled [Kushiro:PLACE] as rescue teams searched collapsed houses for survivors of the "
     "[Hokkaido:PLACE] earthquake. The [Japan Meteorological Agency:ORG] measured the main shock at "
     "magnitude 6.8 and warned residents to stay out of damaged homes."),
]
STEEL = [
    ("[European Union:ORG] and [Canada:COUNTRY] near steel tariff deal",
     "Negotiators from the [European Union:ORG] and [Canada:COUNTRY] said they were close to a deal that "
     "would lift tariffs on steel and aluminium exports. Trade commissioner [Lena Vogt:PERSON] said quota "
     "talks in [Brussels:PLACE] had made progress."),
    ("Steel quota talks resume in [Brussels:PLACE]",
     "Trade talks on steel and aluminium tariffs between [Canada:COUNTRY] and the [European Union:ORG] "
     "resumed in [Brussels:PLACE], with negotiators haggling over export quotas. [Vogt:PERSON] said a "
     "tariff deal could be signed within days."),
    ("Tariff deal lifts duties on Canadian steel exports",
     "The [European Union:ORG] and [Canada:COUNTRY] signed a tariff deal that lifts duties on steel and "
     "aluminium exports above agreed quotas, commissioner [Lena Vogt:PERSON] said in [Brussels:PLACE] "
     "after weeks of trade talks."),
]
_TAG = re.compile(r"\[([^\]:]+):([A-Z]+)\]")


def article(doc_id: str, title: str, tagged: str, published: str, duplicate_of: str | None = None) -> Analysis:
    """Strip the [name:TYPE] tags and build mentions and local entities at the right offsets."""
    text, mentions, found, pos = "", [], {}, 0
    for match in _TAG.finditer(tagged):
        text += tagged[pos:match.start()]
        name, label = match.groups()
        start = len(text)
        text += name
        entity_id = f"{doc_id}-{label}-{name}"
        mentions.append(Mention(doc_id, start, len(text), name, label, entity_id))
        found.setdefault(entity_id, Entity(entity_id, name, label)).mentions.append(
            Span(doc_id, start, len(text), name))
        pos = match.end()
    text += tagged[pos:]
    clean_title = _TAG.sub(lambda m: m.group(1), title)
    doc = Document(id=doc_id, source=f"{doc_id}.txt", text=text, title=clean_title, published=published,
                   duplicate_of=duplicate_of)
    return Analysis(document=doc, mentions=mentions, entities=list(found.values()))


@pytest.fixture
def con(tmp_path):
    connection = db.connect(tmp_path / "stories.duckdb")
    yield connection
    connection.close()


def ingest(con, analyses: list[Analysis], window: int = 30) -> None:
    for a in analyses:
        for m in a.mentions:
            assert a.document.text[m.start:m.end] == m.text
        write.write_analysis(con, a)
    ctx = Context(settings=Settings(story_window_days=window))
    for step in (resolve_entities, resolve_stories):
        con.execute("BEGIN TRANSACTION")
        step(con, ctx)
        con.execute("COMMIT")


def stories(con) -> dict[str, str]:
    return dict(con.execute("SELECT id, story FROM documents").fetchall())


def three_topics() -> list[Analysis]:
    out = []
    for topic, items in (("x", EXERCISE), ("q", QUAKE), ("s", STEEL)):
        for i, (title, text) in enumerate(items[:2]):
            out.append(article(f"{topic}{i}", title, text, f"2024-06-{10 + i:02d}"))
    return out


def test_terms_drop_stopwords_and_plurals():
    counts = terms("The destroyers said the destroyer and its radars were ready.")
    assert counts["destroyer"] == 2 and "said" not in counts and "the" not in counts
    assert cosine({"a": 1.0}, {"a": 2.0}) == pytest.approx(1.0)


def test_three_topics_make_three_stories(con):
    ingest(con, three_topics())
    found = stories(con)
    assert all(found.values())
    for topic in "xqs":
        assert found[f"{topic}0"] == found[f"{topic}1"]
    assert len({found["x0"], found["q0"], found["s0"]}) == 3
    n, first, last = con.execute("SELECT count(*), min(first_date), max(last_date) FROM stories").fetchone()
    assert n == 3 and first == date(2024, 6, 10) and last == date(2024, 6, 11)
    titles = {r[0] for r in con.execute("SELECT title FROM stories").fetchall()}
    assert len(titles) == 3 and titles <= {a.document.title for a in three_topics()}


def test_new_article_joins_its_story_without_moving_others(con):
    ingest(con, three_topics())
    before = stories(con)
    title, text = STEEL[2]
    ingest(con, [article("s2", title, text, "2024-06-14")])
    after = stories(con)
    assert {k: after[k] for k in before} == before
    assert after["s2"] == before["s0"]
    assert con.execute("SELECT count(*) FROM stories").fetchone()[0] == 3
    assert con.execute("SELECT last_date FROM stories WHERE id = ?", [after["s2"]]).fetchone()[0] == date(2024, 6, 14)


def test_duplicate_rides_with_its_original(con):
    ingest(con, three_topics())
    title, text = QUAKE[2]
    original = article("q2", title, text, "2024-06-12")
    copy = article("q2-copy", title, text, "2024-06-12", duplicate_of="q2")
    copy.mentions, copy.entities = [], []  # the ingest stores duplicates without analysis
    ingest(con, [original, copy])
    found = stories(con)
    assert found["q2-copy"] == found["q2"] == found["q0"]


def test_time_window_separates_the_same_drill_a_year_later(con):
    ingest(con, three_topics())
    title, text = EXERCISE[2]
    ingest(con, [article("x-next-year", title, text, "2025-06-20")])
    found = stories(con)
    assert found["x-next-year"] != found["x0"]
    ingest(con, [article("x-next-year-2", *EXERCISE[0], "2025-06-21")])
    assert stories(con)["x-next-year-2"] == found["x-next-year"]


def test_without_window_the_year_later_drill_joins(con):
    ingest(con, three_topics(), window=0)
    title, text = EXERCISE[2]
    ingest(con, [article("x-next-year", title, text, "2025-06-20")], window=0)
    found = stories(con)
    assert found["x-next-year"] == found["x0"]


def test_rerun_is_idempotent(con):
    ingest(con, three_topics())
    snapshot = con.execute("SELECT * FROM stories ORDER BY id").fetchall()
    keys = con.execute("SELECT count(*) FROM story_keys").fetchone()[0]
    ingest(con, [])
    assert con.execute("SELECT * FROM stories ORDER BY id").fetchall() == snapshot
    assert con.execute("SELECT count(*) FROM story_keys").fetchone()[0] == keys


def test_pairwise_scores():
    gold = {"a": 1, "b": 1, "c": 2, "d": 2}
    assert pairwise_scores(gold, {"a": "x", "b": "x", "c": "y", "d": "y"})["f1"] == 1.0
    split = pairwise_scores(gold, {"a": "x", "b": "y", "c": "z", "d": "w"})
    assert split["precision"] == 0.0 and split["recall"] == 0.0
    lumped = pairwise_scores(gold, dict.fromkeys(gold, "x"))
    assert lumped["recall"] == 1.0 and lumped["precision"] == pytest.approx(2 / 6)
