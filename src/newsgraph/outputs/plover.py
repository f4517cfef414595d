"""PLOVER event records from the relational tables.

Two shapes of the same records:

* ``plover`` — the field names of the current PLOVER specification ("JSON Data Fields" in
  openeventdata/PLOVER's manual, draft 0.7b1): ``id``, ``date``, ``enddate``, ``source`` and
  ``recipient`` (lists of actor objects: ``actor_text``, ``code``, ``sector``, ``identifier_id``,
  ``identifier_text``), ``event`` (a list), ``event_text``, ``event_loc``, ``quad_code``,
  ``event_scale``, ``mode``, ``context``, ``text``, ``text_info``, ``cite_info``, ``coder``; written
  as JSONL, one record per line, as the specification suggests;
* ``plover-gsr`` — the PLOVER 0.5 shape of the public gold-standard records
  (``source``/``target`` with ``actorText``, ``event`` a string, ``eventText``, ``textInfo``,
  ``publication``, ``language``, ``version``); a JSON array like that file.

Only non-null fields are written. The mapping data (quad codes, modes, contexts, sectors) is
``kb/plover_export.yaml``; country codes are ISO 3166 alpha-3 from the export and the KB.
"""

from __future__ import annotations

import functools
import json
import re
from collections import defaultdict
from pathlib import Path
from typing import Any

import yaml

from newsgraph import __version__ as NEWSGRAPH_VERSION
from newsgraph.settings import KB_DIR

MAPPING_FILE = KB_DIR / "plover_export.yaml"
# The specification's field names (table "PLOVER JSON" and the actor/text/citation objects).
RECORD_FIELDS = (
    "id", "has_event", "date", "time", "enddate", "endtime", "source", "recipient", "event", "event_loc",
    "event_text", "quad_code", "event_scale", "mode", "context", "link", "text", "text_info", "cite_info",
    "coder", "coded_date", "coded_time", "comment",
)
ACTOR_FIELDS = ("code", "sector", "actor_text", "identifier_id", "identifier_text", "actor_loc",
                "religion", "ethnicity", "office", "gender", "age")
CITE_FIELDS = ("corpus", "citation", "url", "title", "language", "publication", "license", "copyright",
               "coder", "codebook", "version")
# Fields newsgraph adds (the specification allows extra named fields).
EXTRA_FIELDS = ("ng_type", "ng_modality", "ng_sources")
GSR_FIELDS = ("id", "date", "source", "target", "event", "eventText", "mode", "context", "eventLoc", "text",
              "textInfo", "language", "publication", "coder", "version", "comment")
GSR_ACTOR_FIELDS = ("actorText", "code", "sector")
SOURCE_ROLES = ("actor", "partner")  # reciprocal partners are sources too (PLOVER "Compound and Reciprocal")
RECIPIENT_ROLES = ("target",)
_SENTENCE_END = re.compile(r"([.!?][\"'”’)\]]*)\s+|\n+")


@functools.cache
def mapping() -> dict[str, Any]:
    with MAPPING_FILE.open(encoding="utf-8") as fh:
        return yaml.safe_load(fh)


def _clean(record: dict[str, Any]) -> dict[str, Any]:
    """Drop null and empty fields: PLOVER records carry only what was coded."""
    return {k: v for k, v in record.items() if v is not None and v != [] and v != {} and v != ""}


# -- actors ---------------------------------------------------------------------------------------
def _words(text: str) -> str:
    return " " + " ".join(re.findall(r"[a-z0-9]+", text.lower())) + " "


def _rule_matches(rule: dict[str, Any], entity: dict[str, Any], attrs: dict[str, Any], text: str) -> bool:
    if "types" in rule and entity["type"] not in rule["types"]:
        return False
    if "attribute" in rule and not attrs.get(rule["attribute"]):
        return False
    return "words" not in rule or any(_words(w) in text for w in rule["words"])


