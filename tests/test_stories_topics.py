"""Stories that hold together: order independence, the merge pass, unusable texts, languages, topics.

Every article here was written for these tests (the helpers and three topics come from test_stories).
"""

from __future__ import annotations

import random

import pytest

from newsgraph.eval.stories import pairwise_scores
from newsgraph.model import Analysis, Span, TimeValue
from newsgraph.resolve.stories.features import stopwords, terms, unusable, weigh
from newsgraph.settings import Settings
from newsgraph.store import db
from test_stories import EXERCISE, QUAKE, STEEL, article, ingest, stories

FERRY = [
    ("Ferry capsizes off [Mindoro:PLACE], dozens missing",
     "A passenger ferry capsized in rough seas off [Mindoro:PLACE] on Sunday, and the [Philippine Coast Guard:ORG] "
     "said dozens of passengers were missing. Divers searched the hull of the overturned ferry through the night."),
    ("Divers search capsized ferry hull near [Mindoro:PLACE]",
     "Coast guard divers searched the hull of the capsized passenger ferry near [Mindoro:PLACE] for missing "
     "passengers. The [Philippine Coast Guard:ORG] said rough seas and strong winds had overturned the ferry."),
    ("Ferry owner questioned after [Mindoro:PLACE] capsizing",
     "Investigators of the [Philippine Coast Guard:ORG] questioned the owner of the passenger ferry that capsized "
     "off [Mindoro:PLACE], asking why it sailed into rough seas with more passengers than allowed."),
]
VACCINE = [
    ("Regulator approves malaria vaccine for children in [Ghana:COUNTRY]",
     "Health regulators in [Ghana:COUNTRY] approved a malaria vaccine for young children after trials showed it "
     "cut severe malaria cases. The [World Health Organization:ORG] welcomed the approval of the vaccine."),
    ("[Ghana:COUNTRY] starts malaria vaccine rollout in clinics",
     "Clinics in [Ghana:COUNTRY] began giving the malaria vaccine to children, health officials said, after the "
     "regulator approved it. The [World Health Organization:ORG] will monitor cases of severe malaria."),
    ("Malaria vaccine doses reach rural [Ghana:COUNTRY]",
     "Doses of the new malaria vaccine reached rural clinics in [Ghana:COUNTRY], where mothers queued to have "
     "children vaccinated. The [World Health Organization:ORG] said severe malaria cases should fall."),
]
TOPICS = {"x": EXERCISE, "q": QUAKE, "s": STEEL, "f": FERRY, "v": VACCINE}


@pytest.fixture
def con(tmp_path):
    connection = db.connect(tmp_path / "stories.duckdb")
    yield connection
    connection.close()


def corpus() -> list[Analysis]:
    return [article(f"{key}{i}", title, text, f"2024-06-{10 + i:02d}")
            for key, items in TOPICS.items() for i, (title, text) in enumerate(items)]


# ------------------------------------------------------------------ order independence


def test_shuffled_inputs_in_batches_give_the_same_stories(tmp_path):
    """Five topics, three articles each, ingested in three batches in three different orders."""
    partitions = []
    for seed in (1, 2, 3):
        docs = corpus()
        random.Random(seed).shuffle(docs)
        con = db.connect(tmp_path / f"order{seed}.duckdb")
        for start in range(0, len(docs), 5):
            ingest(con, docs[start:start + 5])
        partitions.append(stories(con))
        con.close()
    gold = {doc: doc[0] for doc in partitions[0]}
    assert pairwise_scores(gold, partitions[0])["f1"] == 1.0
    for other in partitions[1:]:
        assert pairwise_scores(partitions[0], other)["f1"] >= 0.98


# ------------------------------------------------------------------ the merge pass


