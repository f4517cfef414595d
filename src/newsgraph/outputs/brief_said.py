"""The brief's "Who said what" section: reported speech, beliefs and intentions ("X said ..."), each
sentence citing the document it comes from. Direct quotations stay in "Notable quotes".

Only attributions whose speaker is a resolved entity count (a description such as "officials" names
no one a reader can follow). Speakers are ranked by how many documents report them; each gets up to
``PER_SPEAKER`` sentences from different documents, the clearest (a whole clause, not too long) first.
"""

from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from newsgraph.outputs.brief_model import text_span

SPEAKERS = 6
PER_SPEAKER = 2
MAX_WORDS = 45
REPORTED = ("indirect", "mixed", "according_to", "evidence")


def load(con, data) -> list[dict[str, Any]]:
    """The story documents' reported attributions with a corpus speaker id."""
    docs = list(data.documents)
    if not docs:
        return []
    marks = ", ".join("?" for _ in docs)
    rows = con.execute(
        "SELECT a.id, a.doc, a.kind, a.speaker_local, a.speaker_name, a.cue_start, a.cue_text, a.source_text, "
        "a.content, a.statement_type, a.source_start, a.source_end, a.cue_end "
        f"FROM attributions a WHERE a.doc IN ({marks}) ORDER BY a.doc, a.content_start", docs).fetchall()
    keys = ("id", "doc", "kind", "speaker", "speaker_name", "cue_start", "cue", "source", "content", "statement_type",
            "source_start", "source_end", "cue_end")
    out = []
    for row in rows:
        a = dict(zip(keys, row, strict=True))
        a["speaker"] = data.local_ids.get(a["speaker"], a["speaker"]) if a["speaker"] else None
        a["content"] = json.loads(a["content"] or "[]")
        a["span"] = _whole(a, (data.documents.get(a["doc"]) or {}).get("text"))
        out.append(a)
    return out


def _whole(a: dict[str, Any], text: str | None) -> dict[str, Any] | None:
    """The attribution's whole span in its document: from its first part (source, cue or content) to its last."""
    parts = [(a["source_start"], a["source_end"]), (a["cue_start"], a["cue_end"])]
    parts += [(c.get("start"), c.get("end")) for c in a["content"]]
    parts = [(s, e) for s, e in parts if s is not None and e is not None]
    if not parts:
        return None
    return text_span(a["doc"], text, min(s for s, _ in parts), max(e for _, e in parts))


def sentence(a: dict[str, Any], name: str) -> str | None:
    """"Name <cue as written> <content>", "According to <source>, <content>"; None when too long or
    the content is not a clause a reader can take on its own."""
    content = " … ".join(" ".join(c["text"].split()) for c in a["content"]).strip(" ,;:")
    if not content or len(content.split()) > MAX_WORDS or len(content.split()) < 3:
        return None
    if a["kind"] == "according_to":
        return f"According to {a['source'] or name}, {content}"
    cue = " ".join((a["cue"] or "").split())
    first = cue.split()[0].lower() if cue else ""
    if first.endswith("ing") or first == "to":
        return None  # a participle or an infinitive ("saying ...") makes no sentence of its own
    if not cue or not cue[:1].isalpha() or first == "according":
        return f"{name}: {content}"
    cue = _ADDRESSED.get(first, cue)
    if content[:1].isupper() and not content.startswith(("I ", "I'")):
        content = content[0].lower() + content[1:] if content.split()[0].lower() in _LOWER_OK else content
    return f"{name} {cue} {content}"


# Verbs whose addressee the content leaves out read as "said": "X told (reporters) that ..." → "X said that ...".
_ADDRESSED = {"told": "said", "tells": "says", "tell": "say", "informed": "said", "reminded": "said",
              "assured": "said", "briefed": "said", "reassured": "said"}
_LOWER_OK = frozenset({"the", "a", "an", "that", "this", "it", "there", "to", "his", "her", "their", "its"})


def said(con, data, citer) -> list[list]:
    """One list item per speaker: their reported statements, beliefs and intentions, each cited."""
    by_speaker: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for a in load(con, data):
        if a["kind"] in REPORTED and a["speaker"] and a["speaker"] in data.entities:
            by_speaker[a["speaker"]].append(a)
    ranked = sorted(by_speaker, key=lambda s: (-len({a["doc"] for a in by_speaker[s]}), data.entities[s]["name"]))
    items = []
    for speaker in ranked[:SPEAKERS]:
        name = data.entities[speaker]["name"]
        block, cited = [], set()
        for a in sorted(by_speaker[speaker], key=lambda a: (a["kind"] == "mixed", -len(a["content"][0]["text"]))):
            text = sentence(a, name)
            if text is None or a["doc"] in cited:
                continue
            if (s := citer.sentence(text, [a["doc"]], [a["span"]])) is not None:
                block.append(s)
                cited.add(a["doc"])
            if len(block) == PER_SPEAKER:
                break
        if block:
            items.append(block)
    return items