def sector(entity: dict[str, Any], attrs: dict[str, Any]) -> str | None:
    """The PLOVER primary sector code from the entity's type, attributes, name and titles."""
    titles = attrs.get("titles") if isinstance(attrs.get("titles"), list) else []
    text = _words(" ".join([entity["name"], *map(str, titles)]))
    for rule in mapping()["sectors"]:
        if _rule_matches(rule, entity, attrs, text):
            return rule["sector"]
    return None


def actor_code(entity: dict[str, Any], kb_ids: dict[str, str], kb: Any) -> str | None:
    """ISO3 of the state the entity is or belongs to; else a non-state code (IGO) from the mapping."""
    if entity.get("country"):
        return entity["country"]
    kb_id = kb_ids.get("kb")
    code = kb.country_code(kb_id) if kb is not None and kb_id else None
    if code:
        return code
    for non_state, ids in mapping()["non_state"].items():
        if kb_id in ids:
            return non_state
    return None


def _actor(participant: dict[str, Any], entity: dict[str, Any] | None, kb: Any) -> dict[str, Any]:
    implied = participant.get("country")  # a state the participant stands for by a coding convention
    if entity is None:
        return _clean({"code": implied, "actor_text": participant["name"]})
    kb_ids, attrs = json.loads(entity["kb_ids"]), json.loads(entity["attributes"])
    return _clean({"code": implied or actor_code(entity, kb_ids, kb), "sector": sector(entity, attrs),
                   "actor_text": participant["name"], "identifier_id": entity.get("wikidata"),
                   "identifier_text": entity["name"]})


# -- events ---------------------------------------------------------------------------------------
def _sentence(text: str, start: int, end: int) -> tuple[int, int]:
    """The sentence around [start, end) by punctuation and line breaks (offsets into the cleaned text)."""
    left = max((m.end() for m in _SENTENCE_END.finditer(text, 0, start)), default=0)
    right = _SENTENCE_END.search(text, end)
    if right is None:
        return left, len(text)
    return left, right.end(1) if right.group(1) else right.start()  # keep the full stop and closing quote


def _location(entity: dict[str, Any] | None) -> dict[str, Any] | None:
    if entity is None:
        return None
    attrs = json.loads(entity["attributes"])
    return _clean({"name": entity["name"], "geonameid": attrs.get("geonames") or attrs.get("geonameid"),
                   "latitude": attrs.get("lat"), "longitude": attrs.get("lon"), "cc3": entity.get("country")})


def _contexts(modality: str | None, sectors: list[str]) -> list[str]:
    spec = mapping()
    out = list(spec["modality_contexts"].get(modality or "", []))
    for context, wanted in spec["sector_contexts"].items():
        if any(s in wanted for s in sectors) and context not in out:
            out.append(context)
    return out


class _Index:
    """Rows of the tables the PLOVER records need, by key."""

    def __init__(self, tables: dict[str, list[dict[str, Any]]]) -> None:
        self.entities = {e["id"]: e for e in tables["entities"]}
        self.documents = {d["id"]: d for d in tables["documents"]}
        self.participants: dict[str, list[dict]] = defaultdict(list)
        for p in tables["participants"]:
            self.participants[p["event"]].append(p)
        self.sources: dict[str, list[dict]] = defaultdict(list)
        for s in tables["event_sources"]:
            self.sources[s["event"]].append(s)


def _date(event: dict[str, Any], first_doc: dict[str, Any] | None) -> tuple[str | None, str | None]:
    """The event's own interval, else the date of the first report (PLOVER requires a date)."""
    if event["date_start"]:
        end = event["date_end"] if event["date_end"] != event["date_start"] else None
        return event["date_start"], end
    return (first_doc or {}).get("published"), None


def _cite(doc: dict[str, Any] | None) -> dict[str, Any] | None:
    if doc is None:
        return None
    url = doc["source"] if str(doc["source"]).startswith(("http://", "https://")) else None
    return _clean({"corpus": "newsgraph", "citation": doc["id"], "url": url, "title": doc["title"],
                   "language": doc["language"], "publication": doc["outlet"],
                   "codebook": mapping()["codebook"]})


