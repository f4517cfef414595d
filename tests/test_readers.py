"""Input readers: every format, metadata, encodings and bad input. Fixtures are written in tmp_path."""

from __future__ import annotations

import gzip
import io
import json
import re
import sys
import types
from pathlib import Path

import pytest

from newsgraph.errors import RejectedInput
from newsgraph.ingest import encoding
from newsgraph.ingest.meta import apply_meta, iso_date, load_meta
from newsgraph.ingest.readers import RawArticle, iter_inputs
from newsgraph.settings import Settings

# Invented news paragraphs (fictional places and people), each over 60 words.
PARA_ONE = (
    "The navy of Velmora sent two frigates to the Straits of Oster on Tuesday, the defence ministry "
    "said, after fishing crews reported drones circling their boats near the disputed shoals. "
    "Admiral Teodor Rask told reporters the ships would stay for at least three weeks and would "
    "coordinate patrols with coast guard cutters from the neighbouring island state of Kerrow."
)
PARA_TWO = (
    "Officials in Kerrow welcomed the deployment but warned that any incident at sea could derail "
    "talks on a new fisheries agreement scheduled for next month in the port city of Lindhaven. "
    "A spokesperson for the foreign ministry said the government expected both sides to respect "
    "the ceasefire line drawn after the 2019 clashes and to keep hotlines open at all times."
)
BODY = f"{PARA_ONE}\n\n{PARA_TWO}"
MARKER_ONE = "two frigates to the Straits of Oster"
MARKER_TWO = "new fisheries agreement"


