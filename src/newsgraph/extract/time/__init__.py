"""Time: the temporal normaliser and event-date anchoring.

``find_times`` (normalise.py) turns every time expression into a TimeML value and an interval;
``event_date`` (anchor.py) gives an event the time expression that governs it, or its report's date. The word
lists are in ``kb/time.yaml``, the regex grammar in ``kb/time_grammar.yaml``. Importing this
package registers the ``time`` stage (stage.py). A document's own publication date is found
before analysis, with its evidence, by ``newsgraph.ingest.published``.
"""

from __future__ import annotations

from newsgraph.extract.time import stage
from newsgraph.extract.time.anchor import event_date, governing_time, reported_date
from newsgraph.extract.time.normalise import find_times
from newsgraph.extract.time.scope import INFERRED, RELATIVE, REPORTED, STATED

run = stage.run

__all__ = ["INFERRED", "RELATIVE", "REPORTED", "STATED", "event_date", "find_times", "governing_time",
           "reported_date", "run"]
