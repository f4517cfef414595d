"""HTML extraction: body paragraphs in, page furniture out, metadata read, bad input never raises.

The pages are invented; the benchmark check reads ../shared and skips without it.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

import newsgraph.ingest.html as html_module
from newsgraph.eval.article_extraction import evaluate, score_pairs
from newsgraph.ingest.clean import CleanResult
from newsgraph.ingest.html import extract_html

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
BENCH = SHARED / "benchmarks" / "article-extraction"

PARAGRAPHS = [
    "The coast guard said on Thursday that two patrol boats had been sent to the strait after a cargo ship reported engine failure in heavy seas.",
    "Rescue crews reached the vessel before nightfall and began towing it toward the nearest harbour, according to a statement from the regional command.",
    "None of the nineteen crew members were injured, the statement said, although one sailor was treated for exposure after falling into the water.",
    "Shipping in the strait was suspended for several hours while the tow was under way, and ferry operators warned passengers of late departures.",
    "Officials said an inquiry would examine whether the ship had been properly maintained before it left port earlier in the week.",
]

PAGE = f"""<!DOCTYPE html>
<html lang="en"><head>
<meta charset="utf-8">
<title>Cargo ship towed to safety after engine failure | Harbour Gazette</title>
<meta property="og:title" content="Cargo ship towed to safety after engine failure">
<meta property="og:site_name" content="Harbour Gazette">
<meta name="author" content="Lena Okafor">
<meta property="article:published_time" content="2024-11-05T08:30:00+00:00">
</head><body>
<header><nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li>
<li><a href="/sport">Sport</a></li></ul></nav></header>
<main><article>
<h1>Cargo ship towed to safety after engine failure</h1>
<p class="byline">By Lena Okafor</p>
{"".join(f"<p>{p}</p>" for p in PARAGRAPHS[:2])}
<figure><img src="/ship.jpg" alt=""><figcaption>The cargo ship at anchor off the coast
Photo: Harbour Gazette archive</figcaption></figure>
{"".join(f"<p>{p}</p>" for p in PARAGRAPHS[2:])}
<p>Read more: Ferry timetables change for winter season</p>
</article></main>
<aside><h3>Most read</h3><ul><li><a href="/a">Storm warning issued for the weekend</a></li>
<li><a href="/b">Local team wins regional cup</a></li></ul></aside>
<footer><p>© 2024 Harbour Gazette. All rights reserved.</p>
<a href="/privacy">Privacy policy</a></footer>
</body></html>
"""


@pytest.fixture(scope="module")
def result():
    return extract_html(PAGE, url="https://www.harbourgazette.example/world/cargo-ship")


def test_every_paragraph_extracted(result) -> None:
    paragraphs = result.text.split("\n\n")
    for paragraph in PARAGRAPHS:
        assert paragraph in paragraphs


def test_furniture_left_out(result) -> None:
    for noise in ("Privacy policy", "All rights reserved", "Local team wins", "Read more:", "Sport"):
        assert noise not in result.text


def test_metadata(result) -> None:
    assert result.title == "Cargo ship towed to safety after engine failure"
    assert result.author == "Lena Okafor"
    assert result.published == "2024-11-05"
    assert result.outlet == "Harbour Gazette"


def test_postprocess_drops_teaser_that_trafilatura_keeps() -> None:
    raw = extract_html(PAGE, postprocess=False)
    ours = extract_html(PAGE)
    teaser = "Read more: Ferry timetables change for winter season"
    assert teaser in raw.text
    assert teaser not in ours.text
    assert [(r.text, r.reason) for r in ours.removed if r.text == teaser] == [(teaser, "teaser")]


def test_bytes_in_a_declared_legacy_encoding() -> None:
    page = PAGE.replace('charset="utf-8"', 'charset="windows-1252"').replace("nineteen crew", "nineteen café crew")
    result = extract_html(page.encode("cp1252"))
    assert "nineteen café crew" in result.text


@pytest.mark.parametrize(
    "bad",
    ["", "   ", b"", b"\xff\xfe\x00\x00garbage\x00", "<html><body><p>Too short.</p>", "<<<>>>&&&", b"\x89PNG\r\n\x1a\n"],
)
def test_bad_input_never_raises(bad: str | bytes) -> None:
    result = extract_html(bad)  # no exception, whatever the input
    assert isinstance(result, CleanResult)
    assert len(result.text.split()) < 5


def test_errors_inside_the_extractor_give_empty_text(monkeypatch: pytest.MonkeyPatch) -> None:
    def broken(*args, **kwargs):
        raise ValueError("parser blew up")

    monkeypatch.setattr(html_module.trafilatura, "bare_extraction", broken)
    assert extract_html(PAGE).text == ""


def test_falls_back_to_paragraph_text(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(html_module.trafilatura, "bare_extraction", lambda *a, **k: None)
    result = extract_html(PAGE)
    assert result.text.split("\n\n")[:2] == PARAGRAPHS[:2]
    assert "Storm warning" not in result.text


def test_scores_of_known_pairs() -> None:
    text = "one two three four five six seven eight"
    perfect = score_pairs([(text, text)])
    assert perfect["f1"] == 1.0 and perfect["token_micro"]["f1"] == 1.0
    assert score_pairs([(text, "nine ten eleven twelve")])["f1"] == 0.0
    # Half of the gold predicted: 5 gold shingles, 2 predicted, both right.
    half = score_pairs([(text, "one two three four five")])
    assert half["precision"] == 1.0
    assert half["recall"] == 0.4
    assert half["token_micro"]["recall"] == 0.625


@pytest.mark.shared
@pytest.mark.skipif(not BENCH.exists(), reason="../shared article-extraction benchmark absent")
def test_benchmark_subset_scores_well(tmp_path: Path) -> None:
    truth = json.loads((BENCH / "ground-truth.json").read_text(encoding="utf-8"))
    keys = sorted(truth)[:8]
    (tmp_path / "html").mkdir()
    for key in keys:
        shutil.copy(BENCH / "html" / f"{key}.html.gz", tmp_path / "html")
    (tmp_path / "ground-truth.json").write_text(json.dumps({k: truth[k] for k in keys}))
    scores = evaluate(tmp_path)
    assert scores["documents"] == len(keys)
    assert scores["ours"]["f1"] >= 0.9
    assert set(scores["trafilatura"]) == set(scores["ours"])
