"""Turn fetched HTML bytes into text: charset from the header, a BOM or <meta>, else UTF-8.

Mislabelled pages are common: a page that says UTF-8 (or latin-1) but was saved as windows-1252.
Bytes that are not valid UTF-8 are therefore read as windows-1252, byte by byte, instead of being
replaced, so the curly quotes and dashes of such pages survive. Never raises.
"""

from __future__ import annotations

import codecs
import gzip
import re
import zlib
from pathlib import Path

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),  # before UTF-16 LE: its BOM starts the same way
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
)
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.IGNORECASE)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.IGNORECASE)
_XML_ENCODING = re.compile(rb"^<\?xml[^>]+encoding\s*=\s*[\"']([\w.:-]+)", re.IGNORECASE)
# Labels browsers map to a different decoder (WHATWG Encoding Standard): latin-1 and ASCII are
# read as windows-1252 there, and the East Asian legacy labels as their supersets.
_LABEL_ALIASES = {
    "iso-8859-1": "cp1252",
    "iso8859-1": "cp1252",
    "latin1": "cp1252",
    "latin-1": "cp1252",
    "l1": "cp1252",
    "us-ascii": "cp1252",
    "ascii": "cp1252",
    "windows-1252": "cp1252",
    "x-sjis": "cp932",
    "shift_jis": "cp932",
    "sjis": "cp932",
    "gb2312": "gb18030",
    "gbk": "gb18030",
    "x-gbk": "gb18030",
    "euc-kr": "cp949",
    "ks_c_5601-1987": "cp949",
    "tis-620": "cp874",
    "iso-8859-9": "cp1254",
    "x-mac-roman": "mac-roman",
    "utf8": "utf-8",
    "unicode": "utf-16-le",
}
_SNIFF_BYTES = 4096


def _cp1252_fallback(error: UnicodeError) -> tuple[str, int]:
    """Codec error handler: decode each undecodable byte as windows-1252 (latin-1 where undefined)."""
    if not isinstance(error, UnicodeDecodeError):
        raise error
    chunk = error.object[error.start : error.end]
    return chunk.decode("cp1252", errors="replace").replace("\ufffd", ""), error.end


codecs.register_error("wirehouse_cp1252", _cp1252_fallback)


def _normalize_label(label: str | None) -> str | None:
    """The Python codec for a charset label, or None when the label is unknown."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    label = _LABEL_ALIASES.get(label, label)
    try:
        name = codecs.lookup(label).name
    except LookupError:
        return None
    # A UTF-16 label on bytes without a BOM is almost always wrong (the page is ASCII-compatible).
    return "utf-8" if name.startswith("utf-16") or name.startswith("utf-32") else name


def sniff_charset(body: bytes, content_type: str | None = None) -> tuple[str, int]:
    """Return (codec name, bytes to skip) from the BOM, the header, then <meta>; UTF-8 by default."""
    for bom, name in _BOMS:
        if body.startswith(bom):
            return name, len(bom)
    if content_type:
        match = _HEADER_CHARSET.search(content_type)
        label = _normalize_label(match.group(1)) if match else None
        if label:
            return label, 0
    head = body[:_SNIFF_BYTES]
    declared = _META_CHARSET.search(head) or _XML_ENCODING.search(head)
    label = _normalize_label(declared.group(1).decode("ascii", "ignore")) if declared else None
    return label or "utf-8", 0


# Each byte 0x80-0xFF as windows-1252 shows it (the five bytes it leaves undefined pass through as
# latin-1): what UTF-8 turns into when it is read as windows-1252 and saved again as UTF-8
# ("NPCÂ´s", "cafÃ©", "â€œquotedâ€\x9d").
_CP1252_BYTE = {(bytes([b]).decode("cp1252", errors="ignore") or chr(b)): b for b in range(0x80, 0x100)}
_CONTINUATION = "".join(char for char, byte in _CP1252_BYTE.items() if byte < 0xC0)
_DOUBLE_ENCODED = re.compile(f"[\u00c2-\u00f4][{re.escape(_CONTINUATION)}]{{1,3}}")


def repair_double_encoding(text: str) -> str:
    """Undo UTF-8 that was decoded as windows-1252 and encoded again ("Ã©" -> "é"), sequence by
    sequence; a sequence that does not decode back to one character is left as it is."""
    if "\u00c2" not in text and "\u00c3" not in text and "\u00e2" not in text:
        return text  # every double-encoded sequence of Latin text or punctuation starts with one of these

    def undo(match: re.Match[str]) -> str:
        original = match.group(0)
        try:
            repaired = bytes(_CP1252_BYTE[char] for char in original).decode("utf-8")
        except (KeyError, UnicodeDecodeError):
            return original
        return repaired if len(repaired) == 1 else original

    return _DOUBLE_ENCODED.sub(undo, text)


def decode_html(body: bytes, content_type: str | None = None) -> str:
    """Decode an HTML response body; mislabelled windows-1252 and double-encoded UTF-8 are repaired,
    garbage never raises."""
    return repair_double_encoding(_decode(body, content_type))


def _decode(body: bytes, content_type: str | None) -> str:
    if not body:
        return ""
    codec, skip = sniff_charset(body, content_type)
    data = body[skip:] if skip else body
    if codec == "cp1252" and not data.isascii():
        # Declared latin-1/cp1252 but valid UTF-8 with multi-byte sequences: the label is wrong.
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            pass
    if codec in ("utf-8", "cp1252"):
        return data.decode(codec, errors="wirehouse_cp1252")
    try:
        return data.decode(codec)
    except UnicodeDecodeError:
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return data.decode(codec, errors="replace")


def read_html_file(path: Path) -> bytes:
    """The raw bytes of an .html or .html.gz file (gzip recognised by name or by magic bytes)."""
    raw = Path(path).read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            return gzip.decompress(raw)
        except (OSError, EOFError, zlib.error):
            # Truncated archive: keep what decompresses.
            return zlib.decompressobj(zlib.MAX_WBITS | 16).decompress(raw)
    return raw