def _standin_clean() -> types.ModuleType:
    """Trivial stand-in for newsgraph.ingest.clean until the real module lands."""
    from types import SimpleNamespace

    module = types.ModuleType("newsgraph.ingest.clean")

    def clean_text_body(text: str) -> str:
        return "\n\n".join(" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip())

    def clean_page_text(raw: str, source: str = ""):
        lines = [line.strip() for line in raw.splitlines() if line.strip()]
        date_line = next((line for line in lines if len(line) < 30 and iso_date(line)), None)
        body = [line for line in lines if len(line.split()) > 12]
        return SimpleNamespace(text="\n\n".join(body), title=lines[0] if lines else None, author=None,
                               published=iso_date(date_line), outlet=None, dateline=None, removed=[])

    module.clean_text_body = clean_text_body
    module.clean_page_text = clean_page_text
    return module


def _standin_html() -> types.ModuleType:
    from types import SimpleNamespace

    import lxml.html

    from newsgraph.ingest.formats import html_to_text

    module = types.ModuleType("newsgraph.ingest.html")

    def extract_html(html, url=None, source=""):
        root = lxml.html.fromstring(html)
        title = root.findtext(".//title")
        date = root.xpath("string(//meta[@property='article:published_time']/@content)") or None
        body = root.find(".//body")
        text = html_to_text(lxml.html.tostring(body, encoding="unicode")) if body is not None else ""
        return SimpleNamespace(text=text, title=title, author=None, published=iso_date(date), outlet=None,
                               dateline=None, removed=[])

    module.extract_html = extract_html
    return module


@pytest.fixture(autouse=True)
def cleaners(monkeypatch):
    """Use the real cleaners when they exist; otherwise trivial stand-ins (test-only)."""
    for name, make in (("newsgraph.ingest.clean", _standin_clean), ("newsgraph.ingest.html", _standin_html)):
        try:
            __import__(name)
        except ImportError:
            monkeypatch.setitem(sys.modules, name, make())


def read(*paths, **kwargs) -> list:
    return list(iter_inputs(list(paths), **kwargs))


def articles(results) -> list[RawArticle]:
    return [r for r in results if isinstance(r, RawArticle)]


def rejected(results) -> list[RejectedInput]:
    return [r for r in results if isinstance(r, RejectedInput)]


def only_article(results) -> RawArticle:
    assert not rejected(results), [str(r) for r in rejected(results)]
    (article,) = articles(results)
    return article


def html_page(title: str = "Frigates sent to Oster", date: str = "2024-03-05", body: str = BODY) -> str:
    paragraphs = "".join(f"<p>{p}</p>" for p in body.split("\n\n"))
    return (
        "<!DOCTYPE html><html><head>"
        f"<title>{title}</title><meta property='article:published_time' content='{date}T09:00:00+01:00'>"
        "</head><body><nav><a href='/'>Home</a> <a href='/world'>World</a></nav>"
        f"<article><h1>{title}</h1>{paragraphs}</article>"
        "<footer>Copyright Example Media Group</footer></body></html>"
    )


# --- plain text and HTML files ---------------------------------------------------------------


def test_txt_page_dump(tmp_path):
    path = tmp_path / "story.txt"
    path.write_text(f"Frigates sent to Oster\n\nMarch 5, 2024\n\n{BODY}\n", encoding="utf-8")
    article = only_article(read(path))
    assert article.format == "txt"
    assert article.source == str(path)
    assert MARKER_ONE in article.text and MARKER_TWO in article.text
    assert article.published == "2024-03-05"
    assert article.published_basis == "text"


def test_html_file(tmp_path):
    path = tmp_path / "story.html"
    path.write_text(html_page(), encoding="utf-8")
    article = only_article(read(path))
    assert article.format == "html"
    assert MARKER_ONE in article.text and "<p>" not in article.text
    assert article.title and "Oster" in article.title
    assert article.published == "2024-03-05"
    assert article.published_basis == "metadata"


def test_txt_that_is_html_is_read_as_html(tmp_path):
    path = tmp_path / "saved.txt"
    path.write_text(html_page(), encoding="utf-8")
    article = only_article(read(path))
    assert article.format == "html"
    assert "<article>" not in article.text and MARKER_TWO in article.text


def test_gzipped_html(tmp_path):
    path = tmp_path / "story.html.gz"
    path.write_bytes(gzip.compress(html_page().encode("utf-8")))
    article = only_article(read(path))
    assert article.format == "html" and MARKER_ONE in article.text


# --- JSON and JSON Lines ---------------------------------------------------------------------


def test_jsonl_with_one_malformed_line(tmp_path):
    path = tmp_path / "dump.jsonl"
    good = json.dumps({"title": "First", "text": BODY, "url": "https://news.example/1"})
    other = json.dumps({"headline": "Third", "body": BODY.replace("Tuesday", "Friday")})
    path.write_text(f"{good}\n{{\"title\": \"Broken\", \"text\": \n{other}\n", encoding="utf-8")
    results = read(path)
    assert [a.title for a in articles(results)] == ["First", "Third"]
    assert [a.source for a in articles(results)] == [f"{path}#1", f"{path}#3"]
    (bad,) = rejected(results)
    assert bad.reason == "malformed" and bad.path == f"{path}#2"
    assert articles(results)[0].format == "jsonl"


def test_json_list(tmp_path):
    path = tmp_path / "dump.json"
    path.write_text(json.dumps([{"title": "One", "content": BODY}, {"title": "Two", "content": BODY}]))
    results = read(path)
    assert [a.source for a in articles(results)] == [f"{path}#1", f"{path}#2"]
    assert all(a.format == "json" and MARKER_ONE in a.text for a in articles(results))


def test_json_single_object_keeps_plain_source(tmp_path):
    path = tmp_path / "one.json"
    path.write_text(json.dumps({"headline": "Alone", "body": BODY, "published_at": "2024-03-05T10:00:00Z"}))
    article = only_article(read(path))
    assert article.source == str(path)
    assert (article.title, article.published, article.published_basis) == ("Alone", "2024-03-05", "metadata")


def test_news_please_fields(tmp_path):
    record = {
        "title": "Frigates sent", "maintext": BODY, "description": "Short lede.",
        "date_publish": "2024-03-05 08:15:00", "date_download": "2024-03-09 10:00:00",
        "authors": ["Mara Quill", "Ilse Brandt"], "source_domain": "velmora-herald.example",
        "url": "https://velmora-herald.example/frigates", "language": "en",
    }
    path = tmp_path / "np.json"
    path.write_text(json.dumps(record))
    article = only_article(read(path))
    assert article.text.startswith("The navy of Velmora")
    assert article.author == "Mara Quill, Ilse Brandt"
    assert article.outlet == "velmora-herald.example"
    assert article.published == "2024-03-05" and article.published_basis == "metadata"
    assert (article.url, article.language) == (record["url"], "en")


def test_trafilatura_fields(tmp_path):
    record = {
        "title": "Kerrow welcomes patrols", "author": "Jon Ferris", "hostname": "kerrow-times.example",
        "date": "2024-03-06", "sitename": "Kerrow Times", "source": "https://kerrow-times.example/p",
        "source-hostname": "Kerrow Times", "text": BODY, "raw_text": BODY.replace("\n\n", " "),
        "language": "en-GB", "excerpt": "Officials in Kerrow...",
    }
    path = tmp_path / "traf.jsonl"
    path.write_text(json.dumps(record) + "\n")
    article = only_article(read(path))
    assert "\n\n" in article.text  # "text" (with paragraphs) preferred over raw_text
    assert (article.outlet, article.author, article.published) == ("Kerrow Times", "Jon Ferris", "2024-03-06")
    assert article.url == "https://kerrow-times.example/p"
    assert article.language == "en"


def test_json_text_field_with_html(tmp_path):
    markup = "".join(f"<p>{p}</p>" for p in BODY.split("\n\n"))
    path = tmp_path / "h.json"
    path.write_text(json.dumps({"title": "Markup", "text": markup}))
    article = only_article(read(path))
    assert "<p>" not in article.text
    assert MARKER_ONE in article.text and MARKER_TWO in article.text


def test_json_wrong_types(tmp_path):
    records = [
        {"title": 2024, "text": BODY, "authors": "Solo Writer"},  # number title is coerced
        {"title": "Numeric body", "text": 12345},  # a number is no article body
        {"title": "Odd author", "text": BODY, "author": {"id": 7}},  # an object without a name
        {"title": "Named author", "text": BODY, "author": [{"name": "Ann Vey"}], "date": 1709625600},
        ["not", "an", "object"],
    ]
    path = tmp_path / "types.json"
    path.write_text(json.dumps(records))
    results = read(path)
    good = {a.source: a for a in articles(results)}
    assert good[f"{path}#1"].title == "2024" and good[f"{path}#1"].author == "Solo Writer"
    assert good[f"{path}#4"].author == "Ann Vey" and good[f"{path}#4"].published == "2024-03-05"
    bad = {r.path: r for r in rejected(results)}
    assert set(bad) == {f"{path}#2", f"{path}#3", f"{path}#5"}
    assert bad[f"{path}#3"].reason == "malformed" and "'author'" in bad[f"{path}#3"].detail
    assert bad[f"{path}#5"].reason == "malformed"


def test_invalid_json_file(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"title": "x", "text": ')
    (bad,) = read(path)
    assert isinstance(bad, RejectedInput) and bad.reason == "malformed"


# --- feeds -----------------------------------------------------------------------------------

RSS = """<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"
     xmlns:dc="http://purl.org/dc/elements/1.1/">
<channel><title>The Lindhaven Courier</title><language>en-us</language>{items}</channel></rss>"""


def rss_item(description: str, content: str | None = None, extra: str = "") -> str:
    encoded = f"<content:encoded><![CDATA[{content}]]></content:encoded>" if content else ""
    return f"<item>{extra}<description><![CDATA[{description}]]></description>{encoded}</item>"


def test_rss_with_full_content(tmp_path):
    html = "".join(f"<p>{p}</p>" for p in BODY.split("\n\n"))
    extra = ("<title>Frigates sent</title><link>https://courier.example/a</link>"
             "<pubDate>Tue, 05 Mar 2024 23:30:00 -0500</pubDate><dc:creator>Mara Quill</dc:creator>")
    path = tmp_path / "feed.xml"
    path.write_text(RSS.format(items=rss_item("A short teaser.", html, extra)))
    article = only_article(read(path))
    assert article.format == "rss" and article.source == f"{path}#1"
    assert MARKER_TWO in article.text and "teaser" not in article.text and "<p>" not in article.text
    assert article.outlet == "The Lindhaven Courier"
    assert article.published == "2024-03-05"  # local day, not shifted to UTC
    assert (article.author, article.url, article.language) == ("Mara Quill", "https://courier.example/a", "en")


def test_rss_with_description_only_and_missing_fields(tmp_path):
    items = rss_item(f"<p>{PARA_ONE}</p><p>{PARA_TWO}</p>") + "<item><title>Nothing here</title></item>"
    items += rss_item("Too short to be news.")
    path = tmp_path / "feed.rss"
    path.write_text(RSS.format(items=items))
    results = read(path)
    article = articles(results)[0]
    assert MARKER_ONE in article.text and "\n\n" in article.text
    assert (article.title, article.url, article.published) == (None, None, None)
    reasons = {r.path: r.reason for r in rejected(results)}
    assert reasons == {f"{path}#2": "empty", f"{path}#3": "not_article"}


def test_atom_feed(tmp_path):
    html = "".join(f"&lt;p&gt;{p}&lt;/p&gt;" for p in BODY.split("\n\n"))
    feed = f"""<?xml version="1.0"?><feed xmlns="http://www.w3.org/2005/Atom"><title>Oster Watch</title>
    <entry><title>Patrols begin</title><link href="https://oster.example/p"/>
    <published>2024-03-07T08:00:00Z</published><author><name>Ilse Brandt</name></author>
    <summary>Teaser only.</summary><content type="html">{html}</content></entry></feed>"""
    path = tmp_path / "atom.xml"
    path.write_text(feed)
    article = only_article(read(path))
    assert article.format == "atom" and article.outlet == "Oster Watch"
    assert (article.author, article.published, article.url) == ("Ilse Brandt", "2024-03-07", "https://oster.example/p")
    assert MARKER_ONE in article.text and "Teaser" not in article.text


def test_xml_that_is_not_a_feed_is_unsupported(tmp_path):
    path = tmp_path / "sitemap.xml"
    path.write_text('<?xml version="1.0"?><urlset><url><loc>https://a.example/</loc></url></urlset>')
    (bad,) = read(path)
    assert bad.reason == "unsupported"


# --- WARC ------------------------------------------------------------------------------------


def write_warc(path: Path, gz: bool, pages: int = 2) -> None:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=gz)
        for n in range(pages):
            url = f"https://velmora-herald.example/{n}"
            request = writer.create_warc_record(url, "request", payload=io.BytesIO(b"GET / HTTP/1.1\r\n\r\n"))
            writer.write_record(request)
            headers = StatusAndHeaders("200 OK", [("Content-Type", "text/html; charset=utf-8")],
                                       protocol="HTTP/1.1")
            page = html_page(title=f"Page {n}").encode("utf-8")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(page),
                                                          http_headers=headers))
        image = StatusAndHeaders("200 OK", [("Content-Type", "image/png")], protocol="HTTP/1.1")
        writer.write_record(writer.create_warc_record("https://velmora-herald.example/a.png", "response",
                                                      payload=io.BytesIO(b"\x89PNG\r\n\x1a\n" + bytes(64)),
                                                      http_headers=image))


