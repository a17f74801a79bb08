"""Notes as text: normalising what Word and pasting leave behind, and splitting the text
into records and comments.

Text is normalised first (Word quotes, bullets, non-breaking spaces, cp1252), so every
comment's character offsets point into its record's normalised `source`. Records are
split on header lines ("Audit 3 - CIN", "Record 7 (CP plan)", "Case ref 1234567",
"Case 2:", and "Child 4 –", "Case D:" or "10. Name" when the number or letter is the
next record's), then on `---` lines, then on blank-line blocks.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import replace

from briefing_nlp.datatypes import AuditRecord, Comment
from briefing_nlp.errors import InputError

MAX_COMMENT_CHARS = 5000
HEADER_RE = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*)?"
    r"(?:audit|record|rec|case(?:\s+(?:ref(?:erence)?|no|number))?|file)\.?\s*(?:no\.?|#)?\s*"
    r"(?P<number>\d+)\b",
    re.IGNORECASE,
)
# Headers that may also open an ordinary line ("Child 2 not seen alone", a numbered
# comment "3. kids wishes & feelings??"): taken as a record's header only when their
# number is the next record's (see `_header_starts`). A person's number is followed by a
# separator or nothing ("Child 10 – Selam", "YP 4:"); a bare number only continues
# records whose headers are of the kinds above ("Case 9: ..." then "10. Liam ... DOB").
NAMED_HEADER_RE = re.compile(
    r"^\s*(?:#{1,6}\s*)?(?:\*\*)?(?:(?i:child|yp|young\s+person|family)\s*(?P<number>\d{1,2})|"
    # ... or lettered in turn: "Child A – CIN", "Case B:", "Family C".
    r"(?i:child|yp|young\s+person|family|case|record|audit|file)\s+(?P<letter>[A-Z]))"
    r"(?=\s*(?:[-–—:(.,]|\*\*|of\s+\d|$))",
)
LISTED_HEADER_RE = re.compile(r"^\s*(?:#{1,6}\s*)?(?P<number>\d{1,2})(?=[.)]\s+\S)")
SEPARATOR_RE = re.compile(r"^\s*(?:-{3,}|_{3,}|\*{3,}|={3,})\s*$")
FRONT_MATTER_RE = re.compile(r"^\s*(title|date|context)\s*:\s*(.*?)\s*$", re.IGNORECASE)
BULLET_RE = re.compile(r"^\s*(?:[-*•·◦▪‣–—>]+|\(?\d{1,2}[.)]|\(?[a-zA-Z][.)])\s+")
# After the "Audit 3" part of a header: separators before the text worth classifying.
HEADER_REST_RE = re.compile(r"^[\s\-–—:.,)(*]*")
LONE_SURROGATE_RE = re.compile("[\ud800-\udfff]")
TRANSLATE = str.maketrans(
    {
        "\u2018": "'",
        "\u2019": "'",
        "\u201a": "'",
        "\u201b": "'",
        "\u2032": "'",
        "\u201c": '"',
        "\u201d": '"',
        "\u201e": '"',
        "\u2033": '"',
        "\u00a0": " ",
        "\u2007": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\t": " ",
        "\u200b": None,
        "\u200c": None,
        "\u200d": None,
        "\ufeff": None,
        "\u00ad": None,
        "\u2026": "...",
        "\uf0b7": "•",
    }
)


def normalise_text(text: str) -> str:
    """Word artefacts to plain text: quotes, spaces, bullets, line endings, NFC; a lone
    surrogate (half a UTF-16 pair, which pasted JSON can carry) becomes U+FFFD."""
    text = unicodedata.normalize("NFC", without_surrogates(text)).translate(TRANSLATE)
    return text.replace("\r\n", "\n").replace("\r", "\n")


def without_surrogates(text: str) -> str:
    """`text` with each lone surrogate replaced by U+FFFD, so it can be written as UTF-8
    (a command-line argument of bytes that are not UTF-8 arrives as surrogates)."""
    return LONE_SURROGATE_RE.sub("\ufffd", text) if LONE_SURROGATE_RE.search(text) else text


def decode_bytes(raw: bytes, name: str) -> str:
    """UTF-8 (with or without BOM), UTF-16 with BOM, else cp1252; refuses binary.

    Raises:
        InputError: the bytes look binary or decode as nothing sensible.
    """
    if raw.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return raw.decode("utf-16")
        except UnicodeDecodeError:
            raise InputError(f"{name}: damaged UTF-16 text; re-save it as UTF-8") from None
    if b"\x00" in raw[:4096]:
        raise InputError(f"{name}: looks like a binary file, not text; export the notes as .txt")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = raw.decode("cp1252", errors="replace")
    controls = sum(1 for ch in text[:4096] if ord(ch) < 32 and ch not in "\n\r\t\f")
    if controls > max(8, len(text[:4096]) // 50):
        raise InputError(f"{name}: looks like a binary file, not text; export the notes as .txt")
    return text


def split_long(source: str, comments: tuple[Comment, ...]) -> tuple[Comment, ...]:
    """Cut comments longer than MAX_COMMENT_CHARS at sentence ends (else spaces).

    Auditors write comments of a few hundred characters; a megabyte on one line is a
    pasted document, and cutting it keeps every later stage within its limits while each
    piece still points at its place in the source.
    """
    if all(c.end - c.start <= MAX_COMMENT_CHARS for c in comments):
        return comments
    pieces: list[Comment] = []
    for comment in comments:
        start = comment.start
        while comment.end - start > MAX_COMMENT_CHARS:
            window = source[start : start + MAX_COMMENT_CHARS]
            cut = max(window.rfind(mark) for mark in (". ", "; ", "! ", "? "))
            cut = cut + 1 if cut > 0 else window.rfind(" ")
            cut = cut if cut > 0 else MAX_COMMENT_CHARS
            piece = source[start : start + cut]
            if piece.strip():
                pieces.append(replace(comment, text=piece, start=start, end=start + cut))
            start += cut
            while start < comment.end and source[start] == " ":
                start += 1
        if start < comment.end:
            pieces.append(
                replace(comment, text=source[start : comment.end], start=start, end=comment.end)
            )
    return tuple(pieces)


def renumber(record: AuditRecord, ordinal: int) -> AuditRecord:
    if record.ordinal == ordinal:
        return record
    return AuditRecord(ordinal, record.label, record.source, record.comments, record.meta)


def parse_notes(text: str, name: str = "pasted text") -> tuple[list[AuditRecord], dict[str, str]]:
    """Split notes text into records, reading any front matter.

    Raises:
        InputError: the text is empty.
    """
    text = normalise_text(text)
    if not text.strip():
        raise InputError(f"{name}: empty; paste or give the auditors' comments")
    lines = text.split("\n")
    front, first = _front_matter(lines)
    body = lines[first:]
    blocks = _header_blocks(body)
    if blocks is None:
        blocks = _separator_blocks(body) or _blank_line_blocks(body)
        with_headers = False
    else:
        with_headers = True
        lead = [line for line in body[: blocks[0][0]] if line.strip()]
        if len(lead) == 1 and "title" not in front:
            front["title"] = BULLET_RE.sub("", lead[0]).strip()
    records = [
        _make_record(body[start:end], ordinal, with_headers)
        for ordinal, (start, end) in enumerate(blocks, start=1)
    ]
    return [r for r in records if r.comments or r.label], front


def _front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    front: dict[str, str] = {}
    index = 0
    while index < len(lines):
        line = lines[index]
        match = FRONT_MATTER_RE.match(line)
        if match and not HEADER_RE.match(line):
            front[match.group(1).lower()] = match.group(2)
        elif line.strip():
            break
        index += 1
    return (front, index) if front else ({}, 0)


def _header_blocks(lines: list[str]) -> list[tuple[int, int]] | None:
    starts = _header_starts(lines)
    if not starts:
        return None
    return [(s, starts[k + 1] if k + 1 < len(starts) else len(lines)) for k, s in enumerate(starts)]


def _header_starts(lines: list[str]) -> list[int]:
    """The lines that open records: every "Audit 3" / "Record 7" / "Case 2:" header, and a
    "Child 4 –" or "Case D:" line or a numbered line whose number or letter is the next
    record's, where a block opens (after a blank line; for a named line, also straight
    after a header of its own kind). Several auditors' notes pasted together each number
    their records their own way; a numbered line inside a block, or one that continues a
    numbered list in the record before ("2." after "1."), is a comment."""
    starts: list[int] = []
    listed_numbers: set[int] = set()  # numbered lines of the record being read
    for index, line in enumerate(lines):
        if HEADER_RE.match(line):
            starts.append(index)
            listed_numbers = set()
            continue
        expected = len(starts) + 1
        named = NAMED_HEADER_RE.match(line)
        listed = LISTED_HEADER_RE.match(line)
        # Only where a block opens or the headers before were of its kind: "Child B –
        # not seen alone" under "Audit 1" and "Child A – seen" is a sibling's comment.
        opens_block = index == 0 or not lines[index - 1].strip()
        if (
            named
            and (opens_block or (starts and _header_word(line) == _header_word(lines[starts[-1]])))
            and _header_number(named) == expected
        ):
            starts.append(index)
            listed_numbers = set()
        elif listed:
            number = int(listed.group("number"))
            if starts and opens_block and number == expected and number - 1 not in listed_numbers:
                starts.append(index)
                listed_numbers = set()
            else:
                listed_numbers.add(number)
    return starts


def _header_word(line: str) -> str:
    """The word a header line opens with, lower case ("child" of "Child 2 of 3")."""
    words = re.findall(r"[a-z]+", line.lower())
    return words[0] if words else ""


def _header_number(match: re.Match[str]) -> int:
    """A named header's record number: its number, or its letter's place (A is 1)."""
    if match.group("number"):
        return int(match.group("number"))
    return ord(match.group("letter")) - ord("A") + 1


def _header_match(line: str) -> re.Match[str] | None:
    return HEADER_RE.match(line) or NAMED_HEADER_RE.match(line) or LISTED_HEADER_RE.match(line)


def _separator_blocks(lines: list[str]) -> list[tuple[int, int]]:
    cuts = [i for i, line in enumerate(lines) if SEPARATOR_RE.match(line)]
    if not cuts:
        return []
    edges = [-1, *cuts, len(lines)]
    blocks = [(edges[k] + 1, edges[k + 1]) for k in range(len(edges) - 1)]
    return [(s, e) for s, e in blocks if any(line.strip() for line in lines[s:e])]


def _blank_line_blocks(lines: list[str]) -> list[tuple[int, int]]:
    blocks: list[tuple[int, int]] = []
    start: int | None = None
    for i, line in enumerate([*lines, ""]):
        if line.strip() and start is None:
            start = i
        elif not line.strip() and start is not None:
            blocks.append((start, i))
            start = None
    return blocks


def _make_record(lines: list[str], ordinal: int, with_header: bool) -> AuditRecord:
    while lines and not lines[-1].strip():
        lines = lines[:-1]
    source = "\n".join(lines)
    comments: list[Comment] = []
    label = f"Record {ordinal}"
    position = 0
    for index, line in enumerate(lines):
        line_start = position
        position += len(line) + 1
        if not line.strip() or SEPARATOR_RE.match(line):
            continue
        if index == 0 and with_header:
            label = line.strip().strip("#*").strip()
            match = _header_match(line)
            assert match is not None
            rest_at = match.end()
            rest_at += HEADER_REST_RE.match(line[rest_at:]).end()  # type: ignore[union-attr]
            rest = line[rest_at:].rstrip().rstrip("*:").rstrip()
            if rest.endswith(")") and rest.count(")") > rest.count("("):
                rest = rest[:-1].rstrip()  # "Record 2 (CP plan)" -> "CP plan"
            if rest:
                comments.append(
                    Comment(rest, line_start + rest_at, line_start + rest_at + len(rest), True)
                )
            continue
        bullet = BULLET_RE.match(line)
        begin = bullet.end() if bullet else len(line) - len(line.lstrip())
        text = line[begin:].rstrip()
        if text:
            comments.append(Comment(text, line_start + begin, line_start + begin + len(text)))
    return AuditRecord(ordinal=ordinal, label=label, source=source, comments=tuple(comments))
