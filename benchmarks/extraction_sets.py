"""The reference sets of ../shared for benchmarks/extraction.py: pages, gold, folds, and scoring a part of a set.

Every page of aeb, pages and wcxb sits in one of FOLDS folds, fixed by FOLD_SEED and split by site: all
pages of one domain share a fold, over every set. Rules are written from the development folds only
(DEVELOPMENT_FOLDS); the held-out folds say whether a rule generalizes (docs/extraction.md keeps the log).
"""

from __future__ import annotations

import contextlib
import html as html_module
import importlib.util
import io
import json
import random
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any
from urllib.parse import urlparse

SETS = ("aeb", "pages", "wcxb", "wordpress")
FOLDED_SETS = ("aeb", "pages", "wcxb")
FOLDS = 5
FOLD_SEED = 17
DEVELOPMENT_FOLDS = (0, 1, 2)
HELD_OUT_FOLDS = (3, 4)
# The figures score.py prints last, per set, and the names the tables give them.
SUMMARY = {
    "aeb": re.compile(r"aeb body F1 (?P<aeb_F1>[\d.]+)"),
    "pages": re.compile(
        r"pages body F (?P<body_F>[\d.]+) comments (?P<comments>[\d.]+) author (?P<author>[\d.]+) "
        r"title (?P<title>[\d.]+) date (?P<date>[\d.]+) comments_in_html (?P<comments_in_html>[\d.]+) "
        r"leaked (?P<leaked>\d+)"
    ),
    "wcxb": re.compile(
        r"wcxb article F1 (?P<article_F1>[\d.]+) title (?P<title>[\d.]+) author (?P<author>[\d.]+) "
        r"date (?P<date>[\d.]+) forum F1 (?P<forum_F1>[\d.]+)"
    ),
}
_SECOND_LEVEL = frozenset(("co", "com", "org", "net", "ac", "gov", "edu", "ne", "or", "gv"))
_REST_POST = re.compile(r"/wp-json/wp/v2/posts/(\d+)>")


@dataclass
class DataSet:
    name: str
    files: list[Path]  # the pages, in the order a run reads them
    folder: Path | None  # given to the tools as one folder, when every page of it is in the set
    gold: dict[str, Any]  # as score.py reads it (wordpress: file name -> REST post)
    domains: dict[str, str] = field(default_factory=dict)  # gold key -> site
    kinds: dict[str, str] = field(default_factory=dict)  # gold key -> page type (wcxb: article, forum)



# --- data: sets, gold, folds ---


def site_of(url: str | None, fallback: str) -> str:
    """The registered domain of a URL ("www.bbc.co.uk" -> "bbc.co.uk"), else `fallback`."""
    host = (urlparse(url or "").hostname or "").lower().removeprefix("www.")
    if not host:
        return fallback
    labels = host.split(".")
    keep = 3 if len(labels) >= 3 and len(labels[-1]) == 2 and labels[-2] in _SECOND_LEVEL else 2
    return ".".join(labels[-keep:])


def load_sets(shared: Path, names: tuple[str, ...]) -> dict[str, DataSet]:
    data = shared / "data"
    sets: dict[str, DataSet] = {}
    for name in names:
        if name == "wordpress":
            sets[name] = load_wordpress(data / "wordpress")
            continue
        folder = data / name / "html"
        files = sorted(p for p in folder.iterdir() if p.name.endswith((".html", ".html.gz")))
        gold_file = data / name / ("ground-truth.json" if name == "aeb" else "gold.json")
        gold = json.loads(gold_file.read_text(encoding="utf-8"))
        # pages' keys are file names ("site.tld.topic.html"); the others' are ids.
        fallback = {key: key.split(".html")[0] if name == "pages" else key for key in gold}
        domains = {key: site_of(rec.get("url"), fallback[key]) for key, rec in gold.items()}
        kinds = {key: rec.get("type", "article") for key, rec in gold.items()}
        sets[name] = DataSet(name, files, folder, gold, domains, kinds)
    return sets


def load_wordpress(folder: Path) -> DataSet:
    """Post pages of both themes, each with its REST post (found by the page's `Link: <...posts/ID>` header)."""
    files: list[Path] = []
    gold: dict[str, Any] = {}
    for theme in sorted(p for p in folder.iterdir() if p.is_dir()):
        posts: dict[str, Any] = {}
        users: dict[int, str] = {}
        for listing in sorted(theme.glob("*.json")):
            data = json.loads(listing.read_text(encoding="utf-8"))
            for post in data if isinstance(data, list) else [data]:
                if isinstance(post, dict) and post.get("type") == "post":
                    posts[str(post["id"])] = post
                    for author in post.get("_embedded", {}).get("author", []):
                        users[author["id"]] = author["name"]
        for page in sorted(theme.glob("*.html")):
            headers = page.with_name(page.name + ".headers")
            match = _REST_POST.search(headers.read_text(encoding="utf-8")) if headers.exists() else None
            post = posts.get(match[1]) if match else None
            if post is None or post["author"] not in users:
                continue
            key = f"{theme.name}/{page.name}"
            files.append(page)
            gold[key] = {
                "title": html_module.unescape(post["title"]["rendered"]),
                "author": users[post["author"]],
                "date": post["date"],
                "body": html_module.unescape(re.sub(r"<[^>]+>", " ", post["content"]["rendered"])),
            }
    return DataSet("wordpress", files, None, gold)


