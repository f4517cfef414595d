"""The page-dump cleaner: furniture out with the right reason, every paragraph kept, metadata read.

The fixture pages are invented; the seed checks read ../shared and skip without it.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from newsgraph.ingest.clean import CleanResult, clean_page_text, clean_text_body, strip_furniture

SHARED = Path(__file__).resolve().parents[1].parent / "shared"
SEEDS = SHARED / "corpus" / "seeds"

NEWS_PAGE = """\
1. Skip to content
  2. Skip to main menu
  3. Skip to more Borealis News sites

Home > World > Europe

Harbour talks stall as fishing fleets blockade northern ports

Marta Lindqvist in Tromsø
12 March 2025

Fishing crews blocked three northern harbours on Tuesday, demanding a share of the new quota agreed with neighbouring states.

Trawlers line up at the harbour mouth in Hammerfest
Crews say the quota deal favours large operatorsImage: Ola Berg/Coastal Press

The blockade began before dawn, when more than forty vessels moved across the entrance channel and dropped anchor.

Port officials said cargo ships had been diverted to southern terminals.

Talks resume next week.

Quota dispute deepens

Union leader Per Aasen said the government had ignored small operators for years. "We will stay until someone listens," he said.

Why coastal towns fear the new quota rules

The fisheries ministry has said it will not reopen the agreement. A spokesperson told reporters the deal protected stocks for the next decade.

Read more: Northern fleets face record fuel costs

Hot News
Storm closes mountain pass for third day
Ferry strike enters second week

Analysts expect the dispute to shape the regional election campaign in the autumn.

Harbour talks stall as fishing fleets blockade northern ports

Share
Comments
Edited by: Jonas Falk

Marta Lindqvist
Marta Lindqvist Reporter covering the Arctic, fisheries and coastal politics

