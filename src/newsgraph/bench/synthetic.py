"""A deterministic synthetic corpus, recombined from the bundled sample articles.

Resolution only has real work to do when names repeat, stories recur and numbers disagree, so
each synthetic article is built from a *story slot* (one in ``DOCS_PER_SLOT`` articles share one):

* the slot fixes a base sample article, a year shift, and a renaming of its people (given names
  and surnames recombined from the sample's own people), ships (another KB ship of the same
  country) and, in some slots, countries (name, demonyms and capital swapped for another KB
  country). Articles of one slot therefore form one story; slots reuse names, so entities repeat;
* each article keeps a random subset of the base paragraphs and may borrow paragraphs of the
  sample article closest in wording (recombination);
* some articles change one number by 10-30% (conflicting values), the rest agree;
* a few articles are near-duplicates of the previous one (one paragraph dropped, new outlet).

Article ``i`` depends only on ``(seed, i, slots)``, so any range can be regenerated on its own.
"""

from __future__ import annotations

import functools
import json
import random
import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import yaml

from newsgraph.settings import KB_DIR, SAMPLE_DIR, get_settings

DOCS_PER_SLOT = 8
NEAR_DUPLICATE_RATE = 0.03
CONFLICT_RATE = 0.3
COUNTRY_SWAP_RATE = 0.5
_YEAR = re.compile(r"\b(19[5-9]\d|20[0-4]\d)\b")
_NUMBER = re.compile(r"(?<![\w.,-])(\d{1,3}(?:,\d{3})+|\d{2,4})(?![\w.,]\d)")
_WORD = re.compile(r"[a-z]{4,}")


@dataclass(frozen=True)
class Seed:
    """One distinct sample article, split into paragraphs."""

    title: str
    outlet: str
    published: date
    paragraphs: tuple[str, ...]


@dataclass(frozen=True)
class Vocabulary:
    """The names the generator swaps: people from the sample, ships and countries from the KB."""

    people: tuple[str, ...]  # full names found in the sample
    given: tuple[str, ...]
    surnames: tuple[str, ...]
    ships: dict[str, tuple[str, ...]]  # country ISO3 → ship names (single form, as written)
    countries: tuple[tuple[str, ...], ...]  # (name, demonym, capital) rows


@functools.cache
def load_seeds(sample_dir: Path = SAMPLE_DIR) -> tuple[Seed, ...]:
    """The sample's distinct articles, read and cleaned by the ingest readers."""
    from newsgraph.ingest.readers import RawArticle, iter_inputs

    seen: set[str] = set()
    seeds = []
    for item in iter_inputs([sample_dir], meta=sample_dir / "meta.jsonl"):
        if not isinstance(item, RawArticle) or item.text in seen:
            continue
        seen.add(item.text)
        paragraphs = tuple(p.strip() for p in item.text.split("\n") if p.strip())
        published = date.fromisoformat(item.published) if item.published else date(2024, 6, 1)
        seeds.append(Seed(item.title or paragraphs[0][:80], item.outlet or "Sample Wire", published, paragraphs))
    return tuple(seeds)


@functools.cache
def vocabulary(sample_dir: Path = SAMPLE_DIR) -> Vocabulary:
    people = _sample_people(load_seeds(sample_dir))
    given = sorted({p.split()[0] for p in people})
    surnames = sorted({p.split()[-1] for p in people})
    return Vocabulary(tuple(people), tuple(given), tuple(surnames), _ships(), _countries())


def _sample_people(seeds: tuple[Seed, ...]) -> list[str]:
    """Two- or three-word PERSON names the spaCy model finds in the sample (run once), minus KB names
    (the model calls some ships people). A few place names may remain: harmless in synthetic text."""
    import spacy

    from newsgraph.nlp.kb import load_kb

    kb = load_kb()
    nlp = spacy.load(get_settings().spacy_model, disable=["parser", "lemmatizer"])
    found: set[str] = set()
    for doc in nlp.pipe("\n".join(s.paragraphs) for s in seeds):
        for ent in doc.ents:
            if ent.label_ == "PERSON" and _looks_like_full_name(ent.text) and kb.lookup(ent.text) is None:
                found.add(ent.text)
    return sorted(found, key=lambda n: (-len(n), n))


