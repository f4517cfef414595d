"""Bytes to text: BOMs, UTF-8, legacy Western encodings, and refusing binary files.

News dumps arrive in every encoding a newsroom CMS ever used. The order here is
most-certain first: a BOM, then strict UTF-8, then the declared charset, then UTF-8
around passages in another charset, then UTF-8 with a few broken bytes, then
Windows-1252 (the usual legacy encoding of English news), then charset-normalizer's
guess. ``decode_report`` says which charset was used and why the bytes did not decode
cleanly, when they did not; anything that still looks like noise is rejected as
``undecodable`` rather than passed on as mojibake.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from dataclasses import dataclass

from newsgraph.errors import RejectedInput

# Longest first: the UTF-32-LE BOM starts with the UTF-16-LE one.
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
MAGIC_NUMBERS = {
    b"%PDF-": "PDF",
    b"PK\x03\x04": "ZIP",
    b"\x89PNG\r\n\x1a\n": "PNG",
    b"\xff\xd8\xff": "JPEG",
    b"GIF87a": "GIF",
    b"GIF89a": "GIF",
    b"\x7fELF": "ELF",
    b"\xd0\xcf\x11\xe0": "OLE (old Office)",
    b"SQLite format 3\x00": "SQLite",
}
SNIFF_BYTES = 8192
MAX_NUL_RATIO = 0.01  # a few stray NULs are tolerated (and removed); more means binary
MAX_CONTROL_RATIO = 0.05  # C0 control characters other than whitespace
MAX_REPLACEMENT_RATIO = 0.01  # broken UTF-8 bytes per character we still accept
MIN_PRINTABLE_RATIO = 0.97
MAX_WESTERN_HIGH_RATIO = 0.3  # accented letters per letter in English/French/German text
_CONTROL = re.compile(rb"[\x01-\x08\x0b\x0e-\x1a\x1c-\x1f]")
# Windows-1252 is only plausible if the non-ASCII characters are Western letters and typography.
_WESTERN = re.compile("[\u00a0-\u00ff\u2013\u2014\u2018\u2019\u201a\u201c\u201d\u201e\u2022\u2026\u20ac\u2122]")
# UTF-8 multi-byte sequences read as Windows-1252 ("Ã©" for "é"): the bytes were UTF-8 after all.
_MOJIBAKE = re.compile("\u00c3[\u0080-\u00bf\u0152\u0153\u0160\u0161\u0178\u017d\u017e\u0192\u2013-\u203a\u20ac\u2122]|\u00c2[\u00a0-\u00bf]|\u00e2\u20ac")
MULTIBYTE_CODECS = frozenset({"gb18030", "gb2312", "gbk", "big5", "big5hkscs", "shift_jis", "cp932", "euc_jp",
                              "euc_kr", "cp949"})
MIN_PASSAGE_BYTES = 16  # fewer stray bytes than this are broken bytes, not text in another charset
_HIGH_RUN = re.compile(rb"[\x80-\xff]+")
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, the charset used, and why the bytes did not decode cleanly (if so)."""

    text: str
    charset: str
    issue: str | None = None


def decode_bytes(data: bytes, path: str, declared: str | None = None) -> str:
    """Decode a file's bytes to text, or raise ``RejectedInput`` (binary / undecodable / empty)."""
    return decode_report(data, path, declared).text