def assign_folds(sets: dict[str, DataSet], folds: int = FOLDS, seed: int = FOLD_SEED) -> dict[str, dict[str, int]]:
    """set -> gold key -> fold. All pages of a site share a fold, over every set; sites are dealt in a
    seeded shuffle, each to the fold with fewest pages of its kind (set and page type) so far."""
    sites: dict[str, list[tuple[str, str]]] = {}
    for data in sets.values():
        if data.name in FOLDED_SETS:
            for key, site in data.domains.items():
                sites.setdefault(site, []).append((data.name, key))
    order = sorted(sites)
    random.Random(seed).shuffle(order)
    order.sort(key=lambda site: -len(sites[site]))  # big sites first: they are hardest to balance
    filled: Counter[tuple[int, str]] = Counter()
    totals: Counter[int] = Counter()
    assigned: dict[str, dict[str, int]] = {name: {} for name in sets}
    for site in order:
        members = sites[site]
        stratum = Counter(f"{name}:{sets[name].kinds.get(key, '')}" for name, key in members).most_common(1)[0][0]
        fold = min(range(folds), key=lambda f: (filled[f, stratum], totals[f], f))
        for name, key in members:
            assigned[name][key] = fold
        filled[fold, stratum] += len(members)
        totals[fold] += len(members)
    return assigned


def partitions(fold_of: dict[str, int]) -> dict[str, set[str]]:
    """Named subsets of a set's gold keys: all, each fold, the development and held-out folds."""
    parts = {"all": set(fold_of)}
    for fold in range(FOLDS):
        parts[f"fold {fold}"] = {key for key, f in fold_of.items() if f == fold}
    parts["development"] = {key for key, f in fold_of.items() if f in DEVELOPMENT_FOLDS}
    parts["held-out"] = {key for key, f in fold_of.items() if f in HELD_OUT_FOLDS}
    return parts


# --- scoring ---


def load_scorer(shared: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("wirehouse_bench_score", shared / "bench" / "score.py")
    if spec is None or spec.loader is None:
        raise ImportError("cannot load score.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def score_part(
    scorer: ModuleType, data: DataSet, part: str, keys: set[str], predictions: Path, scratch: Path
) -> dict[str, float]:
    """score.py's figures for the pages `keys` of a set: its gold file cut down to them, in a scratch folder."""
    if data.name == "wordpress":
        return score_wordpress(scorer, data, predictions)
    folder = scratch / "gold" / part.replace(" ", "-") / data.name
    if not folder.exists():
        folder.mkdir(parents=True)
        gold_name = "ground-truth.json" if data.name == "aeb" else "gold.json"
        subset = {key: rec for key, rec in data.gold.items() if key in keys}
        (folder / gold_name).write_text(json.dumps(subset), encoding="utf-8")
        assert data.folder is not None
        (folder / "html").symlink_to(data.folder)
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        run = {"aeb": scorer.score_aeb, "pages": scorer.score_pages, "wcxb": scorer.score_wcxb}[data.name]
        run(scorer.load_predictions(predictions), folder.parent)
    match = SUMMARY[data.name].search(out.getvalue())
    return {key: float(value) for key, value in match.groupdict().items()} if match else {}


def score_wordpress(scorer: ModuleType, data: DataSet, predictions: Path) -> dict[str, float]:
    """Title, author and date exact (as score.py compares them) and body word F1 against the REST post."""
    preds: dict[str, Any] = {}
    for line in predictions.read_text(encoding="utf-8").splitlines():
        record = json.loads(line)
        path = Path(record.get("path") or "")
        preds[f"{path.parent.name}/{path.name}"] = record
    hits: Counter[str] = Counter()
    body = 0.0
    for key, gold in data.gold.items():
        pred = preds.get(key, {})
        hits["title"] += scorer.norm(gold["title"]) == scorer.norm(pred.get("title") or "")
        hits["author"] += scorer.names(gold["author"]) == scorer.names(pred.get("authors"))
        hits["date"] += (pred.get("published_at") or "")[:10] == gold["date"][:10]
        body += scorer.word_f1(pred.get("body_text") or "", gold["body"])
    count = max(1, len(data.gold))
    return {"body_F1": body / count, **{key: hits[key] / count for key in ("title", "author", "date")}}

