"""Affiliation: the country of each person, organisation, unit and ship, where the text or the KB says it.

Events are coded as country dyads (PLOVER/ICEWS): "Italian Defence Minister Guido Crosetto met ..."
is an act of Italy. Each entity that is not itself a state gets ``attributes["country"]`` (ISO3) and
``attributes["country_basis"]`` saying where it came from, first rule that decides wins:

``kb``          a KB entry that belongs to a state (forces, units, ships, office holders, capitals);
``prefix``      a ship prefix ("HMAS Sydney");
``title``       the words of a title or description just before the name: a country, demonym,
                possessive or affiliated organisation ("Italian Defence Minister Guido Crosetto",
                "Niger's ambassador Brah Mohamane", "JMSDF chief Ryo Sakai");
``of``          "of"/"from" + a country right after the name ("King Hassan of Morocco");
``apposition``  a description after the name that names a state or a state's organisation
                ("Adm. Ryo Sakai, Chief of Staff of the Maritime Self-Defense Force");
``name``        a country or demonym opening an organisation's own name ("Nigerian Union of Teachers");
``office``      a person the data file ``kb/office_holders.yaml`` lists (heads of state and government,
                foreign and defence ministers): a full name, or a surname only one country's list has.

A NORP entity (a demonym's own mention) carries its country already (basis ``demonym``). Nothing is
guessed: a person with no such words keeps no country. Words after "pro-"/"anti-" or before
"-backed" never make an affiliation ("pro-Iranian militia" is no Iranian unit).
"""

from __future__ import annotations

from typing import Any

from newsgraph.model import Analysis, Entity, Mention
from newsgraph.nlp.kb import NORP, KnowledgeBase, normalise

AFFILIATED_TYPES = ("PERSON", "ORG", "VESSEL", "AIRCRAFT", "OTHER", "FACILITY")
STATE_LABELS = ("COUNTRY", NORP)
# Word classes a title or description before a name is made of ("the former Nigerian junior foreign minister").
TITLE_POS = ("ADJ", "NOUN", "PROPN", "DET", "PART", "NUM")
TITLE_WINDOW = 8  # tokens
APPOSITION_CHARS = 90
NAME_PREFIX_TYPES = ("ORG", "OTHER", "FACILITY")
_NEGATING_AFFIXES = ("pro-", "anti-", "pro ", "anti ")
_BACKED = ("-backed", "-led", "-funded", "-sponsored", "-allied", " backed", "-based", " based")


class _Index:
    """Mentions of one document by character, and the country each state-like mention stands for."""

    def __init__(self, analysis: Analysis, kb: KnowledgeBase) -> None:
        self.kb = kb
        self.text = analysis.document.text
        self.entities = {e.id: e for e in analysis.entities}
        self.mentions = sorted(analysis.mentions, key=lambda m: m.start)
        self.by_start = {m.start: m for m in self.mentions}

    def country_of(self, m: Mention) -> str | None:
        """ISO3 a mention stands for, when it names a state, a nationality or a state's organisation."""
        ent = self.entities.get(m.entity or "")
        if ent is None:
            return None
        attrs = ent.attributes
        if ent.type == "COUNTRY":
            return attrs.get("iso3")
        if ent.type == "PLACE" and attrs.get("capital") is True:
            return attrs.get("country")
        if ent.type in (NORP, "ORG") and isinstance(attrs.get("country"), str):
            return attrs["country"]
        return None

    def inside(self, start: int, end: int) -> list[Mention]:
        return [m for m in self.mentions if start <= m.start and m.end <= end]

    def negated(self, m: Mention) -> bool:
        before = self.text[max(0, m.start - 5) : m.start].lower()
        after = self.text[m.end : m.end + 10].lower()
        return before.endswith(_NEGATING_AFFIXES) or after.startswith(_BACKED)


def assign_affiliations(analysis: Analysis, kb: KnowledgeBase) -> None:
    """Fill ``country`` and ``country_basis`` for every entity the text or KB ties to a state."""
    if analysis.nlp is None:
        return
    index = _Index(analysis, kb)
    for entity in analysis.entities:
        _known_basis(entity)
    for entity in analysis.entities:
        if entity.type not in AFFILIATED_TYPES or "country" in entity.attributes:
            continue
        found = _from_text(entity, analysis, index)
        if found is not None:
            entity.attributes["country"], entity.attributes["country_basis"] = found


def _known_basis(entity: Entity) -> None:
    """Name the basis of a country the earlier steps already set (KB, ship prefix, title, demonym)."""
    attrs = entity.attributes
    if not isinstance(attrs.get("country"), str) or "country_basis" in attrs or entity.type == "COUNTRY":
        return
    if entity.type == NORP:
        attrs["country_basis"] = "demonym"
    elif entity.type == "PERSON" and attrs.get("nationality"):
        attrs["country_basis"] = "title"
    elif entity.kb_ids.get("kb"):
        attrs["country_basis"] = "kb"
    else:
        attrs["country_basis"] = "prefix"


