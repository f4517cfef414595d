"""`make fuzz`: many generated inputs through the readers and the cleaner, checking their contract.

The contract (see docs/reliability.md): every input file yields ``RawArticle``s with text, or
``RejectedInput``s that name the file and give a reason from ``RejectedInput.REASONS``; no other
exception escapes ``iter_inputs`` and nothing hangs. Inputs are generated from a seed (so any
failure can be replayed with ``--seed``): news-like pages in every supported container (txt,
HTML, JSON, JSONL, RSS, Atom, WARC, gzip), in several encodings and scripts, then damaged
(truncated, bytes flipped, NULs inserted), plus random bytes and a few pathological specials.

spaCy is not run here (a few documents a second would make 100k inputs take hours); the NLP
stages are fuzzed on fewer inputs by ``tests/test_fuzz_readers.py``.

    python -m newsgraph.fuzz --inputs 100000 --workers 2
"""

from __future__ import annotations

import argparse
import contextlib
import gzip
import io
import json
import multiprocessing
import random
import shutil
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Callable, Iterable
from pathlib import Path

from newsgraph.errors import RejectedInput
from newsgraph.settings import Settings

# Sentences written for this generator (no real article text).
SENTENCES = (
    "The defence ministry said on Tuesday that two frigates had left port for a joint exercise.",
    "Officials in the capital confirmed that talks on the border dispute would resume next month.",
    "\"We will not accept any change to the status quo,\" the foreign minister told reporters.",
    "According to the coast guard, up to 12 fishing boats were stopped near the disputed islands.",
    "The parliament approved a budget of 3.5 billion euros for air defence on 14 March 2024.",
    "Analysts said the agreement was unlikely to end the fighting before the winter.",
    "A spokesperson for the alliance declined to comment on the reported troop movements.",
    "The summit, planned for June, was postponed after the delegation failed to arrive.",
)
# Other scripts and awkward characters: CJK, Arabic, Cyrillic, Greek, Hebrew, emoji, marks.
FOREIGN = (
    "外交部发言人表示，双方将于下周继续举行会谈。",
    "قال المتحدث إن المحادثات ستستمر الأسبوع المقبل في العاصمة.",
    "Министр заявил, что переговоры продолжатся на следующей неделе.",
    "Ο υπουργός δήλωσε ότι οι συνομιλίες θα συνεχιστούν.",
    "השר אמר כי השיחות יימשכו בשבוע הבא.",
    "🚢⚓️🛰️🔥👍🏽 🇺🇳 👩‍👩‍👧",
    "e\u0301\u0302\u0303 \u200b\u200f\u202e reversed \u202c \ufeff\u00ad",
    "\x00\x01\x07\x1b[31m\x7f",
)
FURNITURE = ("Home | World | Europe", "Share this article", "Most read", "Advertisement",
             "© 2024 Example Media Ltd. All rights reserved.", "By Jane Example", "Published 14.03.2024",
             "Photo: Example Agency", "Sign up for our newsletter", "12 comments")
JUNK_VALUES = (None, 0, -1, 3.5, True, [], {}, [1, 2], {"name": 7}, {"a": {"b": []}}, "", " ", "\x00", "x" * 300)
TEXT_SUFFIXES = (".txt", ".md", "", ".text")
ANY_SUFFIXES = (".txt", ".html", ".json", ".jsonl", ".xml", ".rss", ".atom", ".warc", ".gz", "", ".bin", ".pdf")
ENCODINGS = ("utf-8", "utf-8", "utf-8", "utf-8-sig", "latin-1", "cp1252", "utf-16", "utf-16-le", "utf-32",
             "koi8-r", "shift_jis")


# --- text ------------------------------------------------------------------------------------------


def sentence(rng: random.Random) -> str:
    pool = FOREIGN if rng.random() < 0.15 else SENTENCES
    return rng.choice(pool)


def paragraph(rng: random.Random) -> str:
    return " ".join(sentence(rng) for _ in range(rng.randint(1, 5)))


def paragraphs(rng: random.Random, most: int = 8) -> list[str]:
    return [paragraph(rng) for _ in range(rng.randint(0, most))]


def page_text(rng: random.Random) -> str:
    """A plain-text page dump: furniture lines around paragraphs, with odd line breaks."""
    lines = [rng.choice(FURNITURE) for _ in range(rng.randint(0, 4))]
    lines += [rng.choice(SENTENCES)[:60].rstrip(".")]
    for text in paragraphs(rng):
        lines.append(text)
        if rng.random() < 0.2:
            lines.append(rng.choice(FURNITURE))
    lines += [rng.choice(FURNITURE) for _ in range(rng.randint(0, 4))]
    sep = rng.choice(("\n\n", "\n", "\r\n\r\n", "\r", "\u2028", "\n\n\n\n"))
    return sep.join(lines)


