"""Render a briefing as Markdown, HTML (jinja2, autoescaped), Word (python-docx) or JSON.

Users can point `template_dir` at their own `briefing.md.j2` / `briefing.html.j2`; any
template they do not provide falls back to the shipped one.
"""

from __future__ import annotations

import io
import json
import re
from pathlib import Path
from typing import Any

import jinja2

from briefing_nlp.datatypes import Briefing, Bullet
from briefing_nlp.errors import TemplateError
from briefing_nlp.taxonomy import BRIEFING_SECTIONS, Taxonomy

FORMATS = ("md", "html", "docx", "json")
BRIEFING_TITLE = "Learning from Audits – 6 Step Briefing"
HEADINGS = {
    "title": "Title of audit and date completed",
    "context": "Context / reason for audit",
    "strength": "What's working well?",
    "worry": "Worries",
    "action": "What needs to happen? Agreed actions",
    "good_practice": "Good practice",
}


def briefing_to_json(briefing: Briefing) -> dict[str, Any]:
    """The `draft --format json` contract (DESIGN.md): `Briefing.to_json`."""
    return briefing.to_json()


def render_briefing(
    briefing: Briefing,
    fmt: str,
    *,
    evidence: bool = False,
    template_dir: Path | None = None,
    charts: bool = True,
    taxonomy: Taxonomy | None = None,
) -> str | bytes:
    """The briefing in `fmt` (md, html, json: str; docx: bytes). HTML and Word carry a
    chart of strengths against worries by theme unless `charts` is False.

    Raises:
        TemplateError: the template folder or a template in it is unusable.
    """
    if fmt == "json":
        return json.dumps(briefing_to_json(briefing), indent=2, ensure_ascii=False) + "\n"
    chart = _chart(briefing, taxonomy, fmt) if charts and fmt in ("html", "docx") else None
    if fmt == "docx":
        return render_docx(briefing, evidence=evidence, chart=chart)
    if fmt not in ("md", "html"):
        raise TemplateError(f"unknown format {fmt!r}; use one of {', '.join(FORMATS)}")
    name = f"briefing.{fmt}.j2"
    environment = _environment(template_dir, fmt)
    try:
        template = environment.get_template(name)
        return template.render(**_context(briefing, evidence), chart=chart)
    except jinja2.TemplateSyntaxError as exc:
        raise TemplateError(
            f"{exc.filename or name}:{exc.lineno}: template syntax error ({exc.message}); "
            "fix the template"
        ) from None
    except jinja2.UndefinedError as exc:
        raise TemplateError(f"{name}: {exc.message}; check the names the template uses") from None


CHART_HEADING = "Strengths and worries by theme"


def _chart(briefing: Briefing, taxonomy: Taxonomy | None, fmt: str) -> dict[str, Any] | None:
    """The audit's chart as SVG (for HTML) or PNG (for Word), with its words (caption),
    or None when no bullet has a theme. Only the picture the format needs is drawn."""
    from briefing_nlp.charts import briefing_chart, chart_png, chart_svg
    from briefing_nlp.taxonomy import load_taxonomy

    chart = briefing_chart(briefing, taxonomy or load_taxonomy())
    if chart is None:
        return None
    return {
        "heading": CHART_HEADING,
        "svg": chart_svg(chart) if fmt == "html" else "",
        "png": chart_png(chart) if fmt == "docx" else b"",
        "description": chart.description,
    }


def records_audited(count: int) -> str:
    """ "1 record audited", "14 records audited"."""
    return f"{count} record{'s' if count != 1 else ''} audited"


def _markdown_safe(value: object) -> object:
    """Notes are text, never markup: "<" is escaped so a Markdown viewer cannot run a
    pasted <script> or render an <img>; the backslash is invisible once rendered."""
    return value.replace("<", "\\<") if isinstance(value, str) else value


def _environment(template_dir: Path | None, fmt: str = "html") -> jinja2.Environment:
    loaders: list[jinja2.BaseLoader] = []
    if template_dir is not None:
        if not Path(template_dir).is_dir():
            raise TemplateError(f"{template_dir}: template folder not found; check --template-dir")
        loaders.append(jinja2.FileSystemLoader(str(template_dir)))
    loaders.append(jinja2.PackageLoader("briefing_nlp", "templates"))
    return jinja2.Environment(
        loader=jinja2.ChoiceLoader(loaders),
        autoescape=jinja2.select_autoescape(enabled_extensions=("html", "html.j2")),
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        undefined=jinja2.StrictUndefined,
        finalize=_markdown_safe if fmt == "md" else None,
    )