def _from_text(entity: Entity, analysis: Analysis, index: _Index) -> tuple[str, str] | None:
    ids = {entity.id}
    mentions = [m for m in index.mentions if m.entity in ids]
    rules: list[tuple[str, Any]] = [("title", _title_before), ("of", _of_after), ("apposition", _apposition)]
    if entity.type in NAME_PREFIX_TYPES:
        rules.append(("name", _name_prefix))
    for basis, rule in rules:
        for m in mentions:
            code = rule(m, analysis.nlp, index)
            if code:
                return code, basis
    if entity.type == "PERSON":
        code = office_holder_country([entity.name, *entity.aliases], index.kb)
        if code:
            return code, "office"
    return None


def office_holder_country(names: list[str], kb: KnowledgeBase) -> str | None:
    """The state a listed office holder served, by full name, else by a surname one country's list has."""
    full, surnames = _office_tables(kb)
    for name in names:
        code = full.get(normalise(name))
        if code:
            return code
    for name in names:
        if len(name.split()) == 1 and name[:1].isupper():
            code = surnames.get(normalise(name))
            if code:
                return code
    return None


def _office_tables(kb: KnowledgeBase) -> tuple[dict[str, str], dict[str, str]]:
    cached = getattr(kb, "_office_tables", None)
    if cached is not None:
        return cached
    holders = kb.lexicon.get("office_holders") or {}
    stop = {str(w).lower() for w in kb.lexicon.get("office_surname_stopwords", [])}
    full: dict[str, str] = {}
    by_surname: dict[str, set[str]] = {}
    for iso3, people in holders.items():
        for person in people or []:
            full[normalise(str(person))] = str(iso3)
            by_surname.setdefault(normalise(str(person).split()[-1]), set()).add(str(iso3))
    surnames = {k: next(iter(v)) for k, v in by_surname.items() if len(v) == 1 and k not in stop and len(k) > 2}
    kb._office_tables = (full, surnames)  # type: ignore[attr-defined]
    return full, surnames


def _tokens_of(doc: Any, m: Mention) -> Any:
    return doc.char_span(m.start, m.end, alignment_mode="expand")


def _title_before(m: Mention, doc: Any, index: _Index) -> str | None:
    """A state named in the title words right before the name, nearest first."""
    span = _tokens_of(doc, m)
    if span is None or not len(span):
        return None
    i, stop = span.start - 1, max(span.sent.start, span.start - TITLE_WINDOW)
    while i >= stop:
        tok = doc[i]
        if tok.pos_ not in TITLE_POS and not (tok.pos_ == "CCONJ" and i > stop) and tok.text not in ("-", "."):
            break
        other = _mention_at(index, tok)
        if other is not None and other.entity != m.entity:
            label = index.entities.get(other.entity or "")
            if label is not None and label.type == "PERSON":
                break  # another person's name ends the title
            code = index.country_of(other)
            if code and not index.negated(other):
                return code
        i -= 1
    return None


def _mention_at(index: _Index, tok: Any) -> Mention | None:
    for m in index.mentions:
        if m.start <= tok.idx < m.end:
            return m
        if m.start > tok.idx:
            return None
    return None


def _of_after(m: Mention, doc: Any, index: _Index) -> str | None:
    """"King Hassan of Morocco", "the president of the Philippines"."""
    rest = index.text[m.end : m.end + 20]
    for lead in (" of the ", " of ", " from the ", " from "):
        if rest.startswith(lead):
            nxt = index.by_start.get(m.end + len(lead))
            return index.country_of(nxt) if nxt is not None else None
    return None


def _apposition(m: Mention, doc: Any, index: _Index) -> str | None:
    """", Chief of Staff of the Maritime Self-Defense Force": a state or a state's organisation in it."""
    text = index.text
    if not text.startswith(", ", m.end):
        return None
    start = m.end + 2
    end = len(text)
    for stop in (",", ".", ";", " said", " says", " told", "\n"):
        pos = text.find(stop, start)
        if 0 <= pos < end:
            end = pos
    end = min(end, start + APPOSITION_CHARS)
    first = text[start:end].split(" ", 2)
    lead = first[1] if first and first[0].lower() in ("a", "an", "the") and len(first) > 1 else (first[0] if first else "")
    if not lead or (lead[:1].isupper() and not _is_title(lead, index)):
        return None  # ", Japan and ..." is a list, not a description of the person
    for inner in index.inside(start, end):
        ent = index.entities.get(inner.entity or "")
        if ent is not None and ent.type == "PERSON":
            return None
        code = index.country_of(inner)
        if code and not index.negated(inner):
            return code
    return None


def _is_title(word: str, index: _Index) -> bool:
    lex = index.kb.lexicon
    titles = {w.lower() for t in lex.get("titles", []) for w in t.split()}
    return word.lower().strip(".") in titles | set(lex.get("title_nouns", []))


def _name_prefix(m: Mention, doc: Any, index: _Index) -> str | None:
    """An organisation whose own name opens with a state's name or demonym ("Nigerian Union of Teachers")."""
    words = m.text.split()
    if words and words[0].lower() == "the":
        words = words[1:]
    for n in (3, 2, 1):
        if len(words) <= n:
            continue
        head = " ".join(words[:n])
        entry = index.kb.lookup(head, "COUNTRY")
        if entry is not None:
            return entry.attributes.get("iso3")
        if head.endswith(("'s", "’s")):
            entry = index.kb.lookup(head[:-2], "COUNTRY")
            if entry is not None:
                return entry.attributes.get("iso3")
    return None
