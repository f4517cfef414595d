"""Role fallbacks from where an event happens, applied after the structural rules of ``event_roles``.

Event data codes dyads of states (CAMEO/ICEWS/PLOVER). When a sentence names no counterpart, or no
one who acts, the conventions of those coding schemes fill the empty side from the event's place;
each rule applies only to the event types listed for it in ``kb/events.yaml`` (section ``roles``)
and only when the place is country-coded (a state, a capital, a region named by direction, a city
the guarded gazetteer places, see ``nlp/places.py``). The participant it adds names the state and
says why (``Participant.basis``):

* ``location``: no counterpart was found and the event acts on the population of a country-coded
  place ("a curfew in Cizre", "bombings in Kirkuk", "demonstrations in Abidjan": the people of that
  state are affected); types ``roles.location_target_types``. A state named as the place of any
  event with an actor and no counterpart is its counterpart, unless that state already acts ("Italy
  and Japan held an exercise off Tokyo": Japan hosts; it is no counterpart of itself).
* ``unnamed``: no actor was named ("three journalists were arrested in Cairo", "a roadside bomb
  near Samarra killed ..."): the authority or armed group of the place acts (CAMEO's unidentified
  actor of the location's state); types ``roles.location_actor_types``.
* ``own_state``: a protest by a country-coded actor with no counterpart and no place is addressed
  to the protesters' own state (domestic dissent, CAMEO 14); types ``roles.own_state_types``.

None of these rules ever overrides a role the structure found.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from newsgraph.model import Participant

if TYPE_CHECKING:
    from newsgraph.extract.event_roles import ParticipantFinder

COUNTERPART_ROLES = ("partner", "target")
PLACE_LABELS = ("PLACE", "FACILITY")


def place_state(finder: ParticipantFinder) -> str | None:
    """ISO3 of the event's place: a state, a capital, or a place whose entity carries a country."""
    loc = finder.location
    if loc is None:
        return None
    ent = finder.index.entities.get(loc.entity or "")
    if ent is None:
        return None
    attrs = ent.attributes
    code = attrs.get("iso3") if ent.type == "COUNTRY" else attrs.get("country")
    return code if isinstance(code, str) and len(code) == 3 else None


def _state_participant(finder: ParticipantFinder, code: str, role: str, basis: str) -> Participant:
    kb = getattr(finder.index, "kb", None)
    entry = kb.country(code) if kb is not None else None
    return Participant(entity=None, name=entry.name if entry is not None else code, role=role,
                       country=code, basis=basis)


def _roles_present(finder: ParticipantFinder) -> set[str]:
    return {r for _, r in finder.found} | {p.role for p in finder.implied}


def actor_states(finder: ParticipantFinder, named_only: bool = False) -> set[str]:
    """States of the event's actors: a state itself ("Japan"), or the state of a person, group or ship
    acting. ``named_only``: only states named themselves as actors, since a government acting in its
    own country ("declared a state of siege in Haiti") still acts on it."""
    out = set()
    for m, role in finder.found:
        ent = finder.index.entities.get(m.entity or "")
        if role != "actor" or ent is None or (named_only and ent.type != "COUNTRY"):
            continue
        code = ent.attributes.get("iso3") if ent.type == "COUNTRY" else ent.attributes.get("country")
        if isinstance(code, str) and ent.type not in PLACE_LABELS:
            out.add(code)
    return out


def apply_place_rules(finder: ParticipantFinder) -> None:
    """Fill an empty counterpart or actor from the event's place, by the rules above."""
    roles = finder.lex.role_rules
    etype = finder.t.type
    present = _roles_present(finder)
    code = place_state(finder)
    label = finder.index.role_label(finder.location) if finder.location is not None else None
    if code and not present & set(COUNTERPART_ROLES):
        if label == "COUNTRY" and "actor" in present:
            if code not in actor_states(finder, named_only=True):  # "Italy and Japan held an exercise off Tokyo": Japan hosts
                finder.add([finder.location], finder.other)
        elif etype in roles.get("location_target_types", ()):
            finder.implied.append(_state_participant(finder, code, finder.other, "location"))
    present = _roles_present(finder)
    if code and "actor" not in present and etype in roles.get("location_actor_types", ()):
        finder.implied.append(_state_participant(finder, code, "actor", "unnamed"))
    present = _roles_present(finder)
    if etype in roles.get("own_state_types", ()) and not present & set(COUNTERPART_ROLES) and code is None:
        states = actor_states(finder)
        if len(states) == 1:
            finder.implied.append(_state_participant(finder, states.pop(), finder.other, "own_state"))


def role_rules(data: dict[str, Any]) -> dict[str, frozenset[str]]:
    """The type lists of the rules above, from the ``roles`` section of ``kb/events.yaml``."""
    keys = ("location_target_types", "location_actor_types", "own_state_types", "conditional_target_types",
            "stative_passives")
    return {k: frozenset(str(v) for v in data.get(k) or []) for k in keys}
