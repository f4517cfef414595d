"""One-off costs paid once, in the process that forks the analysis workers, before it forks them.

Every stage builds its tables on first use: spaCy's stop-word lists of nine languages (the guard on
short KB aliases), the gazetteer's city tables (140,000 names), the time grammar, the lexicons, the
per-language KB matchers, dateparser's locale data, the French NER model. Built in a worker, they
cost each worker its own seconds (and its own copy of the memory); built in the ingesting process
before ``workers.AnalysisPool`` forks, they are shared copy-on-write by every worker.

``warm(ctx, languages)`` builds the tables the stages read whatever the text, then analyses a short
warm-up article of our own under the stage plan of each language, so that whatever a stage loads
lazily on a path this module does not name is loaded too. Nothing it builds depends on the
warm-up text: every cache is a pure function of the knowledge base, the settings and data files,
so warming changes no output (``python -m newsgraph.bench.golden check`` compares).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterable

from newsgraph.model import Document
from newsgraph.stages import Context

log = logging.getLogger(__name__)

# Written for this purpose (names invented, places real): a visit, a meeting, an agreement, dates,
# numbers, a direct and an indirect quote, a ship with its displacement, a city and a region.
WARMUP_TITLE = "Frigate Aurelia calls at Hamburg ahead of talks"
WARMUP_TEXT = """\
HAMBURG - The Italian frigate Aurelia, a 6,700-tonne ship with 180 sailors aboard, arrived in Hamburg \
on Monday, 3 March 2025, for a five-day port call, the German navy said.

"The visit shows how closely our navies work together," Admiral Tessa Morland told reporters on the pier. \
She said the two countries would sign a training agreement next week and hold a joint exercise in the \
Baltic Sea by the end of the year.

According to officials in Berlin, Germany plans to buy 12 patrol boats worth $1.2 billion by 2030. \
Italy's defence minister met his German counterpart in Rome last Tuesday to discuss the programme, \
and the ministers warned that delays in southern Europe could raise costs by 15 percent.
"""


def warmup_document(language: str) -> Document:
    """The warm-up article, labelled ``language`` so that the stage plan of that language runs on it."""
    return Document(id=f"doc_warmup_{language}", source="<warm-up>", text=WARMUP_TEXT, title=WARMUP_TITLE,
                    language=language, language_confidence=1.0, language_basis="warm-up",
                    published=None)


def warm_tables(ctx: Context) -> None:
    """The tables the stages read on most documents, whatever their text."""
    from newsgraph.lang.conventions import _all_stop_words
    from newsgraph.nlp.places import _city_tables

    _all_stop_words()
    _city_tables()
    ctx.kb.country(None)  # the ISO3 → country index


def warm(ctx: Context, languages: Iterable[str] = ("en",)) -> dict[str, float]:
    """Build every table the stages of ``languages`` use, in this process; returns the seconds each step took.

    Never raises: a failure here would only move a one-off cost back into the workers."""
    from newsgraph.pipeline import analyse

    timings: dict[str, float] = {}
    began = time.perf_counter()
    try:
        warm_tables(ctx)
    except Exception:  # pragma: no cover - the stages will build what is missing
        log.debug("warm-up of the tables failed", exc_info=True)
    timings["tables"] = time.perf_counter() - began
    for language in dict.fromkeys(["en", *languages]):
        began = time.perf_counter()
        try:
            analyse(warmup_document(language), ctx)
        except Exception:  # pragma: no cover
            log.debug("warm-up of the %s stages failed", language, exc_info=True)
        timings[language] = time.perf_counter() - began
    return timings
