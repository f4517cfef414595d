"""Quote marks: a character scanner that pairs them (no parse needed).

Curly ``“ ”`` / ``„`` and straight ``"`` double quotes, the multi-paragraph convention (a paragraph that
re-opens a quote goes on with it), and single quotes only as a clear pair inside one paragraph. A short
quoted stretch or a quoted Title Case name is a scare quote unless a cue governs it (``is_scare``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from newsgraph.extract.attribution.lexicon import Lexicon

QUOTE_CHARS = frozenset("“”„\"‘’'`")
# Double marks: curly, low-9, straight, and the typewriter pairs `` and '' (read as “ and ").
_DOUBLE = re.compile(r"[“”„\"]|''|``")
_AS_CHAR = {"''": '"', "``": "“"}


@dataclass(frozen=True)
class Marked:
    """A quoted stretch: ``start``/``end`` bound the words, ``open_at``/``close_at`` the marks."""

    start: int
    end: int
    open_at: int
    close_at: int | None  # None: the quote runs to a paragraph end without a closing mark
    close_width: int = 1  # 2 for the typewriter pair '' that some outlets print for a double quote

    @property
    def last(self) -> int:
        """The offset of the closing mark, or the end of the words when there is none."""
        return self.close_at if self.close_at is not None else self.end

    @property
    def outer_end(self) -> int:
        """The end of the stretch with its closing mark included."""
        return self.close_at + self.close_width if self.close_at is not None else self.end


def paragraphs(text: str) -> list[tuple[int, int]]:
    """(start, end) of each non-blank line, leading and trailing blanks excluded."""
    return [(m.start(), m.end()) for m in re.finditer(r"[^\s](?:[^\n]*[^\s])?", text)]


def find_quote_marks(text: str) -> list[Marked]:
    """Every quoted stretch in ``text``: double quotes first, then single quotes outside them."""
    paras = paragraphs(text)
    doubles = _double_quotes(text, paras)
    return sorted(doubles + _single_quotes(text, paras, doubles), key=lambda m: m.open_at)


def _double_quotes(text: str, paras: list[tuple[int, int]]) -> list[Marked]:
    found: list[Marked] = []
    open_at: int | None = None
    open_width = 1
    for k, (ps, pe) in enumerate(paras):
        for m in _DOUBLE.finditer(text, ps, pe):
            pos, width = m.start(), len(m.group())
            ch = _AS_CHAR.get(m.group(), m.group())
            if open_at is None:
                if _can_open(text, pos, ps, ch, width):  # stray closing marks open nothing
                    open_at, open_width = pos, width
            elif pos == ps and ch != "”" and open_at < ps:
                continue  # the paragraph re-opens a quote carried over: it goes on
            elif ch in "“„":
                open_at, open_width = pos, width  # an opening mark while open: the earlier one was never closed
            else:
                found += _marked(text, open_at, pos, pos, open_width, width)
                open_at = None
        if open_at is not None and not _continues(text, paras, k):
            found += _marked(text, open_at, None, pe, open_width)
            open_at = None
    return found


def _can_open(text: str, pos: int, ps: int, ch: str, width: int) -> bool:
    """Curly openers always open, and a closing curly mark that opens a paragraph (a common typo); a
    straight mark only at a word start (not the inch in 12")."""
    if ch == "”":
        return pos == ps and pos + width < len(text) and not text[pos + width].isspace()
    if ch != '"':
        return True
    before = text[pos - 1] if pos > ps else " "
    after = text[pos + width] if pos + width < len(text) else " "
    return (before.isspace() or before in "([{—–-/:") and not after.isspace()


def _continues(text: str, paras: list[tuple[int, int]], k: int) -> bool:
    """An unclosed quote goes on if the next paragraph re-opens it or closes it first."""
    if k + 1 >= len(paras):
        return False
    ns, ne = paras[k + 1]
    nxt = text[ns:ne]
    first = _DOUBLE.search(nxt)
    if first is None:
        return False
    i, ch = first.start(), _AS_CHAR.get(first.group(), first.group())
    if i == 0:
        return True
    closing_straight = ch == '"' and not nxt[i - 1].isspace()
    return ch == "”" or closing_straight


def _marked(text: str, open_at: int, close_at: int | None, end: int, open_width: int = 1,
            close_width: int = 1) -> list[Marked]:
    start = open_at + open_width
    while start < end and text[start].isspace():
        start += 1
    while end > start and (text[end - 1].isspace() or text[end - 1] == ","):
        end -= 1
    return [Marked(start, end, open_at, close_at, close_width)] if end > start else []


_SINGLE_OPEN = re.compile(r"(?<![^\s(\[—–“\"])[‘'](?=[^\W\d_]|\[)")
_SINGLE_CLOSE = re.compile(r"(?<=[^\s‘'])[’'](?![^\W_])")


def _single_quotes(text: str, paras: list[tuple[int, int]], doubles: list[Marked]) -> list[Marked]:
    """Single quotes only as a clear pair in one paragraph: an apostrophe never opens one."""
    covered = [(d.open_at, d.last) for d in doubles]

    def inside(pos: int) -> bool:
        return any(a <= pos <= b for a, b in covered)

    found: list[Marked] = []
    for ps, pe in paras:
        pos = ps
        while (op := _SINGLE_OPEN.search(text, pos, pe)) is not None:
            pos = op.end()
            if inside(op.start()):
                continue
            cl = _SINGLE_CLOSE.search(text, op.end() + 1, pe)
            if cl is None or inside(cl.start()):
                continue
            found += _marked(text, op.start(), cl.start(), cl.start())
            pos = cl.end()
    return found


def is_scare(lex: Lexicon, text: str) -> bool:
    """Too short to be speech, or a quoted name in Title Case ("Belt and Road Initiative")."""
    words = re.findall(r"[^\W_][\w’'-]*", text)
    return len(words) <= lex.max_scare_words or is_title(lex, text)


def is_title(lex: Lexicon, text: str) -> bool:
    """A quoted name in Title Case of up to six words: a programme, a book, a plan ("State of the Union")."""
    words = re.findall(r"[^\W_][\w’'-]*", text)
    content = [w for w in words if w.lower() not in lex.minor_words]
    return 0 < len(words) <= 6 and bool(content) and all(w[0].isupper() for w in content)
