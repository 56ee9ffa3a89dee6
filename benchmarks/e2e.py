#!/usr/bin/env python3
"""End-to-end benchmark: the real backfill flow, under a real Prefect server, over a generated loopback site.

For each size (1k, 5k, 10k articles, each with a comment thread) a generated news.antiwar.com is served on
127.0.0.1 (testing/generated_site.py: REST posts, comment pages and article pages, three requests an
article), and a fresh process runs `backfill(chunk="month")` into a fresh warehouse with politeness off
(no robots.txt, no rate limit). One Prefect server (SQLite, throwaway PREFECT_HOME) serves every run, as
`make serve` would.

Printed per size:
  peer           a bare httpx crawl of the same site (same 3 GETs an article, same 8 connections, nothing else):
                 its pages/s, its CPU per page, and Wirehouse's rate as a share of it
  pages/s        articles loaded per second of the flow's wall time (each article is 3 HTTP responses)
  stage seconds  wall time inside each stage's plain function, summed over its task runs (fetch and parse
                 of later batches overlap normalize and load of earlier ones, so they add up to more than wall)
  Prefect CPU    Prefect's own CPU time in the flow process, per article and in total: for every task run the
                 CPU its engine thread spent outside the task function (waits on upstream futures excluded),
                 the flow engine's CPU outside the flow function, and Prefect's background threads (events,
                 logs); then the Prefect server's CPU seconds during the run
  peak RSS       the flow process's high-water mark (VmHWM, reset after imports), then the median and 99th
                 percentile of its RSS sampled every 0.25 s during the run; with --runner dask also
                 the Dask workers' summed peak (Prefect's task overhead is then spent on the workers: not counted)
  requests       HTTP requests the flow process sent (robots.txt and redirects included) per article, for the
                 WordPress bulk reads and for the per-post path (`bulk: false`) beside it (--paths), and the polite
                 wall time they mean for a 60,000-post backfill at 2 requests/s (not measured with --runner dask)
  CPU ms/page    the flow process's CPU during the run (all its threads, DuckDB's too; imports excluded), and
                 each stage's own thread CPU inside its task function: on a shared machine these move far less
                 than wall times do, so they are the figures to compare between runs

    python benchmarks/e2e.py [--sizes 1000,5000,10000] [--runner default|dask|both] [--paths bulk,per-post]
                             [--batch-size 200]
                             [--peer-articles 3000] [--writer-memory-limit 256MB]

--batch-size sets WIREHOUSE_BATCH_SIZE (default 200, as the flows' own default): a task run costs Prefect a few
ms of CPU and a load a fixed share, so four task runs a batch stay under 1 ms a page from about 100 pages a batch.
Targets on the 2-core reference machine: >= 300 pages/s; peak RSS within 10% from 1k to 10k; Prefect
overhead < 1 ms per page. The peer, a bare httpx crawl of the same site (--peer-articles of each size; 0 skips it),
shows how much of the target the HTTP client alone leaves. Writes only to a temporary directory.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import inspect
import json
import os
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import types
import urllib.request
from collections import defaultdict
from datetime import date
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
PREFECT = str(Path(sys.executable).with_name("prefect"))
STAGES = ("discover", "fetch", "parse", "normalize", "load")
PEER_CONCURRENCY = 8  # connections, for Wirehouse (its politeness setting here) and for the bare-httpx peer
POLITE_POSTS, POLITE_RATE = 60_000, 2.0  # a whole site's backfill at the rate news.antiwar.com asks for


# ---------------------------------------------------------------- the parent: servers and the table


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def start_prefect_server(home: Path) -> tuple[subprocess.Popen[bytes], dict[str, str]]:
    api_url = f"http://127.0.0.1:{free_port()}/api"
    env = {k: v for k, v in os.environ.items() if not k.startswith(("PREFECT_", "WIREHOUSE_"))}
    env.update(PREFECT_HOME=str(home), PREFECT_API_URL=api_url, PREFECT_SERVER_ANALYTICS_ENABLED="false",
               PREFECT_SERVER_UI_ENABLED="false", PREFECT_LOGGING_LEVEL="WARNING")
    port = api_url.rsplit(":", 1)[1].split("/")[0]
    log = (home / "server.log").open("wb")
    server = subprocess.Popen([PREFECT, "server", "start", "--host", "127.0.0.1", "--port", port], env=env,
                              stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    deadline = time.monotonic() + 180
    while True:
        try:
            urllib.request.urlopen(f"{api_url}/health", timeout=2)
            return server, env
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"Prefect server did not start; see {home / 'server.log'}") from None
            time.sleep(0.5)


def stop(process: subprocess.Popen[Any]) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


def process_tree_cpu(pid: int) -> float:
    import psutil

    root = psutil.Process(pid)
    total = 0.0
    for process in [root, *root.children(recursive=True)]:
        try:
            times = process.cpu_times()
            total += times.user + times.system
        except psutil.NoSuchProcess:
            pass
    return total


def run_size(size: int, runner: str, path: str, args: argparse.Namespace, env: dict[str, str], server_pid: int,
             scratch: Path) -> dict[str, Any]:
    generator = ROOT / "testing" / "generated_site.py"
    site = subprocess.Popen([sys.executable, str(generator), "--articles", str(size), "--per-day", str(args.per_day)],
                            stdout=subprocess.PIPE, start_new_session=True)
    try:
        assert site.stdout is not None
        served = json.loads(site.stdout.readline())
        cpu_before = process_tree_cpu(server_pid)
        load_at_start = os.getloadavg()[0]
        child_env = {**env, "WIREHOUSE_BATCH_SIZE": str(args.batch_size),
                     "WIREHOUSE_DASK_WORKERS": str(args.dask_workers), "WIREHOUSE_DASK_THREADS_PER_WORKER": "1"}
        if args.writer_memory_limit:
            child_env["WIREHOUSE_WRITER_MEMORY_LIMIT"] = args.writer_memory_limit
        done = subprocess.run(
            [sys.executable, __file__, "--child", "--size", str(size), "--runner", runner, "--path", path,
             "--base", served["base"],
             "--first-day", served["first_day"], "--last-day", served["last_day"], "--scratch", str(scratch)],
            env=child_env, capture_output=True, text=True, check=False)
        if done.returncode != 0:
            raise RuntimeError(f"run of {size} articles failed:\n{done.stdout[-3000:]}\n{done.stderr[-5000:]}")
        result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
        result["server_cpu_s"] = process_tree_cpu(server_pid) - cpu_before
        result["path"] = path
        result["load_average_at_start"] = load_at_start
        if args.peer_articles and path == args.paths.split(",")[0]:  # one peer a size
            peer = subprocess.run(
                [sys.executable, __file__, "--bare-httpx", "--size", str(min(size, args.peer_articles)),
                 "--base", served["base"], "--first-day", served["first_day"], "--last-day", served["last_day"]],
                capture_output=True, text=True, check=True)
            result["peer"] = json.loads(peer.stdout.strip().splitlines()[-1])
        return result
    finally:
        stop(site)


def print_table(results: list[dict[str, Any]]) -> None:
    print(f"{'':8} {'':>8} {'':>9} {'':>7} {'':>8} " + "wall seconds inside each stage".center(49)
          + "  Prefect CPU: per page, total, server")
    print(f"{'runner':8} {'articles':>8} {'responses':>9} {'wall s':>7} {'pages/s':>8} "
          + " ".join(f"{s:>9}" for s in STAGES)
          + f" {'ms/page':>8} {'s':>6} {'server':>7} {'tasks':>6} {'RSS MiB':>8} {'p50':>5} {'p99':>5} {'workers':>8}")
    for r in results:
        workers = f"{r['workers_peak_rss_mib']:8.0f}" if r.get("workers_peak_rss_mib") else f"{'-':>8}"
        print(f"{r['runner']:8} {r['articles']:8d} {r['responses']:9d} {r['wall_s']:7.1f} {r['pages_per_s']:8.1f} "
              + " ".join(f"{r['stages'][s]:9.1f}" if r["stages"][s] is not None else f"{'-':>9}" for s in STAGES)
              + (f" {r['prefect_ms_per_page']:8.2f} {r['prefect_overhead_s']:6.1f}"
                 if r["prefect_overhead_s"] is not None else f" {'-':>8} {'-':>6}")
              + f" {r['server_cpu_s']:7.1f}"
              f" {r['task_runs']:6d} {r['peak_rss_mib']:8.0f} {r['rss_p50_mib']:5.0f} {r['rss_p99_mib']:5.0f}"
              f" {workers}")
    print()
    print(f"{'':8} {'':>8} " + "flow process CPU ms per page: whole run, then each stage's own thread".center(62)
          + f" {'load avg':>9}")
    print(f"{'runner':8} {'articles':>8} {'run':>7} " + " ".join(f"{s:>10}" for s in STAGES) + f" {'at start':>9}")
    for r in results:
        cpu = r.get("stage_cpu_ms_per_page") or {}
        print(f"{r['runner']:8} {r['articles']:8d} {r['run_cpu_ms_per_page']:7.2f} "
              + " ".join(f"{cpu[s]:10.2f}" if s in cpu else f"{'-':>10}" for s in STAGES)
              + f" {r.get('load_average_at_start', 0.0):9.1f}")
    peers = [r for r in results if r.get("peer")]
    if peers:
        print()
        print("peer: bare httpx, the same 3 GETs an article at the same concurrency and nothing else (no parse, no "
              "storage, no Prefect)")
        print(f"{'runner':8} {'articles':>8} {'peer fetched':>12} {'peer pages/s':>12} {'peer CPU ms/page':>16} "
              f"{'Wirehouse / peer':>16}")
        for r in peers:
            peer = r["peer"]
            print(f"{r['runner']:8} {r['articles']:8d} {peer['articles']:12d} {peer['pages_per_s']:12.1f} "
                  f"{peer['cpu_ms_per_page']:16.2f} {r['pages_per_s'] / peer['pages_per_s']:15.2f}x")
    print_requests(results)
    by_runner: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in results:
        by_runner[f"{r['runner']} ({r['path']})"].append(r)
    for runner, rows in by_runner.items():
        spread, typical_spread = (percent_spread([r[key] for r in rows]) for key in ("peak_rss_mib", "rss_p50_mib"))
        slowest = min(r["pages_per_s"] for r in rows)
        overheads = [r["prefect_ms_per_page"] for r in rows if r["prefect_ms_per_page"] is not None]
        worst = f"up to {max(overheads):.2f} ms/page" if overheads else "not measured (on the workers)"
        fastest_peer = max((r["peer"]["pages_per_s"] for r in rows if r.get("peer")), default=None)
        ceiling = f" (bare httpx: {fastest_peer:.0f})" if fastest_peer else ""
        print(f"{runner}: slowest {slowest:.0f} pages/s{ceiling} (target >= 300), peak RSS spread {spread:.1f}% "
              f"(median RSS {typical_spread:.1f}%) (target <= 10%), Prefect overhead {worst} (target < 1)")
    load = os.getloadavg()
    print(f"load average at the end: {load[0]:.1f} {load[1]:.1f} {load[2]:.1f} on {os.cpu_count()} cores")


def print_requests(results: list[dict[str, Any]]) -> None:
    counted = [r for r in results if r.get("requests")]
    if not counted:
        return
    print()
    print(f"requests per article, and a {POLITE_POSTS:,}-post backfill at {POLITE_RATE:g} requests/s "
          "(targets: <= 1.1 with comments, <= 1.02 without)")
    print(f"{'runner':8} {'path':>9} {'articles':>8} {'requests':>9} {'per article':>11} {'60k posts, hours':>16}")
    for r in counted:
        per_article = r["requests"] / r["articles"]
        hours = POLITE_POSTS * per_article / POLITE_RATE / 3600
        print(f"{r['runner']:8} {r['path']:>9} {r['articles']:8d} {r['requests']:9d} {per_article:11.3f} {hours:16.1f}")


def percent_spread(values: list[float]) -> float:
    """How far the largest value is above the smallest, in percent of the smallest."""
    return (max(values) - min(values)) / min(values) * 100


def parent(args: argparse.Namespace) -> int:
    sizes = [int(s) for s in args.sizes.split(",")]
    runners = ["default", "dask"] if args.runner == "both" else [args.runner]
    with tempfile.TemporaryDirectory(prefix="wirehouse-e2e-") as tmp:
        home = Path(tmp) / "prefect"
        home.mkdir()
        print(f"starting a Prefect server (PREFECT_HOME={home}) ...", file=sys.stderr)
        server, env = start_prefect_server(home)
        results = []
        try:
            for runner in runners:
                for path in args.paths.split(","):
                    for size in sizes:
                        print(f"{runner} ({path}): {size} articles ...", file=sys.stderr)
                        scratch = Path(tmp) / f"{runner}-{path}-{size}"
                        scratch.mkdir()
                        results.append(run_size(size, runner, path, args, env, server.pid, scratch))
        finally:
            stop(server)
    print_table(results)
    for r in results:
        print(json.dumps(r), file=sys.stderr)
    return 0


# ---------------------------------------------------------------- the child: one instrumented backfill


class Timings:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.stages: dict[str, float] = defaultdict(float)
        self.stage_cpu: dict[str, float] = defaultdict(float)  # the task functions' own thread CPU
        self.engine = 0.0
        self.task_fn = 0.0
        self.task_runs = 0
        self.overhead_by_task: dict[str, list[float]] = defaultdict(list)

    def add(self, field: str, value: float, stage: str | None = None, wall: float = 0.0) -> None:
        with self.lock:
            if stage:
                self.stages[stage] += wall
                self.stage_cpu[stage] += value
            setattr(self, field, getattr(self, field) + value)


TIMINGS = Timings()


def time_task(task: Any, stage: str) -> None:
    """Time the task's own function: what the stage costs without Prefect around it."""
    fn = task.fn
    if inspect.iscoroutinefunction(fn):

        @functools.wraps(fn)
        async def timed_async(*args: Any, **kwargs: Any) -> Any:
            started, cpu = time.perf_counter(), time.thread_time()
            try:
                return await fn(*args, **kwargs)
            finally:
                TIMINGS.add("task_fn", time.thread_time() - cpu, stage, time.perf_counter() - started)
                TIMINGS.overhead_by_task[task.name].append(-(time.thread_time() - cpu))

        task.fn = timed_async
    else:

        @functools.wraps(fn)
        def timed_sync(*args: Any, **kwargs: Any) -> Any:
            started, cpu = time.perf_counter(), time.thread_time()
            try:
                return fn(*args, **kwargs)
            finally:
                TIMINGS.add("task_fn", time.thread_time() - cpu, stage, time.perf_counter() - started)
                TIMINGS.overhead_by_task[task.name].append(-(time.thread_time() - cpu))

        task.fn = timed_sync