@pytest.mark.parametrize("name", ["crawl.warc", "crawl.warc.gz"])
def test_warc(tmp_path, name):
    path = tmp_path / name
    write_warc(path, gz=name.endswith(".gz"))
    results = read(path)
    assert not rejected(results)
    found = articles(results)
    assert [a.url for a in found] == ["https://velmora-herald.example/0", "https://velmora-herald.example/1"]
    assert all(a.format == "warc" and MARKER_ONE in a.text for a in found)
    assert found[0].source == f"{path}#2"  # record 1 is the request


@pytest.mark.parametrize("name", ["cut.warc", "cut.warc.gz"])
def test_truncated_warc_keeps_what_was_read(tmp_path, name):
    path = tmp_path / name
    write_warc(path, gz=name.endswith(".gz"), pages=3)
    data = path.read_bytes()
    path.write_bytes(data[: int(len(data) * 0.7)])
    results = read(path)
    assert len(articles(results)) >= 1
    (bad,) = rejected(results)
    assert bad.reason == "malformed" and "WARC" in bad.detail


# --- metadata sidecar ------------------------------------------------------------------------


def test_sidecar_overrides_and_is_not_read_as_input(tmp_path):
    (tmp_path / "a.txt").write_text(f"Some headline\n\n{BODY}\n")
    sub = tmp_path / "sub"
    sub.mkdir()
    (sub / "b.html").write_text(html_page(date="2024-01-01"))
    lines = [
        json.dumps({"file": "a.txt", "title": "Sidecar title", "outlet": "Velmora Herald", "published": "5 March 2024"}),
        "{not json",
        json.dumps({"path": "sub/b.html", "published": "2024-02-02", "url": "https://h.example/b"}),
    ]
    (tmp_path / "metadata.jsonl").write_text("\n".join(lines) + "\n")
    results = read(tmp_path)
    found = {Path(a.source).name: a for a in articles(results)}
    assert set(found) == {"a.txt", "b.html"}
    a, b = found["a.txt"], found["b.html"]
    assert (a.title, a.outlet, a.published, a.published_basis) == ("Sidecar title", "Velmora Herald",
                                                                   "2024-03-05", "metadata")
    assert (b.published, b.url) == ("2024-02-02", "https://h.example/b")
    (bad,) = rejected(results)
    assert bad.reason == "malformed" and bad.path.endswith("metadata.jsonl#2")


