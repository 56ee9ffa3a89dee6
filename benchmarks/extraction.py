#!/usr/bin/env python3
"""Extraction benchmark: Wirehouse's generic extractor against trafilatura, as a user runs them.

Each tool runs as its own process over each reference set in ../shared/data, the way a user runs it:
`wirehouse extract --jsonl FOLDER` and ../shared/bench/peer_trafilatura.py FOLDER (newspaper4k through
this script's `--emit`). Their JSON lines are scored with ../shared/bench/score.py. Speed is the whole
process's CPU time (startup, imports, reading and decoding included), as the ratio trafilatura / Wirehouse
over the same pages in the same run; the tools take turns, set by set, so both meet the same load.

Sets: aeb (human-written body text), pages (title, author, date, body and comment snippets), wcxb (the
modern web: articles and forum threads), wordpress (a real WordPress in two default themes, scored against
its own REST API). Every page of aeb, pages and wcxb sits in one of FOLDS folds, fixed by FOLD_SEED and
split by site: all pages of one domain share a fold. Rules are written from the development folds only
(DEVELOPMENT_FOLDS); the held-out folds say whether a rule generalizes (docs/extraction.md keeps the log).

    python benchmarks/extraction.py [--sets aeb,pages,wcxb,wordpress] [--tools wirehouse,trafilatura]
                                    [--repeat N] [--in-process] [--shared DIR]
    python benchmarks/extraction.py --dates      # our dates against htmldate's, fold by fold
    python benchmarks/extraction.py --emit TOOL PATH...   # one tool's JSON lines, as the runs use them

Writes nothing into the repository (scratch files go to a temporary directory).
"""

from __future__ import annotations

import argparse
import gzip
import json
import resource
import subprocess
import sys
import tempfile
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType

sys.path.insert(0, str(Path(__file__).resolve().parent))

from extraction_sets import (
    DEVELOPMENT_FOLDS,
    FOLD_SEED,
    FOLDED_SETS,
    FOLDS,
    HELD_OUT_FOLDS,
    SETS,
    DataSet,
    assign_folds,
    load_scorer,
    load_sets,
    partitions,
    score_part,
    site_of,
)

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SHARED = ROOT.parent / "shared"
TOOLS = ("wirehouse", "trafilatura", "newspaper4k")
__all__ = ["DEVELOPMENT_FOLDS", "FOLDS", "FOLD_SEED", "DataSet", "assign_folds", "main", "partitions", "site_of"]


@dataclass
class Run:
    tool: str
    seconds: dict[str, float] = field(default_factory=dict)  # set -> whole-process CPU seconds
    outputs: dict[str, Path] = field(default_factory=dict)  # set -> JSON lines
    figures: dict[tuple[str, str], dict[str, float]] = field(default_factory=dict)  # (set, part) -> figures


# --- running the tools ---


def tool_command(tool: str, shared: Path) -> list[str]:
    if tool == "wirehouse":
        script = Path(sys.executable).with_name("wirehouse")
        if script.exists():
            return [str(script), "extract", "--jsonl"]
        return [sys.executable, "-c", "from wirehouse.cli import app; app()", "extract", "--jsonl"]
    if tool == "trafilatura":
        return [sys.executable, str(shared / "bench" / "peer_trafilatura.py")]
    return [sys.executable, str(Path(__file__).resolve()), "--emit", tool]


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_process(command: list[str], data: DataSet, out: Path) -> float:
    """Run one tool over a set as its own process; its CPU seconds (user + system, startup included)."""
    targets = [str(data.folder)] if data.folder is not None else [str(f) for f in data.files]
    before = children_cpu()
    with out.open("w", encoding="utf-8") as sink:
        done = subprocess.run([*command, *targets], stdout=sink, stderr=subprocess.PIPE, text=True, check=False)
    spent = children_cpu() - before
    if done.returncode != 0:
        raise RuntimeError(f"{command[0]} failed on {data.name}: {done.stderr.strip()[-500:]}")
    return spent


def run_tools(tools: list[str], sets: dict[str, DataSet], shared: Path, scratch: Path, repeat: int) -> list[Run]:
    """Every tool over every set, as processes taking turns (the order alternates from set to set and
    repeat to repeat); the least CPU of the repeats counts (the others met more of the neighbours' load)."""
    runs = {tool: Run(tool) for tool in tools}
    commands = {tool: tool_command(tool, shared) for tool in tools}
    for index, (name, data) in enumerate(sets.items()):
        for attempt in range(repeat):
            order = tools if (index + attempt) % 2 == 0 else list(reversed(tools))
            for tool in order:
                print(f"  {tool} over {name} ({len(data.files)} pages) ...", file=sys.stderr)
                out = scratch / f"{tool}-{name}.jsonl"
                seconds = run_process(commands[tool], data, out)
                runs[tool].outputs[name] = out
                runs[tool].seconds[name] = min(seconds, runs[tool].seconds.get(name, seconds))
    return list(runs.values())


