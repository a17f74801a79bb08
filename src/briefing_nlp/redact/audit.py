"""Redact a whole audit: every record, its label, and the title, date and context the
user typed (told what was redacted there, and how to keep it)."""

from __future__ import annotations

from briefing_nlp.datatypes import Audit, AuditRecord, Comment
from briefing_nlp.redact.engine import Placeholders, Redaction, Redactor
from briefing_nlp.redact.patterns import Entity, mentions_birth


def redact_audit(
    audit: Audit,
    redactor: Redactor,
    *,
    keep_header: bool = False,
    notices: list[str] | None = None,
) -> Audit:
    """The audit with personal data replaced in every record, label, title, date and context.

    Comment offsets are mapped onto the redacted text, so statements still trace back.

    Args:
        keep_header: keep the title, date and context as the user typed them.
        notices: if given, receives one line saying what was redacted in the title, date
            or context (the user typed them, so they are told, and how to keep them).
    """
    placeholders = Placeholders()
    texts = [r.source for r in audit.records] + [audit.title, audit.context]
    results = redactor.redact(texts, placeholders)
    records = []
    for record, result in zip(audit.records, results, strict=False):
        comments = []
        for comment in record.comments:
            start, end = result.map_start(comment.start), result.map_end(comment.end)
            comments.append(
                Comment(result.text[start:end], start, end, comment.header, comment.question)
            )
        # A header label is the record's first line: take it from the redacted text.
        if _first_line(record.source) == record.label:
            label = _first_line(result.text)
        else:
            label = redactor.redact([record.label], placeholders)[0].text
        records.append(
            AuditRecord(record.ordinal, label, result.text, tuple(comments), dict(record.meta))
        )
    # The date line is the audit's date: a date there is expected, anything else is not,
    # and a date of birth there is redacted like any other.
    keep = frozenset() if mentions_birth(audit.date) else frozenset({"DATE"})
    date = redactor.redact([audit.date], placeholders, keep_types=keep)[0]
    header = {"title": results[-2], "date": date, "context": results[-1]}
    if keep_header:
        return Audit(audit.title, audit.date, audit.context, tuple(records), audit.sources)
    if notices is not None and any(r.entities for r in header.values()):
        notices.append(_header_notice(header))
    return Audit(
        title=header["title"].text,
        date=header["date"].text,
        context=header["context"].text,
        records=tuple(records),
        sources=audit.sources,
    )


def _header_notice(header: dict[str, Redaction]) -> str:
    """One line naming each redacted span of the title, date and context."""
    changes = [
        f'{part} "{entity.text}" -> {_placeholder(result, entity)}'
        for part, result in header.items()
        for entity in result.entities
    ]
    return (
        f"redacted what looks like personal data in the title, date or context: "
        f"{'; '.join(changes)}; use --keep-header to keep them as typed"
    )


def _placeholder(result: Redaction, entity: Entity) -> str:
    return result.text[result.map_start(entity.start) : result.map_end(entity.end)]


def _first_line(text: str) -> str:
    return text.split("\n", 1)[0].strip().strip("#*").strip()
