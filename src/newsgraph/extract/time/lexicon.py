"""The word lists of the temporal normaliser (``kb/time.yaml``), loaded once."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import yaml

from newsgraph.settings import KB_DIR

TIME_YAML = KB_DIR / "time.yaml"


@dataclass
class Lexicon:
    """``kb/time.yaml`` as attributes (``lexicon().months``), with the lookups every resolver needs."""

    data: dict[str, Any]

    def __getattr__(self, name: str) -> Any:
        try:
            return self.data[name]
        except KeyError as exc:
            raise AttributeError(name) from exc

    def month_number(self, word: str) -> int:
        return int(self.months[word.rstrip(".")])

    def number(self, word: str) -> float | None:
        """Numeric value of a digit string or number word; None for vague amounts."""
        w = " ".join(word.lower().replace("-", " ").split())
        if w.replace(".", "", 1).isdigit():
            return float(w)
        if w in self.numerals:
            return float(self.numerals[w])
        parts = w.split()
        if len(parts) == 2 and all(p in self.numerals for p in parts):  # "twenty five"
            return float(self.numerals[parts[0]] + self.numerals[parts[1]])
        return None

    def unit(self, word: str) -> tuple[str, dict[str, Any]]:
        """The unit's name and its entry: "decades" → ("decade", {code: Y, factor: 10, ...})."""
        w = word.lower()
        if w == "centuries":
            w = "century"
        elif w.endswith("s") and w[:-1] in self.units:
            w = w[:-1]
        return w, self.units[w]


@lru_cache(maxsize=1)
def lexicon() -> Lexicon:
    with TIME_YAML.open(encoding="utf-8") as fh:
        return Lexicon(yaml.safe_load(fh))
