"""The state each named place lies in, guarded against ambiguous names (``nlp/places.py``).

Runs last in the entities stage. A KB place keeps its own country. For any other PLACE or FACILITY
the ``country`` attribute (set by the clustering step from the most populous city of that name) is
replaced by the guarded look-up: a region named by direction ("southern Lebanon") is its state; a
city name shared by several states is decided by a state the document names, else by a clear
population margin, else the place keeps no country. ``country_basis`` says which: ``region`` or
``gazetteer``. A NORP the model gave to a city name no KB demonym knows becomes that PLACE. A capital's name that other states' cities share ("Tripoli") is that other state's
city when the document names it and never the capital's own state.
"""

from __future__ import annotations

from newsgraph.model import Analysis
from newsgraph.nlp.kb import NORP, KnowledgeBase
from newsgraph.nlp.places import city_country, place_country, region_country

PLACE_TYPES = ("PLACE", "FACILITY")


def document_states(analysis: Analysis) -> set[str]:
    """ISO3 codes of the states and nationalities a document names."""
    out = set()
    for ent in analysis.entities:
        code = ent.attributes.get("iso3") if ent.type == "COUNTRY" else (
            ent.attributes.get("country") if ent.type == NORP else None)
        if isinstance(code, str):
            out.add(code)
    return out


def assign_place_countries(analysis: Analysis, kb: KnowledgeBase) -> None:
    context = document_states(analysis)
    _retype_city_nationalities(analysis, kb, context)
    for ent in analysis.entities:
        if ent.type in PLACE_TYPES and ent.attributes.get("capital") is True:
            _other_city_of_capital(ent, context)
        if ent.type not in PLACE_TYPES or (ent.kb_ids.get("kb") and "country" in ent.attributes):
            continue
        code = place_country(ent, kb, context)
        if code is None:
            ent.attributes.pop("country", None)
            continue
        ent.attributes["country"] = code
        ent.attributes["country_basis"] = "region" if region_country(ent.name, kb) else "gazetteer"


def _other_city_of_capital(ent, context: set[str]) -> None:
    """"Tripoli" in a text about Lebanon is Lebanon's city, not Libya's capital: when the document names
    another state that has a city of this name and never the capital's own state."""
    own = ent.attributes.get("country")
    if not context or own in context:
        return
    code = city_country(ent.name, context)
    if code and code != own and code in context:
        ent.attributes.update(country=code, country_basis="gazetteer", capital=False)


def _retype_city_nationalities(analysis: Analysis, kb: KnowledgeBase, context: set[str]) -> None:
    """The model sometimes types a city NORP ("near the town of Samarra"): a NORP that no KB demonym or
    group knows and that the gazetteer places without doubt is a PLACE."""
    for ent in analysis.entities:
        if ent.type != NORP or ent.attributes.get("country") or kb.candidates(ent.name):
            continue
        code = city_country(ent.name, context)
        if code is None:
            continue
        ent.type = "PLACE"
        ent.attributes.update(country=code, country_basis="gazetteer")
        for m in analysis.mentions:
            if m.entity == ent.id:
                m.label = "PLACE"