def decode_report(data: bytes, path: str, declared: str | None = None) -> Decoded:
    """Decode bytes, saying which charset was used and flagging any byte that did not decode cleanly.

    Order: a BOM; UTF-16 without one; strict UTF-8; the declared charset (container header or
    HTML meta), strictly; UTF-8 with passages in a multi-byte CJK charset (a UTF-8 page template
    around a GB2312 body: each passage that is not UTF-8 is decoded with the declared charset, else
    the one charset-normalizer finds for those passages, else GB18030); UTF-8 with a few broken bytes (kept, U+FFFD marks
    them, and the document is flagged); then a detected legacy charset. Replacement characters are
    never stored without an ``issue`` naming them.
    """
    if not data.strip():
        raise RejectedInput(path, "empty", "no content")
    for bom, name in BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom):], name, path)
            if _plausible(text) or name == "utf-8":
                return _flag_replacements(Decoded(text, name))
            break  # bytes that merely look like a UTF-16/32 BOM
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _flag_replacements(Decoded(_strict(data, utf16, path), utf16))
    check_binary(data, path)
    data = data.replace(b"\x00", b"")
    try:
        return _flag_replacements(Decoded(data.decode("utf-8"), "utf-8"))
    except UnicodeDecodeError:
        pass
    declared_codec = _codec(declared)
    if declared_codec and declared_codec != "utf-8":
        text = _declared(data, declared_codec)
        if text is not None and not _MOJIBAKE.search(text):
            return _flag_replacements(Decoded(text, declared_codec))
    lenient = data.decode("utf-8", "replace")
    if _mostly_utf8(data, lenient):
        return _utf8_with_passages(data, lenient, path, declared_codec)
    text = _legacy(data)
    if text is None:
        raise RejectedInput(path, "undecodable", "not UTF-8 and no plausible legacy encoding")
    issue = f"declared {declared} but the bytes are not valid {declared}; decoded as {text[1]}" if declared else None
    return _flag_replacements(Decoded(text[0], text[1], issue))


def _codec(name: str | None) -> str | None:
    """Python's codec for a charset label; ISO-8859-1 and US-ASCII labels mean Windows-1252 on the web."""
    if not name:
        return None
    try:
        codec = codecs.lookup(name.strip().strip("\"'")).name
    except LookupError:
        return None
    return "cp1252" if codec in ("latin-1", "iso8859-1", "ascii") else codec


def _utf8_with_passages(data: bytes, lenient: str, path: str, declared: str | None) -> Decoded:
    """UTF-8 around passages in another charset: decode each non-UTF-8 run of high bytes on its own."""
    runs = [m for m in _HIGH_RUN.finditer(data) if not _valid_utf8(m.group(0))]
    size = sum(len(m.group(0)) for m in runs)
    codec = _passage_codec([m.group(0) for m in runs], declared) if size >= MIN_PASSAGE_BYTES else None
    if codec:
        parts, last = [], 0
        for m in runs:
            parts.append(data[last : m.start()].decode("utf-8"))
            parts.append(m.group(0).decode(codec))
            last = m.end()
        parts.append(data[last:].decode("utf-8"))
        text = "".join(parts)
        if _plausible(text):
            return _flag_replacements(Decoded(text, f"utf-8+{codec}",
                                              f"mixed encodings: UTF-8 with {len(runs)} passage(s) in {codec}"))
    broken = lenient.count("\ufffd")
    if broken / max(1, len(lenient)) <= MAX_REPLACEMENT_RATIO:
        return _flag_replacements(Decoded(lenient, "utf-8", f"{broken} byte sequence(s) not valid UTF-8, replaced by U+FFFD"))
    raise RejectedInput(path, "undecodable", f"UTF-8 with {broken / max(1, len(lenient)):.1%} broken bytes")


def _valid_utf8(chunk: bytes) -> bool:
    try:
        chunk.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _passage_codec(runs: list[bytes], declared: str | None) -> str | None:
    """The multi-byte (CJK) charset that decodes every non-UTF-8 passage strictly into letters: the
    declared one, else the detected one, else GB18030. Single stray bytes are damage, not text."""
    if any(len(run) < 2 for run in runs):
        return None
    passages = b" ".join(runs)
    candidates = [declared] if declared else []
    try:
        from charset_normalizer import from_bytes

        best = from_bytes(passages).best()
        if best is not None:
            candidates.append(codecs.lookup(best.encoding).name)
    except LookupError:
        pass
    candidates.append("gb18030")
    for codec in dict.fromkeys(c for c in candidates if c in MULTIBYTE_CODECS):
        try:
            text = passages.decode(codec)
        except UnicodeDecodeError:
            continue
        letters = sum(1 for ch in text if ch.isalpha() or unicodedata.category(ch).startswith("P"))
        if letters >= 0.8 * len(text.replace(" ", "")):
            return codec
    return None


