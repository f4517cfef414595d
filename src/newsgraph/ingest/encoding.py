"""Bytes to text: BOMs, UTF-8, legacy Western encodings, and refusing binary files.

News dumps arrive in every encoding a newsroom CMS ever used. The order here is
most-certain first: a BOM, then strict UTF-8, then UTF-8 with a few broken bytes,
then a declared charset, then Windows-1252 (the usual legacy encoding of English
news), then charset-normalizer's guess. Anything that still looks like noise is
rejected as ``undecodable`` rather than passed on as mojibake.
"""

from __future__ import annotations

import codecs
import re
import unicodedata

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
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_\-:.]+)""", re.IGNORECASE)


def decode_bytes(data: bytes, path: str, declared: str | None = None) -> str:
    """Decode a file's bytes to text, or raise ``RejectedInput`` (binary / undecodable / empty).

    ``declared`` is a charset named by the container (HTTP header, HTML meta);
    it is tried after UTF-8, which a wrong declaration cannot override.
    """
    if not data.strip():
        raise RejectedInput(path, "empty", "no content")
    for bom, name in BOMS:
        if data.startswith(bom):
            text = _strict(data[len(bom):], name, path)
            if _plausible(text) or name == "utf-8":
                return text
            break  # bytes that merely look like a UTF-16/32 BOM
    utf16 = _utf16_without_bom(data)
    if utf16:
        return _strict(data, utf16, path)
    check_binary(data, path)
    data = data.replace(b"\x00", b"")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    lenient = data.decode("utf-8", "replace")
    broken = lenient.count("\ufffd") / max(1, len(lenient))
    if _mostly_utf8(data, lenient):
        if broken <= MAX_REPLACEMENT_RATIO:
            return lenient  # a few corrupt bytes: keep the text, U+FFFD marks them
        raise RejectedInput(path, "undecodable", f"UTF-8 with {broken:.1%} broken bytes")
    text = _declared(data, declared) if declared else None
    text = text or _legacy(data)
    if text is None:
        raise RejectedInput(path, "undecodable", "not UTF-8 and no plausible legacy encoding")
    return text


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


def _legacy(data: bytes) -> str | None:
    try:
        text = data.decode("cp1252")
    except UnicodeDecodeError:
        text = None
    if text is not None and _western(text) and not _MOJIBAKE.search(text):
        return _plausible(text)
    return _plausible(_charset_normalizer(data))


def _western(text: str) -> bool:
    """Western text is mostly ASCII letters with a few accents; Cyrillic or Greek
    read as Windows-1252 turns nearly every letter into an accented one."""
    high = [ch for ch in text if ord(ch) > 127]
    letters = sum(1 for ch in text if ch.isalpha())
    if not high or len(high) > MAX_WESTERN_HIGH_RATIO * max(1, letters):
        return False
    return sum(1 for ch in high if _WESTERN.match(ch)) / len(high) >= 0.95


def _charset_normalizer(data: bytes) -> str | None:
    try:
        from charset_normalizer import from_bytes
    except ImportError:  # optional: fall back to Latin-1, which decodes any byte
        return data.decode("latin-1")
    best = from_bytes(data).best()
    return str(best) if best is not None else None


def _plausible(text: str | None) -> str | None:
    """Reject decodings that are mostly unprintable (the wrong codec produces control characters)."""
    if not text:
        return None
    printable = sum(1 for ch in text if ch.isspace() or unicodedata.category(ch)[0] != "C")
    return text if printable / len(text) >= MIN_PRINTABLE_RATIO else None
