"""A speaker entity carries its role and affiliation when the source phrase gives them:
"Hillary Clinton's campaign manager Robby Mook" (title "campaign manager", affiliation "Hillary Clinton"),
"Flynn, a top Trump surrogate," (title "top Trump surrogate").
"""

from __future__ import annotations

from newsgraph.extract.attribution.state import DocState
from newsgraph.model import Attribution


def enrich_speakers(state: DocState, attributions: list[Attribution]) -> None:
    """Add titles and affiliations found in each source phrase to the speaker's local entity."""
    entities = {e.id: e for e in state.analysis.entities}
    for a in attributions:
        entity = entities.get(a.speaker or "")
        if entity is None or entity.type != "PERSON" or a.source is None:
            continue
        title, affiliation = _role(state, a)
        if title:
            _add(entity.attributes, "titles", title)
        if affiliation:
            _add(entity.attributes, "affiliations", affiliation)


def _add(attributes: dict, key: str, value: str) -> None:
    values = attributes.setdefault(key, [])
    if isinstance(values, list) and value.lower() not in {str(v).lower() for v in values}:
        values.append(value)


def _role(state: DocState, a: Attribution) -> tuple[str | None, str | None]:
    source = a.source
    assert source is not None
    i, j = state.token_index(source.start), state.token_index(source.end)
    tokens = list(state.doc[i:j])
    name = next((t for t in tokens if state.mention_at(t.idx) is not None
                 and state.mention_at(t.idx).entity == a.speaker), None)
    if name is None:
        return None, None
    head = name.head if name.dep_ == "compound" else name
    mention = state.mention_at(name.idx)
    assert mention is not None
    before = [t for t in tokens if t.idx < mention.start and t.head.i in (head.i, name.i)]
    title_words = [t for t in before if t.dep_ == "compound" and t.pos_ == "NOUN"]
    title = " ".join(t.text for t in title_words) or None
    holders = {head.i, name.i, *(t.i for t in title_words)}
    owner = next((t for t in tokens if t.idx < mention.start and t.dep_ == "poss" and t.head.i in holders), None)
    affiliation = None
    if owner is not None:
        phrase = state.doc[owner.left_edge.i : owner.i + 1]
        affiliation = phrase.text.removesuffix("’s").removesuffix("'s").strip() or None
    appos = next((c for c in head.children if c.dep_ == "appos" and c.pos_ == "NOUN"), None)
    if title is None and appos is not None:
        words = [t for t in appos.subtree if t.dep_ not in ("det", "punct") and t.i <= appos.i]
        title = " ".join(t.text for t in words) or None
    return title, affiliation