def time_task_engine() -> None:
    """Time every task run from Prefect's side, after its upstream futures are done (waiting is not overhead)."""
    import prefect.task_engine as engine
    from prefect.futures import PrefectFuture

    def wait_upstream(kwargs: dict[str, Any]) -> None:
        for value in (kwargs.get("parameters") or {}).values():
            if isinstance(value, PrefectFuture):
                value.wait()

    run_sync, run_async = engine.run_task_sync, engine.run_task_async

    def timed_run_task_sync(*args: Any, **kwargs: Any) -> Any:
        wait_upstream(kwargs)
        cpu = time.thread_time()
        try:
            return run_sync(*args, **kwargs)
        finally:
            TIMINGS.add("engine", time.thread_time() - cpu)
            TIMINGS.add("task_runs", 1)
            TIMINGS.overhead_by_task[kwargs["task"].name].append(time.thread_time() - cpu)

    async def timed_run_task_async(*args: Any, **kwargs: Any) -> Any:
        await asyncio.to_thread(wait_upstream, kwargs)
        cpu = time.thread_time()
        try:
            return await run_async(*args, **kwargs)
        finally:
            TIMINGS.add("engine", time.thread_time() - cpu)
            TIMINGS.add("task_runs", 1)
            TIMINGS.overhead_by_task[kwargs["task"].name].append(time.thread_time() - cpu)

    engine.run_task_sync, engine.run_task_async = timed_run_task_sync, timed_run_task_async  # type: ignore[assignment]