# --- containers ----------------------------------------------------------------------------------


def html_page(rng: random.Random, depth: int | None = None) -> str:
    if depth is None:  # deep nesting is slow to extract (~0.3 s at 300 levels): keep it rare
        depth = 300 if rng.random() < 0.02 else rng.choice((0, 1, 3, 20))
    body = "".join(f"<p>{p}</p>" for p in paragraphs(rng))
    if rng.random() < 0.3:
        body += "<script>var x = '</p><p>';</script><!-- comment --><nav>" + rng.choice(FURNITURE) + "</nav>"
    closing = "</div>" * depth if rng.random() < 0.7 else ""  # unclosed tags, sometimes
    head = f"<head><meta charset=\"{rng.choice(ENCODINGS)}\"><title>{rng.choice(SENTENCES)[:50]}</title></head>"
    return f"<!DOCTYPE html><html>{head}<body>{'<div>' * depth}<article>{body}</article>{closing}</body></html>"


def json_record(rng: random.Random) -> dict:
    """An article record whose fields sometimes have the wrong type or are missing."""
    record: dict = {}
    for name in ("title", "text", "maintext", "authors", "date_publish", "url", "language", "source"):
        roll = rng.random()
        if roll < 0.5:
            record[name] = "\n\n".join(paragraphs(rng)) if "text" in name else rng.choice(SENTENCES)[:40]
        elif roll < 0.7:
            record[name] = rng.choice(JUNK_VALUES)
    return record


def json_file(rng: random.Random) -> str:
    records = [json_record(rng) for _ in range(rng.randint(0, 4))]
    shape = rng.randrange(4)
    data = records if shape == 0 else {"articles": records} if shape == 1 else (
        records[0] if records else rng.choice(JUNK_VALUES))
    if shape == 3:
        data = rng.choice(JUNK_VALUES)
    return json.dumps(data, ensure_ascii=rng.random() < 0.5)


def jsonl_file(rng: random.Random) -> str:
    lines = [json.dumps(json_record(rng)) for _ in range(rng.randint(0, 5))]
    if lines and rng.random() < 0.3:
        lines[rng.randrange(len(lines))] = "{\"text\": \"cut"
    return "\n".join(lines)


def _maybe(rng: random.Random, text: str) -> str:
    return text if rng.random() < 0.7 else ""


def rss_file(rng: random.Random) -> str:
    items = "".join(
        "<item>" + _maybe(rng, f"<title>{rng.choice(SENTENCES)[:40]}</title>")
        + _maybe(rng, "<link>https://news.example/a</link>")
        + _maybe(rng, "<pubDate>Tue, 05 Mar 2024 10:00:00 +0100</pubDate>")
        + _maybe(rng, f"<description><![CDATA[{''.join(f'<p>{p}</p>' for p in paragraphs(rng))}]]></description>")
        + "</item>"
        for _ in range(rng.randint(0, 4))
    )
    return f"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel>{_maybe(rng, '<title>Example</title>')}{items}</channel></rss>"


def atom_file(rng: random.Random) -> str:
    entries = "".join(
        "<entry>" + _maybe(rng, f"<title>{rng.choice(SENTENCES)[:40]}</title>")
        + _maybe(rng, "<updated>2024-03-05T10:00:00Z</updated>")
        + _maybe(rng, "<author><name>Jane Example</name></author>")
        + _maybe(rng, f"<content type=\"html\">{''.join(f'&lt;p&gt;{p}&lt;/p&gt;' for p in paragraphs(rng))}</content>")
        + "</entry>"
        for _ in range(rng.randint(0, 4))
    )
    return f"<?xml version=\"1.0\" encoding=\"utf-8\"?><feed xmlns=\"http://www.w3.org/2005/Atom\">{entries}</feed>"


def warc_file(rng: random.Random) -> bytes:
    from warcio.statusandheaders import StatusAndHeaders
    from warcio.warcwriter import WARCWriter

    stream = io.BytesIO()
    writer = WARCWriter(stream, gzip=rng.random() < 0.5)
    for n in range(rng.randint(0, 3)):
        kind = rng.choice(("text/html; charset=utf-8", "text/html; charset=bogus", "image/png", "text/html"))
        status = rng.choice(("200 OK", "200 OK", "404 Not Found", "301 Moved"))
        headers = StatusAndHeaders(status, [("Content-Type", kind)], protocol="HTTP/1.1")
        payload = html_page(rng).encode(rng.choice(("utf-8", "latin-1", "utf-16")), "replace")
        writer.write_record(writer.create_warc_record(f"https://news.example/{n}", "response",
                                                      payload=io.BytesIO(payload), http_headers=headers))
    return stream.getvalue()


