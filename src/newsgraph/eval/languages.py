"""``newsgraph eval languages BENCH_DIR``: language identification and the multilingual guarantees.

The set: every page of the article-extraction benchmark (extracted by newsgraph's own HTML cleaner,
gold language labelled by hand in ``data/languages/language_labels.tsv``: ids and labels only) plus the short
news items we wrote in 18 languages (``data/languages/language_samples.yaml``). Reported:

* ``accuracy``: detected language = gold, over all items (and per source);
* ``english_stage_outputs``: on the non-English items, English-model parses, events and claims
  produced (must be 0);
* ``cjk_pages_rejected_short``: Chinese, Japanese and Korean benchmark pages that the size gate
  rejects as too short (must be 0);
* ``mention_sample``: up to 200 entity mentions found in the non-English items, spread over the
  documents, with their context, for the hand check in docs/languages.md.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
from pathlib import Path
from typing import Any

import yaml

from newsgraph.errors import RejectedInput
from newsgraph.ingest.html import extract_html
from newsgraph.ingest.readers import RawArticle, check_article
from newsgraph.lang.detect import detect_language
from newsgraph.settings import PACKAGE_DIR, get_settings

DATA = PACKAGE_DIR / "data" / "languages"
CJK = ("zh", "ja", "ko")
MENTION_SAMPLE = 200


def gold_labels() -> dict[str, str]:
    lines = [ln for ln in (DATA / "language_labels.tsv").read_text(encoding="utf-8").splitlines()
             if ln and not ln.startswith("#")]
    return {row["id"]: row["language"] for row in csv.DictReader(io.StringIO("\n".join(lines)), delimiter="\t")}


def samples() -> list[dict[str, str]]:
    return yaml.safe_load((DATA / "language_samples.yaml").read_text(encoding="utf-8"))["samples"]


def _pages(bench_dir: Path) -> list[dict[str, Any]]:
    truth = json.loads((bench_dir / "ground-truth.json").read_text(encoding="utf-8"))
    out = []
    for key, gold in sorted(gold_labels().items()):
        path = bench_dir / "html" / f"{key}.html.gz"
        if not path.exists():
            continue
        found = extract_html(gzip.decompress(path.read_bytes()), url=truth.get(key, {}).get("url"))
        out.append({"id": key, "gold": gold, "text": found.text or "", "title": found.title, "source": "page"})
    return out


class _CountingNLP:
    """Counts every call of the English pipeline (there must be none on non-English documents)."""

    def __init__(self, nlp: Any) -> None:
        self.nlp, self.calls = nlp, 0

    def __call__(self, text: str) -> Any:
        self.calls += 1
        return self.nlp(text)

    def pipe(self, texts: Any, **kw: Any) -> Any:
        for doc in self.nlp.pipe(texts, **kw):
            self.calls += 1
            yield doc


def _analyse_non_english(items: list[dict[str, Any]]) -> tuple[dict[str, int], list[dict[str, Any]]]:
    from newsgraph.model import Document, content_hash, stable_id
    from newsgraph.nlp.pipeline import make_context
    from newsgraph.pipeline import analyse

    ctx = make_context()
    counting = _CountingNLP(ctx.nlp)
    ctx.nlp = counting
    outputs = {"english_parses": 0, "events": 0, "claims": 0}
    mentions: list[dict[str, Any]] = []
    for item in items:
        if item["detected"] == "en" or not item["text"].strip():
            continue
        doc = Document(id=stable_id("doc", item["id"], content_hash(item["text"])), source=item["id"],
                       text=item["text"], title=item.get("title"), language=item["detected"])
        analysis = analyse(doc, ctx)
        outputs["events"] += len(analysis.events)
        outputs["claims"] += len(analysis.claims)
        for m in analysis.mentions:
            mentions.append({"doc": item["id"], "language": doc.language, "text": m.text, "label": m.label,
                             "kb_id": m.kb_id, "source": m.source,
                             "context": doc.text[max(0, m.start - 40) : m.end + 40].replace("\n", " ")})
    outputs["english_parses"] = counting.calls
    return outputs, _spread(mentions, MENTION_SAMPLE)


def _spread(mentions: list[dict[str, Any]], size: int) -> list[dict[str, Any]]:
    """Round-robin over documents, so one long page cannot fill the sample."""
    by_doc: dict[str, list[dict[str, Any]]] = {}
    for m in mentions:
        by_doc.setdefault(m["doc"], []).append(m)
    out: list[dict[str, Any]] = []
    while len(out) < size and any(by_doc.values()):
        for doc in sorted(by_doc):
            if by_doc[doc] and len(out) < size:
                out.append(by_doc[doc].pop(0))
    return out


def _sample_corpus_foreign() -> list[dict[str, Any]]:
    """The bundled sample corpus's articles not in English (for the mention check, not the accuracy)."""
    from newsgraph.ingest.readers import iter_inputs
    from newsgraph.settings import SAMPLE_DIR

    out = []
    for raw in iter_inputs([SAMPLE_DIR / "pages"], meta=SAMPLE_DIR / "meta.jsonl"):
        if isinstance(raw, RawArticle):
            code = detect_language(raw.text, raw.title).code
            if code != "en":
                out.append({"id": raw.source, "text": raw.text, "title": raw.title, "detected": code})
    return out


def _rejected_short(item: dict[str, Any]) -> bool:
    try:
        check_article(RawArticle(source=item["id"], format="html", text=item["text"]), get_settings())
    except RejectedInput as err:
        return err.reason == "not_article"
    return False


def evaluate(bench_dir: Path) -> dict[str, Any]:
    items = _pages(Path(bench_dir))
    items += [{"id": s["id"], "gold": s["language"], "text": s["text"], "title": None, "source": "ours"}
              for s in samples()]
    for item in items:
        item["detected"] = detect_language(item["text"], item["title"]).code
    wrong = [{"id": i["id"], "gold": i["gold"], "detected": i["detected"]} for i in items if i["gold"] != i["detected"]]
    by_source = {src: [i for i in items if i["source"] == src] for src in ("page", "ours")}
    outputs, sample = _analyse_non_english(items + _sample_corpus_foreign())
    cjk_pages = [i for i in by_source["page"] if i["gold"] in CJK]
    return {
        "items": len(items),
        "languages": sorted({i["gold"] for i in items}),
        "accuracy": round(1 - len(wrong) / max(1, len(items)), 4),
        "accuracy_by_source": {src: round(sum(i["gold"] == i["detected"] for i in its) / max(1, len(its)), 4)
                               for src, its in by_source.items()},
        "errors": wrong,
        "english_stage_outputs": outputs,
        "cjk_pages": len(cjk_pages),
        "cjk_pages_rejected_short": sum(_rejected_short(i) for i in cjk_pages),
        "mention_sample": sample,
    }
