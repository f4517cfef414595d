"""Score the attribution stage against PolNeAR (Newell, Margolin and Ruths, LREC 2018).

Gold: ``attributions/<article>_<annotator>.ann`` (brat standoff: Source / Cue / Content spans tied by an
``E`` line; a span may be discontinuous) over ``text/<article>.txt``. Where several annotators did the
same article, the first annotator listed in ``metadata.tsv`` is the gold (the others are not averaged in).

Each article is analysed by the ``entities`` and ``attributions`` stages on its raw text (the offsets
are the file's), and every predicted attribution is compared with the gold ones of its article:

* **content** P/R/F1, two ways. *Overlap*: a predicted and a gold content match when the characters
  they share are at least half of the shorter one (content spans of one attribution are a set of
  characters, so a discontinuous content counts as one). *Exact*: the two contents are the same after
  trimming whitespace and the punctuation ``, ; : .`` at the ends of each part. Matching is one-to-one,
  the largest overlap first. Reported over all attributions and per kind: recall by the gold kind
  (derived from the gold spans by ``gold_kind``), precision by the predicted kind.
* **source** F1: over matched (overlap) attributions, the source spans match by the same overlap rule;
  precision over predicted attributions that have a source, recall over gold ones that have one.
  Also reported: exact source matching, and a span-level source F1 (each distinct source span of an
  article, exact, independent of the content), which is how sequence-labelling papers count it.
* **speaker accuracy** on overlap-matched attributions whose gold has a source: our source span
  overlaps the gold one (as above), or our resolved speaker's name shares its last word with the gold
  source text (a pronoun we resolved, a title we dropped). PolNeAR does not link pronouns to names, so
  what a pronoun resolves to is checked by the tests and the seed articles, not here.

``evaluate`` also scores the two halves of the articles (alternate files in name order) so a rule or
threshold chosen on one half can be checked on the other. Run: ``newsgraph eval polnear BENCH_DIR``.
"""

from __future__ import annotations

import csv
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from newsgraph.eval.span_match import Pair, match_one_to_one, overlap_ok, prf, same_spans

DEFAULT_BENCH = Path(__file__).resolve().parents[3].parent / "shared" / "benchmarks" / "polnear-dev"
KINDS = ("direct", "mixed", "indirect", "according_to", "evidence")
QUOTE_MARKS = "“”\"‘’'„«»"
_WORD = re.compile(r"[\w’'-]+")

Spans = tuple[tuple[int, int], ...]


@dataclass(frozen=True)
class Item:
    """One attribution as the scorer sees it (gold or predicted)."""

    content: Spans
    source: Spans | None
    cue: Spans | None
    kind: str
    speaker_name: str | None = None


@dataclass
class Article:
    name: str
    text: str
    gold: list[Item]


# --------------------------------------------------------------------------- gold


def _spans(field: str) -> Spans:
    return tuple(sorted(tuple(int(x) for x in part.split()) for part in field.split(";")))  # type: ignore[misc]


def read_ann(path: Path, text: str) -> list[Item]:
    """The attributions of one brat file; an E line without content is skipped."""
    spans: dict[str, tuple[str, Spans]] = {}
    events: list[dict[str, str]] = []
    for line in path.read_text(encoding="utf-8").splitlines():
        parts = line.split("\t")
        if line.startswith("T") and len(parts) >= 2:
            label, _, where = parts[1].partition(" ")
            spans[parts[0]] = (label, _spans(where))
        elif line.startswith("E") and len(parts) >= 2:
            events.append(dict(arg.split(":", 1) for arg in parts[1].split() if ":" in arg))
    items = []
    for event in events:
        role = {k: spans[v][1] for k, v in event.items() if k in ("Source", "Cue", "Content") and v in spans}
        if "Content" not in role:
            continue
        item = Item(role["Content"], role.get("Source"), role.get("Cue"), "")
        items.append(Item(item.content, item.source, item.cue, gold_kind(text, item)))
    return items


def _first_annotators(bench_dir: Path) -> dict[str, str]:
    meta = bench_dir / "metadata.tsv"
    if not meta.exists():
        return {}
    with meta.open(encoding="utf-8") as fh:
        return {row["filename"]: row["annotators"].split("|")[0] for row in csv.DictReader(fh, delimiter="\t")}