def _looks_like_full_name(text: str) -> bool:
    words = text.split()
    return 2 <= len(words) <= 3 and all(w[:1].isupper() and w.isalpha() for w in words)


def _ships() -> dict[str, tuple[str, ...]]:
    data = yaml.safe_load((KB_DIR / "vessels.yaml").read_text(encoding="utf-8"))
    by_country: dict[str, list[str]] = {}
    for entry in data.get("entries", []):
        by_country.setdefault(entry.get("country", ""), []).append(entry["name"])
    return {k: tuple(v) for k, v in by_country.items() if len(v) > 1}


def _countries() -> tuple[tuple[str, ...], ...]:
    data = yaml.safe_load((KB_DIR / "countries.yaml").read_text(encoding="utf-8"))
    rows = []
    for extra in data.get("countries", {}).values():
        demonyms = extra.get("demonyms") or []
        if extra.get("name") and demonyms and extra.get("capital"):
            rows.append((extra["name"], demonyms[0], extra["capital"]))
    return tuple(rows)


# -- one story slot ---------------------------------------------------------------------
@dataclass(frozen=True)
class Slot:
    base: int
    companion: int
    years: int
    renames: tuple[tuple[str, str], ...]  # (old, new), longest first
    pattern: re.Pattern | None = None  # all old names in one alternation


@functools.lru_cache(maxsize=4096)
def slot(seed: int, number: int, sample_dir: Path = SAMPLE_DIR) -> Slot:
    seeds, vocab = load_seeds(sample_dir), vocabulary(sample_dir)
    rng = random.Random(f"{seed}:slot:{number}")
    base = rng.randrange(len(seeds))
    renames = _people_renames(rng, vocab) + _ship_renames(rng, vocab)
    if rng.random() < COUNTRY_SWAP_RATE:
        renames += _country_renames(rng, vocab, "\n".join(seeds[base].paragraphs))
    ordered = tuple(sorted(((o, n) for o, n in dict(renames).items() if o != n), key=lambda kv: -len(kv[0])))
    pattern = re.compile(r"\b(?:" + "|".join(re.escape(old) for old, _ in ordered) + r")\b") if ordered else None
    return Slot(base, _closest(base, seeds), rng.randint(-6, 1), ordered, pattern)


def _people_renames(rng: random.Random, vocab: Vocabulary) -> list[tuple[str, str]]:
    renames = []
    for person in vocab.people:
        new = f"{rng.choice(vocab.given)} {rng.choice(vocab.surnames)}"
        renames.append((person, new))
        renames.append((person.split()[-1], new.split()[-1]))  # "Crosetto said" follows the full name
    return renames


def _ship_renames(rng: random.Random, vocab: Vocabulary) -> list[tuple[str, str]]:
    renames = []
    for names in vocab.ships.values():
        shuffled = list(names)
        rng.shuffle(shuffled)
        renames.extend((old, new) for old, new in zip(names, shuffled, strict=True) if old != new)
    return renames


def _country_renames(rng: random.Random, vocab: Vocabulary, text: str) -> list[tuple[str, str]]:
    present = [row for row in vocab.countries if re.search(rf"\b{re.escape(row[0])}\b", text)]
    others = [row for row in vocab.countries if row not in present]
    rng.shuffle(others)
    return [(old, new) for row, repl in zip(present, others, strict=False) for old, new in zip(row, repl, strict=True)]


@functools.cache
def _closest_table(seeds: tuple[Seed, ...]) -> tuple[int, ...]:
    """For each seed, the other seed sharing the most content words (its likely story mate)."""
    words = [set(_WORD.findall(" ".join(s.paragraphs).lower())) for s in seeds]
    best = []
    for i, mine in enumerate(words):
        scores = [(len(mine & other) / (len(mine | other) or 1), j) for j, other in enumerate(words) if j != i]
        best.append(max(scores)[1] if scores else i)
    return tuple(best)