def test_load_meta_keys_and_warnings(tmp_path):
    sidecar = tmp_path / "side.jsonl"
    sidecar.write_text("\n".join([
        json.dumps({"filename": "x/y.txt", "title": "T", "language": "en"}),
        json.dumps({"url": "https://u.example/1", "author": ["A", "B"], "published": "sometime"}),
        json.dumps([1, 2]),
        json.dumps({"title": "names nothing"}),
    ]))
    meta = load_meta(sidecar)
    assert meta["y.txt"]["title"] == "T" and meta["x/y.txt"] is meta["y.txt"]
    assert meta["https://u.example/1"] == {"url": "https://u.example/1", "author": "A, B"}
    assert len(meta.warnings) == 3
    assert any("#2" in w and "published" in w for w in meta.warnings)


def test_apply_meta_by_url_for_container_items(tmp_path):
    sidecar = tmp_path / "side.jsonl"
    sidecar.write_text(json.dumps({"url": "https://u.example/2", "outlet": "Kerrow Times"}) + "\n"
                       + json.dumps({"file": "dump.jsonl", "outlet": "Wrong"}) + "\n")
    meta = load_meta(sidecar)
    item = RawArticle(source=f"{tmp_path}/dump.jsonl#4", format="jsonl", text=BODY, url="https://u.example/2")
    assert apply_meta(item, meta).outlet == "Kerrow Times"
    other = RawArticle(source=f"{tmp_path}/dump.jsonl#5", format="jsonl", text=BODY)
    assert apply_meta(other, meta).outlet is None  # a file-level line is not smeared over its items


