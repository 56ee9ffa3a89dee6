#!/usr/bin/env python3
"""Extraction benchmark: Wirehouse's generic extractor against trafilatura and newspaper4k.

Runs every tool in this one process over the two reference sets in ../shared/data (aeb: human-written
body text; pages: human-annotated title, author, date, body and comment snippets), scores each with
../shared/bench/score.py, and prints one table: each figure per tool, pages/s per tool, and
Wirehouse's speed as a multiple of trafilatura's measured in the same run.

Every tool gets the same decoded HTML string; only the extraction calls are timed (reading, gunzip
and decoding are done once, before any clock starts), and the tools take turns every few pages.
Pages/s are pages per second of this process's CPU time: on a machine shared with other jobs, wall
time measures the neighbours as much as the tool.

    python benchmarks/extraction.py [--quick] [--tools wirehouse,trafilatura,newspaper4k] [--shared DIR]

Writes nothing into the repository (scratch files go to a temporary directory).
"""

from __future__ import annotations

import argparse
import contextlib
import gc
import importlib.util
import io
import json
import re
import sys
import tempfile
import time
import warnings
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tasks.parse.encoding import decode_html, read_html_file  # noqa: E402
from tasks.parse.generic import extract_page  # noqa: E402

DEFAULT_SHARED = ROOT.parent / "shared"
SETS = ("aeb", "pages")
QUICK_PAGES = 25
TURN_PAGES = 20
Extractor = Callable[[str, str | None], dict[str, Any]]


@dataclass
class Page:
    name: str
    url: str | None
    html: str


@dataclass
class Run:
    tool: str
    seconds: dict[str, float] = field(default_factory=dict)
    pages: dict[str, int] = field(default_factory=dict)
    figures: dict[str, float] = field(default_factory=dict)
    error: str = ""


# --- the tools, each as html -> record in the shape score.py reads ---


def wirehouse_extract(html: str, url: str | None) -> dict[str, Any]:
    extraction = extract_page(html, url)
    article, published = extraction.article, extraction.published_local
    return {
        "title": article.title,
        "authors": article.bylines,
        "published_at": published.isoformat() if published else None,
        "body_text": article.body_text,
        "comments": [{"text": c.text} for c in article.comments],
    }


def trafilatura_extractor() -> Extractor:
    import trafilatura

    def run(html: str, url: str | None) -> dict[str, Any]:
        # The same call as ../shared/bench/peer_trafilatura.py.
        result: Any = trafilatura.bare_extraction(html, url=url, include_comments=True, with_metadata=True)
        doc: dict[str, Any] = result.as_dict() if hasattr(result, "as_dict") else (result or {})
        return {
            "title": doc.get("title"),
            "authors": [a.strip() for a in (doc.get("author") or "").split(";") if a.strip()],
            "published_at": doc.get("date"),
            "body_text": doc.get("text") or "",
            "comments": [{"text": doc["comments"]}] if doc.get("comments") else [],
        }

    return run


def newspaper_extractor() -> Extractor:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import newspaper

    config = newspaper.Config()
    config.fetch_images = False  # no network: it would download images to rank them
    config.memoize_articles = False

    def run(html: str, url: str | None) -> dict[str, Any]:
        article = newspaper.Article(url or "https://example.com/article", config=config)
        article.download(input_html=html)
        article.parse()
        return {
            "title": article.title,
            "authors": list(article.authors),
            "published_at": article.publish_date.isoformat() if article.publish_date else None,
            "body_text": article.text or "",
            "comments": [],
        }

    return run


TOOLS: dict[str, Callable[[], Extractor]] = {
    "wirehouse": lambda: wirehouse_extract,
    "trafilatura": trafilatura_extractor,
    "newspaper4k": newspaper_extractor,
}


# --- data and scoring ---


def load_pages(shared: Path, name: str, limit: int | None) -> list[Page]:
    folder = shared / "data" / name / "html"
    gold_urls: dict[str, str] = {}
    if name == "pages":
        gold = json.loads((shared / "data" / "pages" / "gold.json").read_text(encoding="utf-8"))
        gold_urls = {key: rec.get("url") for key, rec in gold.items()}
    else:
        gold = json.loads((shared / "data" / "aeb" / "ground-truth.json").read_text(encoding="utf-8"))
        gold_urls = {f"{key}.html.gz": rec.get("url") for key, rec in gold.items()}
    files = sorted(p for p in folder.iterdir() if p.name.endswith((".html", ".html.gz")))[:limit]
    return [Page(f.name, gold_urls.get(f.name), decode_html(read_html_file(f))) for f in files]


