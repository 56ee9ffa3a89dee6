"""`wirehouse report`: a self-contained HTML page with inline SVG charts, checked in a real headless Chromium."""

from __future__ import annotations

import re
import shutil
import struct
import subprocess
import zlib
from collections import Counter
from pathlib import Path

import pytest
from typer.testing import CliRunner

from tests.warehouse.data import article, load_sample
from warehouse.connection import open_writer
from warehouse.load import load_batch
from wirehouse.cli import app
from wirehouse.commands.charts import PALETTE, nice_ticks

runner = CliRunner()


@pytest.fixture(scope="module")
def report(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("report")
    db = folder / "wirehouse.duckdb"
    with open_writer(db) as con:
        load_sample(con)
        source, edited = article("damascus-car-bomb", title='Car Bomb in Damascus <Market> Kills "at Least" 8')
        load_batch(con, source, [edited], [], [], "run-2")
    out = folder / "report.html"
    result = runner.invoke(app, ["report", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


def test_page_is_self_contained(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    assert page.count("<svg") == 4  # articles per day, comments per day, top authors, top commenters
    for forbidden in ("<script", "<link", "<img", "<iframe", "@import", "url(", " src="):
        assert forbidden not in page, forbidden
    # The only addresses are the article links themselves (and the SVG namespace, which is never fetched).
    addresses = set(re.findall(r"https?://[^\"'<> ]+", page)) - {"http://www.w3.org/2000/svg"}
    assert addresses and all(re.fullmatch(r"https://[a-z-]+\.example/[a-z-]+/", a) for a in addresses)


def test_page_shows_the_warehouse(report: Path) -> None:
    page = report.read_text(encoding="utf-8")
    kpis = dict(re.findall(r"<b>([\d,]+)</b><span>([a-z ]+)</span>", page)[i][::-1] for i in range(6))
    assert kpis == {"articles": "5", "comments": "11", "authors": "4", "commenters": "7", "edited versions": "1",
                    "words": kpis["words"]}
    # Hover titles carry each bar's figure: two news-antiwar articles on the 17th, eight comments that day.
    assert "news-antiwar · Tue 17 Jan 2017: 2 articles</title>" in page
    assert "comments · Tue 17 Jan 2017: 8 comments</title>" in page
    assert "Jason Ditz: 3 articles</title>" in page and "Don: 4 comments</title>" in page
    assert "news-antiwar (3)" in page and "antiwar-blog (1)" in page
    # Titles are escaped, never markup; the most commented article comes first.
    assert "Car Bomb in Damascus &lt;Market&gt; Kills &quot;at Least&quot; 8" in page
    commented = re.findall(r'<tr><td><a href="[^"]+">([^<]+)</a>', page)
    assert commented[0] == "ISIS Shifts Focus to Syria as They Lose Ground in Iraq"
    assert '<span class="tag ok">completed</span>' in page


def test_empty_warehouse_still_renders(tmp_path: Path) -> None:
    db = tmp_path / "empty.duckdb"
    with open_writer(db):
        pass
    out = tmp_path / "empty.html"
    result = runner.invoke(app, ["report", "--db", str(db), "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert "No dated articles yet." in out.read_text() and "No runs recorded." in out.read_text()


def test_nice_ticks() -> None:
    assert nice_ticks(7) == [0, 2, 4, 6, 8]
    assert nice_ticks(1234) == [0, 500, 1000, 1500]
    assert nice_ticks(0) == [0, 1]
    assert nice_ticks(3) == [0, 1, 2, 3]


# --- a real browser -------------------------------------------------------------------------------------------

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")


def read_png(path: Path) -> tuple[int, int, list[bytes]]:
    """Width, height and RGB(A) rows of an 8-bit PNG, as Chromium writes them (no Pillow in the project)."""
    data = path.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks, header = 8, [], b""
    while pos < len(data):
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            chunks.append(body)
        pos += 12 + length
    width, height, depth, color = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and color in (2, 6)
    channels = 3 if color == 2 else 4
    raw = zlib.decompress(b"".join(chunks))
    stride = width * channels
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1:(y + 1) * (stride + 1)])
        for i in range(stride):
            left = line[i - channels] if i >= channels else 0
            up = previous[i]
            corner = previous[i - channels] if i >= channels else 0
            if kind == 1:
                line[i] = (line[i] + left) & 0xFF
            elif kind == 2:
                line[i] = (line[i] + up) & 0xFF
            elif kind == 3:
                line[i] = (line[i] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                line[i] = (line[i] + (left if pa <= pb and pa <= pc else up if pb <= pc else corner)) & 0xFF
        rows.append(bytes(line) if channels == 3 else bytes(b for j, b in enumerate(line) if j % 4 != 3))
        previous = line
    return width, height, rows


@pytest.mark.skipif(CHROMIUM is None, reason="Debian's chromium is not installed (apt-get install chromium); "
                                             "the page's structure is still checked by the tests above")
def test_chromium_draws_the_charts(report: Path, tmp_path: Path) -> None:
    shot = tmp_path / "report.png"
    subprocess.run(
        [str(CHROMIUM), "--headless", "--no-sandbox", "--disable-gpu", "--hide-scrollbars", "--no-first-run",
         "--window-size=1200,1400", f"--screenshot={shot}", report.as_uri()],
        check=True, capture_output=True, timeout=120,
    )
    width, height, rows = read_png(shot)
    assert (width, height) == (1200, 1400)
    pixels = color_counts(rows)
    # The three source colours of the stacked bars and the comment bars' colour are all drawn, in real areas.
    for color in (*PALETTE[:3], "#0ea5e9"):
        rgb = bytes.fromhex(color[1:])
        assert pixels.get(rgb, 0) > 500, f"{color} barely drawn: {pixels.get(rgb, 0)} pixels"
    background = pixels.most_common(1)[0][0]
    assert background in (bytes.fromhex("f1f5f9"), bytes.fromhex("ffffff"))


def color_counts(rows: list[bytes]) -> Counter[bytes]:
    counts: Counter[bytes] = Counter()
    for row in rows:
        counts.update(row[i:i + 3] for i in range(0, len(row), 3))
    return counts
