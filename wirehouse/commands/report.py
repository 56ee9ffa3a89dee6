"""`wirehouse report --out report.html`: one static page about what the warehouse holds.

Charts are inline SVG and the styles are inline, so the page needs no network, no scripts and no other file
at view time: it can be mailed, archived or opened from a USB stick.
"""

from __future__ import annotations

from datetime import date, datetime
from html import escape
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from wirehouse.commands import DbOption, db_path, err, run_or_fail
from wirehouse.commands.charts import PALETTE, day_bars, day_range, horizontal_bars, run_bars, stacked_day_bars

if TYPE_CHECKING:
    from warehouse.report_data import ReportData
    from wirehouse.commands.health import SourceTrend

HEALTH_DAYS = 30  # runs of the last 30 days (up to the newest run) in the health section
STATUS_COLORS = {"ok": "#10b981", "degraded": "#f59e0b", "broken": "#ef4444"}


def report_command(
    out: Annotated[Path, typer.Option("--out", "-o", help="HTML file to write")] = Path("report.html"),
    db: DbOption = None,
) -> None:
    """Write a static HTML report: source health, articles and comments per day, top authors and threads, runs."""
    from warehouse.connection import open_reader
    from warehouse.report_data import report_data
    from wirehouse.commands.health import read_trends

    path = db_path(db)

    def run() -> tuple[ReportData, list[SourceTrend]]:
        with open_reader(path) as con:
            return report_data(con), read_trends(con, None, HEALTH_DAYS)

    data, health = run_or_fail(run)
    page = render_report(data, path.name, health)
    run_or_fail(lambda: out.write_text(page, encoding="utf-8"))
    err.print(f"wrote {out} ({len(page) / 1024:,.0f} KiB)", highlight=False, soft_wrap=True)


# --- rendering ----------------------------------------------------------------------------------------------

_CSS = """
:root { --ink: #0f172a; --muted: #64748b; --line: #e2e8f0; --card: #ffffff; --bg: #f1f5f9; --accent: #2563eb; }
* { box-sizing: border-box; }
body { margin: 0; background: var(--bg); color: var(--ink);
       font: 15px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; }
header { background: linear-gradient(120deg, #0f172a, #1e3a8a); color: #fff; padding: 28px 40px 64px; }
header h1 { margin: 0; font-size: 26px; letter-spacing: -0.01em; }
header p { margin: 6px 0 0; color: #cbd5e1; }
main { max-width: 1080px; margin: -44px auto 40px; padding: 0 24px; }
.kpis { display: grid; grid-template-columns: repeat(6, 1fr); gap: 12px; margin-bottom: 18px; }
.kpi { background: var(--card); border-radius: 12px; padding: 14px 16px; box-shadow: 0 1px 3px rgba(15,23,42,.08); }
.kpi b { display: block; font-size: 24px; font-variant-numeric: tabular-nums; letter-spacing: -0.02em; }
.kpi span { color: var(--muted); font-size: 12.5px; text-transform: uppercase; letter-spacing: .05em; }
section { background: var(--card); border-radius: 12px; padding: 20px 24px; margin-bottom: 18px;
          box-shadow: 0 1px 3px rgba(15,23,42,.08); }
section h2 { margin: 0 0 4px; font-size: 17px; }
section .sub { margin: 0 0 14px; color: var(--muted); font-size: 13px; }
.pair { display: grid; grid-template-columns: 1fr 1fr; gap: 18px; }
.pair section { margin-bottom: 0; }
.legend { display: flex; gap: 18px; margin: 0 0 8px; font-size: 13px; color: var(--muted); flex-wrap: wrap; }
.legend i { display: inline-block; width: 11px; height: 11px; border-radius: 3px; margin-right: 6px;
            vertical-align: -1px; }
svg { width: 100%; height: auto; display: block; }
table { width: 100%; border-collapse: collapse; font-size: 13.5px; }
th { text-align: left; color: var(--muted); font-weight: 600; font-size: 12px; text-transform: uppercase;
     letter-spacing: .04em; padding: 6px 8px; border-bottom: 1px solid var(--line); }
td { padding: 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tr:last-child td { border-bottom: 0; }
a { color: var(--accent); text-decoration: none; }
a:hover { text-decoration: underline; }
.meter { height: 6px; background: #dbeafe; border-radius: 3px; margin-top: 5px; }
.meter i { display: block; height: 6px; background: var(--accent); border-radius: 3px; }
.tag { display: inline-block; padding: 1px 8px; border-radius: 999px; font-size: 12px; font-weight: 600; }
.ok { background: #dcfce7; color: #166534; } .bad { background: #fee2e2; color: #991b1b; }
.run { background: #fef9c3; color: #854d0e; } .warn { background: #fef3c7; color: #92400e; }
.health { padding: 14px 0; border-top: 1px solid var(--line); } .health:first-of-type { border-top: 0; }
.health h3 { margin: 0 0 4px; font-size: 15px; } .health ul { margin: 4px 0 8px; padding-left: 20px; }
.alarm { border-left: 4px solid #ef4444; }
.src { color: var(--muted); font-size: 12.5px; }
.empty { color: var(--muted); font-style: italic; margin: 8px 0; }
footer { text-align: center; color: var(--muted); font-size: 12.5px; margin: 10px 0 30px; }
"""


