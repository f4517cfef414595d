"""The old import path of the temporal normaliser, kept so callers written against it keep working.

The code now lives in the ``newsgraph.extract.time`` package (normalise.py, anchor.py,
stage.py and the modules they use); import from there in new code.
"""

from __future__ import annotations

from newsgraph.extract.time import find_times, run

__all__ = ["find_times", "run"]