# --- encodings and damage ----------------------------------------------------------------------


def encode(rng: random.Random, text: str) -> bytes:
    return text.encode(rng.choice(ENCODINGS), "replace")


def damage(rng: random.Random, data: bytes) -> bytes:
    """Truncate, flip bytes, insert NULs or invalid UTF-8: what disks, crawlers and CMSs do."""
    roll = rng.random()
    if not data or roll < 0.55:
        return data
    if roll < 0.7:
        return data[: rng.randrange(len(data))]
    buf = bytearray(data)
    for _ in range(rng.randint(1, 20)):
        buf[rng.randrange(len(buf))] = rng.choice((0, 0xFF, 0xC3, 0x80, rng.randrange(256)))
    if roll > 0.9:
        at = rng.randrange(len(buf))
        buf[at:at] = rng.choice((b"\x00" * 50, b"\xed\xa0\x80", b"\xef\xbb\xbf", b"\xff\xfe"))
    return bytes(buf)


def _text_input(rng: random.Random) -> tuple[str, bytes]:
    return "page" + rng.choice(TEXT_SUFFIXES), encode(rng, page_text(rng))


def _html_input(rng: random.Random) -> tuple[str, bytes]:
    return "page" + rng.choice((".html", ".htm", ".txt")), encode(rng, html_page(rng))


def _json_input(rng: random.Random) -> tuple[str, bytes]:
    return "dump" + rng.choice((".json", ".jsonl", "")), encode(rng, json_file(rng))


def _jsonl_input(rng: random.Random) -> tuple[str, bytes]:
    return "dump" + rng.choice((".jsonl", ".json")), encode(rng, jsonl_file(rng))


def _feed_input(rng: random.Random) -> tuple[str, bytes]:
    text = rss_file(rng) if rng.random() < 0.5 else atom_file(rng)
    return "feed" + rng.choice((".xml", ".rss", ".atom", "")), encode(rng, text)


def _warc_input(rng: random.Random) -> tuple[str, bytes]:
    return "crawl.warc", warc_file(rng)


def _random_input(rng: random.Random) -> tuple[str, bytes]:
    size = rng.choice((0, 1, 10, 300, 5000))
    return "junk" + rng.choice(ANY_SUFFIXES), rng.randbytes(size)


GENERATORS: tuple[tuple[float, Callable[[random.Random], tuple[str, bytes]]], ...] = (
    (0.25, _text_input), (0.12, _html_input), (0.15, _json_input), (0.12, _jsonl_input),
    (0.12, _feed_input), (0.08, _warc_input), (0.16, _random_input),
)


def generate(rng: random.Random) -> tuple[str, bytes]:
    """One input file (name, bytes): a container of generated news text, maybe damaged or gzipped."""
    weights, makers = zip(*GENERATORS, strict=True)
    name, data = rng.choices(makers, weights)[0](rng)
    data = damage(rng, data)
    if rng.random() < 0.08 and not name.endswith(".gz"):
        name, data = name + ".gz", damage(rng, gzip.compress(data))
    return name, data


def specials() -> Iterable[tuple[str, bytes]]:
    """Pathological inputs run once per session: deep nesting, a 50 MB line, BOM-only files."""
    text = " ".join(SENTENCES)
    yield "deep.html", f"<html><body>{'<div>' * 10_000}<p>{text}</p>{'</div>' * 10_000}</body></html>".encode()
    yield "deep_open.html", ("<div><span><b>" * 10_000 + text).encode()
    yield "deep.json", ("[" * 10_000 + "]" * 10_000).encode()
    yield "deep.jsonl", ("{\"a\":" * 5_000 + "1" + "}" * 5_000).encode()
    yield "line.txt", b"word " * 10_000_000  # a 50 MB single line
    yield "line2.txt", ((text + " ") * 15_000).encode()  # a 1.4 MB single line: cleaned, not refused
    yield "empty.txt", b""
    yield "bom.txt", b"\xef\xbb\xbf"
    yield "bom16.txt", b"\xff\xfe"
    yield "nul.txt", b"\x00" * 4096
    yield "spaces.txt", b" \n\t\r\n" * 1000
    yield "cjk.txt", (FOREIGN[0] * 200).encode("utf-8")
    yield "utf16.txt", ("\n\n".join([text] * 20)).encode("utf-16")


# --- the contract ----------------------------------------------------------------------------------