def test_unreadable_sidecar(tmp_path):
    results = read(tmp_path, meta=tmp_path / "missing.jsonl")
    assert [r.reason for r in rejected(results)] == ["unreadable"]


# --- encodings and bad input -----------------------------------------------------------------


def test_latin1_cp1252_utf16_and_bom(tmp_path):
    text = f"Minister Zoë Müller in Zürich said the “talks” went well — café owners agreed.\n\n{BODY}"
    files = {
        "latin1.txt": text.replace("“", '"').replace("”", '"').replace("—", "-").encode("latin-1"),
        "cp1252.txt": text.encode("cp1252"),
        "utf16.txt": text.encode("utf-16"),  # with BOM
        "utf16le.txt": text.encode("utf-16-le"),  # no BOM
        "utf8bom.txt": text.encode("utf-8-sig"),
    }
    for name, data in files.items():
        (tmp_path / name).write_bytes(data)
    found = articles(read(tmp_path))
    assert len(found) == len(files)
    for article in found:
        assert "Zoë Müller in Zürich" in article.text, article.source
        assert not article.text.startswith("\ufeff")
    assert "“talks” went well — café" in next(a.text for a in found if a.source.endswith("cp1252.txt"))


def test_invalid_utf8(tmp_path):
    few = (tmp_path / "few.txt")
    few.write_bytes(f"Zürich. {BODY}".encode() + b" \xff trailing byte.")
    article = only_article(read(few))
    assert "Zürich" in article.text and MARKER_TWO in article.text
    # UTF-8 (many accented names) with one byte in twenty-five damaged: too broken to trust.
    damaged = bytearray(f"Zoë Müller, Zürich, Ålborg, Gdańsk. {BODY}".encode() * 2)
    damaged[::25] = bytes([0xFF]) * len(damaged[::25])
    many = tmp_path / "many.txt"
    many.write_bytes(bytes(damaged))
    (bad,) = read(many)
    assert bad.reason == "undecodable"