def test_merge_pass_joins_two_stories_once_a_document_bridges_their_dates(con):
    """Two reports of one drill 40 days apart are two stories (30-day window); a report dated between
    them joins one, widens its range, and the merge pass then merges the other into it."""
    first = article("x0", *EXERCISE[0], "2024-06-01")
    second = article("x1", *EXERCISE[1], "2024-07-11")
    ingest(con, [first])
    ingest(con, [second])
    before = stories(con)
    assert before["x0"] != before["x1"]
    ingest(con, [article("x2", *EXERCISE[2], "2024-06-21")])
    after = stories(con)
    assert after["x0"] == after["x1"] == after["x2"]
    assert con.execute("SELECT count(*) FROM stories").fetchone()[0] == 1
    assert con.execute("SELECT documents FROM story_info").fetchone()[0] == 3


# ------------------------------------------------------------------ unusable texts


def test_short_or_boilerplate_texts_are_singletons_that_never_drag_a_story(con):
    ingest(con, [article(f"q{i}", title, text, "2024-06-10") for i, (title, text) in enumerate(QUAKE)])
    short = article("short", "Earthquake", "Earthquake in [Hokkaido:PLACE]: rescue teams in [Kushiro:PLACE].",
                    "2024-06-11")
    cookie = article("cookie", "Earthquake news", "We use cookies. Accept cookies to subscribe to our newsletter. "
                     "Manage cookie settings and privacy policy preferences. Sign in to your account. Accept all "
                     "cookies, manage consent, subscribe, register, download the app, enable javascript in your "
                     "browser. Earthquake Hokkaido.", "2024-06-11")
    ingest(con, [short, cookie])
    found = stories(con)
    marks = dict(con.execute("SELECT d.id, i.unclusterable FROM documents d JOIN story_info i ON i.story = d.story"
                             ).fetchall())
    assert marks["short"] == "too_short" and marks["cookie"] == "boilerplate"
    assert len({found["short"], found["cookie"], found["q0"]}) == 3
    assert found["q0"] == found["q1"] == found["q2"]
    assert con.execute("SELECT count(*) FROM story_postings WHERE doc IN ('short', 'cookie')").fetchone()[0] == 0
    assert con.execute("SELECT topic FROM story_info WHERE unclusterable IS NOT NULL").fetchall() == [(None,), (None,)]


def test_unusable_reasons():
    settings = Settings()
    assert unusable("A short note on the weather today.", "en", settings) == "too_short"
    assert unusable(" ".join(["cookies consent privacy subscribe newsletter"] * 10), "en", settings) == "boilerplate"
    assert unusable(" ".join(t for _, t in QUAKE), "en", settings) is None


# ------------------------------------------------------------------ languages


def test_stop_words_follow_the_document_language():
    italian = "Il ministro della difesa ha detto che la nave della marina arriverà nel porto di Tokyo."
    assert {"della", "che", "nel"} & set(terms(italian, "it")) == set()
    assert {"difesa", "nave", "marina", "porto", "tokyo"} <= set(terms(italian, "it"))
    assert "della" in terms(italian, None)  # unknown language: English stop words only
    assert stopwords("xx") == stopwords("en") and "und" in stopwords("de") and "pour" in stopwords("fr")
    assert terms("L'esercito dell'Italia", "it").keys() >= {"esercito", "italia"}


def test_two_languages_meet_on_knowledge_base_ids(con):
    """An Italian and an English report share few words but the same KB entities: one story."""
    english = article("en1", "Italian carrier docks in [Yokosuka:PLACE]",
                      "The Italian aircraft carrier [Cavour:VESSEL] docked in [Yokosuka:PLACE] for a joint drill with "
                      "the [Japan Maritime Self-Defense Force:ORG], the navy of [Japan:COUNTRY] said.", "2024-08-23")
    italian = article("it1", "La portaerei attracca a [Yokosuka:PLACE]",
                      "La portaerei [Cavour:VESSEL] è arrivata a [Yokosuka:PLACE] per un'esercitazione congiunta con "
                      "la [Japan Maritime Self-Defense Force:ORG] del [Giappone:COUNTRY], ha detto la marina.",
                      "2024-08-23")
    other = article("en2", *STEEL[0], "2024-08-23")
    kb = {"Yokosuka": "Q207750", "Cavour": "Q1052240", "Japan Maritime Self-Defense Force": "Q1141887",
          "Japan": "Q17", "Giappone": "Q17"}
    for a in (english, italian):
        for entity in a.entities:
            entity.kb_ids = {"wikidata": kb[entity.name]}
    italian.document.language = "it"
    ingest(con, [english, italian, other])
    found = stories(con)
    assert found["en1"] == found["it1"] != found["en2"]
    assert con.execute("SELECT count(*) FROM story_postings WHERE feature = 'k:Q17'").fetchone()[0] == 2