def load_articles(bench_dir: Path) -> list[Article]:
    first = _first_annotators(bench_dir)
    by_article: dict[str, Path] = {}
    for ann in sorted((bench_dir / "attributions").glob("*.ann")):
        name, _, annotator = ann.stem.rpartition("_")
        if name not in by_article or first.get(name) == annotator:
            by_article[name] = ann
    articles = []
    for name, ann in sorted(by_article.items()):
        text_file = bench_dir / "text" / f"{name}.txt"
        if not text_file.exists():
            raise ValueError(f"{ann}: no text file {text_file.name}")
        text = text_file.read_text(encoding="utf-8")
        articles.append(Article(name, text, read_ann(ann, text)))
    return articles


def gold_kind(text: str, item: Item) -> str:
    """The kind of a gold attribution, from its spans: according_to by its cue, direct / mixed by the
    quote marks in its content, evidence by a non-human source head ("poll", "records"), else indirect."""
    cue = " ".join(text[a:b] for a, b in item.cue or ()).lower()
    if cue.startswith("according"):
        return "according_to"
    parts = [text[a:b].strip() for a, b in item.content]
    marked = sum(1 for p in parts if p[:1] in QUOTE_MARKS and p.rstrip(".,;:?! ")[-1:] in QUOTE_MARKS)
    if marked == len(parts):
        return "direct"
    if any(ch in QUOTE_MARKS[:3] for p in parts for ch in p):
        return "mixed"
    if item.source and _evidence_head(" ".join(text[a:b] for a, b in item.source)):
        return "evidence"
    return "indirect"


def _evidence_head(source: str) -> bool:
    from newsgraph.extract.attribution.lexicon import load_lexicon

    words = [w.lower() for w in _WORD.findall(source)]
    nouns = load_lexicon().evidence_nouns
    return bool(words) and (words[-1] in nouns or (len(words) > 1 and " ".join(words[-2:]) in nouns))


# --------------------------------------------------------------------------- prediction


def predict(article: Article, ctx: Any) -> list[Item]:
    from newsgraph.extract.attribution.state import STAGE
    from newsgraph.model import Analysis, Document
    from newsgraph.stages import registered

    stages = dict(registered())
    analysis = Analysis(document=Document(id=article.name, source=article.name, text=article.text))
    analysis.nlp = ctx.nlp(article.text)
    for name in ("entities", STAGE):
        stages[name](analysis, ctx)
    return [to_item(a) for a in analysis.attributions]


def to_item(attribution: Any) -> Item:
    def spans(items: list[Any]) -> Spans:
        return tuple(sorted((s.start, s.end) for s in items))

    return Item(spans(attribution.content), spans([attribution.source]) if attribution.source else None,
                spans([attribution.cue]) if attribution.cue else None, attribution.kind, attribution.speaker_name)


# --------------------------------------------------------------------------- scoring


def _pairs(text: str, gold: list[Item], pred: list[Item]) -> tuple[list[Pair], list[Pair]]:
    overlap = match_one_to_one([g.content for g in gold], [p.content for p in pred], overlap_ok)
    exact = match_one_to_one([g.content for g in gold], [p.content for p in pred],
                             lambda a, b: same_spans(text, a, b))
    return overlap, exact


def _speaker_ok(text: str, gold: Item, pred: Item) -> bool:
    if pred.source and overlap_ok(gold.source or (), pred.source):
        return True
    source_words = {w.lower() for a, b in gold.source or () for w in _WORD.findall(text[a:b])}
    name_words = _WORD.findall(pred.speaker_name or "")
    return bool(name_words) and name_words[-1].lower() in source_words