def load_scorer(shared: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("wirehouse_bench_score", shared / "bench" / "score.py")
    if spec is None or spec.loader is None:
        raise ImportError("cannot load score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score(scorer: ModuleType, name: str, predictions: Path, data: Path) -> dict[str, float]:
    preds = scorer.load_predictions(predictions)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        (scorer.score_aeb if name == "aeb" else scorer.score_pages)(preds, data)
    text = out.getvalue()
    figures: dict[str, float] = {}
    if name == "aeb":
        match = re.search(r"precision ([\d.]+)\s+recall ([\d.]+)", text)
        if match:
            figures["aeb P"], figures["aeb R"] = float(match[1]), float(match[2])
        match = re.search(r"aeb body F1 ([\d.]+)", text)
        figures["aeb F1"] = float(match[1]) if match else 0.0
        return figures
    summary = re.search(
        r"pages body F ([\d.]+) comments ([\d.]+) author ([\d.]+) title ([\d.]+) date ([\d.]+)", text
    )
    if summary:
        for key, value in zip(("body F", "comments", "author", "title", "date"), summary.groups(), strict=True):
            figures[key] = float(value)
    leaked = re.search(r"leaked into body (\d+)/(\d+)", text)
    if leaked:
        figures["leaked"] = int(leaked[1])
    return figures


def run_tools(
    extractors: dict[str, Extractor], pages: dict[str, list[Page]], scorer: ModuleType, data: Path, scratch: Path
) -> list[Run]:
    """Every tool on every page, the tools taking turns every TURN_PAGES pages: on a machine shared
    with other jobs the load changes by the minute, and taking turns gives each tool the same
    conditions (turns of a few pages, not one: each tool runs with its own code and data warm in the
    CPU caches, as it would alone)."""
    runs = {tool: Run(tool) for tool in extractors}
    for name, items in pages.items():
        records: dict[str, list[dict[str, Any]]] = {tool: [] for tool in extractors}
        seconds = dict.fromkeys(extractors, 0.0)
        for first in range(0, len(items), TURN_PAGES):
            turn = items[first : first + TURN_PAGES]
            for tool, extractor in extractors.items():
                gc.collect()  # each turn starts without the other tool's garbage to scan
                start = time.process_time()
                for page in turn:
                    try:
                        record = extractor(page.html, page.url)
                    except Exception as exc:  # a peer failing on one page must not end the benchmark
                        record = {"error": f"{type(exc).__name__}: {exc}"}
                    record["path"] = page.name
                    records[tool].append(record)
                seconds[tool] += time.process_time() - start
        for tool, run in runs.items():
            run.seconds[name] = seconds[tool]
            run.pages[name] = len(items)
            out = scratch / f"{tool}-{name}.jsonl"
            with out.open("w", encoding="utf-8") as fh:
                for record in records[tool]:
                    fh.write(json.dumps(record, ensure_ascii=False, default=str) + "\n")
            run.figures.update(score(scorer, name, out, data))
    return list(runs.values())


def pages_per_second(run: Run, name: str | None = None) -> float:
    names = [name] if name else list(run.seconds)
    seconds = sum(run.seconds[n] for n in names)
    return sum(run.pages[n] for n in names) / seconds if seconds else 0.0


COLUMNS = (
    ("aeb F1", "aeb F1"), ("aeb P", "aeb P"), ("aeb R", "aeb R"), ("pages body F", "body F"),
    ("comments", "comments"), ("leaked", "leaked"), ("author", "author"), ("title", "title"), ("date", "date"),
)  # fmt: skip


def print_table(runs: list[Run]) -> None:
    header = ["tool", *(label for label, _ in COLUMNS), "aeb p/s", "pages p/s", "all p/s"]
    rows = []
    for run in runs:
        cells = [run.tool]
        for _, key in COLUMNS:
            value = run.figures.get(key)
            cells.append("-" if value is None else f"{value:.0f}" if key == "leaked" else f"{value:.3f}")
        cells += [f"{pages_per_second(run, n):.1f}" for n in SETS if n in run.seconds]
        cells.append(f"{pages_per_second(run):.1f}")
        rows.append(cells)
    widths = [max(len(str(row[i])) for row in [header, *rows]) for i in range(len(header))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=False)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=False)) + " |")
    by_tool = {run.tool: run for run in runs}
    if "wirehouse" in by_tool and "trafilatura" in by_tool:
        ours, theirs = pages_per_second(by_tool["wirehouse"]), pages_per_second(by_tool["trafilatura"])
        if theirs:
            print(
                f"\nWirehouse speed: {ours / theirs:.1f}x trafilatura's pages/s in this run "
                "(single process, pages per CPU second)"
            )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help=f"only the first {QUICK_PAGES} pages of each set")
    parser.add_argument("--tools", default=",".join(TOOLS), help="comma-separated subset of " + ",".join(TOOLS))
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared reference folder")
    args = parser.parse_args(argv)
    shared: Path = args.shared
    if not (shared / "bench" / "score.py").is_file() or not (shared / "data").is_dir():
        print(f"benchmark skipped: reference data not found at {shared} (needs bench/score.py and data/)")
        return 0
    scorer = load_scorer(shared)
    limit = QUICK_PAGES if args.quick else None
    pages = {name: load_pages(shared, name, limit) for name in SETS}
    print("pages: " + ", ".join(f"{name} {len(items)}" for name, items in pages.items()), file=sys.stderr)
    extractors: dict[str, Extractor] = {}
    for tool in [t.strip() for t in args.tools.split(",") if t.strip()]:
        if tool not in TOOLS:
            print(f"unknown tool {tool!r}; known: {', '.join(TOOLS)}", file=sys.stderr)
            return 2
        try:
            extractors[tool] = TOOLS[tool]()
        except ImportError as exc:
            print(f"{tool}: not installed ({exc}); `pip install -e '.[bench]'`", file=sys.stderr)
    print(f"running {', '.join(extractors)}, taking turns every {TURN_PAGES} pages ...", file=sys.stderr)
    with tempfile.TemporaryDirectory(prefix="wirehouse-bench-") as scratch:
        runs = run_tools(extractors, pages, scorer, shared / "data", Path(scratch))
    print_table(runs)
    if args.quick:
        print(f"\n--quick: only {QUICK_PAGES} pages per set were run; score.py counts the rest as missing, so the"
              " quality figures are not comparable with a full run (the speeds are).")
    return 0


if __name__ == "__main__":
    sys.exit(main())