def test_japanese_text_gives_character_bigrams_not_runs():
    found = terms("護衛艦が横須賀に入港した。Cavour", "ja")
    assert {"護衛", "衛艦", "横須", "須賀", "cavour"} <= set(found)
    assert not any(len(t) > 2 and not t.isascii() for t in found)  # never a whole run of characters
    assert unusable("護衛艦が入港した。", "ja", Settings()) == "too_short"
    assert unusable("海上自衛隊の護衛艦は三か月にわたるインド洋での訓練を終えて舞鶴港に帰港し、家族が岸壁で出迎えた。",
                    "ja", Settings()) is None


def test_words_and_names_are_two_channels_and_only_words_meet_the_df_filter():
    settings = Settings(story_name_share=0.5)
    counts = {"t:common": 1, "t:drill": 2, "k:Q17": 1, "e:ent_1": 1, "d:2024-08-22": 1}
    df = {"t:common": 15, "t:drill": 2, "k:Q17": 15, "e:ent_1": 1, "d:2024-08-22": 3}
    vector = weigh(counts, df, 20, settings)
    assert "t:common" not in vector and "k:Q17" in vector  # a name in most documents is no function word
    names = sum(w * w for f, w in vector.items() if not f.startswith("t:"))
    assert names == pytest.approx(0.5) and sum(w * w for w in vector.values()) == pytest.approx(1.0)
    only_words = weigh({"t:drill": 1}, df, 20, settings)
    assert only_words == {"t:drill": pytest.approx(1.0)}


ITALIAN_LONG = (
    "La portaerei [Cavour:VESSEL] è entrata nel porto di [Yokosuka:PLACE] giovedì 22 agosto, accolta dai "
    "marinai della [Japan Maritime Self-Defense Force:ORG]. L'equipaggio ha aperto il ponte di volo ai "
    "giornalisti, mostrando gli aerei imbarcati, gli elicotteri e le officine di bordo. Il comandante ha "
    "ricordato le settimane di addestramento nell'oceano, le esercitazioni notturne, i rifornimenti in mare "
    "e le lunghe giornate di manutenzione che hanno preceduto l'arrivo. Nei prossimi giorni gli ufficiali "
    "visiteranno le caserme, le scuole navali e i cantieri della città, mentre i cuochi prepareranno una cena "
    "per le famiglie dei marinai ospiti.")
JAPANESE = ("空母[カヴール:VESSEL]は8月22日、[横須賀:PLACE]に入港した。[海上自衛隊:ORG]の隊員が岸壁で出迎え、"
            "乗組員は飛行甲板を報道陣に公開した。")


def _with_day(analysis: Analysis, surface: str, day: str) -> Analysis:
    start = analysis.document.text.index(surface)
    analysis.times.append(TimeValue(surface, day, day, "day", "stated", Span(analysis.document.id, start,
                                                                            start + len(surface), surface), day))
    return analysis


