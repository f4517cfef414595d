"""Property tests: whatever bytes arrive, the readers and the cleaner keep their contract.

Every input file yields articles with text or rejections that name the file and give a known
reason; no other exception escapes and nothing hangs. This is the quick form for CI; the long
form is ``make fuzz`` (``python -m newsgraph.fuzz``, 100k inputs).
"""

from __future__ import annotations

import itertools
import json
import random
import time
import unicodedata
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newsgraph import fuzz
from newsgraph.archive import Archive
from newsgraph.errors import RejectedInput
from newsgraph.ingest.clean import clean_page_text, clean_text_body
from newsgraph.ingest.html import extract_html
from newsgraph.ingest.readers import RawArticle, iter_inputs

QUICK = settings(max_examples=60, deadline=None, derandomize=True, database=None,
                 suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
SUFFIXES = ("", ".txt", ".md", ".html", ".json", ".jsonl", ".xml", ".rss", ".atom", ".warc", ".gz", ".bin")
# Reading one small file is milliseconds; this bound only catches a hang, even on a busy machine.
SLOW_S = 20.0
_names = itertools.count()

# Text in several scripts, with the characters that break naive code: NUL, controls, surrogates
# are excluded by UTF-8 itself, so they come in through the byte-level strategies instead.
any_text = st.text(st.characters(codec="utf-8"), max_size=3000)
words = st.sampled_from([*fuzz.SENTENCES, *fuzz.FOREIGN, *fuzz.FURNITURE, "\n", "\n\n", "\r\n", "\t", "\x00"])
page_like = st.lists(words, max_size=40).map(" ".join)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | any_text | st.sampled_from(fuzz.SENTENCES),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["name", "a", "text"]), inner,
                                                                  max_size=3),
    max_leaves=8,
)
records = st.dictionaries(
    st.sampled_from(["text", "maintext", "title", "authors", "date_publish", "url", "language", "source",
                     "articles", "items"]),
    json_values, max_size=6,
)


def read_file(folder: Path, name: str, data: bytes) -> tuple[list, Path]:
    path = folder / f"{next(_names)}-{name}"
    path.write_bytes(data)
    began = time.perf_counter()
    outputs = list(iter_inputs([path], settings=fuzz.fuzz_settings()))  # an escaping exception fails the test
    assert time.perf_counter() - began < SLOW_S, f"{name} took too long"
    return outputs, path


def assert_contract(outputs: list, path: Path) -> None:
    assert fuzz.check(outputs, path) == []
    assert all(isinstance(o, RawArticle | RejectedInput) for o in outputs)


