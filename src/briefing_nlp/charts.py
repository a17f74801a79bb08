"""Pictures a QA lead can put in a report: strengths against worries by theme for one
audit, and how each theme's worries and strengths changed between two audits.

Drawn with matplotlib (imported only when a chart is wanted; no display needed) as SVG
for the app and HTML, and PNG for Word. Readable without colour: the two series differ
in fill and hatching, not hue alone, and every bar carries its count ("5 of 14").
"""

from __future__ import annotations

import hashlib
import io
import re
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefing_nlp.compare import Comparison
    from briefing_nlp.datatypes import Briefing
    from briefing_nlp.taxonomy import Taxonomy

# Two series that differ without colour: a dark solid fill and a light hatched one.
DARK: dict[str, Any] = {"color": "#1f4e79", "edgecolor": "#1f4e79", "hatch": ""}
LIGHT: dict[str, Any] = {"color": "#ffffff", "edgecolor": "#1f4e79", "hatch": "///"}


@dataclass(frozen=True)
class Series:
    """One series of a bar chart: a name, each theme's count and the records out of."""

    name: str
    counts: tuple[int, ...]
    total: int
    style: dict[str, Any]


@dataclass(frozen=True)
class Chart:
    """A horizontal bar chart of themes, with its title and a plain-text description."""

    title: str
    themes: tuple[str, ...]
    series: tuple[Series, ...]

    @property
    def description(self) -> str:
        """The chart's numbers in words, for screen readers and alt text."""
        parts = [
            f"{theme}: " + ", ".join(f"{s.name} {s.counts[i]} of {s.total}" for s in self.series)
            for i, theme in enumerate(self.themes)
        ]
        return f"{self.title}. " + "; ".join(parts) + "."


def briefing_chart(briefing: Briefing, taxonomy: Taxonomy) -> Chart | None:
    """Strengths (with good practice) against worries by theme: records with at least
    one. None when no bullet has a theme."""
    total = len(briefing.records)
    rows = []
    for theme in taxonomy.themes:
        strengths = briefing.theme_records(theme.slug, ("strength", "good_practice"))
        worries = briefing.theme_records(theme.slug, ("worry",))
        if strengths or worries:
            rows.append((theme.name, len(strengths), len(worries)))
    if not rows or not total:
        return None
    rows.sort(key=lambda r: -(r[1] + r[2]))
    return Chart(
        title="Strengths and worries by theme (records)",
        themes=tuple(r[0] for r in rows),
        series=(
            Series("strengths", tuple(r[1] for r in rows), total, DARK),
            Series("worries", tuple(r[2] for r in rows), total, LIGHT),
        ),
    )


def change_charts(comparison: Comparison) -> tuple[Chart, ...]:
    """Each theme's worries, then its strengths, in the earlier and the later audit."""
    charts = []
    for kind, title in (("worry", "Worries by theme"), ("strength", "Strengths by theme")):
        rows = [
            (
                t.name,
                *(
                    (len(t.worry_old), len(t.worry_new))
                    if kind == "worry"
                    else (len(t.strength_old), len(t.strength_new))
                ),
            )
            for t in comparison.themes
        ]
        rows = [r for r in rows if r[1] or r[2]]
        if not rows:
            continue
        rows.sort(key=lambda r: -max(r[1] / comparison.old.records, r[2] / comparison.new.records))
        charts.append(
            Chart(
                title=f"{title}: {_label(comparison.old.title, comparison.old.date, 'earlier')}"
                f" against {_label(comparison.new.title, comparison.new.date, 'later')}",
                themes=tuple(r[0] for r in rows),
                series=(
                    Series("earlier", tuple(r[1] for r in rows), comparison.old.records, LIGHT),
                    Series("later", tuple(r[2] for r in rows), comparison.new.records, DARK),
                ),
            )
        )
    return tuple(charts)


def _label(title: str, date: str, fallback: str) -> str:
    return date or title or fallback


def _figure(chart: Chart) -> Any:
    """The chart drawn as a matplotlib figure: shares of records, each bar labelled."""
    import matplotlib

    matplotlib.use("Agg")
    from matplotlib.figure import Figure

    rows = len(chart.themes)
    height = 0.9 + 0.32 * rows * len(chart.series)
    figure = Figure(figsize=(7.2, height), dpi=110)
    axes = figure.subplots()
    band = 0.8 / len(chart.series)
    for number, series in enumerate(chart.series):
        positions = [r + number * band for r in range(rows)]
        shares = [c / series.total if series.total else 0 for c in series.counts]
        bars = axes.barh(
            positions, shares, height=band * 0.92, label=series.name, linewidth=1, **series.style
        )
        for bar, count in zip(bars, series.counts, strict=True):
            axes.text(
                bar.get_width() + 0.01,
                bar.get_y() + bar.get_height() / 2,
                f"{count} of {series.total}",
                va="center",
                fontsize=8,
            )
    axes.set_yticks([r + band * (len(chart.series) - 1) / 2 for r in range(rows)])
    axes.set_yticklabels(chart.themes, fontsize=9)
    axes.invert_yaxis()
    axes.set_xlim(0, 1.18)
    axes.set_xticks([0, 0.25, 0.5, 0.75, 1.0])
    axes.set_xticklabels(["0%", "25%", "50%", "75%", "100%"], fontsize=8)
    axes.set_xlabel("share of records", fontsize=9)
    axes.set_title(chart.title, fontsize=10, loc="left")
    axes.legend(fontsize=8, loc="lower right", frameon=False)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)
    figure.tight_layout()
    return figure


def chart_png(chart: Chart) -> bytes:
    """The chart as a PNG (for Word)."""
    buffer = io.BytesIO()
    _figure(chart).savefig(buffer, format="png", metadata={"Software": None})
    return buffer.getvalue()


def chart_svg(chart: Chart) -> str:
    """The chart as an inline SVG element with its description as its accessible name,
    and no XML prologue or fixed ids that would clash with a second chart on a page."""
    buffer = io.StringIO()
    figure = _figure(chart)
    import matplotlib

    # A fixed salt makes matplotlib's ids the same on every run, so an export of the same
    # draft is the same file (it salts them randomly otherwise).
    with matplotlib.rc_context({"svg.hashsalt": "briefing-nlp"}):
        figure.savefig(buffer, format="svg", metadata={"Date": None, "Creator": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg") :]
    # matplotlib numbers its clip paths and patterns from 0 in every file: prefix them.
    prefix = "c" + hashlib.sha1(chart.description.encode("utf-8")).hexdigest()[:8]
    svg = re.sub(r'id="([^"]+)"', rf'id="{prefix}\1"', svg)
    svg = re.sub(r"url\(#([^)]+)\)", rf"url(#{prefix}\1)", svg)
    svg = re.sub(r'xlink:href="#([^"]+)"', rf'xlink:href="#{prefix}\1"', svg)
    # Styles as presentation attributes, not style="..." or <style>: a page whose content
    # security policy forbids inline style (the review app's) still draws the chart.
    svg = re.sub(r"<style[^>]*>.*?</style>", "", svg, flags=re.S)
    svg = STYLE_RE.sub(_attributes, svg)
    label = chart.description.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")
    return svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1)


STYLE_RE = re.compile(r'style="([^"]*)"')


def _attributes(match: re.Match[str]) -> str:
    pairs = [part.split(":", 1) for part in match.group(1).split(";") if ":" in part]
    return " ".join(f'{name.strip()}="{value.strip()}"' for name, value in pairs)