def test_reports_in_three_languages_meet_on_names_and_dates_not_words(con):
    """An English, a long Italian and a Japanese report of one port call share names and a day, hardly a
    word: one story. Without the names channel the Italian words would dilute the shared names."""
    english = article("en1", "Italian carrier docks in [Yokosuka:PLACE]",
                      "The Italian aircraft carrier [Cavour:VESSEL] docked in [Yokosuka:PLACE] on Thursday, August 22, "
                      "for a joint drill with the [Japan Maritime Self-Defense Force:ORG].", "2024-08-23")
    italian = article("it1", "La portaerei arriva a [Yokosuka:PLACE]", ITALIAN_LONG, "2024-08-23")
    japanese = article("ja1", "空母[カヴール:VESSEL]が入港", JAPANESE, "2024-08-23")
    others = [article(f"s{i}", title, text, "2024-08-23") for i, (title, text) in enumerate(STEEL)]
    kb = {"Yokosuka": "Q207750", "横須賀": "Q207750", "Cavour": "Q1052240", "カヴール": "Q1052240",
          "Japan Maritime Self-Defense Force": "Q1141887", "海上自衛隊": "Q1141887"}
    for a in (english, italian, japanese):
        for entity in a.entities:
            entity.kb_ids = {"wikidata": kb[entity.name]}
    italian.document.language, japanese.document.language = "it", "ja"
    _with_day(english, "August 22", "2024-08-22")
    _with_day(italian, "giovedì 22 agosto", "2024-08-22")
    _with_day(japanese, "8月22日", "2024-08-22")
    ingest(con, [english, italian, japanese, *others])
    found = stories(con)
    assert found["en1"] == found["it1"] == found["ja1"] != found["s0"]
    assert con.execute("SELECT count(*) FROM story_postings WHERE feature = 'd:2024-08-22'").fetchone()[0] == 3
    title, = con.execute("SELECT title FROM stories WHERE id = ?", [found["en1"]]).fetchone()
    assert title in {a.document.title for a in (english, italian, japanese)}


def test_a_story_is_titled_in_the_language_of_most_of_its_reports(con):
    from newsgraph.resolve.stories.clusterer import StoryStep, majority_language
    from newsgraph.resolve.stories.features import Doc

    assert majority_language({"en": 3, "ja": 1}) == "en" and majority_language({"it": 2, "ja": 1}) == "it"
    assert majority_language({"ja": 2, "en": 2}) == "en" and majority_language({"ja": 2, "it": 2}) == "it"
    assert majority_language({}) is None
    step = StoryStep(con, Settings())
    central = {"k:cavour": 1.0}
    step.docs = {
        "ja1": Doc("ja1", "空母カヴールが横須賀に入港", None, None, {}, vector=central, language="ja"),
        "en1": Doc("en1", "Carrier docks in Yokosuka", None, None, {}, vector={"k:cavour": 0.8, "t:dock": 0.6},
                   language="en"),
        "en2": Doc("en2", "Carrier leaves Yokosuka", None, None, {}, vector={"k:cavour": 0.6, "t:leave": 0.8},
                   language="en"),
    }
    languages = step._languages(["ja1", "en1", "en2"], [])
    assert languages == {"en": 2, "ja": 1}
    title, doc = step._title(central, ["ja1", "en1", "en2"], [], majority_language(languages))
    assert (title, doc) == ("Carrier docks in Yokosuka", "en1")  # the most central English report, not ja1
    assert step._title(central, ["ja1"], [], "ja")[1] == "ja1"


# ------------------------------------------------------------------ topics


def test_topics_group_stories_with_no_window(con):
    """The same drill a year apart: two stories (the window), one topic; other stories other topics."""
    ingest(con, corpus())
    ingest(con, [article("x-next", *EXERCISE[0], "2025-06-20"), article("x-next2", *EXERCISE[1], "2025-06-21")])
    found = stories(con)
    assert found["x-next"] == found["x-next2"] != found["x0"]
    topic = dict(con.execute("SELECT d.id, i.topic FROM documents d JOIN story_info i ON i.story = d.story").fetchall())
    assert topic["x-next"] == topic["x0"]
    assert len({topic[f"{k}0"] for k in TOPICS}) == len(TOPICS)
    n_topics, = con.execute("SELECT count(*) FROM topics").fetchone()
    assert n_topics == len(TOPICS)
    title, first, last = con.execute("SELECT title, first_date, last_date FROM topics WHERE id = ?",
                                     [topic["x0"]]).fetchone()
    assert "Pacific Shield" in title and (first.year, last.year) == (2024, 2025)


