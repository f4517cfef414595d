"""Demonyms and capitals of every country, from the ``countryinfo`` package, under our own table.

``kb/countries.yaml`` is curated by hand for the states the domain talks about most (demonyms with
their plurals, capitals that stand for their state, seats of government). ``countryinfo`` fills the
rest of the world so that "Gambian President ...", "Rwandan rebels" or "Haitian officials" are
country-coded too. What it adds is filtered for safety, because a wrong alias is worse than a
missing one:

* a demonym two countries share ("Dominican", "Congolese", "Indian" for an overseas territory) is
  left out unless our table already assigns it;
* a capital is added only when geonames knows it as a city of that country with at least
  ``MIN_CAPITAL_POPULATION`` inhabitants and it is not an English word ("Victoria", "Male");
* plurals are made only where English makes them regularly ("Haitian" → "Haitians").
"""

from __future__ import annotations

import functools
from collections import Counter
from typing import Any

MIN_CAPITAL_POPULATION = 100_000
# Capitals whose names are also common English words, given names or other places' names.
CAPITAL_STOPWORDS = frozenset({"victoria", "male", "kingston", "georgetown", "hamilton", "nassau", "praia",
                               "saint john's", "road town", "the valley", "plymouth", "avarua", "apia",
                               "castries", "roseau", "basseterre", "belmopan", "palikir",
                               "washington d.c.", "city of san marino"})


def _demonym_forms(raw: str) -> list[str]:
    forms = []
    for word in (w.strip() for w in raw.split(",")):
        if not word or not word[:1].isupper():
            continue
        forms.append(word)
        if word.endswith(("an", "i")) and " " not in word:  # Haitian → Haitians, Pakistani → Pakistanis
            forms.append(word + "s")
    return forms


@functools.cache
def world_extras() -> dict[str, dict[str, Any]]:
    """ISO3 → {"demonyms": [...], "capital": name or absent} for every country countryinfo knows."""
    try:
        from countryinfo import all_countries
    except ImportError:  # the package is optional for a stripped-down install: our table still works
        return {}
    raw: dict[str, tuple[list[str], str | None]] = {}
    for country in all_countries():
        info = country.info()
        iso3 = (info.get("ISO") or {}).get("alpha3")
        if not iso3:
            continue
        raw[str(iso3)] = (_demonym_forms(str(info.get("demonym") or "")), info.get("capital"))
    shared = Counter(form for forms, _ in raw.values() for form in set(forms))
    out: dict[str, dict[str, Any]] = {}
    for iso3, (forms, capital) in raw.items():
        extra: dict[str, Any] = {"demonyms": [f for f in forms if shared[f] == 1]}
        if capital and _usable_capital(str(capital), iso3):
            extra["capital"] = str(capital)
        out[iso3] = extra
    return out


def _usable_capital(name: str, iso3: str) -> bool:
    from newsgraph.nlp.kb import _gazetteer, normalise

    if normalise(name) in {normalise(w) for w in CAPITAL_STOPWORDS}:
        return False
    found = _gazetteer().get(normalise(name))
    return bool(found and found["country"] == iso3 and found["population"] >= MIN_CAPITAL_POPULATION)


def merge_extras(ours: dict[str, Any], world: dict[str, Any]) -> dict[str, Any]:
    """Our curated entry wins; the world table only adds demonyms no other country uses, and a missing capital."""
    merged = dict(ours)
    demonyms = list(ours.get("demonyms", []))
    merged["demonyms"] = demonyms + [d for d in world.get("demonyms", []) if d not in demonyms]
    if "capital" not in ours and world.get("capital"):
        merged["capital"] = world["capital"]
    return merged