def test_nul_bytes(tmp_path):
    stray = tmp_path / "stray.txt"
    stray.write_bytes(BODY.encode().replace(b"Tuesday", b"Tues\x00day"))
    assert "Tuesday" in only_article(read(stray)).text
    dense = tmp_path / "dense.txt"
    dense.write_bytes(b"\x00\x01\x02\x00" * 300 + BODY.encode())
    (bad,) = read(dense)
    assert bad.reason == "binary"


@pytest.mark.parametrize(("name", "data"), [
    ("report.pdf", b"%PDF-1.7\n" + bytes(range(256)) * 4),
    ("photo.txt", b"\x89PNG\r\n\x1a\n" + bytes(200)),
    ("archive.json", b"PK\x03\x04" + bytes(200)),
    ("noise.txt", bytes(range(256)) * 16),
])
def test_binary_files(tmp_path, name, data):
    (tmp_path / name).write_bytes(data)
    (bad,) = read(tmp_path / name)
    assert bad.reason == "binary"


def test_empty_large_short_unsupported_missing(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    (tmp_path / "blank.txt").write_text("  \n\n \t ")
    (tmp_path / "big.txt").write_text(BODY * 3)
    (tmp_path / "short.txt").write_text("Velmora sent two frigates on Tuesday, officials said.")
    (tmp_path / "table.csv").write_text("a,b\n1,2\n")
    settings = Settings(max_file_bytes=len(BODY) * 2)
    results = read(tmp_path, tmp_path / "nowhere.txt", settings=settings)
    reasons = {Path(r.path).name: r.reason for r in rejected(results)}
    assert reasons == {"empty.txt": "empty", "blank.txt": "empty", "big.txt": "too_large",
                       "short.txt": "not_article", "table.csv": "unsupported", "nowhere.txt": "unreadable"}
    assert not articles(results)


def test_walk_is_sorted_recursive_and_skips_hidden(tmp_path):
    for rel in ["b.txt", "a/z.txt", "a/c.txt", ".hidden.txt", ".git/x.txt", "c.txt"]:
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"Headline for {rel}\n\n{BODY}\n")
    first = [Path(a.source).relative_to(tmp_path).as_posix() for a in articles(read(tmp_path))]
    assert first == ["b.txt", "c.txt", "a/c.txt", "a/z.txt"]
    assert first == [Path(a.source).relative_to(tmp_path).as_posix() for a in articles(read(tmp_path))]


