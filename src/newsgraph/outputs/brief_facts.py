"""The templated sections of a brief: each fact becomes a sentence that cites the documents reporting it.

Every builder is ``(con, data, citer) -> list[list[Sentence]]``: a list of items, each item a
sentence with optional sub-sentences. ``citer.sentence`` returns None for a fact without documents,
so an unsourced fact never reaches the brief. Key events are ``brief_events``; this module holds
actors, claims, quotes and relations.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from typing import Any

from newsgraph.lang.sentences import first_sentence
from newsgraph.outputs.brief_data import documents_by_id
from newsgraph.outputs.brief_events import event_labels
from newsgraph.outputs.brief_model import format_date, join_names, plural, sentence_span

TYPE_WORDS = {"PERSON": "person", "ORG": "organisation", "COUNTRY": "country", "PLACE": "place",
              "FACILITY": "facility", "VESSEL": "ship", "AIRCRAFT": "aircraft", "WEAPON": "weapon",
              "PROGRAM": "programme", "EVENT": "event", "OTHER": "other", "NORP": "nationality"}
ROLE_WORDS = {"actor": "actor", "partner": "partner", "target": "target", "instrument": "instrument"}
ACTORS = 10
QUOTES = 5
MAX_CITED = 6  # documents cited for one actor: enough to check, few enough to read


def _times(n: int) -> str:
    return {1: "once", 2: "twice"}.get(n, f"{n} times")


# -- actors ----------------------------------------------------------------------------------------

def _roles(data) -> dict[str, Counter]:
    roles: dict[str, Counter] = defaultdict(Counter)
    for ev in data.events:
        for p in ev["participants"]:
            ident = data.local_ids.get(p.get("entity") or "", p.get("entity"))
            if ident:
                roles[ident][(p.get("role"), ev["type"])] += 1
    return roles


def _describe(entity: dict[str, Any], kb: Any) -> str:
    attrs = entity.get("attributes") or {}
    bits = [str(attrs["class"])] if attrs.get("class") else [TYPE_WORDS.get(entity["type"], "entity")]
    bits += [str(t) for t in (attrs.get("titles") or [])[:2]]
    bits += [str(a) for a in (attrs.get("affiliations") or [])[:2]]
    country = attrs.get("country")
    if entity["type"] != "COUNTRY" and isinstance(country, str):
        entry = kb.country(country) if kb is not None else None
        bits.append(entry.name if entry else country)
    return "; ".join(dict.fromkeys(bits))


def _role_phrase(counts: Counter) -> str:
    by_role: dict[str, list[str]] = defaultdict(list)
    for (role, type_), _n in counts.most_common():
        label = event_labels().get(type_, (type_ or "event").lower())
        if label not in by_role[role]:
            by_role[role].append(label)
    parts = []
    for role in ("actor", "partner", "target", "instrument"):
        if by_role.get(role):
            n = sum(c for (r, _), c in counts.items() if r == role)
            parts.append(f"{ROLE_WORDS[role]} in {plural(n, 'event')} ({join_names(by_role[role][:3])})")
    return "; ".join(parts)


def actors(con, data, citer) -> list[list]:
    from newsgraph.nlp.kb import load_kb

    kb = load_kb()
    roles = _roles(data)
    quoted = Counter(q["speaker"] for q in data.quotes if q["speaker"])
    def weight(eid: str) -> tuple:
        return (-(sum(roles[eid].values()) * 2 + quoted[eid] + len(data.entity_docs.get(eid, []))), eid)
    ranked = [eid for eid in sorted(data.entities, key=weight)
              if (roles.get(eid) or quoted[eid]) and data.entities[eid]["type"] in TYPE_WORDS]
    items = []
    for eid in ranked[:ACTORS]:
        entity = data.entities[eid]
        text = f"{entity['name']} ({_describe(entity, kb)})"
        role = _role_phrase(roles.get(eid, Counter()))
        extras = [role] if role else []
        if quoted[eid]:
            extras.append(f"quoted {_times(quoted[eid])}")
        text += ": " + "; ".join(extras) if extras else ""
        docs = data.entity_docs.get(eid, [])[:MAX_CITED]
        if s := citer.sentence(text, docs, [data.entity_spans.get((eid, d)) for d in docs]):
            items.append([s])
    return items


# -- claims ----------------------------------------------------------------------------------------

def _attribute(attribute: str) -> str:
    name, _, unit = attribute.partition(":")
    return name.replace("_", " ") + (f" of {unit}" if unit else "")


def _value_phrase(v: dict[str, Any]) -> str:
    value = f"“{v['value']}”" if v.get("value") else "a value"
    if v.get("speaker_name"):
        value += f", quoting {v['speaker_name']}"
    return value if v.get("modality") in (None, "happened") else f"{value} ({v['modality']})"


def _distinct(values: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """One entry per document and wording: a document that repeats a value is one report of it."""
    seen, out = set(), []
    for v in values:
        key = (v["doc"], v.get("value"), v.get("modality"), v.get("speaker_name"))
        if key not in seen:
            seen.add(key)
            out.append(v)
    return out


def _outside(con, data, docs: list[str]) -> None:
    """Metadata of documents outside the story, read once per brief (a claim's other sources)."""
    missing = sorted({d for d in docs if d not in data.documents and d not in data.outside})
    if missing:
        data.outside |= {d: {} for d in missing} | documents_by_id(con, missing)


def _outlet(con, data, doc: str) -> str:
    meta = data.documents.get(doc)
    if meta is None:
        _outside(con, data, [doc])
        meta = data.outside.get(doc, {})
    name = meta.get("outlet") or meta.get("title") or "a source"
    # An outlet is a name, never a sentence: cut scraped trailers ("Harbour Times. All rights ...").
    return re.split(r"(?<=[a-z]{2})[.!?]\s", name)[0]


OUTSIDE_VALUES = 6  # reports from other stories quoted per claim (the claim's page lists them all)


def shown_values(data, claim: dict[str, Any]) -> tuple[list[dict[str, Any]], int]:
    """The claim's values a brief quotes: all from the story's documents, and up to ``OUTSIDE_VALUES``
    from elsewhere (the latest of each distinct value first, so a conflict stays visible); and how many
    other reports were left out. A claim about a much-reported subject gathers values from the whole
    archive: quoting them all would make every brief citing it as long as the archive."""
    values = claim["values"]
    other = [i for i, v in enumerate(values) if v["doc"] not in data.documents]
    if len(other) <= OUTSIDE_VALUES:
        return values, 0
    latest_first = sorted(other, key=lambda i: (values[i].get("published") or "", i), reverse=True)
    picked: list[int] = []
    forms: set[str] = set()
    for i in latest_first:  # one per distinct value first
        form = str(values[i].get("normalized") or values[i].get("value"))
        if form not in forms and len(picked) < OUTSIDE_VALUES:
            forms.add(form)
            picked.append(i)
    for i in latest_first:
        if len(picked) >= OUTSIDE_VALUES:
            break
        if i not in picked:
            picked.append(i)
    outside = set(other)
    keep = set(picked) | {i for i in range(len(values)) if i not in outside}
    return [v for i, v in enumerate(values) if i in keep], len(other) - len(picked)


def corroborated(con, data, citer) -> list[list]:
    items = []
    for claim in data.claims:
        if claim["status"] not in ("corroborated", "compatible") or not claim["values"]:
            continue
        shown, _ = shown_values(data, claim)
        docs = [v["doc"] for v in claim["values"]]
        values = join_names([_value_phrase(v) for v in _distinct(shown)])
        how = ("agreed by" if claim["status"] == "corroborated" else "compatible restatements in")
        text = (f"{claim['subject_name']}, {_attribute(claim['attribute'])}: {values} "
                f"({how} {plural(len(set(docs)), 'source')})")
        if s := citer.sentence(text, [v["doc"] for v in shown], [v.get("span") for v in shown]):
            items.append([s])
    return items


def disputed(con, data, citer) -> list[list]:
    """Conflicts and superseded reports: a lead sentence, then who said what, when."""
    items = []
    shown = {c["id"]: shown_values(data, c) for c in data.claims if c["status"] in ("conflict", "superseded")}
    _outside(con, data, [v["doc"] for values, _ in shown.values() for v in values])
    for claim in data.claims:
        if claim["status"] not in ("conflict", "superseded") or not claim["values"]:
            continue
        values, left_out = shown[claim["id"]]
        docs = [v["doc"] for v in values]
        verb = "Sources disagree on" if claim["status"] == "conflict" else "Later reports superseded earlier ones on"
        lead = f"{verb} the {_attribute(claim['attribute'])} of {claim['subject_name']}"
        if left_out:
            lead += (f" ({plural(len(claim['values']), 'report')} in the archive; those of this story and "
                     f"the latest {OUTSIDE_VALUES} of others are quoted)")
        spans = [v.get("span") for v in values]
        lead = citer.sentence(lead, docs, spans)
        if lead is None:
            continue
        block = [lead]
        for v in _distinct(values):
            said = f"{_outlet(con, data, v['doc'])} ({format_date(v.get('published'))}) reported {_value_phrase(v)}"
            if s := citer.sentence(said, [v["doc"]], [v.get("span")]):
                block.append(s)
        if claim["explanation"] and (s := citer.sentence(claim["explanation"], docs, spans)):
            block.append(s)
        items.append(block)
    return items


# -- quotes ----------------------------------------------------------------------------------------

def quote_excerpt(text: str, limit: int = 240) -> str:
    """The quote's first sentence in any script (an ellipsis marks a cut), so that one citation covers it."""
    text = " ".join(text.split()).strip(" \"“”「」")
    cut = first_sentence(text).rstrip()
    if len(cut) > limit:
        cut = cut[:limit].rsplit(" ", 1)[0] + " …"
    elif len(cut) < len(text):
        cut += " …"
    return cut


def _speaker(data, quote: dict[str, Any], kb: Any) -> str | None:
    entity = data.entities.get(quote["speaker"] or "")
    if entity is None:
        return None
    attrs = entity.get("attributes") or {}
    role = [str(t) for t in (attrs.get("titles") or [])[:1]] + [str(a) for a in (attrs.get("affiliations") or [])[:1]]
    return f"{entity['name']} ({', '.join(role)})" if role else entity["name"]


def quotes(con, data, citer) -> list[list]:
    """One quote per named speaker, the fullest first (short fragments say little on their own)."""
    from newsgraph.nlp.kb import load_kb

    kb = load_kb()
    seen, items = set(), []
    for quote in sorted(data.quotes, key=lambda q: (-min(len(q["text"]), 240), q["id"])):
        speaker = _speaker(data, quote, kb)
        if speaker is None or quote["speaker"] in seen or len(quote["text"].split()) < 6:
            continue
        seen.add(quote["speaker"])
        text = f"{speaker}: “{quote_excerpt(quote['text'])}” ({_outlet(con, data, quote['doc'])})"
        span = {"doc": quote["doc"], "start": quote["start"], "end": quote.get("end"), "text": quote["text"]}
        if s := citer.sentence(text, [quote["doc"]], [span]):
            items.append([s])
        if len(items) == QUOTES:
            break
    return items


# -- relations -------------------------------------------------------------------------------------

def relations(con, data, citer) -> list[list]:
    """Per pair of states and month: cooperative and conflictual events and the Goldstein-like score."""
    from newsgraph.nlp.kb import load_kb
    from newsgraph.outputs.relations import country_pair_relations, load_plover, pair_months

    kb = load_kb()
    scale = load_plover()
    rows = data.relations if data.relations is not None else \
        country_pair_relations(con, event_ids=[ev["id"] for ev in data.events], kb=kb)
    sentences = {ev["id"]: ev.get("sentences") or [] for ev in data.events}
    items = []
    for row in pair_months(rows):
        names = [(kb.country(c).name if kb.country(c) else c) for c in row["pair"].split("-")]
        kinds = join_names([f"{n} {scale.label(p, n)}"
                       for p, n in sorted(row["categories"].items(), key=lambda kv: -kv[1])])
        counts = join_names([f"{row[k]} {k}" for k in ("cooperative", "conflictual") if row[k]])
        score = f"{row['score']:+.1f}".replace("-", "−")
        text = (f"{names[0]} and {names[1]}, {format_date(row['month'])}: {counts} "
                f"{'event' if row['cooperative'] + row['conflictual'] == 1 else 'events'} ({kinds}), "
                f"cooperation–conflict score {score} on a scale from −10 to +10")
        if s := citer.sentence(text, row["documents"], [sentence_span(x) for e in row.get("events") or []
                                                         for x in sentences.get(e, [])]):
            items.append([s])
    return items
