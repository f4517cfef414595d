"""The watch configuration: YAML read with line numbers, checked against ``config-schema.json``.

A bad file raises ``ConfigError`` naming the file, the line and the field ("watch.yaml:12:
sources[1].every: '10 minutes' is not a duration ..."), before anything is fetched.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

import jsonschema
import yaml

from newsgraph.errors import NewsgraphError

SCHEMA_FILE = Path(__file__).with_name("config-schema.json")
CONDITIONS = ("entity", "pair", "event", "conflict", "quote_by", "story_growth")
_UNITS = {"ms": 0.001, "s": 1, "m": 60, "h": 3600, "d": 86400, "": 1}
_SIZES = {"B": 1, "KB": 1000, "MB": 10**6, "GB": 10**9, "KiB": 1024, "MiB": 2**20, "GiB": 2**30, "": 1}


class ConfigError(NewsgraphError):
    """A watch configuration that cannot be used; the message names the file and line."""


@dataclass
class FetchSettings:
    """Politeness and safety limits (docs/watch.md, "Fetching as a good citizen")."""

    timeout: float = 20.0  # seconds per request, connect to last byte
    max_bytes: int = 10 * 10**6  # decoded body; more is cut off and refused
    max_redirects: int = 5
    host_delay: float = 1.0  # seconds between two requests to one host (robots Crawl-delay may raise it)
    host_concurrency: int = 2
    concurrency: int = 8
    max_items: int = 500
    max_attempts: int = 3
    robots_ttl: float = 86400.0
    fetch_pages: bool = True


@dataclass
class Source:
    kind: str  # feed / sitemap / folder
    target: str  # URL, or the folder's absolute path
    name: str
    every: float
    fetch_pages: bool = True
    line: int = 0


@dataclass
class Delivery:
    kind: str  # atom / log / webhook
    url: str | None = None
    secret_env: str | None = None
    retries: int = 5
    timeout: float = 10.0

    @property
    def target(self) -> str:
        return f"webhook:{self.url}" if self.kind == "webhook" else self.kind


@dataclass
class AlertRule:
    name: str
    entity: list[str] = field(default_factory=list)
    pair: str | None = None
    event: list[str] = field(default_factory=list)
    modality: list[str] = field(default_factory=list)
    conflict: bool = False
    quote_by: list[str] = field(default_factory=list)
    story_growth: int | None = None
    deliver: list[Delivery] = field(default_factory=list)
    line: int = 0

    def conditions(self) -> dict[str, Any]:
        """The conditions as written (for the alert payload)."""
        out: dict[str, Any] = {}
        for name in CONDITIONS:
            value = getattr(self, name)
            if value not in (None, False, []):
                out[name] = value
        if self.modality:
            out["modality"] = self.modality
        return out


@dataclass
class WatchConfig:
    path: Path
    sources: list[Source]
    alerts: list[AlertRule]
    fetch: FetchSettings
    server: str = "http://127.0.0.1:8000"
    contact: str | None = None
    every: float = 900.0


# --------------------------------------------------------------------------- parsing values


def duration(value: float | int | str) -> float:
    """``90`` / ``"90s"`` / ``"10m"`` / ``"500ms"`` → seconds."""
    if isinstance(value, int | float):
        return float(value)
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(ms|s|m|h|d)?\s*", value)
    if not match:
        raise ValueError(f"{value!r} is not a duration (e.g. 90s, 10m, 2h)")
    return float(match.group(1)) * _UNITS[match.group(2) or ""]


def size(value: int | str) -> int:
    """``10485760`` / ``"10MB"`` / ``"512KiB"`` → bytes."""
    if isinstance(value, int):
        return value
    match = re.fullmatch(r"\s*([0-9]+(?:\.[0-9]+)?)\s*(B|KB|MB|GB|KiB|MiB|GiB)?\s*", value)
    if not match:
        raise ValueError(f"{value!r} is not a size (e.g. 10MB)")
    return int(float(match.group(1)) * _SIZES[match.group(2) or ""])


# --------------------------------------------------------------------------- YAML with line numbers


def _compose(text: str, path: Path) -> yaml.Node | None:
    try:
        return yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}{line}: not valid YAML: {exc.problem or exc}") from None
    except yaml.YAMLError as exc:
        raise ConfigError(f"{path}: not valid YAML: {exc}") from None


def _construct(node: yaml.Node) -> Any:
    loader = yaml.SafeLoader("")
    try:
        return loader.construct_document(node)
    finally:
        loader.dispose()


def line_of(node: yaml.Node | None, where: list[str | int]) -> int:
    """The 1-based line of the value at ``where`` (a JSON path), or of its nearest existing parent."""
    line = node.start_mark.line + 1 if node is not None else 1
    for key in where:
        if isinstance(node, yaml.MappingNode):
            found = next((v for k, v in node.value if getattr(k, "value", None) == key), None)
        elif isinstance(node, yaml.SequenceNode) and isinstance(key, int) and key < len(node.value):
            found = node.value[key]
        else:
            found = None
        if found is None:
            break
        node = found
        line = node.start_mark.line + 1
    return line


def _field(where: list[str | int]) -> str:
    out = ""
    for key in where:
        out += f"[{key}]" if isinstance(key, int) else (f".{key}" if out else str(key))
    return out or "(top level)"


# --------------------------------------------------------------------------- validation


@cache
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_FILE.read_text(encoding="utf-8"))


_FRIENDLY = {
    ("sources", "oneOf"): "a source has exactly one of feed:, sitemap: or folder:",
    ("alerts", "anyOf"): "an alert needs at least one condition: " + ", ".join(CONDITIONS),
}


def _message(error: jsonschema.ValidationError) -> str:
    where = list(error.absolute_path)
    top = next((k for k in where if isinstance(k, str)), None)
    friendly = _FRIENDLY.get((top, error.validator)) if len(where) == 2 else None
    if friendly:
        extra = sorted(set(error.instance) - set(schema()["$defs"]["source"]["properties"])) \
            if top == "sources" and isinstance(error.instance, dict) else []
        return friendly + (f" (unknown: {', '.join(extra)})" if extra else "")
    if error.validator == "pattern" and where and where[-1] in ("every", "timeout", "host_delay", "robots_ttl"):
        return f"{error.instance!r} is not a duration (e.g. 90s, 10m, 2h)"
    if error.validator == "oneOf" and error.context:
        return min(error.context, key=lambda e: len(e.message)).message
    return error.message


def validate(data: Any, node: yaml.Node | None, path: Path) -> None:
    """Raise ``ConfigError`` for the first schema violation, naming its line and field."""
    validator = jsonschema.Draft202012Validator(schema())
    errors = sorted(validator.iter_errors(data), key=lambda e: (list(map(str, e.absolute_path)), e.validator))
    if not errors:
        return
    error = jsonschema.exceptions.best_match(errors)
    where = list(error.absolute_path)
    at = where + _extra_key(error)  # an unknown key: point at its own line
    raise ConfigError(f"{path}:{line_of(node, at)}: {_field(where)}: {_message(error)}")


def _extra_key(error: jsonschema.ValidationError) -> list[str]:
    if error.validator != "additionalProperties" or not isinstance(error.instance, dict):
        return []
    allowed = set(error.schema.get("properties", {}))
    extra = sorted(k for k in error.instance if k not in allowed)
    return extra[:1]


def load_config(path: str | Path, environ: dict[str, str] | None = None) -> WatchConfig:
    """Read, validate and resolve a watch configuration; raises ``ConfigError``."""
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read the configuration: {exc}") from None
    node = _compose(text, path)
    data = _construct(node) if node is not None else None
    if not isinstance(data, dict):
        raise ConfigError(f"{path}:1: the configuration must be a mapping with a 'sources:' list")
    validate(data, node, path)
    return _build(data, node, path, os.environ if environ is None else environ)


def _build(data: dict[str, Any], node: yaml.Node, path: Path, environ: Any) -> WatchConfig:
    fetch = FetchSettings()
    for key, value in (data.get("fetch") or {}).items():
        if key in ("timeout", "host_delay", "robots_ttl"):
            value = duration(value)
        elif key == "max_bytes":
            value = size(value)
        setattr(fetch, key, value)
    every = duration(data.get("every", 900))
    sources = [_source(s, i, every, fetch, node, path) for i, s in enumerate(data["sources"])]
    _unique([s.name for s in sources], "sources", [s.line for s in sources], path)
    alerts = [_alert(a, i, node, path, environ) for i, a in enumerate(data.get("alerts") or [])]
    _unique([a.name for a in alerts], "alerts", [a.line for a in alerts], path)
    return WatchConfig(path=path, sources=sources, alerts=alerts, fetch=fetch,
                       server=str(data.get("server", "http://127.0.0.1:8000")).rstrip("/"),
                       contact=data.get("contact"), every=every)


def _unique(names: list[str], what: str, lines: list[int], path: Path) -> None:
    seen: set[str] = set()
    for name, line in zip(names, lines, strict=True):
        if name in seen:
            raise ConfigError(f"{path}:{line}: {what}: the name {name!r} is used twice")
        seen.add(name)


def _source(raw: dict[str, Any], i: int, every: float, fetch: FetchSettings, node: yaml.Node,
            path: Path) -> Source:
    kind = next(k for k in ("feed", "sitemap", "folder") if k in raw)
    target = str(raw[kind])
    line = line_of(node, ["sources", i])
    if kind == "folder":
        folder = (path.parent / target).resolve()
        if not folder.is_dir():
            raise ConfigError(f"{path}:{line_of(node, ['sources', i, 'folder'])}: sources[{i}].folder: "
                              f"{folder} is not a folder")
        target = str(folder)
    return Source(kind=kind, target=target, name=str(raw.get("name") or target), line=line,
                  every=duration(raw.get("every", every)), fetch_pages=bool(raw.get("fetch_pages", fetch.fetch_pages)))


def _as_list(value: Any) -> list[str]:
    if value is None:
        return []
    return [str(v).strip() for v in (value if isinstance(value, list) else [value])]


def _alert(raw: dict[str, Any], i: int, node: yaml.Node, path: Path, environ: Any) -> AlertRule:
    from newsgraph.outputs.relations import normalise_pair

    line = line_of(node, ["alerts", i])
    rule = AlertRule(name=str(raw["name"]), entity=_as_list(raw.get("entity")), event=_as_list(raw.get("event")),
                     quote_by=_as_list(raw.get("quote_by")), conflict=bool(raw.get("conflict")),
                     story_growth=raw.get("story_growth"), modality=list(raw.get("modality") or []), line=line)
    if raw.get("pair"):
        rule.pair = normalise_pair(raw["pair"])
    unknown = [t for t in rule.event if t.upper() not in event_types()]
    if unknown:
        raise ConfigError(f"{path}:{line_of(node, ['alerts', i, 'event'])}: alerts[{i}].event: unknown event type "
                          f"{unknown[0]!r}; known: newsgraph types and PLOVER categories "
                          f"({', '.join(sorted(event_types()))})")
    rule.event = [t.upper() for t in rule.event]
    rule.deliver = [_delivery(d, i, j, node, path, environ) for j, d in enumerate(raw.get("deliver") or ["atom", "log"])]
    return rule


def _delivery(raw: Any, i: int, j: int, node: yaml.Node, path: Path, environ: Any) -> Delivery:
    if isinstance(raw, str):
        return Delivery(kind=raw)
    name = raw["secret_env"]
    if not environ.get(name):
        where = ["alerts", i, "deliver", j, "secret_env"]
        raise ConfigError(f"{path}:{line_of(node, where)}: {_field(where)}: the environment variable {name} "
                          f"(the webhook's HMAC secret) is not set")
    return Delivery(kind="webhook", url=raw["webhook"], secret_env=name, retries=int(raw.get("retries", 5)),
                    timeout=duration(raw.get("timeout", 10)))


@cache
def event_types() -> frozenset[str]:
    """newsgraph event types (kb/events.yaml) and PLOVER categories (kb/plover.yaml)."""
    from newsgraph.outputs.relations import load_plover
    from newsgraph.settings import KB_DIR

    types = yaml.safe_load((KB_DIR / "events.yaml").read_text(encoding="utf-8"))["types"]
    return frozenset(types) | frozenset(load_plover().categories)