def _context(briefing: Briefing, evidence: bool) -> dict[str, Any]:
    return {
        "heading": BRIEFING_TITLE,
        "headings": HEADINGS,
        "briefing": briefing,
        "sections": [(s, briefing.sections.get(s, ())) for s in BRIEFING_SECTIONS],
        "record_count": len(briefing.records),
        "records_audited": records_audited(len(briefing.records)),
        "grade_summary": briefing.grade_summary,
        "evidence": evidence,
        "one_record_heading": ONE_RECORD_HEADING,
        "one_record": [
            one_record_line(b) for s in BRIEFING_SECTIONS for b in briefing.one_record.get(s, ())
        ],
    }


ONE_RECORD_HEADING = "Seen in one record (not in the briefing)"
ONE_RECORD_KINDS = {
    "strength": "Working well",
    "worry": "Worry",
    "action": "Action",
    "good_practice": "Good practice",
}


def one_record_line(bullet: Bullet) -> str:
    """'Worry in Record 4: "no review date set"': a finding seen in one record, in the
    note's own words, for the evidence appendix."""
    kind = ONE_RECORD_KINDS.get(bullet.section, bullet.section)
    source = bullet.sources[0] if bullet.sources else None
    return f'{kind} in {source.label}: "{source.text}"' if source else f"{kind}: {bullet.text}"


def render_docx(
    briefing: Briefing, evidence: bool = False, chart: dict[str, Any] | None = None
) -> bytes:
    """A Word document laid out like the seed briefing: headings and bullet lists, then
    the chart of strengths and worries by theme if one is given."""
    import docx
    from docx.shared import Cm

    document = docx.Document()
    document.add_heading(BRIEFING_TITLE, level=0)
    document.add_heading(HEADINGS["title"], level=1)
    document.add_paragraph(_xml_safe(briefing.title) or "(title of audit)")
    if briefing.date:
        document.add_paragraph(_xml_safe(briefing.date))
    document.add_heading(HEADINGS["context"], level=1)
    if briefing.context:
        document.add_paragraph(_xml_safe(briefing.context))
    document.add_paragraph(f"{records_audited(len(briefing.records))}.")
    if briefing.grade_summary:
        document.add_paragraph(_xml_safe(f"Grades: {briefing.grade_summary}."))
    for section in BRIEFING_SECTIONS:
        document.add_heading(HEADINGS[section], level=1)
        for bullet in briefing.sections.get(section, ()):
            paragraph = document.add_paragraph(style="List Bullet")
            paragraph.add_run(_xml_safe(bullet.text))
            if bullet.suggested:
                paragraph.add_run(" (suggested)").italic = True
            if bullet.impact:
                paragraph.add_run(_xml_safe(f" Impact: {bullet.impact}"))
                if bullet.impact_suggested:
                    paragraph.add_run(" (suggested impact)").italic = True
    if chart is not None:
        document.add_heading(chart["heading"], level=1)
        document.add_picture(io.BytesIO(chart["png"]), width=Cm(16))
        document.add_paragraph(_xml_safe(chart["description"]), style="Caption")
    if evidence:
        document.add_heading("Appendix: evidence for each bullet", level=1)
        for section in BRIEFING_SECTIONS:
            for bullet in briefing.sections.get(section, ()):
                if not bullet.sources:
                    continue
                document.add_paragraph().add_run(_xml_safe(bullet.text)).bold = True
                for source in bullet.sources:
                    document.add_paragraph(
                        _xml_safe(f"{source.label}: {source.text}"), style="List Bullet 2"
                    )
        one_record = [b for s in BRIEFING_SECTIONS for b in briefing.one_record.get(s, ())]
        if one_record:
            document.add_heading(ONE_RECORD_HEADING, level=2)
            for bullet in one_record:
                document.add_paragraph(_xml_safe(one_record_line(bullet)), style="List Bullet 2")
        if briefing.unplaced:
            document.add_heading("Statements not placed in a bullet", level=2)
            for source in briefing.unplaced:
                document.add_paragraph(
                    _xml_safe(f"{source.label}: {source.text}"), style="List Bullet 2"
                )
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


# Characters XML 1.0 cannot hold (C0 controls but tab, line feed and carriage return;
# lone surrogates; U+FFFE/U+FFFF): python-docx refuses them, and notes pasted from
# other programs carry them.
XML_INVALID_RE = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _xml_safe(text: str) -> str:
    """`text` as Word can store it: controls dropped, a lone surrogate shown as U+FFFD."""
    if not XML_INVALID_RE.search(text):
        return text
    return XML_INVALID_RE.sub(lambda m: "\ufffd" if "\ud800" <= m.group() <= "\udfff" else "", text)