def score(scored: list[tuple[Article, list[Item]]]) -> dict[str, Any]:
    """Every measure over the given articles and their predictions."""
    n = {k: 0 for k in ("gold", "pred", "overlap", "exact", "src_gold", "src_pred", "src_overlap", "src_exact",
                        "speaker_scored", "speaker_ok", "span_src_gold", "span_src_pred", "span_src_ok")}
    kinds = {k: {"gold": 0, "pred": 0, "recalled": 0, "precise": 0, "exact_recalled": 0, "exact_precise": 0}
             for k in KINDS}
    for article, pred in scored:
        text, gold = article.text, article.gold
        overlap, exact = _pairs(text, gold, pred)
        n["gold"] += len(gold)
        n["pred"] += len(pred)
        n["overlap"] += len(overlap)
        n["exact"] += len(exact)
        _count_kinds(kinds, gold, pred, overlap, exact)
        n["src_gold"] += sum(1 for g in gold if g.source)
        n["src_pred"] += sum(1 for p in pred if p.source)
        for gi, pi in overlap:
            g, p = gold[gi], pred[pi]
            if g.source and p.source:
                n["src_overlap"] += overlap_ok(g.source, p.source)
                n["src_exact"] += same_spans(text, g.source, p.source)
            if g.source:
                n["speaker_scored"] += 1
                n["speaker_ok"] += _speaker_ok(text, g, p)
        _span_level_sources(n, text, gold, pred)
    return _result(n, kinds)


def _count_kinds(kinds: dict, gold: list[Item], pred: list[Item], overlap: list[Pair], exact: list[Pair]) -> None:
    for g in gold:
        kinds[g.kind]["gold"] += 1
    for p in pred:
        if p.kind in kinds:
            kinds[p.kind]["pred"] += 1
    for pairs, prefix in ((overlap, ""), (exact, "exact_")):
        for gi, pi in pairs:
            kinds[gold[gi].kind][prefix + "recalled"] += 1
            if pred[pi].kind in kinds:
                kinds[pred[pi].kind][prefix + "precise"] += 1


def _span_level_sources(n: dict, text: str, gold: list[Item], pred: list[Item]) -> None:
    from newsgraph.eval.span_match import normalised

    gold_src = {normalised(text, g.source) for g in gold if g.source}
    pred_src = {normalised(text, p.source) for p in pred if p.source}
    n["span_src_gold"] += len(gold_src)
    n["span_src_pred"] += len(pred_src)
    n["span_src_ok"] += len(gold_src & pred_src)


def _result(n: dict, kinds: dict) -> dict[str, Any]:
    per_kind = {}
    for kind, c in kinds.items():
        per_kind[kind] = {"gold": c["gold"], "predicted": c["pred"],
                          "overlap": prf(c["precise"], c["pred"], c["recalled"], c["gold"]),
                          "exact": prf(c["exact_precise"], c["pred"], c["exact_recalled"], c["gold"])}
    scored = n["speaker_scored"]
    return {
        "gold": n["gold"], "predicted": n["pred"],
        "content_overlap": prf(n["overlap"], n["pred"], n["overlap"], n["gold"]),
        "content_exact": prf(n["exact"], n["pred"], n["exact"], n["gold"]),
        "per_kind": per_kind,
        "source": prf(n["src_overlap"], n["src_pred"], n["src_overlap"], n["src_gold"]),
        "source_exact": prf(n["src_exact"], n["src_pred"], n["src_exact"], n["src_gold"]),
        "source_span_level": prf(n["span_src_ok"], n["span_src_pred"], n["span_src_ok"], n["span_src_gold"]),
        "speaker_accuracy": round(n["speaker_ok"] / scored, 3) if scored else None,
        "speaker_scored": scored,
    }


def headline(result: dict[str, Any]) -> dict[str, Any]:
    return {
        "overlap_f1": result["content_overlap"]["f1"],
        "exact_f1": result["content_exact"]["f1"],
        "source_f1": result["source"]["f1"],
        "speaker_accuracy": result["speaker_accuracy"],
        "direct_overlap_f1": result["per_kind"]["direct"]["overlap"]["f1"],
    }


def evaluate(bench_dir: Path = DEFAULT_BENCH, ctx: Any = None) -> dict[str, Any]:
    """Analyse every article, score all of them and each half (alternate files in name order)."""
    if ctx is None:
        from newsgraph.nlp.pipeline import make_context

        ctx = make_context()
    articles = load_articles(Path(bench_dir))
    scored = [(a, predict(a, ctx)) for a in articles]
    result = score(scored)
    result["articles"] = len(articles)
    result["halves"] = {name: headline(score(scored[i::2])) for i, name in enumerate(("a", "b"))}
    return result


if __name__ == "__main__":
    import json

    print(json.dumps(evaluate(Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_BENCH), indent=1))
