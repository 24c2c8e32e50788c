"""Charts of the board report's tables: one data shape, drawn as inline SVG (HTML, PDF) or as a
Mermaid chart (markdown, which GitHub and most wikis draw). The workbook draws its own (xlsx.py)."""

from __future__ import annotations

from dataclasses import dataclass
from html import escape

# Colour-blind-safe palette (Okabe and Ito), readable printed in grey too.
PALETTE = ("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999")


@dataclass(frozen=True)
class Series:
    name: str
    values: tuple[int, ...]


@dataclass(frozen=True)
class Chart:
    """Stacked columns: one per label (a month), one coloured part per series."""

    title: str
    labels: tuple[str, ...]
    series: tuple[Series, ...]
    y_title: str = "cases"

    def totals(self) -> list[int]:
        return [sum(s.values[i] for s in self.series) for i in range(len(self.labels))]


def _ticks(top: int) -> list[int]:
    """Four or five round steps from 0 to at least `top`."""
    step = 1
    while top / step > 5:
        for mult in (2, 5, 10):
            if top / (step * mult) <= 5:
                step *= mult
                break
        else:
            step *= 10
    return list(range(0, top + step, step)) if top else [0, 1]


def svg(chart: Chart, width: int = 720, height: int = 260) -> str:
    """The chart as a self-contained SVG element with a legend; text escaped."""
    left, right, top_pad, bottom = 44, 10, 26, 58
    plot_w, plot_h = width - left - right, height - top_pad - bottom
    ticks = _ticks(max([*chart.totals(), 0]))
    y_max = ticks[-1] or 1
    n = max(len(chart.labels), 1)
    slot = plot_w / n
    bar = max(min(slot * 0.7, 48), 2)
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" role="img" viewBox="0 0 {width} {height}" '
           f'width="{width}" height="{height}" aria-label="{escape(chart.title)}">',
           f'<title>{escape(chart.title)}</title>',
           f'<text x="{left}" y="14" font-size="12" font-weight="bold">{escape(chart.title)}</text>']
    for t in ticks:
        y = top_pad + plot_h - plot_h * t / y_max
        out.append(f'<line x1="{left}" x2="{width - right}" y1="{y:.1f}" y2="{y:.1f}" stroke="#dddddd"/>')
        out.append(f'<text x="{left - 4}" y="{y + 4:.1f}" font-size="10" text-anchor="end">{t}</text>')
    for i, label in enumerate(chart.labels):
        x = left + slot * i + (slot - bar) / 2
        base: float = top_pad + plot_h
        for k, s in enumerate(chart.series):
            h = plot_h * s.values[i] / y_max
            if h > 0:
                base -= h
                out.append(f'<rect x="{x:.1f}" y="{base:.1f}" width="{bar:.1f}" height="{h:.1f}" '
                           f'fill="{PALETTE[k % len(PALETTE)]}"><title>{escape(label)}, {escape(s.name)}: '
                           f'{s.values[i]}</title></rect>')
        out.append(f'<text x="{x + bar / 2:.1f}" y="{top_pad + plot_h + 13}" font-size="10" '
                   f'text-anchor="middle">{escape(label)}</text>')
    x = left
    for k, s in enumerate(chart.series):
        y = height - 22 + (k // 4) * 14
        if k % 4 == 0:
            x = left
        out.append(f'<rect x="{x}" y="{y - 9}" width="10" height="10" fill="{PALETTE[k % len(PALETTE)]}"/>')
        out.append(f'<text x="{x + 14}" y="{y}" font-size="10">{escape(s.name)}</text>')
        x += 14 + 7 * len(s.name) + 18
    out.append("</svg>")
    return "\n".join(out)


def _quoted(text: str) -> str:
    return '"' + text.replace('"', "'") + '"'


def mermaid(chart: Chart) -> str:
    """A fenced Mermaid xychart of the columns' totals and, as lines, each series."""
    labels = ", ".join(_quoted(lb) for lb in chart.labels)
    lines = ["```mermaid", "xychart-beta", f"    title {_quoted(chart.title)}", f"    x-axis [{labels}]",
             f"    y-axis {_quoted(chart.y_title)}", f"    bar [{', '.join(map(str, chart.totals()))}]"]
    lines += [f"    line [{', '.join(map(str, s.values))}]" for s in chart.series]
    lines.append("```")
    legend = "; ".join(f"line {i + 1}: {s.name}" for i, s in enumerate(chart.series))
    return "\n".join(lines) + f"\n\nBars: all cases; {legend}."
