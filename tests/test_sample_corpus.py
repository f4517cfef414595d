"""The bundled sample corpus is what its README and designed.yaml say it is.

Independent of the pipeline: reads the files with the standard library, feedparser,
PyYAML and datasketch only.
"""

from __future__ import annotations

import html
import json
import re
from collections import Counter
from collections.abc import Collection
from functools import cache
from html.parser import HTMLParser

import feedparser
import pytest
import yaml
from datasketch import MinHash

from newsgraph.settings import SAMPLE_DIR

README = SAMPLE_DIR / "README.md"
DESIGNED = SAMPLE_DIR / "designed.yaml"
FEED = "feeds/harbour-times.xml"
WIRE = "wire.jsonl"
MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
DATE_LINE = re.compile(
    rf"\b(?:{MONTHS}|Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.? \d{{1,2}}\b"
    rf"|\b\d{{1,2}} (?:{MONTHS}) \d{{4}}\b|\b\d{{4}}-\d{{2}}-\d{{2}}\b|\b\d{{1,2}}/\d{{1,2}}/\d{{4}}\b"
)


# ---------------------------------------------------------------- readers
class _ArticleText(HTMLParser):
    """Text inside <article>, and the page's <meta> tags."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.parts: list[str] = []
        self.meta: dict[str, str] = {}

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article" or self.depth:
            self.depth += tag not in {"img", "br", "meta", "input"}
        if tag == "meta":
            named = dict(attrs)
            key = named.get("property") or named.get("name")
            if key and named.get("content"):
                self.meta[key] = named["content"] or ""

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag not in {"img", "br", "meta", "input"}:
            self.depth -= 1
            if tag == "p":
                self.parts.append("\n")

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.parts.append(data)


@cache
def parse_html(path: str) -> _ArticleText:
    parser = _ArticleText()
    parser.feed((SAMPLE_DIR / path).read_text(encoding="utf-8"))
    return parser


@cache
def wire_records() -> list[dict]:
    lines = (SAMPLE_DIR / WIRE).read_text(encoding="utf-8").splitlines()
    return [json.loads(line) for line in lines if line.strip()]


@cache
def feed():
    return feedparser.parse(str(SAMPLE_DIR / FEED))


def strip_tags(markup: str) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "\n", markup))


@cache
def body(ref: str) -> str:
    """The article text of a ref (a whole page dump for pages/*.txt)."""
    path, _, item = ref.partition("#")
    if path == WIRE:
        record = wire_records()[int(item) - 1]
        return record.get("maintext") or record["text"]
    if path == FEED:
        return strip_tags(feed().entries[int(item) - 1].content[0].value)
    if path.endswith(".html"):
        return "".join(parse_html(path).parts)
    return (SAMPLE_DIR / path).read_text(encoding="utf-8")


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


def normalised(text: str) -> str:
    return " ".join(text.split())


# ---------------------------------------------------------------- the README table
@cache
def table() -> dict[str, dict[str, str]]:
    """README article rows keyed by ref."""
    rows: dict[str, dict[str, str]] = {}
    section = README.read_text(encoding="utf-8").split("## Articles", 1)[1].split("\n## ", 1)[0]
    for line in section.splitlines():
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) == 6 and re.match(r"(pages|html|feeds|wire)", cells[0]):
            ref, outlet, published, story, fmt, title = cells
            rows[ref] = {"outlet": outlet, "published": published, "story": story, "format": fmt, "title": title}
    return rows


def actual_refs() -> set[str]:
    refs = {f"pages/{p.name}" for p in (SAMPLE_DIR / "pages").glob("*.txt")}
    refs |= {f"html/{p.name}" for p in (SAMPLE_DIR / "html").glob("*.html")}
    refs |= {f"{FEED}#{n}" for n in range(1, len(feed().entries) + 1)}
    refs |= {f"{WIRE}#{n}" for n in range(1, len(wire_records()) + 1)}
    return refs


@cache
def designed() -> list[dict]:
    return yaml.safe_load(DESIGNED.read_text(encoding="utf-8"))["cases"]


def case(case_id: str) -> dict:
    return next(c for c in designed() if c["id"] == case_id)


def outlets_with(phrase: str, exclude: Collection[str] = ()) -> set[str]:
    return {row["outlet"] for ref, row in table().items() if ref not in exclude and phrase in body(ref)}


def copies() -> set[str]:
    """Refs that republish another document (not independent sources)."""
    return {o["ref"] for o in case("gcap-near-duplicate")["occurrences"][1:]}


def minhash(text: str, shingle: int = 5) -> MinHash:
    tokens = words(text)
    sketch = MinHash(num_perm=128, seed=7)
    for i in range(max(1, len(tokens) - shingle + 1)):
        sketch.update(" ".join(tokens[i : i + shingle]).encode("utf-8"))
    return sketch


# ---------------------------------------------------------------- inventory
def test_readme_table_lists_exactly_the_documents_on_disk():
    assert set(table()) == actual_refs()


def test_counts_and_formats_are_as_briefed():
    rows = table()
    fmts = Counter(row["format"].split(" ")[0] for row in rows.values())
    assert len(rows) >= 18
    assert len(fmts) >= 4
    assert fmts["page"] >= 6 and fmts["html"] >= 3
    assert 2 <= fmts["rss"] <= 3 and 3 <= fmts["jsonl"] <= 5
    assert {"A", "B", "C", "D"} <= {row["story"] for row in rows.values()}
    assert len({row["outlet"] for row in rows.values()}) >= 5


def test_wire_lines_are_json_in_both_known_schemas():
    schemas = set()
    for record in wire_records():
        if "maintext" in record:
            assert {"title", "maintext", "date_publish", "authors", "source_domain", "url"} <= set(record)
            schemas.add("news-please")
        else:
            assert {"title", "text", "date", "author", "sitename", "url"} <= set(record)
            schemas.add("trafilatura")
    assert schemas == {"news-please", "trafilatura"}


def test_feed_parses_with_full_content():
    parsed = feed()
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.version == "rss20"
    for entry in parsed.entries:
        assert entry.content and len(words(strip_tags(entry.content[0].value))) > 200
        assert entry.published_parsed and entry.author


@pytest.mark.parametrize("path", sorted(p.name for p in (SAMPLE_DIR / "html").glob("*.html")))
def test_html_pages_have_an_article_and_metadata(path):
    page = parse_html(f"html/{path}")
    raw = (SAMPLE_DIR / "html" / path).read_text(encoding="utf-8")
    for tag in ("<title>", "<nav>", "<header>", "<footer>", "<aside", "<article>"):
        assert tag in raw
    assert {"og:title", "og:site_name", "article:published_time", "author"} <= set(page.meta)
    row = table()[f"html/{path}"]
    assert page.meta["og:site_name"] == row["outlet"]
    assert page.meta["article:published_time"][:10] == row["published"]


def test_readme_dates_and_outlets_match_the_containers():
    rows = table()
    for n, record in enumerate(wire_records(), 1):
        row = rows[f"{WIRE}#{n}"]
        assert (record.get("date_publish") or record["date"])[:10] == row["published"]
    for n, entry in enumerate(feed().entries, 1):
        stamp = entry.published_parsed
        assert f"{stamp.tm_year:04d}-{stamp.tm_mon:02d}-{stamp.tm_mday:02d}" == rows[f"{FEED}#{n}"]["published"]
    for line in (SAMPLE_DIR / "meta.jsonl").read_text(encoding="utf-8").splitlines():
        entry = json.loads(line)
        if "file" not in entry:  # keyed by URL: names the outlet of wire records
            urls = {r["url"]: f"{WIRE}#{n}" for n, r in enumerate(wire_records(), 1)}
            assert entry["outlet"] == rows[urls[entry["url"]]]["outlet"]
            continue
        assert (SAMPLE_DIR / entry["file"]).exists()
        assert entry["outlet"] == rows[entry["file"]]["outlet"]
        assert (entry["published"] or "—") == rows[entry["file"]]["published"]


def test_articles_are_short_news_length():
    from newsgraph.lang.scripts import count_units

    for ref in table():
        count = count_units(body(ref))  # a Japanese character counts as a word
        if ref.startswith("pages/"):  # the whole dump, boilerplate included
            assert 250 <= count <= 900, (ref, count)
        else:
            assert 250 <= count <= 600, (ref, count)


# ---------------------------------------------------------------- designed features
@pytest.mark.parametrize("case_id", [c["id"] for c in designed()])
def test_designed_text_occurs_where_listed(case_id):
    for occurrence in case(case_id)["occurrences"]:
        assert occurrence["ref"] in table(), occurrence
        assert occurrence["text"] in body(occurrence["ref"]), occurrence


def test_readme_names_every_designed_ref():
    readme = README.read_text(encoding="utf-8")
    for c in designed():
        for occurrence in c["occurrences"]:
            assert f"`{occurrence['ref']}`" in readme, (c["id"], occurrence["ref"])


def test_displacement_agrees_in_two_outlets_and_conflicts_in_one():
    assert len(outlets_with("27,100")) >= 2
    assert len(outlets_with("30,000")) == 1
    assert not outlets_with("27,100") & outlets_with("30,000")


def test_fighter_generation_conflicts():
    assert len(outlets_with("fifth-generation")) == 1
    assert len(outlets_with("sixth-generation", exclude=copies())) >= 2


def test_gcap_facts_are_corroborated_by_independent_outlets():
    independent = copies()
    assert len(outlets_with("Japan, Italy and the United Kingdom", exclude=independent)) >= 2
    assert len(outlets_with("2035", exclude=independent)) >= 2


def test_compatible_restatements_sit_in_different_outlets():
    for case_id in ("first-visit-compatible", "f35b-count-compatible", "cavour-departure-compatible"):
        refs = [o["ref"] for o in case(case_id)["occurrences"]]
        assert len({table()[ref]["outlet"] for ref in refs}) == 2, case_id


def test_the_2023_plan_is_later_reported_as_done():
    plans = [ref for ref, row in table().items() if row["story"] == "A" and row["published"].startswith("2023")]
    assert plans and all("end of the year" in body(ref) for ref in plans)
    later = [ref for ref, row in table().items() if row["published"].startswith("2024") and "Yokosuka" in body(ref)]
    assert any("Aug. 22" in body(ref) or "in August" in body(ref) for ref in later)


def test_near_duplicate_pair_is_close_but_not_identical():
    original, copy = (o["ref"] for o in case("gcap-near-duplicate")["occurrences"])
    assert minhash(body(original)).jaccard(minhash(body(copy))) >= 0.8
    assert normalised(body(original)) != normalised(body(copy))
    assert table()[original]["title"] != table()[copy]["title"]
    # The measure separates: an independent article on the same treaty is far apart.
    assert minhash(body(original)).jaccard(minhash(body("html/pdr-gcap-treaty-analysis.html"))) < 0.3


def test_exact_duplicate_body_sits_whole_in_the_page_dump():
    page, clean = (o["ref"] for o in case("scs-exact-duplicate")["occurrences"])
    assert page.startswith("pages/") and clean.startswith(WIRE)
    assert normalised(body(clean)) in normalised(body(page))
    assert len(normalised(body(page))) > len(normalised(body(clean)))  # the dump has boilerplate


def test_exactly_one_article_has_no_date_anywhere():
    undated = [ref for ref, row in table().items() if row["published"] == "—"]
    assert len(undated) == 1
    ref = undated[0]
    assert ref.startswith("pages/")
    assert not DATE_LINE.search(body(ref)), DATE_LINE.search(body(ref))
    sidecar = [json.loads(line) for line in (SAMPLE_DIR / "meta.jsonl").read_text(encoding="utf-8").splitlines()]
    assert [e["published"] for e in sidecar if e.get("file") == ref] == [None]
    assert re.search(r"last week|in August", body(ref))


def test_page_dumps_carry_the_noise_a_cleaner_must_remove():
    # the English dumps (the Italian and Japanese ones carry lighter page furniture of their own)
    pages = [body(ref) for ref, row in table().items() if ref.startswith("pages/") and row["format"] == "page dump (txt)"]
    for marker in ("Skip to", "Menu", "Share this article", "Leave a Reply", "Photo: ", "©", "By "):
        assert all(marker in page for page in pages), marker
    assert all(" > " in page for page in pages)  # section breadcrumbs
    assert sum("hot news" in page.lower() for page in pages) >= 3


def test_multi_paragraph_quotes_leave_the_first_paragraph_open():
    for occurrence in case("quote-multi-paragraph")["occurrences"]:
        text = body(occurrence["ref"])
        start = text.index(occurrence["text"])
        first, second = text[start:].split("\n\n")[:2]
        assert not re.search(r"[\"”]\s*$", first)  # no closing mark at the end of the first paragraph
        assert second[0] in "\"“"  # the next paragraph reopens the quote


def test_sample_text_is_our_own_invented_outlets():
    # Every URL points at a reserved .example domain, so nothing claims to be a real outlet's page.
    urls = [r["url"] for r in wire_records()] + [e.link for e in feed().entries]
    urls += [parse_html(f"html/{p.name}").meta["og:url"] for p in (SAMPLE_DIR / "html").glob("*.html")]
    assert urls and all(re.match(r"https://[a-z]+\.example/", url) for url in urls)
