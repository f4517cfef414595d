"""Which values come from independent sources.

One source = one outlet; a document's duplicates, near-identical evidence paragraphs in other
outlets (syndicated copies) and values that quote the same speaker join the source they repeat.
"""

from __future__ import annotations

import re

from newsgraph.resolve.claim_values.records import StatedValue, rules

_SEPARATORS = re.compile(r"\s+[-–—|:]\s+|\.\s+|,\s+")
_DOMAIN = re.compile(r"^(?:www\.)?([a-z0-9-]+)\.[a-z.]+$")


def outlet_key(outlet: str | None) -> str | None:
    """A comparable outlet name: "Harbour Times - World", "Harbour Times" and "harbourtimes.example" agree."""
    if not outlet:
        return None
    head = _SEPARATORS.split(outlet.strip())[0].lower()
    domain = _DOMAIN.match(head)
    if domain:
        head = domain.group(1)
    key = re.sub(r"[^a-z0-9]", "", re.sub(r"^the\s+", "", head))
    return key or None


def outlet_name(outlet: str | None) -> str | None:
    """The outlet as a reader knows it: "Harbour Times - World" and "Harbour Times. All" read "Harbour Times"."""
    return _SEPARATORS.split(outlet.strip())[0] if outlet else None


def shingles(text: str, size: int) -> set[str]:
    words = re.findall(r"\w+", text.lower())
    return {" ".join(words[i : i + size]) for i in range(max(1, len(words) - size + 1))}


def independent_groups(values: list[StatedValue]) -> dict[str, str]:
    """value id -> id of the first value of its independent source.

    One source = one outlet; a document's duplicates and near-identical evidence paragraphs in
    other outlets (syndicated copies) join the source they copy; outlets quoting the same speaker
    for the value report one source, the speaker.
    """
    parent = {v.id: v.id for v in values}

    def find(x: str) -> str:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    def union(x: str, y: str) -> None:
        rx, ry = find(x), find(y)
        if rx != ry:
            parent[max(rx, ry, key=order.__getitem__)] = min(rx, ry, key=order.__getitem__)

    order = {v.id: i for i, v in enumerate(values)}
    first: dict[tuple[str, str], str] = {}
    for v in values:  # same document (or its duplicate), outlet or speaker: keyed, not compared in pairs
        for key in (("doc", v.duplicate_of or v.doc), ("outlet", outlet_key(v.outlet)), ("speaker", v.speaker)):
            if key[1] is None:
                continue
            if key in first:
                union(first[key], v.id)
            else:
                first[key] = v.id
    for a, b in _syndicated_pairs(values):
        union(a, b)
    return {v.id: find(v.id) for v in values}


def _syndicated_pairs(values: list[StatedValue]) -> list[tuple[str, str]]:
    """Values whose evidence paragraphs are near-identical. Identical paragraphs join at once;
    only distinct paragraphs are compared, each one's shingles computed once."""
    cfg = rules()["syndication"]
    pairs, seen, distinct = [], {}, []
    for v in values:
        if not v.context or len(v.context.split()) < cfg["min_words"]:
            continue
        sh = frozenset(shingles(v.context, cfg["shingle_size"]))
        if sh in seen:
            pairs.append((seen[sh], v.id))
            continue
        seen[sh] = v.id
        distinct.append((v.id, sh))
    for i, (ida, sa) in enumerate(distinct):
        for idb, sb in distinct[i + 1 :]:
            if len(sa & sb) / len(sa | sb) >= cfg["threshold"]:
                pairs.append((ida, idb))
    return pairs