def check(outputs: list, path: Path) -> list[str]:
    """What breaks the readers' contract in ``outputs`` of one input file (empty when all is well)."""
    from newsgraph.ingest.readers import RawArticle

    problems = [] if outputs else ["no output at all"]
    for out in outputs:
        if isinstance(out, RawArticle):
            if not out.text.strip():
                problems.append(f"article with empty text: {out.source}")
        elif isinstance(out, RejectedInput):
            if out.reason not in RejectedInput.REASONS:
                problems.append(f"unknown reason {out.reason!r}")
            if not out.path.startswith(str(path)):
                problems.append(f"rejection names {out.path!r}, not the file")
        else:
            problems.append(f"unexpected output {type(out).__name__}")
    return problems


def outcome(outputs: list) -> list[str]:
    """``ingested`` or ``rejected:<reason>`` per output, for the counts."""
    return [f"rejected:{o.reason}" if isinstance(o, RejectedInput) else "ingested" for o in outputs]


def fuzz_settings() -> Settings:
    settings = Settings()
    settings.max_file_bytes = 60_000_000  # let the 50 MB line reach the cleaner's own size guard
    settings.doc_time_limit_s = 10.0
    return settings


def read_one(path: Path, settings: Settings) -> tuple[list[str], list[str], float]:
    """Read one file: its outcomes, contract problems (an escaped exception is one) and seconds."""
    from newsgraph.ingest.readers import iter_inputs

    began = time.perf_counter()
    try:
        outputs = list(iter_inputs([path], settings=settings))
    except BaseException as exc:  # the point is to catch everything
        return [], [f"unhandled {type(exc).__name__}: {exc}"], time.perf_counter() - began
    return outcome(outputs), check(outputs, path), time.perf_counter() - began


# --- the driver ------------------------------------------------------------------------------------


def _work(job: tuple[int, int, int]) -> tuple[Counter, list[str]]:
    """Generate and read ``count`` inputs from ``seed`` + index; returns counts and failures."""
    seed, start, count = job
    settings = fuzz_settings()
    counts: Counter = Counter()
    failures: list[str] = []
    folder = Path(tempfile.mkdtemp(prefix="newsgraph-fuzz-"))
    try:
        with contextlib.redirect_stderr(io.StringIO()):  # warcio prints a warning per damaged record
            for index in range(start, start + count):
                name, data = generate(random.Random(f"{seed}:{index}"))
                counts.update(_read_bytes(folder, f"{index}-{name}", data, settings, failures, index))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return counts, failures


def _read_bytes(folder: Path, name: str, data: bytes, settings: Settings, failures: list[str],
                label: object) -> Counter:
    path = folder / name
    path.write_bytes(data)
    outcomes, problems, seconds = read_one(path, settings)
    path.unlink()
    failures.extend(f"input {label} ({name}): {p}" for p in problems)
    if seconds > settings.doc_time_limit_s * 2:
        failures.append(f"input {label} ({name}): took {seconds:.1f}s")
    return Counter(["inputs", *outcomes])


def _run_specials(settings: Settings, failures: list[str]) -> Counter:
    counts: Counter = Counter()
    folder = Path(tempfile.mkdtemp(prefix="newsgraph-fuzz-"))
    try:
        for name, data in specials():
            counts.update(_read_bytes(folder, name, data, settings, failures, "special"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return counts


def run(inputs: int, seed: int, workers: int, chunk: int = 500, hang_s: float = 120.0) -> tuple[Counter, list[str]]:
    """Fuzz ``inputs`` generated files plus the specials; a chunk silent for ``hang_s`` is a hang."""
    failures: list[str] = []
    counts = _run_specials(fuzz_settings(), failures)
    jobs = [(seed, start, min(chunk, inputs - start)) for start in range(0, inputs, chunk)]
    with multiprocessing.get_context("fork").Pool(workers, maxtasksperchild=20) as pool:
        results = pool.imap_unordered(_work, jobs)
        for _ in jobs:
            try:
                got, bad = results.next(timeout=hang_s)
            except multiprocessing.TimeoutError:
                failures.append(f"hang: a chunk of {chunk} inputs gave no answer in {hang_s:g}s")
                pool.terminate()
                break
            counts.update(got)
            failures.extend(bad)
    return counts, failures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m newsgraph.fuzz", description=__doc__.split("\n")[0])
    parser.add_argument("--inputs", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args(argv)
    began = time.perf_counter()
    counts, failures = run(args.inputs, args.seed, args.workers)
    print(f"inputs: {counts.pop('inputs', 0)} ({args.inputs} generated, seed {args.seed}) "
          f"in {time.perf_counter() - began:.0f}s")
    print(f"ingested (articles read): {counts.pop('ingested', 0)}")
    for key, n in sorted(counts.items()):
        print(f"{key}: {n}")
    for failure in failures[:50]:
        print(f"FAIL {failure}", file=sys.stderr)
    print(f"failures: {len(failures)}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
