"""Score event dates against MEANTIME's temporal links: does an event's date overlap its gold anchor?

Gold (``meantime_tlinks``): the English event mentions of MEANTIME that a TLINK anchors to a time
expression (IS_INCLUDED, INCLUDES, SIMULTANEOUS, BEGINS/BEGUN_BY, ENDS/ENDED_BY to a DATE or TIME
with a calendar value). A newsgraph date is right when its interval overlaps the interval of every
anchor of the mention (open ends overlap everything on their side).

Each article goes through the real per-document stages (spaCy, entities, time, quantities, events)
with its creation time as the publication date. Two measures:

* **newsgraph events** (the headline, ``anchoring accuracy``): a gold mention is matched to the
  newsgraph event whose trigger span overlaps it most (character overlap; one event may cover a
  multi-word gold mention). Accuracy is over the matched mentions; ``coverage`` says how many gold
  mentions got any newsgraph event at all. newsgraph types only the events of its own lexicon
  (kb/events.yaml, security and diplomacy), so on MEANTIME's business news coverage is low.
* **gold triggers**: the same anchoring (``extract.time.event_date``) applied to the token of every
  gold mention, with no modality; this measures the dating alone on all gold mentions.

Both are reported beside the baseline "every event gets the document date" on the same mentions,
and split into mentions anchored to an in-text expression and those anchored only to the creation
time. Run: ``newsgraph eval event-dates ../shared/benchmarks/meantime``.
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from datetime import date
from pathlib import Path
from typing import Any

from newsgraph.eval.meantime_tlinks import ANCHORING, GoldArticle, GoldEvent, Interval, read_article
from newsgraph.model import Analysis, Document, Event, TimeValue

DEFAULT_BENCH = Path(__file__).resolve().parents[3].parent / "shared" / "benchmarks" / "meantime"
STAGES = ("entities", "time", "quantities", "events")


def overlaps(a: Interval, b: Interval) -> bool:
    (s1, e1), (s2, e2) = a, b
    return (s1 is None or e2 is None or s1 <= e2) and (s2 is None or e1 is None or s2 <= e1)


def interval_of(tv: TimeValue | None) -> Interval | None:
    if tv is None or (tv.start is None and tv.end is None):
        return None
    first = date.fromisoformat(tv.start[:10]) if tv.start else None
    last = date.fromisoformat(tv.end[:10]) if tv.end else (first if tv.modifier != "after" else None)
    return first, last


def is_right(interval: Interval | None, gold: GoldEvent) -> bool:
    return interval is not None and all(overlaps(interval, a.interval) for a in gold.anchors)


class Tally:
    """Right / total for newsgraph and the document-date baseline, overall and by anchor class."""

    def __init__(self) -> None:
        self.counts: Counter[str] = Counter()

    def add(self, gold: GoldEvent, ours: bool, baseline: bool, basis: str | None) -> None:
        group = "creation_time_only" if gold.creation_time_only else "in_text"
        for key in ("all", group):
            self.counts[f"{key}.n"] += 1
            self.counts[f"{key}.ours"] += ours
            self.counts[f"{key}.baseline"] += baseline
        self.counts[f"basis.{basis}.n"] += 1
        self.counts[f"basis.{basis}.ours"] += ours

    def rate(self, key: str, who: str) -> float:
        n = self.counts[f"{key}.n"]
        return round(self.counts[f"{key}.{who}"] / n, 4) if n else 0.0

    def report(self) -> dict[str, Any]:
        out: dict[str, Any] = {"mentions": self.counts["all.n"], "anchoring_accuracy": self.rate("all", "ours"),
                               "document_date_baseline": self.rate("all", "baseline")}
        for group in ("in_text", "creation_time_only"):
            out[group] = {"mentions": self.counts[f"{group}.n"], "anchoring_accuracy": self.rate(group, "ours"),
                          "document_date_baseline": self.rate(group, "baseline")}
        bases = sorted({k.split(".")[1] for k in self.counts if k.startswith("basis.")})
        out["by_basis"] = {b: {"mentions": self.counts[f"basis.{b}.n"], "right": self.counts[f"basis.{b}.ours"]}
                           for b in bases}
        return out


def analyse(article: GoldArticle, ctx: Any) -> Analysis:
    from newsgraph.stages import registered

    cat = article.cat
    published = article.dct.isoformat() if article.dct else None
    doc = Document(id=cat.name, source=cat.name, text=cat.text, title=cat.title, published=published,
                   published_basis="metadata" if published else None)
    analysis = Analysis(document=doc, nlp=ctx.nlp(doc.text))
    for name, fn in registered():
        if name in STAGES:
            fn(analysis, ctx)
    return analysis


def matching_event(gold: GoldEvent, events: list[Event]) -> Event | None:
    """The newsgraph event whose trigger span overlaps the gold mention most."""
    best, best_overlap = None, 0
    for ev in events:
        src = ev.sources[0]
        overlap = min(src.end, gold.end) - max(src.start, gold.start)
        if overlap > best_overlap:
            best, best_overlap = ev, overlap
    return best


def gold_trigger_date(analysis: Analysis, gold: GoldEvent) -> TimeValue | None:
    from newsgraph.extract.time import event_date
    from newsgraph.extract.time.anchor import clause_of

    span = analysis.nlp.char_span(gold.start, gold.end, alignment_mode="expand")
    if span is None or len(span) == 0:
        return None
    token = span.root
    return event_date(analysis, token, clause_of(token), None)


def _error(article: GoldArticle, gold: GoldEvent, tv: TimeValue | None) -> dict[str, Any]:
    text = article.cat.text
    return {"doc": article.cat.name[:40], "event": text[gold.start:gold.end],
            "gold": [f"{a.relation} {a.value}" for a in gold.anchors],
            "ours": f"{tv.text or '-'} {tv.start}..{tv.end} {tv.basis}" if tv else None}


def evaluate(bench_dir: Path = DEFAULT_BENCH, limit: int | None = None, max_errors: int | None = 25) -> dict[str, Any]:
    from newsgraph.nlp.pipeline import make_context

    paths = sorted(Path(bench_dir).glob("intra_cross-doc_annotation/corpus_*/*.xml"))[:limit]
    if not paths:
        raise FileNotFoundError(f"{bench_dir}: no intra_cross-doc_annotation/corpus_*/*.xml (MEANTIME expected)")
    ctx = make_context()
    matched, triggers = Tally(), Tally()
    errors: list[dict[str, Any]] = []
    n_gold, unparsed, undated_docs = 0, Counter(), 0
    for path in paths:
        article = read_article(path)
        unparsed.update(article.unparsed)
        undated_docs += article.dct is None
        analysis = analyse(article, ctx)
        base = (article.dct, article.dct) if article.dct else None
        for gold in article.events:
            n_gold += 1
            baseline = is_right(base, gold)
            tv = gold_trigger_date(analysis, gold)
            right = is_right(interval_of(tv), gold)
            triggers.add(gold, right, baseline, tv.basis if tv else None)
            if not right:
                errors.append(_error(article, gold, tv))
            event = matching_event(gold, analysis.events)
            if event is not None:
                matched.add(gold, is_right(interval_of(event.date), gold), baseline,
                            event.date.basis if event.date else None)
    ours = matched.report()
    ours["coverage"] = round(ours["mentions"] / n_gold, 4) if n_gold else 0.0
    gold_side = triggers.report()
    return {
        "documents": len(paths),
        "gold_anchored_mentions": n_gold,
        "anchoring_links": sorted(ANCHORING),
        "left_out_anchor_values": dict(unparsed),
        "documents_without_creation_time": undated_docs,
        "newsgraph_events": ours,
        "gold_triggers": gold_side,
        "headline": [
            f"anchoring accuracy {ours['anchoring_accuracy']:.3f} on {ours['mentions']} gold mentions with a "
            f"newsgraph event (coverage {ours['mentions']}/{n_gold}); document-date baseline "
            f"{ours['document_date_baseline']:.3f}",
            f"anchoring accuracy on gold triggers {gold_side['anchoring_accuracy']:.3f} on {n_gold} mentions; "
            f"document-date baseline {gold_side['document_date_baseline']:.3f}",
        ],
        "errors": errors[:max_errors] if max_errors is not None else errors,  # on gold triggers
    }


if __name__ == "__main__":
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_BENCH
    print(json.dumps(evaluate(target, max_errors=None if "--all-errors" in sys.argv else 25), indent=1))