@pytest.fixture(scope="module")
def folder(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("fuzz")


# --- readers, through iter_inputs over real files ----------------------------------------------


@QUICK
@given(rng=st.randoms(use_true_random=False))
def test_generated_inputs_in_every_container(folder, rng):
    name, data = fuzz.generate(rng)
    outputs, path = read_file(folder, name, data)
    assert_contract(outputs, path)


@QUICK
@given(data=st.binary(max_size=5000), suffix=st.sampled_from(SUFFIXES))
def test_random_bytes(folder, data, suffix):
    outputs, path = read_file(folder, f"junk{suffix}", data)
    assert_contract(outputs, path)


@QUICK
@given(text=page_like | any_text, encoding=st.sampled_from(["utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16",
                                                              "utf-32", "gb18030"]),
       cut=st.integers(0, 5000), nuls=st.integers(0, 3))
def test_text_in_any_encoding_truncated_or_with_nuls(folder, text, encoding, cut, nuls):
    data = text.encode(encoding, "replace")
    data = data[: max(1, len(data) - cut)] if cut % 3 == 0 else data  # truncated, maybe mid-character
    data = data.replace(b" ", b"\x00 ", nuls)
    outputs, path = read_file(folder, "page.txt", data)
    assert_contract(outputs, path)
    for article in (o for o in outputs if isinstance(o, RawArticle)):
        assert "\x00" not in article.text


@QUICK
@given(record=records | st.lists(records, max_size=3) | json_values, suffix=st.sampled_from([".json", ".jsonl"]))
def test_json_with_wrong_types(folder, record, suffix):
    data = json.dumps(record, allow_nan=True).encode()
    outputs, path = read_file(folder, f"dump{suffix}", data)
    assert_contract(outputs, path)


@QUICK
@given(rng=st.randoms(use_true_random=False), atom=st.booleans(), cut=st.floats(0.0, 1.0))
def test_feeds_with_missing_fields_or_cut_short(folder, rng, atom, cut):
    data = (fuzz.atom_file(rng) if atom else fuzz.rss_file(rng)).encode()
    data = data[: int(len(data) * cut)] if cut < 0.5 else data
    outputs, path = read_file(folder, "feed.xml", data or b"<rss>")
    assert_contract(outputs, path)


@QUICK
@given(rng=st.randoms(use_true_random=False), cut=st.floats(0.0, 1.0))
def test_warc_whole_or_truncated(folder, rng, cut):
    data = fuzz.warc_file(rng)
    data = data[: int(len(data) * cut)] if cut < 0.5 else data
    outputs, path = read_file(folder, "crawl.warc", data or b"WARC/1.0\r\n")
    assert_contract(outputs, path)


@pytest.mark.parametrize("name", [name for name, _ in fuzz.specials()])
def test_pathological_inputs_are_read_or_refused_quickly(folder, name):
    data = dict(fuzz.specials())[name]
    outputs, path = read_file(folder, name, data)
    assert_contract(outputs, path)
    if name == "line.txt":  # 50 MB in one line: refused before the cleaner sees it
        assert [o.reason for o in outputs] == ["too_large"]


def test_default_limits_refuse_a_50mb_file_without_reading_it(folder):
    path = folder / "huge.txt"
    path.write_bytes(b"word " * 10_000_000)
    began = time.perf_counter()
    (rejected,) = list(iter_inputs([path]))
    assert rejected.reason == "too_large" and time.perf_counter() - began < 2.0


def test_a_container_with_no_article_is_reported_not_skipped(folder):
    for name, data in (("empty.json", b"[]"), ("wrapped.json", b'{"articles": []}'), ("blank.jsonl", b"\n\n")):
        outputs, path = read_file(folder, name, data)
        assert [o.reason for o in outputs] == ["empty"], name
        assert outputs[0].path == str(path)


# --- the cleaner and the HTML extractor, called directly ---------------------------------------


def _tokens(text: str) -> set[str]:
    return set(unicodedata.normalize("NFC", text).split())


@QUICK
@given(raw=page_like | any_text)
def test_cleaner_keeps_only_words_of_the_page(raw):
    result = clean_page_text(raw, source="fuzz")
    assert _tokens(result.text) <= _tokens(clean_text_body(raw))
    assert all(r.reason for r in result.removed)
    assert result.text == result.text.strip()


def test_cleaner_on_a_long_single_line_is_fast():
    line = " ".join(fuzz.SENTENCES) * 3000  # ~1.9 MB, under the raw-size limit
    began = time.perf_counter()
    result = clean_page_text(line)
    assert time.perf_counter() - began < 15.0
    assert len(result.text) > 1_000_000


@QUICK
@given(html=st.lists(st.sampled_from(["<div>", "</div>", "<p>", "</p>", "<script>", "<!--", "-->", "<br/>",
                                      "<html>", "<body>", "&amp;", "&#0;", "<![CDATA[", *fuzz.SENTENCES]),
                     max_size=60).map("".join) | any_text)
def test_html_extraction_never_raises(html):
    result = extract_html(html, source="fuzz")
    assert isinstance(result.text, str)


def test_html_nested_10000_levels_is_quick():
    html = "<html><body>" + "<div>" * 10_000 + "<p>" + " ".join(fuzz.SENTENCES) + "</p>" + "</div>" * 10_000
    began = time.perf_counter()
    extract_html(html)
    assert time.perf_counter() - began < 15.0


# --- the whole ingest: the NLP stages on weird text -------------------------------------------


def weird_article(rng: random.Random) -> str:
    """An article-length text mixing English news sentences with other scripts and odd characters."""
    pool = [*fuzz.SENTENCES, *fuzz.FOREIGN, "“Quoted” — he said: «yes».", "1,000,000 $ 3.5% 2024-13-45",
            "U.S.-E.U. N.A.T.O.'s", "((([[[", "\"\"\"", "'", ":", "Mr.", "…", "\u2028"]
    sentences = [rng.choice(pool) for _ in range(rng.randint(10, 40))]
    return rng.choice(fuzz.SENTENCES)[:50] + "\n\n" + rng.choice([" ", "\n\n", "\n"]).join(sentences)


@settings(max_examples=6, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(rng=st.randoms(use_true_random=False))
def test_ingest_never_fails_an_extraction_stage(tmp_path_factory, context, rng):
    corpus = tmp_path_factory.mktemp("corpus")
    for n in range(3):
        (corpus / f"a{n}.txt").write_text(weird_article(rng), encoding="utf-8")
    name, data = fuzz.generate(rng)
    (corpus / f"g-{name}").write_bytes(data)
    with Archive(tmp_path_factory.mktemp("store") / "s.duckdb") as archive:
        archive._ctx = context
        report = archive.ingest([corpus])
        data = archive.export()
    failed = [str(r) for r in report.rejected if r.reason == "extraction_failed"]
    assert failed == []
    assert report.ingested + report.duplicates >= 1
    assert len(data["documents"]) == report.ingested + report.duplicates
