"""Small inline-SVG charts for `wirehouse report`: no scripts, no fonts or files fetched at view time."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import date, timedelta
from html import escape

PALETTE = ["#2563eb", "#f59e0b", "#10b981", "#ef4444", "#8b5cf6", "#06b6d4", "#ec4899", "#84cc16"]
_AXIS = "#94a3b8"
_GRID = "#e2e8f0"
_LABEL = "#475569"


def nice_ticks(maximum: float, count: int = 4) -> list[float]:
    """Round tick values from 0 to at least `maximum`: steps of 1, 2 or 5 times a power of ten."""
    if maximum <= 0:
        return [0, 1]
    raw = maximum / count
    power = 10 ** math.floor(math.log10(raw))
    step = next(m * power for m in (1, 2, 5, 10) if m * power >= raw)
    step = max(step, 1)
    top = math.ceil(maximum / step) * step
    return [i * step for i in range(round(top / step) + 1)]


def day_range(start: date, end: date) -> list[date]:
    return [start + timedelta(days=i) for i in range((end - start).days + 1)]


def _fmt(value: float) -> str:
    return f"{value:,.0f}"


def stacked_day_bars(
    days: Sequence[date], series: Mapping[str, Sequence[int]], colors: Mapping[str, str], unit: str,
    width: int = 960, height: int = 260,
) -> str:
    """One bar per day, stacked by series (e.g. source); every bar segment has a hover title."""
    left, right, top, bottom = 44, 12, 12, 30
    plot_w, plot_h = width - left - right, height - top - bottom
    totals = [sum(values[i] for values in series.values()) for i in range(len(days))]
    ticks = nice_ticks(max(totals, default=0))
    scale = plot_h / ticks[-1]
    slot = plot_w / max(len(days), 1)
    bar_w = max(1.0, slot * 0.72)
    parts = [_svg_open(width, height, f"{unit} per day")]
    parts += _y_axis(ticks, scale, left, top, plot_w, plot_h)
    for i, day in enumerate(days):
        x = left + i * slot + (slot - bar_w) / 2
        y = float(top + plot_h)
        for name, values in series.items():
            value = values[i]
            if not value:
                continue
            h = value * scale
            y -= h
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{bar_w:.1f}" height="{h:.1f}" rx="1.5" '
                f'fill="{colors[name]}"><title>{escape(name)} · {day:%a %d %b %Y}: {_fmt(value)} {unit}</title></rect>'
            )
    parts += _x_labels(days, left, slot, top + plot_h)
    parts.append("</svg>")
    return "".join(parts)


def day_bars(days: Sequence[date], values: Sequence[int], color: str, unit: str,
             width: int = 960, height: int = 220) -> str:
    return stacked_day_bars(days, {unit: values}, {unit: color}, unit, width, height)


def horizontal_bars(labels: Sequence[str], values: Sequence[int], color: str, unit: str,
                    width: int = 460, row: int = 26) -> str:
    """Ranked bars with the label above-left and the value at the bar's end."""
    label_w, right = 170, 48
    height = row * max(len(labels), 1) + 6
    peak = max(values, default=0) or 1
    parts = [_svg_open(width, height, f"{unit} by name")]
    for i, (label, value) in enumerate(zip(labels, values, strict=True)):
        y = 3 + i * row
        bar = (width - label_w - right) * value / peak
        shown = label if len(label) <= 24 else label[:23] + "…"
        parts.append(
            f'<text x="{label_w - 8}" y="{y + row / 2 + 4:.1f}" text-anchor="end" font-size="12.5" '
            f'fill="{_LABEL}">{escape(shown)}<title>{escape(label)}</title></text>'
            f'<rect x="{label_w}" y="{y + 4}" width="{max(bar, 2):.1f}" height="{row - 9}" rx="3" fill="{color}">'
            f"<title>{escape(label)}: {_fmt(value)} {unit}</title></rect>"
            f'<text x="{label_w + max(bar, 2) + 6:.1f}" y="{y + row / 2 + 4:.1f}" font-size="12" '
            f'fill="{_LABEL}" font-weight="600">{_fmt(value)}</text>'
        )
    parts.append("</svg>")
    return "".join(parts)


def _svg_open(width: int, height: int, label: str) -> str:
    return (f'<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width} {height}" role="img" '
            f'aria-label="{escape(label)}" font-family="inherit" preserveAspectRatio="xMidYMid meet">')


def _y_axis(ticks: list[float], scale: float, left: int, top: int, plot_w: float, plot_h: float) -> list[str]:
    parts = []
    for tick in ticks:
        y = top + plot_h - tick * scale
        parts.append(f'<line x1="{left}" x2="{left + plot_w:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{_GRID if tick else _AXIS}" stroke-width="1"/>')
        parts.append(f'<text x="{left - 8}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
                     f'fill="{_LABEL}">{_fmt(tick)}</text>')
    return parts


def _x_labels(days: Sequence[date], left: int, slot: float, baseline: float) -> list[str]:
    if not days:
        return []
    every = max(1, math.ceil(len(days) / 10))
    parts = []
    for i in range(0, len(days), every):
        x = left + i * slot + slot / 2
        parts.append(f'<text x="{x:.1f}" y="{baseline + 18:.1f}" text-anchor="middle" font-size="11" '
                     f'fill="{_LABEL}">{days[i]:%d %b}</text>')
    return parts


def run_bars(
    labels: Sequence[str], values: Sequence[float], colors: Sequence[str], titles: Sequence[str], unit: str,
    percent: bool = False, width: int = 470, height: int = 150,
) -> str:
    """One bar per run, each in its own colour (e.g. the run's health status), with a hover title; `percent`
    draws values 0..1 on a 0–100% axis."""
    left, right, top, bottom = 44, 24, 10, 26  # room for the last day's label
    plot_w, plot_h = width - left - right, height - top - bottom
    ticks = [0, 0.5, 1.0] if percent else nice_ticks(max(values, default=0), 3)
    scale = plot_h / ticks[-1]
    slot = plot_w / max(len(values), 1)
    bar_w = max(1.0, slot * 0.7)
    parts = [_svg_open(width, height, unit)]
    for tick in ticks:
        y = top + plot_h - tick * scale
        parts.append(f'<line x1="{left}" x2="{left + plot_w:.1f}" y1="{y:.1f}" y2="{y:.1f}" '
                     f'stroke="{_GRID if tick else _AXIS}" stroke-width="1"/>')
        label = f"{tick:.0%}" if percent else _fmt(tick)
        parts.append(f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11" '
                     f'fill="{_LABEL}">{label}</text>')
    for i, (value, color, title) in enumerate(zip(values, colors, titles, strict=True)):
        h = max(value * scale, 1.5)  # a zero still shows as a sliver of its status colour
        x = left + i * slot + (slot - bar_w) / 2
        parts.append(f'<rect x="{x:.1f}" y="{top + plot_h - h:.1f}" width="{bar_w:.1f}" height="{h:.1f}" '
                     f'rx="1.5" fill="{color}"><title>{escape(title)}</title></rect>')
    every = max(1, math.ceil(len(labels) / 6))
    for i in range(0, len(labels), every):
        x = left + i * slot + slot / 2
        parts.append(f'<text x="{x:.1f}" y="{top + plot_h + 17:.1f}" text-anchor="middle" font-size="11" '
                     f'fill="{_LABEL}">{escape(labels[i])}</text>')
    parts.append("</svg>")
    return "".join(parts)
