"""Time: the temporal normaliser, publication-date inference and event-date anchoring.

``find_times`` (normalise.py) turns every time expression into a TimeML value and an interval;
``infer_published`` (published.py) dates a document that came without a date; ``event_date``
(anchor.py) gives an event the time expression that governs it, or its report's date. The word
lists are in ``kb/time.yaml``, the regex grammar in ``kb/time_grammar.yaml``. Importing this
package registers the ``time`` stage (stage.py).
"""

from __future__ import annotations

from newsgraph.extract.time import stage
from newsgraph.extract.time.anchor import event_date, governing_time, reported_date
from newsgraph.extract.time.normalise import find_times
from newsgraph.extract.time.published import infer_published
from newsgraph.extract.time.scope import INFERRED, RELATIVE, REPORTED, STATED

run = stage.run

__all__ = ["INFERRED", "RELATIVE", "REPORTED", "STATED", "event_date", "find_times", "governing_time",
           "infer_published", "reported_date", "run"]