def event_record(event: dict[str, Any], index: _Index, kb: Any) -> dict[str, Any]:
    spec = mapping()
    parts = index.participants[event["id"]]
    actors = {p["position"]: _actor(p, index.entities.get(p["entity"] or ""), kb) for p in parts}
    sources = index.sources[event["id"]]
    doc = index.documents.get(sources[0]["doc"]) if sources else None
    date, enddate = _date(event, doc)
    text = start = end = None
    if doc is not None:
        start, end = _sentence(doc["text"], sources[0]["start"], sources[0]["end"])
        text = doc["text"][start:end]
    plover = event["plover"]
    return _clean({
        "id": event["id"], "date": date, "enddate": enddate,
        "source": [actors[p["position"]] for p in parts if p["role"] in SOURCE_ROLES],
        "recipient": [actors[p["position"]] for p in parts if p["role"] in RECIPIENT_ROLES],
        "event": [plover] if plover else [],
        "event_loc": _location(index.entities.get(event["location"] or "")),
        "event_text": list(dict.fromkeys(s["text"] for s in sources)),
        "quad_code": spec["quad"].get(plover), "event_scale": spec["scale"].get(plover),
        "mode": spec["modes"].get(event["type"], {}).get(plover),
        "context": _contexts(event["modality"], [a.get("sector", "") for a in actors.values()]),
        "text": text, "text_info": _clean({"start": start, "end": end, "doc": doc["id"] if doc else None}),
        "cite_info": _cite(doc), "coder": f"newsgraph {NEWSGRAPH_VERSION}",
        "ng_type": event["type"], "ng_modality": event["modality"],
        "ng_sources": [{"doc": s["doc"], "start": s["start"], "end": s["end"], "text": s["text"]} for s in sources],
    })


def plover_records(tables: dict[str, list[dict[str, Any]]], kb: Any = None,
                   include_negated: bool = False) -> list[dict[str, Any]]:
    """One PLOVER record per event (negated events left out unless asked: the spec's advice)."""
    index = _Index(tables)
    return [event_record(e, index, kb) for e in tables["events"]
            if include_negated or e["modality"] != "negated"]


# -- the PLOVER 0.5 (gold-standard records) shape ---------------------------------------------------
def _gsr_actor(actor: dict[str, Any]) -> dict[str, Any]:
    return _clean({"actorText": actor.get("actor_text"), "code": actor.get("code"), "sector": actor.get("sector")})


def to_gsr(record: dict[str, Any]) -> dict[str, Any]:
    """A current-spec record in the field names of PLOVER_GSR_CAMEO.txt (PLOVER 0.5)."""
    renames = mapping()["gsr_renames"]
    cite = record.get("cite_info", {})
    event = record["event"][0] if record.get("event") else None
    return _clean({
        "id": record["id"], "date": record.get("date"),
        "source": [_gsr_actor(a) for a in record.get("source", [])],
        "target": [_gsr_actor(a) for a in record.get("recipient", [])],
        "event": renames.get(event, event), "eventText": " ".join(record.get("event_text", [])),
        "mode": record.get("mode"), "context": ",".join(record.get("context", [])),
        "eventLoc": (record.get("event_loc") or {}).get("name"), "text": record.get("text"),
        "textInfo": record.get("text_info"), "language": cite.get("language"),
        "publication": cite.get("publication"), "coder": record.get("coder"), "version": str(mapping()["gsr_version"]),
    })


def load_plover_kb(archive) -> Any:
    """The knowledge base for country codes (the package KB plus the archive's ``--kb`` dirs)."""
    from newsgraph.nlp.kb import load_kb

    return load_kb(archive.settings.kb_dirs)


def write_plover(records: list[dict[str, Any]], path: Path) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for record in records:
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