© 2025 Borealis News. All rights reserved.
"""

NEWS_PARAGRAPHS = [
    "Fishing crews blocked three northern harbours on Tuesday",
    "The blockade began before dawn",
    "Port officials said cargo ships",
    "Talks resume next week.",
    "Union leader Per Aasen said",
    "The fisheries ministry has said",
    "Analysts expect the dispute",
]

BLOG_PAGE = """\
Menu
Search
Why small navies are sailing further from home
Author: Ana Ruiz
Published 04.09.2024
Three frigates from small European navies arrived in Singapore this week, the latest sign that distant deployments are no longer reserved for the largest fleets.
The ships will spend a fortnight training with regional partners before heading north.
What Do the Crews Gain?
Officers say long voyages test logistics in ways that exercises close to home cannot.
One captain described the trip as a rehearsal:
"You learn what breaks when the nearest spare part is six thousand miles away."
Related Posts
Frigate orders climb across the Baltic
A new training base opens in the Adriatic
Share this:
Twitter
Facebook
Like this:
Leave a Reply
Your email address will not be published. Required fields are marked *
Comment *
Name *
"""

BLOG_PARAGRAPHS = [
    "Three frigates from small European navies",
    "The ships will spend a fortnight",
    "Officers say long voyages",
    "One captain described the trip as a rehearsal:",
    '"You learn what breaks',
]


def _reasons(result: CleanResult) -> dict[str, str]:
    """Reason by removed text; the first occurrence wins."""
    reasons: dict[str, str] = {}
    for removal in result.removed:
        reasons.setdefault(removal.text, removal.reason)
    return reasons


@pytest.fixture(scope="module")
def news() -> CleanResult:
    return clean_page_text(NEWS_PAGE, source="fixture.txt")


@pytest.fixture(scope="module")
def blog() -> CleanResult:
    return clean_page_text(BLOG_PAGE, source="https://www.thediplomat.com/2024/09/small-navies/")


def test_news_page_keeps_every_paragraph(news: CleanResult) -> None:
    paragraphs = news.text.split("\n\n")
    assert len(paragraphs) == len(NEWS_PARAGRAPHS)
    for start, paragraph in zip(NEWS_PARAGRAPHS, paragraphs, strict=True):
        assert paragraph.startswith(start)


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("1. Skip to content", "nav"),
        ("3. Skip to more Borealis News sites", "nav"),
        ("Home > World > Europe", "nav"),
        ("Harbour talks stall as fishing fleets blockade northern ports", "title"),
        ("Marta Lindqvist in Tromsø", "byline"),
        ("12 March 2025", "dateline"),
        ("Trawlers line up at the harbour mouth in Hammerfest", "caption"),
        ("Crews say the quota deal favours large operatorsImage: Ola Berg/Coastal Press", "caption"),
        ("Quota dispute deepens", "subhead"),
        ("Why coastal towns fear the new quota rules", "teaser"),
        ("Read more: Northern fleets face record fuel costs", "teaser"),
        ("Hot News", "widget"),
        ("Storm closes mountain pass for third day", "widget"),
        ("Share", "share_prompt"),
        ("Comments", "share_prompt"),
        ("Edited by: Jonas Falk", "credit"),
        ("Marta Lindqvist", "bio"),
        ("Marta Lindqvist Reporter covering the Arctic, fisheries and coastal politics", "bio"),
        ("© 2025 Borealis News. All rights reserved.", "copyright"),
    ],
)
def test_news_page_furniture_reasons(news: CleanResult, line: str, reason: str) -> None:
    assert _reasons(news)[line] == reason
    assert line not in news.text


def test_repeated_headline_is_dropped(news: CleanResult) -> None:
    repeats = [r for r in news.removed if r.reason == "repeated_headline"]
    assert [r.text for r in repeats] == [news.title]
    assert repeats[0].line == NEWS_PAGE.splitlines().index(news.title, 10) + 1


def test_removal_line_numbers_point_at_the_raw_text(news: CleanResult) -> None:
    raw_lines = NEWS_PAGE.splitlines()
    for removal in news.removed:
        assert raw_lines[removal.line - 1].strip() == removal.text


def test_removal_offsets_are_paragraph_boundaries(news: CleanResult, blog: CleanResult) -> None:
    for result in (news, blog):
        assert result.removed
        for removal in result.removed:
            assert removal.at in (0, len(result.text)) or result.text[removal.at:removal.at + 2] == "\n\n", removal


def test_removals_put_back_at_their_offsets_give_the_raw_order(news: CleanResult, blog: CleanResult) -> None:
    """Paragraphs and removed lines, interleaved by offset, appear in the raw page in that order."""
    for raw, result in ((NEWS_PAGE, news), (BLOG_PAGE, blog)):
        paragraphs, ends, offset = result.text.split("\n\n"), [], 0
        for paragraph in paragraphs:
            offset += len(paragraph)
            ends.append(offset)
            offset += 2
        pieces: list[tuple[int, int, str]] = [(i + 1, 0, p) for i, p in enumerate(paragraphs)]
        for n, removal in enumerate(result.removed):
            after = 0 if removal.at == 0 else ends.index(removal.at) + 1  # paragraphs before it
            pieces.append((after, 1 + n, removal.text))
        cursor = 0
        for _, _, text in sorted(pieces, key=lambda p: (p[0], p[1])):
            found = raw.find(text[:30], cursor)
            assert found >= cursor, (text[:30], cursor)
            cursor = found + 1


def test_news_page_metadata(news: CleanResult) -> None:
    assert news.title == "Harbour talks stall as fishing fleets blockade northern ports"
    assert news.author == "Marta Lindqvist"
    assert news.published == "2025-03-12"
    assert news.outlet == "Borealis News"
    assert news.dateline == "Tromsø"


def test_blog_keeps_paragraphs_and_drops_comment_form(blog: CleanResult) -> None:
    paragraphs = blog.text.split("\n\n")
    assert len(paragraphs) == len(BLOG_PARAGRAPHS)
    for start, paragraph in zip(BLOG_PARAGRAPHS, paragraphs, strict=True):
        assert paragraph.startswith(start)
    reasons = _reasons(blog)
    assert reasons["Leave a Reply"] == "share_prompt"
    assert reasons["Comment *"] == "share_prompt"
    assert reasons["Share this:"] == "share_prompt"
    assert reasons["Related Posts"] == "widget"
    assert reasons["Frigate orders climb across the Baltic"] == "widget"
    assert reasons["What Do the Crews Gain?"] == "subhead"
    assert reasons["Menu"] == "nav"


def test_blog_metadata(blog: CleanResult) -> None:
    assert blog.title == "Why small navies are sailing further from home"
    assert blog.author == "Ana Ruiz"
    assert blog.published == "2024-09-04"
    assert blog.outlet == "The Diplomat"  # from the source URL's host


@pytest.mark.parametrize(
    ("date_line", "iso"),
    [
        ("June 29, 2024", "2024-06-29"),
        ("29 June 2024", "2024-06-29"),
        ("2024-06-29", "2024-06-29"),
        ("Published 29.06.2024", "2024-06-29"),
        ("Updated: Sat 29 Jun 2024 10.00 BST", "2024-06-29"),
        ("Posted on 3rd of February, 2023", "2023-02-03"),
        ("06/29/2024", "2024-06-29"),
    ],
)
def test_date_formats(date_line: str, iso: str) -> None:
    page = f"A new bridge opens over the river\n\n{date_line}\n\n{_PARAGRAPH}\n"
    result = clean_page_text(page)
    assert result.published == iso
    assert result.text == _PARAGRAPH


_PARAGRAPH = "The bridge, which took six years to build, carried its first lorries across the gorge on Monday morning."


@pytest.mark.parametrize(
    ("byline", "author"),
    [
        ("By Jane Doe and John Roe | June 29, 2024", "Jane Doe and John Roe"),
        ("BY Kofi Mensah", "Kofi Mensah"),
        ("Author: Ingrid van der Berg", "Ingrid van der Berg"),
    ],
)
def test_bylines(byline: str, author: str) -> None:
    result = clean_page_text(f"A new bridge opens over the river\n{byline}\n\n{_PARAGRAPH}\n")
    assert result.author == author
    assert _reasons(result)[byline] == "byline"
    assert result.text == _PARAGRAPH


def test_wire_dateline_is_read_and_kept_in_text() -> None:
    body = "OSLO (Wire) - The government named a new defence chief on Friday, ending weeks of speculation."
    result = clean_page_text(f"Norway names defence chief\n\n{body}\n")
    assert result.dateline == "OSLO"
    assert result.text == body


def test_hard_wrapped_paragraphs_are_joined() -> None:
    page = (
        "The committee met behind closed doors for most of the afternoon and\n"
        "released a short statement only after the markets had closed for the\n"
        "day.\n\n"
        "Members declined to answer questions as they left the building.\n"
    )
    paragraphs = clean_page_text(page).text.split("\n\n")
    assert len(paragraphs) == 2
    assert paragraphs[0].endswith("closed for the day.")


def test_short_real_paragraphs_survive_between_headings() -> None:
    page = (
        "Budget vote delayed\n\n"
        "Lawmakers postponed the vote on the defence budget until the autumn session, officials said.\n\n"
        "Nobody objected.\n\n"
        "Next steps\n\n"
        "A new draft is due in September, according to the finance committee's published schedule.\n"
    )
    result = clean_page_text(page)
    assert "Nobody objected." in result.text.split("\n\n")
    assert _reasons(result)["Next steps"] == "subhead"


def test_cookie_banner_and_comment_thread_are_dropped() -> None:
    page = (
        "We use cookies to improve your experience. By continuing to use this site you accept them.\n\n"
        f"{_PARAGRAPH}\n\n"
        "Engineers will inspect the structure again after the first winter of heavy traffic.\n\n"
        "3 thoughts on \u201cA new bridge opens\u201d\n\n"
        "Reader One on May 2, 2024 at 4:47 pm said:\n\n"
        "I drove across it yesterday and the view over the gorge is wonderful.\n"
    )
    result = clean_page_text(page)
    assert result.text.split("\n\n") == [
        _PARAGRAPH,
        "Engineers will inspect the structure again after the first winter of heavy traffic.",
    ]
    reasons = _reasons(result)
    assert reasons[page.splitlines()[0]] == "nav"
    assert {reasons[line] for line in page.splitlines()[6:] if line} == {"share_prompt"}


def test_sentence_with_a_date_is_not_a_date_line() -> None:
    page = f"Ballot set for summer\n\nJune 2, 2024\n\n{_PARAGRAPH}\n\nThe vote is set for June 29, 2024.\n"
    result = clean_page_text(page)
    assert result.published == "2024-06-02"
    assert result.text.split("\n\n") == [_PARAGRAPH, "The vote is set for June 29, 2024."]


def test_empty_and_blank_input() -> None:
    assert clean_page_text("").text == ""
    assert clean_page_text("\n \n\t\n").removed == []


def test_clean_text_body_normalises_whitespace() -> None:
    raw = "\ufeffFirst\u00a0line\u200b  here\r\nsecond\t\tline\r\n\r\n\r\n\r\nthird\u2028line  "
    assert clean_text_body(raw) == "First line here\nsecond line\n\nthird\nline"


def test_strip_furniture_only_drops_named_kinds() -> None:
    text = "A real paragraph about the talks.\nRead more: Another story entirely\nShare this:"
    body, removed = strip_furniture(text, frozenset({"teaser"}))
    assert body == "A real paragraph about the talks.\n\nShare this:"
    assert [(r.reason, r.line) for r in removed] == [("teaser", 2)]
    assert removed[0].at == len("A real paragraph about the talks.")  # where it stood in the body


def _squash(line: str) -> str:
    return " ".join(line.split())


needs_shared = pytest.mark.skipif(not SEEDS.exists(), reason="../shared corpus seeds absent")


@pytest.fixture(scope="module")
def dw() -> tuple[str, CleanResult]:
    raw = (SEEDS / "dw-2024-06-29.txt").read_text(encoding="utf-8")
    return raw, clean_page_text(raw, source="dw-2024-06-29.txt")


@pytest.fixture(scope="module")
def blog_seed() -> tuple[str, CleanResult]:
    raw = (SEEDS / "blog-2024-09.txt").read_text(encoding="utf-8")
    return raw, clean_page_text(raw, source="blog-2024-09.txt")


@pytest.mark.shared
@needs_shared
def test_dw_seed_metadata(dw: tuple[str, CleanResult]) -> None:
    _, result = dw
    assert result.title == "Italy latest in Europe to step up military ties with Japan"
    assert result.author == "Julian Ryall"
    assert result.outlet == "DW"
    assert result.published == "2024-06-29"


@pytest.mark.shared
@needs_shared
def test_dw_seed_furniture_gone_paragraphs_kept(dw: tuple[str, CleanResult]) -> None:
    raw, result = dw
    for noise in ("Skip to", "Image:", "shake hands at the G7", "Edited by", "Journalist based in",
                  "Is the Indo-Pacific entering", "Tensions rise with China", "Convergence of interests"):
        assert noise not in result.text
    for start in ("Rome is deploying", "The Italian aircraft carrier Cavour", "Japan, similarly, has also",
                  "That \"symbolic stance", "\"I believe that Japan is keen"):
        assert any(p.startswith(start) for p in result.text.split("\n\n")), start
    # Every sentence-final line of the raw dump longer than a heading is kept.
    body_lines = [_squash(ln) for ln in raw.splitlines() if len(ln.split()) >= 8 and ln.rstrip('"').endswith(".")]
    kept = result.text.split("\n\n")
    assert body_lines
    assert all(ln in kept for ln in body_lines if "Image:" not in ln)


@pytest.mark.shared
@needs_shared
def test_blog_seed_furniture_gone_paragraphs_kept(blog_seed: tuple[str, CleanResult]) -> None:
    raw, result = blog_seed
    assert "Leave a Reply" not in result.text
    assert "So Why Is an Italian Carrier" not in result.text
    kept = result.text.split("\n\n")
    for start in ("The Italian Navy aircraft carrier Cavour", "Yoshihiro Inaba says that the physical",
                  "It’s not a concrete one.", "The Italian Navy has left Japan for now."):
        assert any(p.startswith(start) for p in kept), start
    body_lines = [_squash(ln) for ln in raw.splitlines() if len(ln.split()) >= 8 and not ln.endswith("?")]
    assert all(ln in kept for ln in body_lines)