def render_report(data: ReportData, db_name: str, health: list[SourceTrend] | None = None) -> str:
    colors = {source: PALETTE[i % len(PALETTE)] for i, source in enumerate(data.sources)}
    totals = data.totals
    span = _span(totals["first_published_at"], totals["last_published_at"])
    kpis = "".join(
        f'<div class="kpi"><b>{_n(totals[key])}</b><span>{label}</span></div>'
        for key, label in (("articles", "articles"), ("comments", "comments"), ("authors", "authors"),
                           ("commenters", "commenters"), ("words", "words"), ("edits", "edited versions"))
    )
    health = health or []
    unwell = any(t.latest.status.value != "ok" for t in health)
    body = [
        f'<header><h1>Wirehouse · what the warehouse holds</h1><p>{escape(db_name)} · {len(data.sources)} sources'
        f" · {span} · generated {data.generated_at:%Y-%m-%d %H:%M} UTC</p></header><main>",
        f'<div class="kpis">{kpis}</div>',
        _health_section(health) if unwell else "",  # a source needing attention comes first
        _articles_section(data, colors),
        _comments_section(data),
        '<div class="pair">',
        _ranked_section("Top authors", "By articles in their byline.", data.top_authors, "display_name", "articles",
                        "articles", PALETTE[0]),
        _ranked_section("Top commenters", "By comments written.", data.top_commenters, "author_name", "comments",
                        "comments", PALETTE[2]),
        "</div><div style='height:18px'></div>",
        _commented_section(data, colors),
        "" if unwell else _health_section(health),
        _runs_section(data),
        "</main><footer>A static page: no scripts, nothing fetched. "
        "Made by <code>wirehouse report</code>; the numbers come from the views daily_articles, daily_comments, "
        "author_activity, top_commenters and article_comment_activity.</footer>",
    ]
    return (
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>"
        "<meta name='viewport' content='width=device-width, initial-scale=1'>"
        f"<title>Wirehouse report · {escape(db_name)}</title><style>{_CSS}</style></head><body>"
        + "".join(body)
        + "</body></html>\n"
    )


def _articles_section(data: ReportData, colors: dict[str, str]) -> str:
    if not data.articles_per_day or data.chart_start is None or data.chart_end is None:
        return _section("Articles per day", "", '<p class="empty">No dated articles yet.</p>')
    days = day_range(data.chart_start, data.chart_end)
    index = {day: i for i, day in enumerate(days)}
    series = {source: [0] * len(days) for source in data.sources}
    for day, source, count in data.articles_per_day:
        series.setdefault(source, [0] * len(days))[index[day]] = count
    series = {s: v for s, v in series.items() if any(v)}
    legend = "".join(f'<span><i style="background:{colors.get(s, PALETTE[0])}"></i>{escape(s)} '
                     f"({_n(sum(v))})</span>" for s, v in series.items())
    sub = f"By source, {data.chart_start:%d %b} – {data.chart_end:%d %b %Y} (UTC)."
    if data.articles_before_window:
        sub += f" {_older(data.articles_before_window, 'article')}"
    chart = stacked_day_bars(days, series, {s: colors.get(s, PALETTE[0]) for s in series}, "articles")
    return _section("Articles per day", sub, f'<div class="legend">{legend}</div>{chart}')


