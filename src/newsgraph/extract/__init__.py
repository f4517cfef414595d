"""Per-document extraction stages. Importing this package registers them, in order:

entities (10) → time (20) → quantities (30) → quotes (40) → events (50) → claims (60).
"""

from __future__ import annotations

import importlib

for _name in ("entities", "timex", "quantities", "quotes", "events", "claims"):
    try:
        importlib.import_module(f"newsgraph.extract.{_name}")
    except ModuleNotFoundError as exc:  # a stage still being written: skip it, never crash
        if exc.name != f"newsgraph.extract.{_name}":
            raise