def run_in_process(sets: dict[str, DataSet], scratch: Path) -> Run:
    """The extractor in this process (the development loop: quality figures, CPU per page without startup)."""
    sys.path.insert(0, str(ROOT))
    from wirehouse.extract import extract_record

    run = Run("wirehouse")
    for name, data in sets.items():
        out = scratch / f"wirehouse-{name}.jsonl"
        start = time.process_time()
        with out.open("w", encoding="utf-8") as sink:
            for path in data.files:
                sink.write(json.dumps(extract_record(path), ensure_ascii=False) + "\n")
        run.seconds[name] = time.process_time() - start
        run.outputs[name] = out
    return run


# --- tables ---


def score_runs(runs: list[Run], sets: dict[str, DataSet], folds: dict[str, dict[str, int]], scorer: ModuleType,
               scratch: Path) -> None:  # fmt: skip
    for run in runs:
        for name, out in run.outputs.items():
            data = sets[name]
            parts = partitions(folds[name]) if name in FOLDED_SETS else {"all": set(data.gold)}
            for part, keys in parts.items():
                run.figures[name, part] = score_part(scorer, data, part, keys, out, scratch)


def print_table(header: list[str], rows: list[list[str]]) -> None:
    widths = [max(len(row[i]) for row in [header, *rows]) for i in range(len(header))]
    print("| " + " | ".join(h.ljust(w) for h, w in zip(header, widths, strict=True)) + " |")
    print("|" + "|".join("-" * (w + 2) for w in widths) + "|")
    for row in rows:
        print("| " + " | ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)) + " |")


def cell(value: float | None, key: str) -> str:
    return "-" if value is None else f"{value:.0f}" if key == "leaked" else f"{value:.3f}"


def report(runs: list[Run], sets: dict[str, DataSet], whole_process: bool) -> None:
    by_tool = {run.tool: run for run in runs}
    for name, data in sets.items():
        figures = sorted({key for run in runs for key in run.figures.get((name, "all"), {})}, key=_figure_order)
        parts = [part for part in runs[0].figures if part[0] == name] if runs else []
        print(f"\n{name}: {len(data.files)} pages")
        header = ["part", "tool", *figures]
        rows = []
        for _, part in parts:
            for run in runs:
                values = run.figures.get((name, part), {})
                rows.append([part, run.tool, *(cell(values.get(key), key) for key in figures)])
        print_table(header, rows)
        speeds = []
        for run in runs:
            seconds = run.seconds.get(name)
            if seconds:
                speeds.append(f"{run.tool} {seconds:.2f} s CPU = {len(data.files) / seconds:.1f} pages/s")
        if speeds:
            kind = "whole process, startup included" if whole_process else "in this process, extraction only"
            print(f"speed ({kind}): " + "; ".join(speeds))
        ours, theirs = by_tool.get("wirehouse"), by_tool.get("trafilatura")
        if ours and theirs and ours.seconds.get(name) and theirs.seconds.get(name):
            print(f"Wirehouse: {theirs.seconds[name] / ours.seconds[name]:.1f}x trafilatura's speed on {name}")


def _figure_order(key: str) -> tuple[int, str]:
    order = ("aeb_F1", "body_F", "article_F1", "body_F1", "forum_F1", "comments", "comments_in_html", "leaked",
             "author", "title", "date")  # fmt: skip
    return (order.index(key) if key in order else len(order), key)


# --- dates: ours against htmldate ---


def compare_dates(sets: dict[str, DataSet], folds: dict[str, dict[str, int]]) -> None:
    """Date accuracy of our rules, of htmldate alone, and of htmldate filling in where our rules found
    nothing or only a weak date (from the headline's text); each with its CPU cost, on the development
    and held-out folds."""
    sys.path.insert(0, str(ROOT))
    from htmldate import find_date

    from tasks.parse.encoding import decode_html, read_html_file
    from tasks.parse.generic import read_page

    tallies: dict[str, Counter[str]] = {}
    cpu = {"ours": 0.0, "htmldate": 0.0}
    for name in ("pages", "wcxb"):
        data = sets[name]
        for path in data.files:
            key = path.name if name == "pages" else path.name.split(".")[0]
            gold = data.gold.get(key, {})
            want = str(gold.get("date") or gold.get("publish_date") or "")[:10]
            if not want or gold.get("type", "article") != "article":
                continue
            html = decode_html(read_html_file(path))
            start = time.process_time()
            page = read_page(html)
            cpu["ours"] += time.process_time() - start
            start = time.process_time()
            try:
                theirs = find_date(html, original_date=True) or ""
            except Exception:  # htmldate failing on a page counts as no date
                theirs = ""
            cpu["htmldate"] += time.process_time() - start
            ours = page.published.isoformat()[:10] if page.published else ""
            weak = page.published_source in ("", "headline")  # by the headline's text only, or none
            part = "held-out" if folds[name][key] in HELD_OUT_FOLDS else "development"
            tally = tallies.setdefault(part, Counter())
            tally["pages"] += 1
            tally["ours"] += ours == want
            tally["htmldate"] += theirs == want
            tally["ours, else htmldate"] += (ours or theirs) == want
            tally["htmldate where ours is weak"] += (theirs if weak and theirs else ours) == want
            tally["weak"] += weak
    header = ["part", "pages", "ours", "htmldate", "ours, else htmldate", "htmldate where ours is weak"]
    rows = [
        [part, str(t["pages"]), *(f"{t[k] / max(1, t['pages']):.3f}" for k in header[2:])]
        for part, t in sorted(tallies.items())
    ]
    print_table(header, rows)
    pages = sum(t["pages"] for t in tallies.values())
    print(f"\nCPU per page: our whole extraction {1000 * cpu['ours'] / pages:.2f} ms; "
          f"htmldate's date alone {1000 * cpu['htmldate'] / pages:.2f} ms")  # fmt: skip


# --- peers without a script of their own ---


def emit(tool: str, paths: list[str]) -> None:
    """Print `tool`'s extraction of each page as JSON lines (score.py's shape)."""
    if tool != "newspaper4k":
        raise SystemExit(f"--emit knows newspaper4k only, not {tool!r}")
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        import newspaper

    config = newspaper.Config()
    config.fetch_images = False  # no network: it would download images to rank them
    config.memoize_articles = False
    for path in _page_files(paths):
        raw = path.read_bytes()
        html = (gzip.decompress(raw) if path.name.endswith(".gz") else raw).decode("utf-8", errors="replace")
        article = newspaper.Article("https://example.com/article", config=config)
        try:
            article.download(input_html=html)
            article.parse()
            record = {"title": article.title, "authors": list(article.authors), "body_text": article.text or "",
                      "published_at": article.publish_date.isoformat() if article.publish_date else None}  # fmt: skip
        except Exception as exc:  # a peer failing on one page must not end the benchmark
            record = {"error": f"{type(exc).__name__}: {exc}"}
        print(json.dumps({"path": str(path), "comments": [], **record}, ensure_ascii=False))


def _page_files(paths: list[str]) -> Iterator[Path]:
    for arg in paths:
        path = Path(arg)
        yield from (sorted(p for p in path.iterdir() if p.name.endswith((".html", ".html.gz"))) if path.is_dir()
                    else [path])  # fmt: skip


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sets", default=",".join(SETS), help="comma-separated subset of " + ",".join(SETS))
    parser.add_argument("--tools", default="wirehouse,trafilatura", help="comma-separated subset of " + ",".join(TOOLS))
    parser.add_argument("--repeat", type=int, default=1, help="runs per tool and set; the least CPU counts")
    parser.add_argument("--in-process", action="store_true", help="only Wirehouse, in this process (quick)")
    parser.add_argument("--dates", action="store_true", help="our dates against htmldate's")
    parser.add_argument("--shared", type=Path, default=DEFAULT_SHARED, help="the shared reference folder")
    parser.add_argument("--emit", metavar="TOOL", help="print one peer's JSON lines for PATH...")
    parser.add_argument("paths", nargs="*", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.emit:
        emit(args.emit, args.paths)
        return 0
    shared: Path = args.shared
    if not (shared / "bench" / "score.py").is_file() or not (shared / "data").is_dir():
        print(f"benchmark skipped: reference data not found at {shared} (needs bench/score.py and data/)")
        return 0
    names = tuple(n for n in args.sets.split(",") if n in SETS and (shared / "data" / n).is_dir())
    sets = load_sets(shared, names)
    folds = assign_folds(sets)
    if args.dates:
        compare_dates(load_sets(shared, ("pages", "wcxb")) if set(names) != {"pages", "wcxb"} else sets, folds)
        return 0
    tools = [t for t in args.tools.split(",") if t]
    unknown = [t for t in tools if t not in TOOLS]
    if unknown:
        print(f"unknown tool {unknown[0]!r}; known: {', '.join(TOOLS)}", file=sys.stderr)
        return 2
    scorer = load_scorer(shared)
    with tempfile.TemporaryDirectory(prefix="wirehouse-bench-") as scratch:
        if args.in_process:
            runs = [run_in_process(sets, Path(scratch))]
        else:
            runs = run_tools(tools, sets, shared, Path(scratch), max(1, args.repeat))
        score_runs(runs, sets, folds, scorer, Path(scratch))
        report(runs, sets, whole_process=not args.in_process)
    return 0


if __name__ == "__main__":
    sys.exit(main())