def _comments_section(data: ReportData) -> str:
    if not data.comments_per_day or data.chart_start is None or data.chart_end is None:
        return _section("Comments per day", "", '<p class="empty">No dated comments yet.</p>')
    days = day_range(data.chart_start, data.chart_end)
    values = [0] * len(days)
    index = {day: i for i, day in enumerate(days)}
    for day, comments, _ in data.comments_per_day:
        values[index[day]] = int(comments)
    busiest = max(data.comments_per_day, key=lambda row: row[1])
    sub = f"All sources, by the day each comment was posted. Busiest: {busiest[0]:%d %b %Y} with {_n(busiest[1])}."
    if data.comments_before_window:
        sub += f" {_older(data.comments_before_window, 'comment')}"
    return _section("Comments per day", sub, day_bars(days, values, "#0ea5e9", "comments"))


def _ranked_section(title: str, sub: str, rows: list[dict[str, Any]], label: str, value: str, unit: str,
                    color: str) -> str:
    if not rows:
        return _section(title, sub, '<p class="empty">Nothing yet.</p>')
    chart = horizontal_bars([str(r[label]) for r in rows], [int(r[value]) for r in rows], color, unit)
    return _section(title, sub, chart)


def _commented_section(data: ReportData, colors: dict[str, str]) -> str:
    rows = data.top_commented
    if not rows:
        return _section("Most commented articles", "", '<p class="empty">No comments yet.</p>')
    peak = max(int(r["comments"]) for r in rows) or 1
    lines = []
    for r in rows:
        width = 100 * int(r["comments"]) / peak
        color = colors.get(r["source"], PALETTE[0])
        lines.append(
            f'<tr><td><a href="{escape(r["url"], quote=True)}">{escape(r["title"])}</a>'
            f'<div class="src"><i style="color:{color}">●</i> {escape(r["source"])} · {_day(r["published_at"])}'
            f'</div></td><td class="num" style="width:28%"><b>{_n(r["comments"])}</b> '
            f'{_plural(r["comments"], "comment", "comments")} · {_n(r["commenters"])} '
            f'{_plural(r["commenters"], "person", "people")} · depth {r["max_depth"]}'
            f'<div class="meter"><i style="width:{width:.0f}%;background:{color}"></i></div></td></tr>'
        )
    table = "<table><tr><th>article</th><th style='text-align:right'>thread</th></tr>" + "".join(lines) + "</table>"
    return _section("Most commented articles", "Loaded comments; depth is the deepest reply level.", table)


