"""The watch configuration: JSON Schema validation with errors that name the file, line and field."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import pytest

from newsgraph.watch.config import SCHEMA_FILE, ConfigError, duration, load_config, size

GOOD = """\
every: 10m
server: http://127.0.0.1:8123
contact: mailto:desk@example.org
fetch:
  timeout: 15s
  max_bytes: 5MB
  host_delay: 500ms
sources:
  - feed: https://news.example/world.rss
    name: world
    every: 2m
  - sitemap: https://news.example/news-sitemap.xml
  - folder: incoming
alerts:
  - name: italy-japan
    pair: jpn-ita
    event: [exercise, port_call]
    deliver:
      - atom
      - webhook: https://hooks.example/newsgraph
        secret_env: WATCH_SECRET
  - name: disputes
    conflict: true
  - name: growing
    story_growth: 3
"""


def write(tmp_path: Path, text: str) -> Path:
    (tmp_path / "incoming").mkdir(exist_ok=True)
    path = tmp_path / "watch.yaml"
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str, env: dict | None = None) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(write(tmp_path, text), environ=env if env is not None else {"WATCH_SECRET": "x"})
    return str(caught.value)


def test_a_full_config_is_read_with_units_and_defaults(tmp_path):
    config = load_config(write(tmp_path, GOOD), environ={"WATCH_SECRET": "s"})
    world, sitemap, folder = config.sources
    assert (world.kind, world.name, world.every) == ("feed", "world", 120.0)
    assert (sitemap.kind, sitemap.every, sitemap.name) == ("sitemap", 600.0, "https://news.example/news-sitemap.xml")
    assert folder.kind == "folder" and Path(folder.target) == (tmp_path / "incoming").resolve()
    assert (config.fetch.timeout, config.fetch.max_bytes, config.fetch.host_delay) == (15.0, 5_000_000, 0.5)
    italy = config.alerts[0]
    assert italy.pair == "ITA-JPN" and italy.event == ["EXERCISE", "PORT_CALL"]
    assert [d.target for d in italy.deliver] == ["atom", "webhook:https://hooks.example/newsgraph"]
    assert [d.kind for d in config.alerts[1].deliver] == ["atom", "log"]  # the default
    assert config.server == "http://127.0.0.1:8123"


def test_the_schema_is_valid_json_schema():
    jsonschema.Draft202012Validator.check_schema(json.loads(SCHEMA_FILE.read_text()))


@pytest.mark.parametrize(("old", "new", "line", "words"), [
    ("    every: 2m\n", "    every: two minutes\n", 11, "sources[0].every: 'two minutes' is not a duration"),
    ("  - folder: incoming\n", "  - folder: incoming\n    feed: https://x.example/a\n", 13, "exactly one of feed"),
    ("    name: world\n", "    name: world\n    colour: blue\n", 11, "colour"),
    ("  - name: disputes\n    conflict: true\n", "  - name: disputes\n", 22, "at least one condition"),
    ("    pair: jpn-ita\n", "    pair: Japan\n", 16, "alerts[0].pair"),
    ("    event: [exercise, port_call]\n", "    event: [exercise, parade]\n", 17, "unknown event type 'parade'"),
    ("  - feed: https://news.example/world.rss\n", "  - feed: ftp://news.example/world.rss\n", 9, "sources[0].feed"),
    ("  - name: growing\n", "  - name: disputes\n", 24, "the name 'disputes' is used twice"),
    ("  max_bytes: 5MB\n", "  max_bytes: lots\n", 6, "fetch.max_bytes"),
])
def test_a_bad_config_names_the_line_and_the_field(tmp_path, old, new, line, words):
    assert old in GOOD
    message = error_of(tmp_path, GOOD.replace(old, new))
    assert f"watch.yaml:{line}:" in message, message
    assert words in message, message


def test_a_missing_webhook_secret_is_named(tmp_path):
    message = error_of(tmp_path, GOOD, env={})
    assert "watch.yaml:21:" in message and "WATCH_SECRET" in message and "not set" in message


def test_broken_yaml_and_a_missing_folder(tmp_path):
    assert "watch.yaml:3: not valid YAML" in error_of(tmp_path, "sources:\n  - feed: [\n  - x: ]]\n")
    message = error_of(tmp_path, GOOD.replace("folder: incoming", "folder: nowhere"))
    assert "watch.yaml:13:" in message and "is not a folder" in message
    assert "must be a mapping" in error_of(tmp_path, "- just a list\n")


def test_units():
    assert [duration(x) for x in (5, "90s", "10m", "2h", "1d", "250ms", "1.5m")] == [5, 90, 600, 7200, 86400, 0.25, 90]
    assert [size(x) for x in (10, "10MB", "1KiB", "2 GB")] == [10, 10_000_000, 1024, 2_000_000_000]
    with pytest.raises(ValueError):
        duration("soon")
