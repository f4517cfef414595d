"""Publication dates with evidence: the order of trust, and the traps that must never date an article.

Every sentence here was written for these tests.
"""

from __future__ import annotations

from datetime import date

import pytest

from newsgraph.ingest.published import apply, date_document
from newsgraph.ingest.published.url import url_date
from newsgraph.model import Document, Removal

TODAY = date(2026, 3, 1)


def dated(text: str, **fields) -> tuple[str | None, str | None]:
    found = date_document(Document(id="d", source="s.txt", text=text, **fields), TODAY)
    return (found.day.isoformat() if found.day else None), found.source


# ------------------------------------------------------------------ traps: never a date


@pytest.mark.parametrize("text", [
    # a screen resolution read as the year 1920 (or 1600)
    "The new laptop ships with a 1920 x 1080 display, and a 2560 x 1600 panel costs extra.",
    "Reviewers preferred the 3840×2160 model for photo editing work at home.",
    # a past event the text mentions: the year of the bombings, a "since"
    "The attack revived memories of the London bombings of 2005 among commuters on the Tube.",
    "The two parties have governed the province together since 1999 without a break.",
    # a percentage context
    "Exports of the component grew 117 percent in 2020 before the shortage eased.",
    # money amounts and counts
    "The city paid $2005 for each of the replacement signs installed along the river.",
    "Organisers counted 2012 volunteers and 1987 visitors at the harbour festival.",
])
def test_traps_give_no_date(text):
    assert dated(text) == (None, None)


@pytest.mark.parametrize("text, expected", [
    # the past reference is skipped, the later plain date is taken
    ("Ten years after the bombings of July 2005, the mayor laid a wreath on 7 July 2015 at the memorial.",
     "2015-07-07"),
    ("The treaty has bound the two states since March 1999; its council met on 4 May 2023 in Vienna.",
     "2023-05-04"),
    # a statistic's period is skipped
    ("Sales rose 117 percent in March 2020. The board approved the plan on 2 June 2021.", "2021-06-02"),
])
def test_traps_are_skipped_and_a_real_date_is_kept(text, expected):
    assert dated(text)[0] == expected


def test_dimension_next_to_a_month_is_not_a_day():
    assert dated("Sizes: 12 x 5 May 2024 edition posters and flyers for the spring fair in town.")[0] is None


# ------------------------------------------------------------------ order of trust


def test_metadata_beats_everything():
    text = "March 3, 2024\n\nThe frigate sailed on Monday, March 4, 2024 with two escorts."
    assert dated(text, published="2024-03-05", published_basis="metadata") == ("2024-03-05", "metadata")


def test_dateline_at_the_top_beats_url_and_text():
    text = "By Ana Ruiz | 3 juin 2024\nLe porte-avions est arrivé à Toulon le 1 juin 2024."
    assert dated(text, url="https://news.example/2024/06/01/porte-avions") == ("2024-06-03", "dateline")


def test_cleaner_dateline_keeps_its_line_as_evidence():
    doc = Document(id="d", source="s.txt", text="The frigate sailed.", published="2024-03-03",
                   published_basis="text", removed=[Removal("Published 3 March 2024", "dateline")])
    found = apply(doc, TODAY)
    assert (doc.published_source, doc.published_basis) == ("dateline", "text")
    assert found.evidence["text"] == "Published 3 March 2024" and doc.published_confidence == 0.9


def test_url_date_when_the_page_gives_none():
    text = "The frigate left port with two escorts and a supply ship, officials said."
    assert dated(text, url="https://news.example/world/2024/06/29/frigate-leaves") == ("2024-06-29", "url")


def test_relative_cue_beats_the_latest_date():
    text = ("The ministers met on Monday, June 10, 2024 in Rome. They recalled the summit of "
            "12 June 2023, and the next round is planned for 15 July 2024.")
    assert dated(text) == ("2024-06-10", "relative")


def test_weekday_that_does_not_fit_the_date_is_no_cue():
    text = "The ministers met on Friday, June 10, 2024 in Rome to sign the accord."  # a Monday
    assert dated(text)[1] == "events"


def test_latest_event_date_is_the_weakest_evidence():
    doc = Document(id="d", source="s.txt", text="The pact was signed on March 3, 2021. A second round followed "
                                                 "on 5 July 2022, and more talks in 2023.")
    apply(doc, TODAY)
    assert (doc.published, doc.published_source, doc.published_basis) == ("2022-07-05", "events", "inferred")
    assert doc.published_confidence < 0.5
    assert doc.text[doc.published_evidence["start"]:doc.published_evidence["end"]] == "5 July 2022"


def test_month_only_is_honest_about_granularity():
    doc = Document(id="d", source="s.txt", text="The fleet was modernised in May 2022 after a long review.")
    apply(doc, TODAY)
    assert doc.published == "2022-05-01" and doc.published_evidence["granularity"] == "month"


def test_other_languages_write_dates_their_way():
    assert dated("Il vertice si è svolto a Roma.\n29 giugno 2024")[0] == "2024-06-29"
    assert dated("Aktualisiert am 29. Juni 2024\nDie Fregatte lief aus.")[0] == "2024-06-29"
    assert dated("Publicado el 29 de junio de 2024\nLa fragata zarpó.")[0] == "2024-06-29"


# ------------------------------------------------------------------ absurd metadata


@pytest.mark.parametrize("bad", ["1970-01-01", "1899-12-31", "2031-05-01"])
def test_absurd_metadata_date_is_recorded_and_not_used(bad):
    doc = Document(id="d", source="s.txt", text="The frigate sailed on 4 May 2024 from the naval base.",
                   published=bad, published_basis="metadata")
    found = apply(doc, TODAY)
    assert doc.published == "2024-05-04" and doc.published_source == "events"
    assert len(found.warnings) == 1 and bad in found.warnings[0] and "not used" in found.warnings[0]
    assert doc.published_warnings == found.warnings


def test_absurd_date_with_nothing_else_leaves_the_article_undated():
    doc = Document(id="d", source="s.txt", text="No date stands anywhere in this short note on the fleet.",
                   published="2099-01-01", published_basis="metadata")
    apply(doc, TODAY)
    assert doc.published is None and doc.published_confidence is None and doc.published_warnings


# ------------------------------------------------------------------ URLs


@pytest.mark.parametrize("url, expected", [
    ("https://a.example/2024/06/29/story", ("2024-06-29", "day")),
    ("https://a.example/world/2024/jun/29/story", ("2024-06-29", "day")),
    ("https://a.example/news/2024-06-29-story.html", ("2024-06-29", "day")),
    ("https://a.example/archive/20240629/story", ("2024-06-29", "day")),
    ("https://a.example/2024/06/story-title", ("2024-06-01", "month")),
])
def test_url_dates(url, expected):
    day, granularity, _ = url_date(url)
    assert (day.isoformat(), granularity) == expected


@pytest.mark.parametrize("url", ["https://a.example/story/1920108012", "https://a.example/2024/13/40/x",
                                 "https://a.example/p/123456789", None, "not a url"])
def test_url_numbers_that_are_not_dates(url):
    assert url_date(url) is None
