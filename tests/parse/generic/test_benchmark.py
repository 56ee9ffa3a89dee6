"""benchmarks/extraction.py: its folds keep every site on one side, its scores cut the gold to a part,
its runs take turns as processes, and it skips cleanly without ../shared."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import SHARED

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture
def bench(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    spec = importlib.util.spec_from_file_location("extraction_bench", ROOT / "benchmarks" / "extraction.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    monkeypatch.setitem(sys.modules, spec.name, module)  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


def test_skips_cleanly_without_shared_data(bench: ModuleType, tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    assert bench.main(["--shared", str(tmp_path / "absent")]) == 0
    assert "benchmark skipped" in capsys.readouterr().out


def test_site_of_a_url(bench: ModuleType) -> None:
    assert bench.site_of("https://www.bbc.co.uk/news/world-123", "x") == "bbc.co.uk"
    assert bench.site_of("https://news.antiwar.com/2017/01/16/a/", "x") == "antiwar.com"
    assert bench.site_of(None, "fallback.example") == "fallback.example"


def test_folds_keep_each_site_in_one_fold_across_sets(bench: ModuleType) -> None:
    sites = [f"site{n}.example" for n in range(40)]
    aeb = bench.DataSet("aeb", [], None, {}, {f"a{n}": sites[n % 40] for n in range(120)}, {})
    wcxb = bench.DataSet(
        "wcxb", [], None, {},
        {f"w{n}": sites[(n * 7) % 40] for n in range(200)},
        {f"w{n}": "forum" if n % 5 == 0 else "article" for n in range(200)},
    )  # fmt: skip
    folds = bench.assign_folds({"aeb": aeb, "wcxb": wcxb})
    assert folds == bench.assign_folds({"aeb": aeb, "wcxb": wcxb})  # fixed by the seed
    site_fold: dict[str, int] = {}
    for name, data in (("aeb", aeb), ("wcxb", wcxb)):
        for key, site in data.domains.items():
            assert site_fold.setdefault(site, folds[name][key]) == folds[name][key]
    sizes = [sum(f == fold for fold in folds["wcxb"].values()) for f in range(bench.FOLDS)]
    assert min(sizes) > 0.6 * max(sizes)  # balanced
    forums = [sum(f == fold for key, fold in folds["wcxb"].items() if key in {f"w{n}" for n in range(0, 200, 5)})
              for f in range(bench.FOLDS)]  # fmt: skip
    assert min(forums) >= 4  # each page type spread over the folds


def test_partitions_split_development_from_held_out(bench: ModuleType) -> None:
    parts = bench.partitions({f"p{n}": n % bench.FOLDS for n in range(25)})
    assert parts["development"] | parts["held-out"] == parts["all"]
    assert not parts["development"] & parts["held-out"]
    assert parts["fold 3"] <= parts["held-out"] and parts["fold 0"] <= parts["development"]


def test_scores_a_part_against_its_cut_of_the_gold(bench: ModuleType, tmp_path: Path) -> None:
    if not (SHARED / "bench" / "score.py").is_file():
        pytest.skip("../shared/bench/score.py is not present")
    scorer = bench.load_scorer(SHARED)
    html = tmp_path / "html"
    html.mkdir()
    gold = {
        "a": {"type": "article", "title": "Alpha", "main_content": "alpha words here and there"},
        "b": {"type": "article", "title": "Beta", "main_content": "beta words somewhere else entirely"},
    }
    data = bench.DataSet("wcxb", [], html, gold, {"a": "a.example", "b": "b.example"}, {"a": "article", "b": "article"})
    predictions = tmp_path / "predictions.jsonl"
    lines = [{"path": "a.html.gz", "title": "Alpha", "body_text": "alpha words here and there"},
             {"path": "b.html.gz", "title": "Wrong", "body_text": ""}]  # fmt: skip
    predictions.write_text("\n".join(json.dumps(line) for line in lines), encoding="utf-8")
    scratch = tmp_path / "scratch"
    first = bench.score_part(scorer, data, "fold 0", {"a"}, predictions, scratch)
    second = bench.score_part(scorer, data, "fold 1", {"b"}, predictions, scratch)
    assert first["article_F1"] == 1.0 and first["title"] == 1.0
    assert second["article_F1"] == 0.0 and second["title"] == 0.0


def test_tools_run_as_processes_taking_turns(
    bench: ModuleType, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = tmp_path / "order.log"
    script = "import sys, pathlib; pathlib.Path(sys.argv[1]).open('a').write(sys.argv[2] + '\\n'); print('{}')"

    def command(tool: str, shared: Path) -> list[str]:
        return [sys.executable, "-c", script, str(log), tool]

    monkeypatch.setattr(bench, "tool_command", command)
    sets = {name: bench.DataSet(name, [], tmp_path, {}) for name in ("aeb", "pages")}
    runs = bench.run_tools(["a", "b"], sets, tmp_path, tmp_path, repeat=2)
    assert log.read_text().split() == ["a", "b", "b", "a", "b", "a", "a", "b"]
    for run in runs:
        assert set(run.outputs) == {"aeb", "pages"} and all(seconds > 0 for seconds in run.seconds.values())