def test_export_lists_topics_with_their_stories(con):
    from newsgraph.outputs.export import build_export, validate_export

    ingest(con, corpus())
    data = build_export(con)
    validate_export(data)
    by_story = {s["id"]: s for s in data["stories"]}
    assert sum(len(t["stories"]) for t in data["topics"]) == len(data["stories"])
    for t in data["topics"]:
        assert all(by_story[s]["topic"] == t["id"] for s in t["stories"])


def test_recluster_reuses_the_stored_vectors_and_gives_the_same_partition(con):
    from newsgraph.resolve.stories import recluster

    cookie = article("cookie", "News", " ".join(["Accept cookies, manage consent and subscribe to the newsletter."] * 6),
                     "2024-06-11")
    ingest(con, [*corpus(), cookie])
    before = stories(con)
    vectors = con.execute("SELECT count(*) FROM story_postings").fetchone()[0]
    con.execute("BEGIN TRANSACTION")
    recluster(con, Settings())
    con.execute("COMMIT")
    assert pairwise_scores(before, stories(con))["f1"] == 1.0
    assert con.execute("SELECT count(*) FROM story_postings").fetchone()[0] == vectors
    assert con.execute("SELECT i.unclusterable FROM documents d JOIN story_info i ON i.story = d.story "
                       "WHERE d.id = 'cookie'").fetchone() == ("boilerplate",)
    loose = Settings(story_threshold=0.0001, story_window_days=0)
    con.execute("BEGIN TRANSACTION")
    recluster(con, loose)
    con.execute("COMMIT")
    assert len(set(stories(con).values())) < len(set(before.values()))


def test_clustering_a_store_again_gives_its_resolved_events_their_stories(sample_db, tmp_path):
    """What migration 007 does to an old store (stories forgotten, events story-less), then one resolution."""
    import shutil

    from newsgraph.resolve.stories import forget, resolve_stories

    path = tmp_path / "again.duckdb"
    shutil.copy(sample_db, path)
    con = db.connect(path)
    before = dict(con.execute("SELECT id, story FROM events").fetchall())
    con.execute("BEGIN TRANSACTION")
    forget(con)
    con.execute("COMMIT")
    assert con.execute("SELECT count(*) FROM events WHERE story IS NOT NULL").fetchone()[0] == 0
    con.execute("BEGIN TRANSACTION")
    resolve_stories(con)
    con.execute("COMMIT")
    after = dict(con.execute("SELECT id, story FROM events").fetchall())
    assert sum(v is not None for v in after.values()) == sum(v is not None for v in before.values()) > 0
    shared = con.execute(
        "SELECT count(*) FROM events e JOIN event_map em ON em.event = e.id JOIN event_mentions m "
        "ON m.id = em.event_mention JOIN documents d ON d.id = m.doc WHERE e.story IS NOT NULL AND d.story <> e.story"
    ).fetchone()[0]
    con.close()
    assert shared == 0


def test_agglomeration_is_exact_group_average_link():
    """On a complete candidate graph the result is scipy's UPGMA cut at the same threshold."""
    import numpy as np
    from scipy.cluster.hierarchy import fcluster, linkage

    from newsgraph.resolve.stories.agglomerate import Unit, agglomerate
    from newsgraph.resolve.stories.features import normalised

    rng = random.Random(7)
    centres = [[rng.random() ** 4 for _ in range(40)] for _ in range(4)]
    vectors = [normalised({f"f{j}": max(0.0, c[j] + rng.gauss(0, 0.08)) for j in range(40)})
               for c in centres for _ in range(6)]
    ids = [f"d{i:02d}" for i in range(len(vectors))]
    units = {i: Unit(i, dict(v), 1) for i, v in zip(ids, vectors, strict=True)}
    edges = [(a, b) for a in ids for b in ids if a < b]
    ours = agglomerate(units, edges, threshold=0.6)
    matrix = np.array([[v.get(f"f{j}", 0.0) for j in range(40)] for v in vectors])
    theirs = fcluster(linkage(matrix, method="average", metric="cosine"), 1 - 0.6, criterion="distance")
    assert pairwise_scores(dict(zip(ids, theirs, strict=True)), ours)["f1"] == 1.0
    assert 1 < len(set(ours.values())) < len(ids)