def test_junk_never_raises(tmp_path):
    """Truncated, mislabelled and random inputs all come out as results, never as exceptions."""
    import random

    rng = random.Random(7)
    samples = [html_page().encode()[:n] for n in (10, 200, 900)]
    samples += [bytes(rng.randrange(256) for _ in range(600)) for _ in range(3)]
    samples += [b"{\"text\": [1, {\"a\": 2}]}", b"<rss><channel><item>", b"WARC/1.0\r\nbroken", b"\x1f\x8b\x08junk"]
    for n, data in enumerate(samples):
        for suffix in (".txt", ".json", ".jsonl", ".xml", ".warc", ".gz", ""):
            (tmp_path / f"junk{n}{suffix}").write_bytes(data)
    results = read(tmp_path)
    assert results and all(isinstance(r, RawArticle | RejectedInput) for r in results)
    assert all(r.reason in RejectedInput.REASONS for r in rejected(results))


# --- small helpers ---------------------------------------------------------------------------


@pytest.mark.parametrize(("value", "expected"), [
    ("2024-03-05", "2024-03-05"),
    ("Tue, 05 Mar 2024 23:30:00 -0500", "2024-03-05"),
    ("March 5, 2024", "2024-03-05"),
    ("2024-03-05T08:15:00Z", "2024-03-05"),
    (1709625600, "2024-03-05"),
    ("March 2024", None),
    ("2024", None),
    ("yesterday afternoon", None),
    (None, None),
])
def test_iso_date(value, expected):
    assert iso_date(value) == expected


def test_decode_bytes_rejects_with_reason():
    with pytest.raises(RejectedInput) as info:
        encoding.decode_bytes(b"GIF89a" + bytes(100), "x.gif")
    assert info.value.reason == "binary" and "GIF" in info.value.detail
    assert encoding.decode_bytes("Ελλάδα και Κύπρος".encode(), "g.txt") == "Ελλάδα και Κύπρος"
    cyrillic = "Флот провёл учения у побережья, сообщили в министерстве обороны. " * 3
    assert encoding.decode_bytes(cyrillic.encode("cp1251"), "r.txt") == cyrillic


def test_mislabelled_json_and_jsonl(tmp_path):
    lines = tmp_path / "lines.json"  # JSON Lines saved as .json
    lines.write_text("\n".join(json.dumps({"title": t, "text": BODY}) for t in ("A", "B")) + "\n")
    assert [a.source for a in articles(read(lines))] == [f"{lines}#1", f"{lines}#2"]
    pretty = tmp_path / "pretty.jsonl"  # one indented JSON document saved as .jsonl
    pretty.write_text(json.dumps({"articles": [{"title": "C", "body": BODY}]}, indent=2))
    (article,) = articles(read(pretty))
    assert (article.title, article.source) == ("C", f"{pretty}#1")


def test_explicit_sidecar_path_reports_bad_lines(tmp_path):
    (tmp_path / "a.txt").write_text(f"Headline\n\n{BODY}\n")
    sidecar = tmp_path / "extra-meta.jsonl"
    sidecar.write_text(json.dumps({"file": "a.txt", "outlet": "Kerrow Times"}) + "\n[]\n")
    results = read(tmp_path / "a.txt", sidecar, meta=sidecar)
    assert [a.outlet for a in articles(results)] == ["Kerrow Times"]
    assert [r.path.endswith("extra-meta.jsonl#2") for r in rejected(results)] == [True]


SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.mark.shared
@pytest.mark.skipif(not (SHARED / "corpus" / "seeds").is_dir(), reason="../shared is not present")
def test_seed_pages_are_read():
    results = read(SHARED / "corpus" / "seeds")
    assert not rejected(results)
    assert len(articles(results)) >= 2
    assert all(a.format == "txt" and len(a.text.split()) >= 200 for a in articles(results))