def prefect_thread_cpu() -> float:
    """CPU seconds of Prefect's own threads (event and log shipping, its event-loop threads) in this process."""
    import psutil

    cpu_by_id = {t.id: t.user_time + t.system_time for t in psutil.Process().threads()}
    if os.environ.get("E2E_DEBUG"):
        print([(t.name, cpu_by_id.get(t.native_id or -1)) for t in threading.enumerate()], file=sys.stderr)
    ours = {threading.main_thread().native_id}
    return sum(cpu_by_id.get(t.native_id or -1, 0.0) for t in threading.enumerate()
               if t.native_id not in ours and not t.name.startswith(("ThreadPoolExecutor", "asyncio_", "Thread-")))


def reset_peak_rss() -> None:
    Path("/proc/self/clear_refs").write_text("5")  # Linux: VmHWM starts again from the current RSS


def peak_rss_mib() -> float:
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


class OwnMemory(threading.Thread):
    """This process's RSS every quarter second: the median and 99th percentile over the run show the level it
    works at, which the peak (one moment where a load meets a checkpoint) does not."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.samples: list[float] = []
        self.running = True
        self.page_mib = os.sysconf("SC_PAGE_SIZE") / 2**20

    def run(self) -> None:
        while self.running:
            resident_pages = int(Path("/proc/self/statm").read_text().split()[1])
            self.samples.append(resident_pages * self.page_mib)
            time.sleep(0.25)

    def percentile(self, share: float) -> float:
        ordered = sorted(self.samples) or [0.0]
        return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


class WorkerMemory(threading.Thread):
    """The summed RSS of this process's children (Dask workers), sampled; its peak is kept, and its own CPU
    (walking the process table is not cheap) so that it can be left out of the flow process's."""

    def __init__(self) -> None:
        super().__init__(daemon=True)
        self.peak = 0.0
        self.cpu = 0.0
        self.running = True

    def run(self) -> None:
        import psutil

        me = psutil.Process()
        while self.running:
            started = time.thread_time()
            total = 0
            for child in me.children(recursive=True):
                with contextlib.suppress(psutil.NoSuchProcess):
                    total += child.memory_info().rss
            self.peak = max(self.peak, total / 2**20)
            self.cpu += time.thread_time() - started
            time.sleep(0.5)