def _health_section(trends: list[SourceTrend]) -> str:
    title = "Source health"
    if not trends:
        return _section(title, "", '<p class="empty">No source health recorded yet: each ingest run records it.</p>')
    unwell = [t for t in trends if t.latest.status.value != "ok"]
    sub = (f"{len(unwell)} of {len(trends)} sources need attention. " if unwell else "Every source is ok. ") + (
        f"Each source's runs of the last {HEALTH_DAYS} days: targets discovered per day, and the run's worst "
        "figure (failures, empty bodies, missing authors or dates, comments not found, selector misses); each bar "
        "in the colour of the run's status.")
    legend = "".join(f'<span><i style="background:{c}"></i>{s}</span>' for s, c in STATUS_COLORS.items())
    parts = [f'<div class="legend">{legend}</div>']
    for trend in trends:
        latest = trend.latest
        status = latest.status.value
        css = {"ok": "ok", "degraded": "warn", "broken": "bad"}[status]
        name = latest.figures.source + ("" if latest.figures.flow == "nightly" else f" ({latest.figures.flow})")
        why = "".join(f"<li>{escape(r.message)}</li>" for r in latest.reasons)
        notes = [f"last good run {trend.last_ok[1]:%Y-%m-%d %H:%M} ({escape(trend.last_ok[0])})" if trend.last_ok
                 else "no good run yet"]
        if trend.decision is not None and trend.decision.next_check_at is not None:
            notes.append(f"next try {trend.decision.next_check_at:%Y-%m-%d %H:%M} UTC")
        labels = [f"{h.figures.started_at:%d %b}" for h, _ in trend.runs]
        colors = [STATUS_COLORS[h.status.value] for h, _ in trend.runs]
        statuses = [f"{h.figures.started_at:%a %d %b %Y} · {h.status.value}" for h, _ in trend.runs]
        volume = trend.volume
        worst = trend.worst
        volume_chart = run_bars(labels, volume, colors,
                                [f"{s}: {v:,.1f} targets a day" for s, v in zip(statuses, volume, strict=True)],
                                "targets discovered per day")
        worst_chart = run_bars(labels, [v for _, v in worst], colors,
                               [f"{s}: {v:.0%} {n or 'nothing to measure'}" for s, (n, v)
                                in zip(statuses, worst, strict=True)], "worst figure", percent=True)
        parts.append(
            f'<div class="health"><h3>{escape(name)} <span class="tag {css}">{status}</span></h3>'
            + (f"<ul>{why}</ul>" if why else "")
            + f'<p class="src">{" · ".join(notes)}</p>'
            + f'<div class="pair"><div><p class="src">targets discovered per day</p>{volume_chart}</div>'
            + f'<div><p class="src">worst figure</p>{worst_chart}</div></div></div>'
        )
    section = _section(title, sub, "".join(parts))
    return section.replace("<section>", '<section class="alarm">', 1) if unwell else section


def _runs_section(data: ReportData) -> str:
    if not data.runs:
        return _section("Last runs", "", '<p class="empty">No runs recorded.</p>')
    lines = []
    for run in data.runs:
        status = str(run["status"])
        css = "ok" if status == "completed" else "bad" if status == "failed" else "run"
        took = (run["finished_at"] - run["started_at"]).total_seconds() if run["finished_at"] else None
        lines.append(
            f"<tr><td>{run['started_at']:%Y-%m-%d %H:%M}</td><td>{escape(str(run['flow']))}</td>"
            f'<td><span class="tag {css}">{escape(status)}</span></td>'
            f"<td class='src'>{escape(', '.join(run['sources'] or []))}</td>"
            f"<td class='num'>{_n(run['articles_written'])}</td><td class='num'>{_n(run['comments_written'])}</td>"
            f"<td class='num'>{_n(run['failed'])}</td>"
            f"<td class='num'>{'' if took is None else f'{took:,.0f} s'}</td></tr>"
        )
    head = ("<tr><th>started (UTC)</th><th>flow</th><th>status</th><th>sources</th><th style='text-align:right'>"
            "articles</th><th style='text-align:right'>comments</th><th style='text-align:right'>failed</th>"
            "<th style='text-align:right'>took</th></tr>")
    return _section("Last runs", "Articles and comments written by each run (new or changed rows).",
                    f"<table>{head}{''.join(lines)}</table>")


def _section(title: str, sub: str, content: str) -> str:
    sub_html = f'<p class="sub">{escape(sub)}</p>' if sub else ""
    return f"<section><h2>{escape(title)}</h2>{sub_html}{content}</section>"


def _plural(count: int, one: str, many: str) -> str:
    return one if count == 1 else many


def _older(count: int, noun: str) -> str:
    return f"{_n(count)} older {noun} is not drawn." if count == 1 else f"{_n(count)} older {noun}s are not drawn."


def _n(value: Any) -> str:
    return f"{int(value or 0):,}"


def _day(value: datetime | date | None) -> str:
    return f"{value:%d %b %Y}" if value else "undated"


def _span(first: datetime | None, last: datetime | None) -> str:
    if not first or not last:
        return "no dated articles"
    return f"published {first:%d %b %Y} – {last:%d %b %Y}"