def _flag_replacements(decoded: Decoded) -> Decoded:
    """Stray NULs go (a NUL is never content); text that carries U+FFFD from its source is flagged:
    replacement characters are never stored silently."""
    text = decoded.text.replace("\x00", "") if "\x00" in decoded.text else decoded.text
    count = text.count("\ufffd")
    if count and not decoded.issue:
        return Decoded(text, decoded.charset, f"the text contains {count} replacement character(s) U+FFFD")
    return Decoded(text, decoded.charset, decoded.issue)


def declared_charset(data: bytes) -> str | None:
    """The charset an HTML page declares in a ``<meta>`` tag near its top, if any."""
    match = _META_CHARSET.search(data[:4096])
    return match.group(1).decode("ascii", "replace") if match else None


def check_binary(data: bytes, path: str) -> None:
    """Raise ``RejectedInput(binary)`` for a known binary format or a byte mix no text file has."""
    for magic, kind in MAGIC_NUMBERS.items():
        if data.startswith(magic):
            raise RejectedInput(path, "binary", f"{kind} file")
    head = data[:SNIFF_BYTES]
    if not head:
        return
    nul = head.count(b"\x00") / len(head)
    if nul > MAX_NUL_RATIO:
        raise RejectedInput(path, "binary", f"{nul:.0%} NUL bytes")
    control = len(_CONTROL.findall(head)) / len(head)
    if control > MAX_CONTROL_RATIO:
        raise RejectedInput(path, "binary", f"{control:.0%} control bytes")


def _strict(data: bytes, encoding: str, path: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as exc:
        raise RejectedInput(path, "undecodable", f"invalid {encoding}: {exc.reason}") from exc


def _utf16_without_bom(data: bytes) -> str | None:
    """UTF-16 text without a BOM has a NUL in every other byte (for Latin script)."""
    head = data[:SNIFF_BYTES]
    if len(head) < 4 or head.count(b"\x00") < len(head) // 4:
        return None
    even = head[0::2].count(b"\x00") / max(1, len(head[0::2]))
    odd = head[1::2].count(b"\x00") / max(1, len(head[1::2]))
    if odd > 0.9 and even < 0.1:
        return "utf-16-le"
    if even > 0.9 and odd < 0.1:
        return "utf-16-be"
    return None


def _mostly_utf8(data: bytes, lenient: str) -> bool:
    """The file is UTF-8, however damaged: most non-ASCII sequences are valid UTF-8, or
    some are and read as Windows-1252 they give the tell-tale "Ã©" pairs.

    Legacy single-byte text (é = 0xE9 before ASCII) almost never forms valid sequences.
    """
    broken = lenient.count("\ufffd")
    valid = sum(1 for ch in lenient if ord(ch) > 127) - broken
    if valid >= broken:
        return True
    return valid > 0 and bool(_MOJIBAKE.search(data.decode("cp1252", "replace")))


def _declared(data: bytes, declared: str) -> str | None:
    try:
        return _plausible(data.decode(declared))
    except (LookupError, UnicodeDecodeError):
        return None


def _legacy(data: bytes) -> tuple[str, str] | None:
    """(text, charset) in Windows-1252 when the text looks Western, else in charset-normalizer's guess."""
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and _western(text) and not _MOJIBAKE.search(text) and _plausible(text):
        return text, "cp1252"
    found = _charset_normalizer(data)
    if found is None or not _plausible(found[0]):
        return None
    return found


def _western(text: str) -> bool:
    """Western text is mostly ASCII letters with a few accents; Cyrillic or Greek
    read as Windows-1252 turns nearly every letter into an accented one."""
    high = [ch for ch in text if ord(ch) > 127]
    letters = sum(1 for ch in text if ch.isalpha())
    if not high or len(high) > MAX_WESTERN_HIGH_RATIO * max(1, letters):
        return False
    return sum(1 for ch in high if _WESTERN.match(ch)) / len(high) >= 0.95


def _charset_normalizer(data: bytes) -> tuple[str, str] | None:
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    return (str(best), best.encoding) if best is not None else None


def _plausible(text: str | None) -> str | None:
    """Reject decodings that are mostly unprintable (the wrong codec produces control characters)."""
    if not text:
        return None
    printable = sum(1 for ch in text if ch.isspace() or unicodedata.category(ch)[0] != "C")
    return text if printable / len(text) >= MIN_PRINTABLE_RATIO else None
