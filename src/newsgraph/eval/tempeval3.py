"""Score the temporal normaliser on the TempEval-3 platinum test set.

What is computed (matching the official TE3 ``evaluate_entities.py`` timex block):

* strict P/R/F1: a gold and a system TIMEX3 match when their character offsets are equal;
* relaxed P/R/F1: they match when they overlap by at least one character
  (precision counts system timexes overlapping some gold one, recall the reverse);
* value accuracy / type accuracy: over the relaxed-matched gold timexes, the share whose
  best-overlapping system timex has the same ``value`` / ``type``;
* value F1 = relaxed F1 × value accuracy (the official "Attribute F1 Value").

Only in-text TIMEX3 count; the document creation time (the anchor) does not.
Run: ``python -m newsgraph.eval.tempeval3 [bench_dir]``.
"""

from __future__ import annotations

import json
import sys
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from newsgraph.extract.time import find_times
from newsgraph.settings import get_settings

# <repo>/../shared, next to the checkout (src/newsgraph/eval/ is three levels below the repo root).
DEFAULT_BENCH = Path(__file__).resolve().parents[3].parent / "shared" / "benchmarks" / "tempeval3"


@dataclass
class Timex:
    start: int
    end: int
    text: str
    value: str
    type: str


@dataclass
class TmlDoc:
    doc_id: str
    dct: date
    text: str
    timexes: list[Timex]


def _flatten(elem: ET.Element, parts: list[str], timexes: list[Timex]) -> None:
    """Concatenate the text of ``elem`` while recording TIMEX3 character offsets."""
    parts.append(elem.text or "")
    for child in elem:
        start = sum(len(p) for p in parts)
        _flatten(child, parts, timexes)
        if child.tag == "TIMEX3":
            end = sum(len(p) for p in parts)
            text = "".join(parts)[start:end]
            timexes.append(Timex(start, end, text, child.get("value", ""), child.get("type", "")))
        parts.append(child.tail or "")


def read_tml(path: Path) -> TmlDoc:
    root = ET.parse(path).getroot()
    doc_id = (root.findtext("DOCID") or path.name.split(".")[0]).strip()
    dct_timex = root.find("DCT/TIMEX3")
    dct = date.fromisoformat((dct_timex.get("value") if dct_timex is not None else "")[:10])
    text_elem = root.find("TEXT")
    parts: list[str] = []
    timexes: list[Timex] = []
    if text_elem is not None:
        _flatten(text_elem, parts, timexes)
    return TmlDoc(doc_id, dct, "".join(parts), timexes)


def _overlap(a: Timex, b: Timex) -> int:
    return min(a.end, b.end) - max(a.start, b.start)


def _prf(tp_p: int, n_sys: int, tp_r: int, n_gold: int) -> dict[str, float]:
    p = tp_p / n_sys if n_sys else 0.0
    r = tp_r / n_gold if n_gold else 0.0
    f = 2 * p * r / (p + r) if p + r else 0.0
    return {"p": round(p, 4), "r": round(r, 4), "f1": round(f, 4)}


def predict(doc: TmlDoc, nlp: Any) -> list[Timex]:
    nlp_doc = nlp(doc.text) if nlp is not None else None
    out = []
    for tv in find_times(doc.text, doc.dct, doc.doc_id, nlp_doc):
        if tv.span is None:
            continue
        out.append(Timex(tv.span.start, tv.span.end, tv.text, tv.value or "", tv.kind))
    return out


def score(pairs: list[tuple[TmlDoc, list[Timex]]]) -> dict[str, Any]:
    counts = dict.fromkeys(("gold", "sys", "strict_p", "strict_r", "relaxed_p", "relaxed_r", "value", "type"), 0)
    errors: list[dict[str, str]] = []
    for doc, system in pairs:
        counts["gold"] += len(doc.timexes)
        counts["sys"] += len(system)
        for s in system:
            counts["strict_p"] += any((g.start, g.end) == (s.start, s.end) for g in doc.timexes)
            counts["relaxed_p"] += any(_overlap(g, s) > 0 for g in doc.timexes)
            if not any(_overlap(g, s) > 0 for g in doc.timexes):
                errors.append({"doc": doc.doc_id, "kind": "spurious", "system": f"{s.text} {s.value}"})
        for g in doc.timexes:
            matches = [s for s in system if _overlap(g, s) > 0]
            if not matches:
                errors.append({"doc": doc.doc_id, "kind": "missed", "gold": f"{g.text} {g.value}"})
                continue
            best = max(matches, key=lambda s: ((s.start, s.end) == (g.start, g.end), _overlap(g, s)))
            counts["relaxed_r"] += 1
            counts["strict_r"] += (best.start, best.end) == (g.start, g.end)
            counts["value"] += best.value == g.value
            counts["type"] += best.type == g.type
            if best.value != g.value:
                errors.append({"doc": doc.doc_id, "kind": "value", "gold": f"{g.text} {g.value}",
                               "system": f"{best.text} {best.value}"})
    strict = _prf(counts["strict_p"], counts["sys"], counts["strict_r"], counts["gold"])
    relaxed = _prf(counts["relaxed_p"], counts["sys"], counts["relaxed_r"], counts["gold"])
    matched = counts["relaxed_r"]
    value_acc = counts["value"] / matched if matched else 0.0
    type_acc = counts["type"] / matched if matched else 0.0
    return {
        "documents": len(pairs),
        "gold": counts["gold"],
        "predicted": counts["sys"],
        "strict": strict,
        "relaxed": relaxed,
        "value_f1": round(relaxed["f1"] * value_acc, 4),
        "value_accuracy": round(value_acc, 4),
        "type_accuracy": round(type_acc, 4),
        "errors": errors,
    }


def load_pairs(bench_dir: Path, limit: int | None = None) -> list[tuple[TmlDoc, TmlDoc]]:
    """(system input, gold) documents paired by DOCID (file names differ in the release)."""
    if not (bench_dir / "te3-platinum").is_dir():
        raise FileNotFoundError(f"{bench_dir}: no te3-platinum/ folder (TempEval-3 platinum expected)")
    gold = {d.doc_id: d for d in (read_tml(p) for p in sorted((bench_dir / "te3-platinum").glob("*.tml")))}
    inputs = [read_tml(p) for p in sorted((bench_dir / "TE3-platinum-test").glob("*.TE3input"))]
    pairs = [(i, gold[i.doc_id]) for i in inputs if i.doc_id in gold]
    return pairs[:limit] if limit else pairs


def evaluate(bench_dir: Path = DEFAULT_BENCH, limit: int | None = None, nlp: Any = None,
             max_errors: int | None = 15) -> dict[str, Any]:
    """Run find_times over the TE3 platinum inputs and score against the gold TIMEX3."""
    if nlp is None:
        import spacy

        nlp = spacy.load(get_settings().spacy_model)
    scored = []
    for inp, gold in load_pairs(Path(bench_dir), limit):
        if inp.text != gold.text:  # offsets would be meaningless
            raise ValueError(f"{inp.doc_id}: input and gold texts differ")
        scored.append((gold, predict(inp, nlp)))
    result = score(scored)
    if max_errors is not None:
        result["errors"] = result["errors"][:max_errors]
    return result


if __name__ == "__main__":
    bench = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_BENCH
    print(json.dumps(evaluate(bench, max_errors=None if "--all-errors" in sys.argv else 15), indent=2))