def child(args: argparse.Namespace) -> int:
    sys.path.insert(0, str(ROOT))
    import duckdb
    import yaml

    import tasks.load
    import tasks.normalize.task
    import tasks.sources.task
    from flows.backfill import backfill
    from flows.runners import make_task_runner

    timed = [(tasks.sources.task.discover, "discover"), (tasks.normalize.task.normalize_batch, "normalize"),
             (tasks.load.load_batch_task, "load")]
    if args.runner == "default":  # on Dask, fetch and parse run (and are pickled) elsewhere: not timed here
        timed += [(tasks.sources.task.fetch_batch, "fetch"), (tasks.sources.task.parse_batch, "parse")]
    for task, stage in timed:
        time_task(task, stage)
    if args.runner == "default":  # prefect_dask binds the engine functions to ship them: leave them alone
        time_task_engine()
    requests = count_requests()

    sources = args.scratch / "sources.yaml"
    politeness_off = {"allow_private_addresses": True, "requests_per_second": 1_000_000,
                      "max_concurrency": PEER_CONCURRENCY, "obey_robots": False, "retry_backoff_seconds": 0.01,
                      "timeout_seconds": 30}
    sources.write_text(yaml.safe_dump({"sources": [{
        "name": "bench", "kind": "wordpress", "base_url": args.base + "/", "feed_url": args.base + "/feed/",
        "selectors": {"title": "h1.entry-title", "deck": "span.pagesub", "body": "div.entry-content",
                      "comments": "ol.commentlist"},
        "bulk": args.path == "bulk", "politeness": politeness_off}]}))
    db = args.scratch / "warehouse.duckdb"
    flow = backfill.with_options(task_runner=make_task_runner(args.runner))
    flow_fn = flow.fn
    flow_time = {"fn": 0.0}

    async def timed_flow(*a: Any, **k: Any) -> Any:
        cpu = time.thread_time()
        try:
            return await flow_fn(*a, **k)
        finally:
            flow_time["fn"] = time.thread_time() - cpu

    # Prefect reads the flow's signature (string annotations) in its function's globals: keep the flow module's
    flow.fn = functools.update_wrapper(types.FunctionType(
        timed_flow.__code__, {**flow_fn.__globals__, "time": time}, flow_fn.__name__, None, timed_flow.__closure__),
        flow_fn)
    workers, own = WorkerMemory(), OwnMemory()
    own.start()
    if args.runner == "dask":
        workers.start()
    reset_peak_rss()
    started, cpu, process_cpu = time.perf_counter(), time.thread_time(), time.process_time()
    report = asyncio.run(flow(source="bench", start=date.fromisoformat(args.first_day),
                              end=date.fromisoformat(args.last_day), chunk="month", db=str(db),
                              sources_file=str(sources)))
    wall = time.perf_counter() - started
    run_cpu = time.process_time() - process_cpu  # every thread of the flow process (DuckDB's too), imports excluded
    flow_engine_cpu = time.thread_time() - cpu - flow_time["fn"]
    background_cpu = prefect_thread_cpu()
    workers.running = own.running = False
    if workers.is_alive():
        workers.join()
        run_cpu -= workers.cpu
    rss = peak_rss_mib()

    con = duckdb.connect(str(db), read_only=True)
    articles, comments, responses = con.execute(
        "SELECT (SELECT count(*) FROM articles), (SELECT count(*) FROM comments), "
        "(SELECT count(*) FROM raw_responses)").fetchone() or (0, 0, 0)
    con.close()
    if report.status != "completed" or report.failed or articles != args.size:
        raise SystemExit(f"bad run: {report.status}, {report.failed} failures, {articles} of {args.size} articles")
    task_engines_cpu = TIMINGS.engine - TIMINGS.task_fn
    # on Dask the fetch and parse task runs' overhead is spent on the workers, out of reach: not reported
    overhead = task_engines_cpu + flow_engine_cpu + background_cpu if args.runner == "default" else None
    print(json.dumps({
        "runner": args.runner, "articles": articles, "comments": comments, "responses": responses,
        "wall_s": wall, "pages_per_s": articles / wall, "stages": {s: TIMINGS.stages.get(s) for s in STAGES},
        "stage_cpu_ms_per_page": {s: round(TIMINGS.stage_cpu[s] / articles * 1000, 2) for s in STAGES
                                  if s in TIMINGS.stage_cpu},
        "prefect_overhead_s": overhead, "task_engines_cpu_s": task_engines_cpu, "flow_engine_cpu_s": flow_engine_cpu,
        "background_cpu_s": background_cpu, "process_cpu_s": sum(os.times()[:2]),
        "run_cpu_s": run_cpu, "run_cpu_ms_per_page": run_cpu / articles * 1000,
        "prefect_ms_per_page": overhead / articles * 1000 if overhead is not None else None,
        "task_runs": TIMINGS.task_runs, "peak_rss_mib": rss,
        "rss_p50_mib": own.percentile(0.5), "rss_p99_mib": own.percentile(0.99),
        "overhead_ms_by_task": {name: round(sum(v) / (len(v) / 2) * 1000, 1)
                                for name, v in TIMINGS.overhead_by_task.items()} if overhead is not None else None,
        "workers_peak_rss_mib": workers.peak if args.runner == "dask" else None,
        "requests": requests["sent"] if args.runner == "default" else None,  # on Dask the workers send them
    }))
    return 0


