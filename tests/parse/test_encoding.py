"""Charset handling: header, BOM, <meta>, mislabelled windows-1252, garbage, gzip files."""

from __future__ import annotations

import gzip
from pathlib import Path

from tasks.parse.encoding import decode_html, read_html_file, repair_double_encoding, sniff_charset

TEXT = "Café – “quoted” naïve"


def test_header_charset_wins_over_meta() -> None:
    body = f'<meta charset="utf-8"><p>{TEXT}</p>'.encode("cp1252")
    assert TEXT in decode_html(body, "text/html; charset=windows-1252")


def test_meta_charset_used_without_header() -> None:
    body = '<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-2"></head><p>Łódź</p>'
    assert "Łódź" in decode_html(body.encode("iso-8859-2"))


def test_meta_charset_attribute_form() -> None:
    assert "Ελλάδα" in decode_html('<meta charset="windows-1253"><p>Ελλάδα</p>'.encode("cp1253"))


def test_bom_overrides_everything() -> None:
    body = codecs_bom_utf16(f"<p>{TEXT}</p>")
    assert decode_html(body, "text/html; charset=iso-8859-1") == f"<p>{TEXT}</p>"
    assert decode_html(b"\xef\xbb\xbf<p>" + TEXT.encode() + b"</p>") == f"<p>{TEXT}</p>"


def codecs_bom_utf16(text: str) -> bytes:
    return b"\xff\xfe" + text.encode("utf-16-le")


def test_utf8_label_on_cp1252_bytes_is_repaired() -> None:
    body = f'<meta charset="utf-8"><p>{TEXT}</p>'.encode("cp1252")
    assert TEXT in decode_html(body, "text/html; charset=UTF-8")


def test_mixed_utf8_with_stray_cp1252_bytes() -> None:
    body = "<p>Zürich</p>".encode() + "<p>“quoted”</p>".encode("cp1252")
    assert decode_html(body) == "<p>Zürich</p><p>“quoted”</p>"


def test_latin1_label_reads_cp1252_punctuation() -> None:
    body = "<p>“quoted” – dash</p>".encode("cp1252")
    assert decode_html(body, "text/html; charset=ISO-8859-1") == "<p>“quoted” – dash</p>"


def test_latin1_label_on_utf8_bytes_is_read_as_utf8() -> None:
    body = "<p>Größe</p>".encode()
    assert decode_html(body, "text/html; charset=iso-8859-1") == "<p>Größe</p>"


def test_unknown_label_falls_back_to_utf8() -> None:
    assert sniff_charset(b"<p>x</p>", "text/html; charset=x-no-such-thing") == ("utf-8", 0)
    assert decode_html("<p>ß</p>".encode(), "text/html; charset=x-no-such-thing") == "<p>ß</p>"


def test_garbage_never_raises() -> None:
    assert isinstance(decode_html(bytes(range(256)) * 4), str)
    assert isinstance(decode_html(b"\x81\x8d\x8f\x90\x9d", "text/html; charset=shift_jis"), str)
    assert decode_html(b"") == ""


def test_read_html_file_plain_and_gzip(tmp_path: Path) -> None:
    plain = tmp_path / "a.html"
    plain.write_bytes(b"<p>plain</p>")
    packed = tmp_path / "b.html.gz"
    packed.write_bytes(gzip.compress(b"<p>packed</p>"))
    assert read_html_file(plain) == b"<p>plain</p>"
    assert read_html_file(packed) == b"<p>packed</p>"


def test_read_html_file_truncated_gzip_keeps_what_decompresses(tmp_path: Path) -> None:
    page = ("<p>" + " ".join(f"word{n * 7919 % 10007}" for n in range(20000)) + "</p>").encode()
    data = gzip.compress(page)
    path = tmp_path / "cut.html.gz"
    path.write_bytes(data[: len(data) // 2])
    partial = read_html_file(path)
    assert 0 < len(partial) < len(page)
    assert page.startswith(partial)


def test_double_encoded_utf8_is_repaired() -> None:
    # UTF-8 read as windows-1252 and saved again as UTF-8: what some CMS exports and archives hold.
    text = "<title>Silkroad Quests und NPC´s</title><p>Café – “quoted”</p>"
    misread = "".join(bytes([b]).decode("cp1252", errors="ignore") or chr(b) for b in text.encode())
    assert "NPCÂ´s" in misread
    assert decode_html(misread.encode()) == text


def test_repair_leaves_real_text_alone() -> None:
    text = "São Paulo, Ãrvore? No: Â is a letter, and so is Ã in ÃO."
    assert repair_double_encoding(text) == text
    assert repair_double_encoding("NPCÂ´s, cafÃ©") == "NPC´s, café"