def _closest(base: int, seeds: tuple[Seed, ...]) -> int:
    return _closest_table(seeds)[base]


# -- one article --------------------------------------------------------------------------
def article(seed: int, index: int, slots: int, sample_dir: Path = SAMPLE_DIR) -> dict[str, Any]:
    """Synthetic article ``index`` as a JSONL record (trafilatura field names)."""
    seeds, vocab = load_seeds(sample_dir), vocabulary(sample_dir)
    rng = random.Random(f"{seed}:doc:{index}")
    if index > 0 and rng.random() < NEAR_DUPLICATE_RATE:
        return _near_duplicate(article(seed, index - 1, slots, sample_dir), rng, seeds, index)
    story = slot(seed, rng.randrange(slots), sample_dir)
    paragraphs = _recombine(rng, seeds[story.base], seeds[story.companion])
    text = _rename("\n".join(paragraphs), story)
    text = _YEAR.sub(lambda m: str(int(m.group()) + story.years), text)
    if rng.random() < CONFLICT_RATE:
        text = _change_a_number(rng, text)
    base = seeds[story.base]
    published = _shift_years(base.published, story.years) + timedelta(days=rng.randint(-3, 3))
    return {
        "title": _rename(base.title, story),
        "text": text,
        "date": published.isoformat(),
        "author": f"{rng.choice(vocab.given)} {rng.choice(vocab.surnames)}",
        "sitename": rng.choice(seeds).outlet,
        "url": f"https://synthetic.example/{seed}/{index}",
    }


def _recombine(rng: random.Random, base: Seed, companion: Seed) -> list[str]:
    kept = [base.paragraphs[0], *(p for p in base.paragraphs[1:] if rng.random() > 0.25)]
    for _ in range(rng.choice((0, 0, 1, 2))):
        kept.insert(rng.randint(1, len(kept)), rng.choice(companion.paragraphs))
    return kept


def _rename(text: str, story: Slot) -> str:
    """All renames at once (one regex), so a new name is never renamed again."""
    if story.pattern is None:
        return text
    table = dict(story.renames)
    return story.pattern.sub(lambda m: table[m.group()], text)


def _change_a_number(rng: random.Random, text: str) -> str:
    matches = [m for m in _NUMBER.finditer(text) if not _YEAR.fullmatch(m.group())]
    if not matches:
        return text
    m = rng.choice(matches)
    old = int(m.group().replace(",", ""))
    new = max(1, round(old * rng.choice((0.7, 0.8, 0.9, 1.1, 1.2, 1.3))))
    written = f"{new:,}" if "," in m.group() else str(new)
    return text[: m.start()] + written + text[m.end():]


def _shift_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February
        return day.replace(year=day.year + years, day=28)


def _near_duplicate(original: dict[str, Any], rng: random.Random, seeds: tuple[Seed, ...], index: int) -> dict:
    paragraphs = original["text"].split("\n")
    if len(paragraphs) > 3:
        paragraphs.pop(rng.randrange(1, len(paragraphs)))
    return original | {"text": "\n".join(paragraphs), "sitename": rng.choice(seeds).outlet,
                       "url": f"{original['url']}-copy-{index}"}


# -- the corpus ------------------------------------------------------------------------------
def slots_for(n: int) -> int:
    return max(2, n // DOCS_PER_SLOT)


def generate(n: int, seed: int = 17, start: int = 0, slots: int | None = None) -> Iterator[dict[str, Any]]:
    """Articles ``start .. start+n-1`` of the corpus (``slots`` story slots; default from n)."""
    slots = slots or slots_for(start + n)
    for index in range(start, start + n):
        yield article(seed, index, slots)


def write_jsonl(path: Path, n: int, seed: int = 17, start: int = 0, slots: int | None = None) -> Path:
    """Write the articles as JSONL (one trafilatura-style record a line), the way an ingest reads them."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8") as fh:
        for record in generate(n, seed, start, slots):
            fh.write(json.dumps(record, ensure_ascii=False) + "\n")
    return path


def word_count(records: list[dict[str, Any]]) -> int:
    return sum(len(r["text"].split()) for r in records)