def count_requests() -> dict[str, int]:
    """Count the requests the flow process sends (each redirect hop and robots.txt one; retries not again)."""
    from tasks.fetch.fetcher import Fetcher

    counted = {"sent": 0}
    original = Fetcher._get_with_retries

    async def counting(self: Fetcher, *args: Any, **kwargs: Any) -> Any:
        counted["sent"] += 1
        return await original(self, *args, **kwargs)

    Fetcher._get_with_retries = counting  # type: ignore[method-assign]
    return counted


def bare_httpx(args: argparse.Namespace) -> int:
    """The peer: the same site, the same three GETs an article at the same concurrency, with nothing else (no
    parse, no storage, no Prefect): one httpx.AsyncClient in a plain asyncio loop. Its rate is the most any
    httpx-based pipeline gets from this machine, so Wirehouse's rate over it is the share the rest costs."""
    import httpx

    async def crawl() -> tuple[int, float, float]:
        started, cpu = time.perf_counter(), time.process_time()
        window = {"after": f"{args.first_day}T00:00:00", "before": f"{args.last_day}T23:59:59", "per_page": "100"}
        async with httpx.AsyncClient(limits=httpx.Limits(max_connections=PEER_CONCURRENCY)) as client:
            posts: list[tuple[int, str]] = []
            page, pages = 1, 1
            while page <= pages and len(posts) < args.size:
                listing = await client.get(f"{args.base}/wp-json/wp/v2/posts", params={**window, "page": str(page)})
                pages = int(listing.headers.get("X-WP-TotalPages", "0"))
                posts += [(post["id"], post["link"]) for post in listing.json()]
                page += 1
            posts = posts[: args.size]
            slots = asyncio.Semaphore(PEER_CONCURRENCY)

            async def article(post_id: int, link: str) -> None:
                async with slots:
                    for url, params in ((f"{args.base}/wp-json/wp/v2/posts/{post_id}", None), (link, None),
                                        (f"{args.base}/wp-json/wp/v2/comments", {"post": post_id, "per_page": 100})):
                        (await client.get(url, params=params)).raise_for_status()

            await asyncio.gather(*(article(post_id, link) for post_id, link in posts))
        return len(posts), time.perf_counter() - started, time.process_time() - cpu

    articles, wall, cpu = asyncio.run(crawl())
    print(json.dumps({"articles": articles, "pages_per_s": articles / wall, "cpu_ms_per_page": cpu / articles * 1000}))
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="1000,5000,10000")
    parser.add_argument("--runner", choices=["default", "dask", "both"], default="default")
    parser.add_argument("--paths", default="bulk,per-post",
                        help="WordPress read paths to run, each with every size: bulk, per-post (bulk: false)")
    parser.add_argument("--batch-size", type=int, default=200, help="WIREHOUSE_BATCH_SIZE: targets per task run")
    parser.add_argument("--per-day", type=int, default=50, help="articles a day on the generated site")
    parser.add_argument("--dask-workers", type=int, default=2, help="LocalCluster worker processes (--runner dask)")
    parser.add_argument("--writer-memory-limit", help="WIREHOUSE_WRITER_MEMORY_LIMIT for the runs (default: the "
                                                         "flows' own, 256MB): DuckDB's cap in the run's writer")
    parser.add_argument("--peer-articles", type=int, default=3000,
                        help="articles the bare-httpx peer fetches from each size's site (its rate does not depend "
                             "on the site's size; 0 skips the peer)")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--bare-httpx", action="store_true", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, help=argparse.SUPPRESS)
    parser.add_argument("--path", default="bulk", help=argparse.SUPPRESS)
    parser.add_argument("--base", help=argparse.SUPPRESS)
    parser.add_argument("--first-day", help=argparse.SUPPRESS)
    parser.add_argument("--last-day", help=argparse.SUPPRESS)
    parser.add_argument("--scratch", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.bare_httpx:
        return bare_httpx(args)
    return child(args) if args.child else parent(args)


if __name__ == "__main__":
    raise SystemExit(main())
