"""Render a comparison of two audit cycles, or a programme of audits, as Markdown, HTML
(jinja2, autoescaped, charts as inline SVG), Word (python-docx, charts as PNG) or JSON."""

from __future__ import annotations

import io
import json
from pathlib import Path
from typing import Any

import jinja2

from briefing_nlp.compare import COMPARED, STATUS_RULE, STATUSES, Comparison
from briefing_nlp.programme import RECURS_IN, RULE, Programme, ThemeAcross
from briefing_nlp.render import HEADINGS


def _environment(autoescape: bool) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(Path(__file__).parent / "templates")),
        autoescape=autoescape,
        undefined=jinja2.StrictUndefined,
        trim_blocks=False,
        keep_trailing_newline=True,
    )
    env.filters["cell"] = lambda text: str(text).replace("|", "\\|").replace("\n", " ")
    env.filters["across"] = across
    return env


def across(theme: ThemeAcross, kind: str, programme: Programme) -> str:
    """ "1. Neglect audit 5 of 14; 3. Front door 9 of 20"."""
    counts = theme.worries if kind == "worries" else theme.strengths
    return "; ".join(
        f"{n + 1}. {(a.title or 'audit')} {count} of {a.records}"
        for n, (a, count) in enumerate(zip(programme.audits, counts, strict=True))
        if count
    )


def counts_line(comparison: Comparison) -> str:
    counts = {s: sum(f.status == s for f in comparison.findings) for s in STATUSES}
    return ", ".join(f"{counts[s]} {s}" for s in STATUSES) + "."


def compared_sections(comparison: Comparison) -> list[tuple[str, list[Any]]]:
    return [
        (section, [f for f in comparison.findings if f.section == section])
        for section in COMPARED
        if any(f.section == section for f in comparison.findings)
    ]


def render_comparison(comparison: Comparison, fmt: str, charts: bool = True) -> str | bytes:
    """The comparison in `fmt` (md, html, json: str; docx: bytes); charts in HTML and Word
    unless `charts` is False."""
    if fmt == "json":
        return json.dumps(comparison.to_json(), indent=2, ensure_ascii=False) + "\n"
    drawn = _change_charts(comparison, fmt) if charts and fmt in ("html", "docx") else []
    if fmt == "docx":
        return _comparison_docx(comparison, drawn)
    values = {
        "c": comparison,
        "rule": STATUS_RULE,
        "counts": counts_line(comparison),
        "sections": compared_sections(comparison),
        "headings": HEADINGS,
        "charts": drawn,
    }
    template = "compare.html.j2" if fmt == "html" else "compare.md.j2"
    return _environment(fmt == "html").get_template(template).render(**values)


def render_programme(programme: Programme, fmt: str) -> str | bytes:
    """The programme in `fmt` (md, html, json: str; docx: bytes)."""
    if fmt == "json":
        return json.dumps(programme.to_json(), indent=2, ensure_ascii=False) + "\n"
    if fmt == "docx":
        return _programme_docx(programme)
    values = {
        "p": programme,
        "rule": RULE,
        "recurs_in": RECURS_IN,
        "recurring_worries": [t for t in programme.themes if "worry" in t.recurs_as],
        "recurring_strengths": [t for t in programme.themes if "strength" in t.recurs_as],
    }
    template = "programme.html.j2" if fmt == "html" else "programme.md.j2"
    return _environment(fmt == "html").get_template(template).render(**values)


def _change_charts(comparison: Comparison, fmt: str) -> list[dict[str, Any]]:
    """The change charts, drawn only as the format needs them (SVG for HTML, PNG for Word)."""
    from briefing_nlp.charts import change_charts, chart_png, chart_svg

    return [
        {
            "svg": chart_svg(c) if fmt == "html" else "",
            "png": chart_png(c) if fmt == "docx" else b"",
            "description": c.description,
        }
        for c in change_charts(comparison)
    ]


def _comparison_docx(comparison: Comparison, charts: list[dict[str, Any]]) -> bytes:
    import docx
    from docx.shared import Cm

    document = docx.Document()
    document.add_heading("Audit cycles compared", level=0)
    for label, side in (("Earlier", comparison.old), ("Later", comparison.new)):
        when = f" ({side.date})" if side.date else ""
        document.add_paragraph(
            f"{label}: {side.title or '(untitled audit)'}{when}, {side.records} records",
            style="List Bullet",
        )
    document.add_paragraph(counts_line(comparison))
    document.add_paragraph(f"How a status is decided. {STATUS_RULE}")
    for chart in charts:
        document.add_picture(io.BytesIO(chart["png"]), width=Cm(16))
        document.add_paragraph(chart["description"], style="Caption")
    for section, findings in compared_sections(comparison):
        document.add_heading(HEADINGS[section], level=1)
        table = document.add_table(rows=1, cols=3)
        table.style = "Table Grid"
        for cell, text in zip(
            table.rows[0].cells, ("Finding", "Records (earlier → later)", "Status"), strict=True
        ):
            cell.text = text
        for finding in findings:
            row = table.add_row().cells
            row[0].text, row[1].text, row[2].text = (
                finding.wording,
                finding.prevalence,
                finding.status,
            )
    document.add_heading("Themes", level=1)
    table = document.add_table(rows=1, cols=5)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ("Theme", "Worries", "Status", "Strengths", "Status"), strict=True
    ):
        cell.text = text
    old, new = comparison.old.records, comparison.new.records
    for theme in comparison.themes:
        row = table.add_row().cells
        row[0].text = theme.name
        row[1].text = f"{len(theme.worry_old)} of {old} → {len(theme.worry_new)} of {new}"
        row[2].text = theme.worry_status
        row[3].text = f"{len(theme.strength_old)} of {old} → {len(theme.strength_new)} of {new}"
        row[4].text = theme.strength_status
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _programme_docx(programme: Programme) -> bytes:
    import docx

    document = docx.Document()
    document.add_heading("A year at a glance", level=0)
    for number, audit in enumerate(programme.audits, start=1):
        when = f" ({audit.date})" if audit.date else ""
        document.add_paragraph(
            f"{number}. {audit.title or '(untitled audit)'}{when}, {audit.records} records"
        )
    document.add_paragraph(f"How a theme is said to recur. {RULE}")
    for kind, heading in (("worry", "worries"), ("strength", "strengths")):
        document.add_heading(f"Themes that recur as {heading}", level=1)
        recurring = [t for t in programme.themes if kind in t.recurs_as]
        for theme in recurring:
            audits = theme.worry_audits if kind == "worry" else theme.strength_audits
            document.add_paragraph(
                f"{theme.name}: a {kind} in {audits} of {len(programme.audits)} audits "
                f"({across(theme, heading, programme)})",
                style="List Bullet",
            )
        if not recurring:
            document.add_paragraph(
                f"None: no theme is a {kind} in {RECURS_IN} or more of these audits."
            )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()
