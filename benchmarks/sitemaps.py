"""Wirehouse's lean sitemap library against ultimate-sitemap-parser (USP), both fetching through our `get`.

    .venv/bin/python benchmarks/sitemaps.py [--sitemaps 50] [--urls 50000] [--repeat 1]

1. Edge cases: the same fake sites read by both; a case passes when the result is right *and* anything not read
   whole is recorded (a truncated or over-limit file read silently counts as a miss).
2. A generated index of N sitemaps x M URLs (each URL with a lastmod), served from files through the same
   `get`, read whole and for one month's window. Each run is its own process: CPU seconds (user+sys, the
   fair figure on a shared machine), wall seconds and peak RSS, with a process that only fetches the files
   as the floor. Ratios compare tools within this run only.

USP is driven through its AbstractWebClient seam: its fetches run our async `get` on the caller's event loop
(USP itself runs in a worker thread), so robots, rate limits and size caps would stay in the one client.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import resource
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from schemas import DiscoveryWindow, RawResponse  # noqa: E402
from schemas.errors import FetchError, HttpStatusError  # noqa: E402
from tasks.sources.base import Get  # noqa: E402
from tasks.sources.sitemap.walk import SitemapWalk, walk_sitemaps  # noqa: E402
from testing.sitemaps import FakeSite, Url, gzipped, sitemap_index, urlset  # noqa: E402

SITE = "https://big.example"
logging.getLogger("usp").setLevel(logging.CRITICAL)  # USP logs every fetch at INFO and every failure at ERROR


# ---------------------------------------------------------------- USP through our client


def usp_available() -> bool:
    try:
        import usp  # noqa: F401
    except ImportError:
        return False
    return True


def usp_client(get: Get, loop: asyncio.AbstractEventLoop) -> Any:
    from usp.web_client.abstract_client import (
        AbstractWebClient,
        AbstractWebClientSuccessResponse,
        WebClientErrorResponse,
    )

    class Response(AbstractWebClientSuccessResponse):
        def __init__(self, raw: RawResponse) -> None:
            self.raw = raw

        def status_code(self) -> int:
            return self.raw.status

        def status_message(self) -> str:
            return "OK"

        def header(self, case_insensitive_name: str) -> str | None:
            return self.raw.headers.get(case_insensitive_name.lower())

        def raw_data(self) -> bytes:
            return self.raw.body

        def url(self) -> str:
            return self.raw.final_url or self.raw.url

    class ThroughOurGet(AbstractWebClient):
        def set_max_response_data_length(self, max_response_data_length: int | None) -> None:
            pass  # the size cap is our client's

        def get(self, url: str) -> Any:
            role = "robots" if url.endswith("/robots.txt") else "sitemap"
            try:
                raw: RawResponse = asyncio.run_coroutine_threadsafe(_awaited(get, url, role), loop).result()
            except FetchError as exc:
                return WebClientErrorResponse(f"{exc.reason} {exc.detail}", retryable=False)
            return Response(raw)

    return ThroughOurGet()


async def _awaited(get: Get, url: str, role: str) -> RawResponse:
    return await get(url, role)


async def usp_read(get: Get, roots: list[str]) -> tuple[list[Any], list[str]]:
    """USP over each root: its pages, and the reasons of the sitemaps it reports invalid."""
    from usp.fetch_parse import SitemapFetcher
    from usp.objects.sitemap import InvalidSitemap

    client = usp_client(get, asyncio.get_running_loop())

    def read() -> tuple[list[Any], list[str]]:
        pages: list[Any] = []
        invalid: list[str] = []
        for root in roots:
            tree = SitemapFetcher(url=root, web_client=client, recursion_level=0, parent_urls=set()).sitemap()
            pages.extend(tree.all_pages())
            invalid.extend(s.reason for s in tree.all_sitemaps() if isinstance(s, InvalidSitemap))
            if isinstance(tree, InvalidSitemap):
                invalid.append(tree.reason)
        return pages, invalid

    return await asyncio.to_thread(read)


# ---------------------------------------------------------------- edge cases


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(UTC)


def edge_cases() -> list[tuple[str, FakeSite, list[str], Callable[..., bool], Callable[..., bool]]]:
    """(name, site, roots, lean check(walk), USP check(pages, invalid))."""
    cases: list[tuple[str, FakeSite, list[str], Callable[..., bool], Callable[..., bool]]] = []
    a, b = Url(f"{SITE}/a/", lastmod="2024-03-01"), Url(f"{SITE}/b/", lastmod="2024-03-02")

    nested = FakeSite({f"{SITE}/i0.xml": sitemap_index([(f"{SITE}/i1.xml", None)]),
                       f"{SITE}/i1.xml": sitemap_index([(f"{SITE}/i2.xml", None), (f"{SITE}/u1.xml", None)]),
                       f"{SITE}/i2.xml": sitemap_index([(f"{SITE}/u2.xml", None)]),
                       f"{SITE}/u1.xml": urlset([a]), f"{SITE}/u2.xml": urlset([b])})
    cases.append(("index of indexes", nested, [f"{SITE}/i0.xml"],
                  lambda w: {e.url for e in w.entries} == {a.loc, b.loc},
                  lambda p, i: {x.url for x in p} == {a.loc, b.loc}))

    gz = FakeSite({f"{SITE}/s.xml": (200, gzipped(urlset([a, b])), {"content-type": "application/octet-stream"})})
    cases.append(("gzip found by magic bytes (served as s.xml)", gz, [f"{SITE}/s.xml"],
                  lambda w: len(w.entries) == 2, lambda p, i: len(p) == 2))

    bomb_body = gzipped(urlset([a]).replace(b"</urlset>", b" " * 120_000_000 + b"</urlset>"))
    bomb = FakeSite({f"{SITE}/bomb.xml.gz": bomb_body})
    cases.append((f"gzip bomb ({len(bomb_body) // 1024} KB -> 120 MB), recorded", bomb, [f"{SITE}/bomb.xml.gz"],
                  lambda w: any(f.reason == "sitemap_too_large" for f in w.failures), lambda p, i: bool(i)))

    news = FakeSite({f"{SITE}/news.xml": urlset([Url(a.loc, news_date="2024-03-05T22:30:00-05:00",
                                                     news_title="Talks & more")])})
    cases.append(("news sitemap: publication date and title", news, [f"{SITE}/news.xml"],
                  lambda w: w.entries[0].news_title == "Talks & more"
                  and w.entries[0].news_published.earliest == _when("2024-03-06T03:30:00+00:00"),
                  lambda p, i: p[0].news_story is not None and p[0].news_story.title == "Talks & more"
                  and p[0].news_story.publish_date.astimezone(UTC) == _when("2024-03-06T03:30:00+00:00")))

    media = FakeSite({f"{SITE}/m.xml": urlset([Url(a.loc, image=f"{SITE}/pic.jpg", video_title="Clip")])})
    cases.append(("image and video blocks ignored", media, [f"{SITE}/m.xml"],
                  lambda w: [e.url for e in w.entries] == [a.loc], lambda p, i: [x.url for x in p] == [a.loc]))

    variants = {"2024-03-05T10:20:30+02:00": "2024-03-05T08:20:30+00:00", "2024-03-05T10:20:30Z":
                "2024-03-05T10:20:30+00:00", "2024-03-05 10:20:30 +0200": "2024-03-05T08:20:30+00:00"}
    lastmods = FakeSite({f"{SITE}/l.xml": urlset(Url(f"{SITE}/{n}/", lastmod=text)
                                                 for n, text in enumerate([*variants, "0000-00-00"]))})
    expected = [_when(v) for v in variants.values()] + [None]
    cases.append(("lastmod variants (zones, space, placeholder)", lastmods, [f"{SITE}/l.xml"],
                  lambda w: [e.lastmod.earliest if e.lastmod else None for e in w.entries] == expected,
                  lambda p, i: [x.last_modified.astimezone(UTC) if x.last_modified else None for x in p] == expected))

    body = urlset([a, b])
    cut = FakeSite({f"{SITE}/cut.xml": body[: body.index(b"/b/")]})
    cases.append(("truncated XML: partial read recorded", cut, [f"{SITE}/cut.xml"],
                  lambda w: [e.url for e in w.entries] == [a.loc] and not w.complete,
                  lambda p, i: [x.url for x in p] == [a.loc] and bool(i)))

    over = FakeSite({f"{SITE}/over.xml": urlset(Url(f"{SITE}/p/{n}/") for n in range(50_001))})
    cases.append(("50,001 URLs: over the protocol's limit recorded", over, [f"{SITE}/over.xml"],
                  lambda w: any(f.reason == "sitemap_over_limit" for f in w.failures), lambda p, i: bool(i)))

    loop = FakeSite({f"{SITE}/x.xml": sitemap_index([(f"{SITE}/y.xml", None)]),
                     f"{SITE}/y.xml": sitemap_index([(f"{SITE}/x.xml", None), (f"{SITE}/z.xml", None)]),
                     f"{SITE}/z.xml": urlset([a])})
    cases.append(("index loop x -> y -> x", loop, [f"{SITE}/x.xml"],
                  lambda w: [e.url for e in w.entries] == [a.loc], lambda p, i: [x.url for x in p] == [a.loc]))

    laughs = (b'<?xml version="1.0"?><!DOCTYPE l [<!ENTITY a "aaaaaaaaaa">'
              + b"".join(f'<!ENTITY {chr(98 + n)} "{("&" + chr(97 + n) + ";") * 10}">'.encode() for n in range(8))
              + b']><urlset><url><loc>https://big.example/&i;</loc></url></urlset>')
    cases.append(("billion laughs refused", FakeSite({f"{SITE}/lol.xml": laughs}), [f"{SITE}/lol.xml"],
                  lambda w: not w.entries and not w.complete, lambda p, i: not p and bool(i)))

    missing = FakeSite({f"{SITE}/idx.xml": sitemap_index([(f"{SITE}/gone.xml", None), (f"{SITE}/u.xml", None)]),
                        f"{SITE}/u.xml": urlset([a])})
    cases.append(("404 child recorded, sibling read", missing, [f"{SITE}/idx.xml"],
                  lambda w: len(w.entries) == 1 and w.failures[0].reason == "http_404",
                  lambda p, i: len(p) == 1 and bool(i)))
    return cases


async def run_edge_cases() -> list[tuple[str, bool, bool | None, float, float]]:
    rows = []
    for name, site, roots, lean_ok, usp_ok in edge_cases():
        started = time.process_time()
        walk = await walk_sitemaps(site.get, roots)
        lean_seconds = time.process_time() - started
        usp_result: bool | None = None
        usp_seconds = 0.0
        if usp_available():
            started = time.process_time()
            try:
                pages, invalid = await usp_read(site.get, roots)
                usp_result = bool(usp_ok(pages, invalid))
            except Exception:  # a crash is a miss
                usp_result = False
            usp_seconds = time.process_time() - started
        rows.append((name, bool(lean_ok(walk)), usp_result, lean_seconds, usp_seconds))
    return rows


# ---------------------------------------------------------------- the large index, one process per run


def generate(workdir: Path, sitemaps: int, urls: int) -> None:
    """An index of `sitemaps` monthly sitemaps (newest month 2025-12) of `urls` URLs each, every URL with a lastmod."""
    months = [(2025 - (n // 12), 12 - (n % 12)) for n in range(sitemaps)]
    children = []
    for year, month in months:
        name = f"posts-{year}-{month:02d}.xml"
        lines = ['<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n']
        for n in range(urls):
            day, minute = n % 28 + 1, n % 1440
            lines.append(f"<url><loc>{SITE}/{year}/{month:02d}/{day:02d}/story-{year}-{month:02d}-{n}/</loc>"
                         f"<lastmod>{year}-{month:02d}-{day:02d}T{minute // 60:02d}:{minute % 60:02d}:00+00:00"
                         "</lastmod></url>\n")
        lines.append("</urlset>\n")
        (workdir / name).write_text("".join(lines), encoding="utf-8")
        children.append((f"{SITE}/{name}", f"{year}-{month:02d}-28T23:59:00+00:00"))
    (workdir / "index.xml").write_bytes(sitemap_index(children))


def file_get(workdir: Path) -> Get:
    async def get(url: str, role: str) -> RawResponse:
        path = workdir / url.removeprefix(SITE + "/")
        if not path.is_file():
            raise HttpStatusError(url, 404)
        return RawResponse(url=url, final_url=url, status=200, headers={"content-type": "application/xml"},
                           body=path.read_bytes(), fetched_at=datetime.now(UTC), role=role)

    return get


async def one_run(tool: str, workdir: Path, window: DiscoveryWindow | None) -> int:
    get, roots = file_get(workdir), [f"{SITE}/index.xml"]
    if tool == "fetch-only":
        index = await get(roots[0], "sitemap")
        children = [line.split("<loc>")[1].split("</loc>")[0] for line in index.body.decode().splitlines()
                    if "<loc>" in line]
        fetched = 0
        for url in children:
            fetched += len((await get(url, "sitemap")).body) > 0
        return fetched
    if tool == "lean":
        walk: SitemapWalk = await walk_sitemaps(get, roots, window, keep_responses=False)
        return len(walk.entries)
    pages, _invalid = await usp_read(get, roots)
    if window is None:
        return len(pages)
    return sum(1 for p in pages if p.last_modified and window.start <= p.last_modified < window.end)


def child_main(tool: str, workdir: Path, month: str | None) -> None:
    window = None
    if month:
        start = datetime.fromisoformat(month + "-01").replace(tzinfo=UTC)
        end = start.replace(year=start.year + start.month // 12, month=start.month % 12 + 1)
        window = DiscoveryWindow(start=start, end=end)
    wall, cpu = time.perf_counter(), time.process_time()
    urls = asyncio.run(one_run(tool, workdir, window))
    usage = resource.getrusage(resource.RUSAGE_SELF)
    print(json.dumps({"urls": urls, "cpu": usage.ru_utime + usage.ru_stime, "run_cpu": time.process_time() - cpu,
                      "wall": time.perf_counter() - wall, "rss_mb": peak_rss_mb()}))


def peak_rss_mb() -> float:
    """This process's peak RSS (VmHWM: unlike ru_maxrss, not carried over from the parent across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(tool: str, workdir: Path, month: str | None) -> dict[str, float]:
    command = [sys.executable, __file__, "--child", tool, "--workdir", str(workdir)]
    done = subprocess.run(command + (["--month", month] if month else []), capture_output=True, text=True, check=False)
    if done.returncode:
        raise SystemExit(f"{tool} run failed: {done.stderr.strip()[-1500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sitemaps", type=int, default=50)
    parser.add_argument("--urls", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=1, help="runs per tool and mode (the best CPU time is kept)")
    parser.add_argument("--child"), parser.add_argument("--workdir"), parser.add_argument("--month")
    args = parser.parse_args()
    if args.child:
        child_main(args.child, Path(args.workdir), args.month)
        return

    print("== edge cases (both read through the same get)")
    print(f"{'case':<52} {'wirehouse':>10} {'USP 1.8.1':>10}")
    rows = asyncio.run(run_edge_cases())
    for name, lean, usp, _lean_s, _usp_s in rows:
        print(f"{name:<52} {'pass' if lean else 'MISS':>10} {'-' if usp is None else 'pass' if usp else 'MISS':>10}")
    print(f"{'passed':<52} {sum(r[1] for r in rows):>7}/{len(rows)} "
          f"{sum(bool(r[2]) for r in rows):>7}/{len(rows)}")

    tools = ["fetch-only", "lean"] + (["usp"] if usp_available() else [])
    with tempfile.TemporaryDirectory(prefix="wirehouse-sitemaps-") as folder:
        workdir = Path(folder)
        started = time.perf_counter()
        generate(workdir, args.sitemaps, args.urls)
        size = sum(p.stat().st_size for p in workdir.iterdir()) / 1e6
        print(f"\n== index of {args.sitemaps} sitemaps x {args.urls:,} URLs ({size:.0f} MB of XML, generated in "
              f"{time.perf_counter() - started:.0f} s); one process per run, best of {args.repeat}")
        print(f"{'run':<28} {'URLs':>10} {'CPU s':>8} {'wall s':>8} {'peak RSS MB':>12} {'CPU vs lean':>12}")
        middle = 2025 * 12 + 11 - args.sitemaps // 2  # a month in the middle of the index
        one_month = f"{middle // 12}-{middle % 12 + 1:02d}"
        for label, month in (("whole index", None), (f"one month ({one_month})", one_month)):
            results = {tool: min((measure(tool, workdir, month) for _ in range(args.repeat)),
                                 key=lambda r: r["cpu"]) for tool in tools}
            for tool, result in results.items():
                ratio = result["cpu"] / results["lean"]["cpu"]
                print(f"{label + ' ' + tool:<28} {result['urls']:>10,} {result['cpu']:>8.2f} {result['wall']:>8.2f} "
                      f"{result['rss_mb']:>12.0f} {ratio:>11.2f}x")


if __name__ == "__main__":
    main()
