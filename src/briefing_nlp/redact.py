"""Find personal data and replace it with typed placeholders, consistently per audit.

Recognizers share one parse: the pattern recognizers (recognizers.py) and a PERSON/ORG
NER component the project trains (models/ner), plus any installed spaCy pipeline a user
names. Names found once are redacted wherever they recur in the audit, and a first name
used alone gets its full name's placeholder. The original-to-placeholder mapping lives
in memory only and is never written out.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass, field, replace
from functools import lru_cache
from pathlib import Path

import spacy
from spacy.language import Language
from spacy.tokenizer import Tokenizer
from spacy.util import compile_infix_regex, compile_prefix_regex, compile_suffix_regex
from thinc.api import use_ops

from briefing_nlp.datatypes import Audit, AuditRecord, Comment
from briefing_nlp.errors import ConfigError, ModelError
from briefing_nlp.features import BoundedTokenizer
from briefing_nlp.ingest import BULLET_RE
from briefing_nlp.name_cues import find_name_cues
from briefing_nlp.practice_terms import PracticeTerms, shipped_terms
from briefing_nlp.recognizers import Entity, find_patterns, mentions_birth
from briefing_nlp.settings import Settings
from briefing_nlp.vocabulary import PROPER_WORDS

NUMBERED = ("PERSON", "ORG")
CAPITALISED_RE = re.compile(r"(?<![\w\[@./])[A-ZÀ-Þ][\w'’-]*[^\W\d_](?![\w@])")
COMMON_WORDS = "common_words.txt.gz"
PRIORITY = {
    "EMAIL": 8,
    "ID": 7,
    "PHONE": 6,
    "POSTCODE": 5,
    "DATE": 5,
    "ADDRESS": 4,
    "ORG": 3,
    "PERSON": 2,
}
# Abbreviations are practice terms when written in capitals ("MO clear"); "Mo" is a name.
ABBREVIATIONS = frozenset(
    """sw tm iro cin cp cla icpc rcpc plo sos hv fnp camhs mash lado ehcp pa yos dsl senco
    ma mo dw gp psw cse cce nrm rhi mace ehc pep sgo dv da neet eet uasc sdq pip dla ehcna
    pams marac idva dash mappa sil ha sen send asd adhd lac yjs pru eh taf fgc tac cafcass
    aspire mbu ico epo pr sm hos asye nqsw ic ot slt salt bsl esol gcse ucas brp ni dbs
    pnc strat rcpcs icpcs cins cps swt adcs dfe ofsted""".split()
)
# A line opening with a word that is also a name ("Summer", "Grace") goes to the NER
# model when a verb of someone speaking or being seen follows it.
SPEAKS_RE = re.compile(
    r"\s+(?:said|says|told|tells|was|is|has|had|wants|wanted|feels|felt|reports|reported|"
    r"disclosed|stated|explained|attends|attended|enjoys|likes|loves|lives|and)\b",
    re.IGNORECASE,
)
LOWER_WORD_RE = re.compile(r"(?<![\w\[@./])[a-z][a-z'’-]*[a-z](?![\w@])")
# "CareStore", "LiquidLogic": two English words joined with a capital name a system.
CAMEL_PART_RE = re.compile(r"[A-Z][a-z]+")
# A capitalised word straight before a name is its first name ("Oliver [Preston]")
# unless it opens the sentence as one of these.
FIRST_NAME_RE = re.compile(r"(?<![\w'’-])([A-Z][a-z'’-]*[a-z]) $")
# ... and a capitalised word straight after one is its surname, when the surname is also
# an English word the model let go ("Holly [Turner] 20").
SURNAME_RE = re.compile(r"[A-Z][a-z'’-]*[a-z](?![\w'’-])")
OPENERS = frozenset(
    """the a an and but or so then also during after before on in at for with from to by as
    when while if since until following per via re dear hi hello thanks today yesterday
    tomorrow next last first only just both all no not this that these those his her their
    our my your its some any each every""".split()
)
# Verbs auditors open a note with ("Seen Kacper at home", "Visited Amara Ali"): the name
# model sometimes takes them into the name that follows. None is a first name.
NOTE_VERBS = frozenset(
    "seen saw visited met spoke phoned called rang emailed texted contacted observed told "
    "asked advised informed discussed reviewed assessed referred supported attended noted "
    "heard found took gave agreed explained checked interviewed accompanied collected".split()
)
# Short capitals with a plural "s" ("RHIs", "CP's") are abbreviations, not names.
PLURAL_ABBREVIATION_RE = re.compile(r"[A-Z][A-Z0-9]{1,4}['’]?s")
# Practice vocabulary, roles and frameworks that are never personal data.
ALLOW = (
    PROPER_WORDS
    | frozenset(
        """iro's sw's tm's hv's
    mum dad nan gran grandad grandma mother father baby carer carers auditor worker
    signs of safety graded care profile gcp gcp2 brilliant basics talking mats makaton pecs
    ofsted home office children's services team manager social worker health visitor
    the school the college the nursery the academy the hospital maternity police
    action actions record case audit
    voice chronology genogram supervision care plan mr mrs ms miss mx dr sir madam""".split()
    )
    | {
        "signs of safety",
        "graded care profile",
        "brilliant basics",
        "talking mats",
        "home office",
        "team manager",
        "social worker",
        "health visitor",
        "children's services",
        "voice of the child",
        "care plan",
        "cp plan",
        "cin plan",
        "pathway plan",
        "life story",
    }
)


@dataclass(frozen=True)
class Redaction:
    """A redacted text, its entities (offsets into the original) and the offset map."""

    text: str
    entities: tuple[Entity, ...]
    spans: tuple[tuple[int, int, int, int], ...] = ()  # original start/end -> new start/end

    def map_start(self, position: int) -> int:
        """Where an original start offset lands in the redacted text."""
        shift = 0
        for old_start, old_end, new_start, new_end in self.spans:
            if old_start <= position < old_end:
                return new_start
            if old_end > position:
                break
            shift = new_end - old_end
        return position + shift

    def map_end(self, position: int) -> int:
        """Where an original end offset lands in the redacted text."""
        shift = 0
        for old_start, old_end, _, new_end in self.spans:
            if old_start < position <= old_end:
                return new_end
            if old_end > position:
                break
            shift = new_end - old_end
        return position + shift


@dataclass
class Placeholders:
    """Typed placeholders, the same one for the same person or organisation per session."""

    numbers: dict[tuple[str, str], int] = field(default_factory=dict)
    counts: dict[str, int] = field(default_factory=dict)

    def label(self, kind: str, value: str) -> str:
        if kind not in NUMBERED:
            return f"[{kind}]"
        key = (kind, _name_key(value))
        if key not in self.numbers and kind == "PERSON":
            # "Chloe" alone is the same person as "Chloe Bennett" seen earlier.
            for (other_kind, other), number in self.numbers.items():
                if other_kind == kind and (
                    other.split()[0] == key[1] or key[1].split()[0] == other
                ):
                    self.numbers[key] = number
                    break
        if key not in self.numbers:
            self.counts[kind] = self.counts.get(kind, 0) + 1
            self.numbers[key] = self.counts[kind]
        return f"[{kind} {self.numbers[key]}]"


def _name_key(value: str) -> str:
    return " ".join(re.sub(r"['’]s$", "", value).lower().split())


class Redactor:
    """Finds personal data with every recognizer over one parse of the texts."""

    def __init__(
        self,
        ner: Language | None,
        allow: frozenset[str] = ALLOW,
        extra: Language | None = None,
        batch_size: int = 256,
        common_words: frozenset[str] = frozenset(),
        terms: PracticeTerms | None = None,
    ) -> None:
        self.ner = ner
        self.allow = allow
        self.extra = extra
        self.batch_size = batch_size
        self.common_words = common_words
        # The shipped practice terms with the allow-list's words and phrases.
        self.terms = terms if terms is not None else shipped_terms().extended(allow)

    def _may_name(self, line: str) -> bool:
        """Whether a line has a capitalised word that could be a name, so the NER model
        must read it; lines with only practice abbreviations and an opening English word
        are skipped (a third of the model's work on typical notes)."""
        for number, match in enumerate(CAPITALISED_RE.finditer(line)):
            word = match.group(0).lower()
            if match.group(0).isupper() and len(word) <= 5:
                continue
            if word in self.allow or word in ABBREVIATIONS or self._practice(line, match):
                continue
            if (
                number == 0
                and match.start() <= 3
                and word in self.common_words
                and not SPEAKS_RE.match(line, match.end())
            ):
                continue  # "During the visit", "Chronology out of date"
            return True
        return bool(self.common_words) and any(
            self._unfamiliar(m.group(0)) for m in LOWER_WORD_RE.finditer(line)
        )

    def _unfamiliar(self, word: str) -> bool:
        """A lower-case word that is no English, practice or corpus word ("kayden")."""
        parts = [p for p in re.split(r"['’-]", word) if len(p) > 2]
        return bool(parts) and not (
            word in self.allow
            or word in ABBREVIATIONS
            or self.terms.may_cover(word)
            or all(p in self.common_words for p in parts)
        )

    def _practice(self, text: str, match: re.Match[str]) -> bool:
        """Whether a capitalised word is practice vocabulary where it stands: a listed
        term in context, or a system name made of English words ("CareStore")."""
        word = match.group(0)
        if self.terms.may_cover(word) and self.terms.is_practice(text, *match.span()):
            return True
        parts = CAMEL_PART_RE.findall(word)
        return (
            len(parts) > 1
            and "".join(parts) == word
            and all(len(p) > 2 and p.lower() in self.common_words for p in parts)
        )

    def _unfamiliar_words(self, text: str) -> list[Entity]:
        """Capitalised words that are not English words: in notes, nearly always names.

        The word list (about 76,000 common English words plus the corpus vocabulary) ships
        with the NER model; a name that is also a word ("Grace") is left to the model.
        """
        out = []
        for match in CAPITALISED_RE.finditer(text):
            word = re.sub(r"['’]s$", "", match.group(0))
            parts = [p for p in re.split(r"['’-]", word.lower()) if p]
            if word.isupper() and len(word) <= 5:
                continue  # short capitals are abbreviations
            if not parts or word.lower() in self.allow or word.lower() in ABBREVIATIONS:
                continue
            if self._practice(text, match):
                continue
            if any(len(p) > 2 and p not in self.common_words for p in parts):
                out.append(
                    Entity(
                        match.start(),
                        match.start() + len(word),
                        "PERSON",
                        word,
                        0.55,
                        "capitalised word that is not an English word",
                    )
                )
        return out

    def find(self, texts: Sequence[str]) -> list[list[Entity]]:
        """Entities in each text, overlaps resolved, allow-listed terms dropped, and names
        found in any text propagated to their other occurrences."""
        found = [find_patterns(text) for text in texts]
        for pipeline, score in ((self.ner, 0.8), (self.extra, 0.7)):
            if pipeline is None:
                continue
            lines = [
                (index, offset + marker, line[marker:])
                for index, text in enumerate(texts)
                for offset, line in _lines(text)
                if self._may_name(line)
                # The model learnt names from lines without list markers: "- Amara
                # Achterberg told..." hid the first name from it.
                for marker in [_marker_length(line)]
            ]
            docs = pipeline.pipe((line for _, _, line in lines), batch_size=self.batch_size)
            for (index, offset, _), doc in zip(lines, docs, strict=True):
                for ent in doc.ents:
                    kind = {"PER": "PERSON", "PERSON": "PERSON", "ORG": "ORG"}.get(ent.label_)
                    if not kind:
                        continue
                    start = ent.start_char
                    if kind == "PERSON" and len(ent) > 1 and ent[0].lower_ in NOTE_VERBS:
                        # "Seen Kacper Nowak at home": the model takes the note's opening
                        # verb into the name; the verb is the auditor's, not personal data.
                        start = ent[1].idx
                    found[index].append(
                        Entity(
                            offset + start,
                            offset + ent.end_char,
                            kind,
                            doc.text[start : ent.end_char],
                            score,
                            f"{kind} named-entity model",
                        )
                    )
        unfamiliar = self._unfamiliar if self.common_words else _nothing
        for index, text in enumerate(texts):
            if self.common_words:
                found[index].extend(self._unfamiliar_words(text))
            found[index].extend(find_name_cues(text, unfamiliar))
        found = [
            [kept for e in entities if self._keep(kept := self._trimmed(text, e), text)]
            for text, entities in zip(texts, found, strict=True)
        ]
        # A name's part that is a practice word ("Family" of "the Mbuyi Family") is not
        # redacted wherever it recurs alone.
        practice_words = self.terms.words | (self.terms.phrase_words & self.common_words)
        found = _propagate(texts, found, self.allow | practice_words | ABBREVIATIONS)
        return [_resolve(text, entities) for text, entities in zip(texts, found, strict=True)]

    def _trimmed(self, text: str, entity: Entity) -> Entity:
        """A name without the practice words at its edges ("Partner Ryan Cole"), and
        with the first name the model left off it ("Oliver [Preston]")."""
        if entity.type == "PERSON":
            entity = self._with_surname(text, self._with_first_name(text, entity))
        if entity.type != "PERSON" or not any(
            self.terms.may_cover(w) for w in WORD_RUN_RE.findall(entity.text)
        ):
            return entity
        start, end = self.terms.trim(text, entity.start, entity.end)
        return replace(entity, start=start, end=end, text=text[start:end])

    def _with_first_name(self, text: str, entity: Entity) -> Entity:
        # Only the words just before the name: searching from the start of the text for
        # every name made a run of titles ("Mrs Mrs ...") quadratic.
        before = FIRST_NAME_RE.search(text, max(0, entity.start - 64), entity.start)
        if before is None or not entity.text[:1].isupper():
            return entity
        word = before.group(1)
        if (
            word.lower() in self.allow | ABBREVIATIONS | OPENERS | NOTE_VERBS
            or word.isupper()
            or self._practice(text, before)
        ):
            return entity
        start = before.start(1)
        return replace(entity, start=start, text=text[start : entity.end])

    def _with_surname(self, text: str, entity: Entity) -> Entity:
        after = SURNAME_RE.match(text, entity.end + 1)
        if (
            after is None
            or text[entity.end : entity.end + 1] != " "
            or not entity.text[:1].isupper()
            or " " in entity.text.strip()
        ):
            return entity  # a full name already has its surname
        word = after.group(0)
        if word.lower() in self.allow | ABBREVIATIONS | OPENERS | NOTE_VERBS or self._practice(
            text, after
        ):
            return entity
        return replace(entity, end=after.end(), text=text[entity.start : after.end()])

    def _keep(self, entity: Entity, text: str) -> bool:
        raw = entity.text.strip(" .,;:()")
        value = _name_key(raw)
        if not value or value in self.allow:
            return False
        if value in ABBREVIATIONS and (raw.isupper() or raw.islower()):
            return False
        if PLURAL_ABBREVIATION_RE.fullmatch(raw):
            return False  # "RHIs offered late", "PEPs": practice terms, never names
        # The model learnt lower-case names ("kayden moore"); lower-case English words
        # it takes for names ("social media") are words.
        if (
            raw.islower()
            and entity.reason.endswith("named-entity model")
            and all(p in self.common_words for p in WORD_RUN_RE.findall(raw))
        ):
            return False
        if entity.type in NUMBERED and all(
            part.lower() in self.allow
            or (part.lower() in ABBREVIATIONS and (part.isupper() or part.islower()))
            for part in re.sub(r"['’]s$", "", raw).split()
        ):
            return False
        if entity.type in NUMBERED and self._practice_span(text, entity):
            return False
        return not (entity.type == "PERSON" and len(value) < 2)

    def redact(
        self,
        texts: Sequence[str],
        placeholders: Placeholders | None = None,
        keep_types: frozenset[str] = frozenset(),
    ) -> list[Redaction]:
        """Each text with its personal data, except entities of `keep_types`, replaced by
        placeholders."""
        placeholders = placeholders or Placeholders()
        results = []
        for text, found in zip(texts, self.find(texts), strict=True):
            entities = [e for e in found if e.type not in keep_types]
            parts: list[str] = []
            spans: list[tuple[int, int, int, int]] = []
            position = new_length = 0
            for entity in entities:
                parts.append(text[position : entity.start])
                new_length += entity.start - position
                label = placeholders.label(entity.type, entity.text)
                spans.append((entity.start, entity.end, new_length, new_length + len(label)))
                parts.append(label)
                new_length += len(label)
                position = entity.end
            parts.append(text[position:])
            results.append(Redaction("".join(parts), tuple(entities), tuple(spans)))
        return results

    def _practice_span(self, text: str, entity: Entity) -> bool:
        words = list(CAPITALISED_RE.finditer(text, entity.start, entity.end))
        if len(words) == 1 and words[0].span() == (entity.start, entity.end):
            return self._practice(text, words[0])
        return any(self.terms.may_cover(w) for w in WORD_RUN_RE.findall(entity.text)) and (
            self.terms.is_practice(text, entity.start, entity.end)
        )


def _nothing(_: str) -> bool:
    return False


def _lines(text: str) -> list[tuple[int, str]]:
    """Each line of a text with its offset."""
    out, offset = [], 0
    for line in text.split("\n"):
        out.append((offset, line))
        offset += len(line) + 1
    return out


WORD_RUN_RE = re.compile(r"\w+")


def _marker_length(line: str) -> int:
    """Length of a bullet or list number opening the line ("- ", "1. ", "a) ")."""
    match = BULLET_RE.match(line)  # the markers ingest recognises
    return match.end() if match else 0


def _propagate(
    texts: Sequence[str], found: list[list[Entity]], allow: frozenset[str]
) -> list[list[Entity]]:
    names: dict[str, str] = {}
    for entities in found:
        for entity in entities:
            if entity.type in NUMBERED:
                value = re.sub(r"['’]s$", "", entity.text.strip())
                names.setdefault(value, entity.type)
                parts = value.split()
                if entity.type == "PERSON" and len(parts) > 1:
                    for part in parts:
                        if len(part) > 2 and part.lower() not in allow:
                            names.setdefault(part, "PERSON")
    if not names:
        return found
    lowered = {n.lower(): kind for n, kind in names.items()}
    # Candidate names by their first word, longest first (as a regex alternation sorted
    # by length would try them), checked only where a line has that word: one set lookup
    # per word instead of a thousand-way alternation over every line.
    by_first: dict[str, list[str]] = {}
    for name in sorted(lowered, key=len, reverse=True):
        words = WORD_RUN_RE.findall(name)
        if words:
            by_first.setdefault(words[0], []).append(name)
    return [
        entities + _repeats(text, by_first, lowered)
        for text, entities in zip(texts, found, strict=True)
    ]


def _repeats(text: str, by_first: dict[str, list[str]], kinds: dict[str, str]) -> list[Entity]:
    """Every whole-word occurrence in `text` of a name found elsewhere in the audit."""
    low = text.lower()
    if len(low) != len(text):  # a rare letter whose lower case is longer: compare per char
        low = "".join(ch if len(ch.lower()) != 1 else ch.lower() for ch in text)
    extra: list[Entity] = []
    position = 0
    for word in WORD_RUN_RE.finditer(low):
        start = word.start()
        if start < position or word.group(0) not in by_first:
            continue
        if start and text[start - 1] == "[":  # inside a placeholder
            continue
        for name in by_first[word.group(0)]:
            end = start + len(name)
            after = text[end : end + 1]
            if low[start:end] != name or (after and (after.isalnum() or after in "_]")):
                continue
            position = end
            # Lower-case repeats are usually ordinary words ("grace", "hope"), not the name.
            if not text[start:end].islower():
                extra.append(
                    Entity(
                        start,
                        end,
                        kinds[name],
                        text[start:end],
                        0.75,
                        "same name as found elsewhere in the audit",
                    )
                )
            break
    return extra


def _resolve(text: str, entities: list[Entity]) -> list[Entity]:
    """Non-overlapping spans: overlapping ones merge into their union, typed by the longer
    match (then the more specific kind)."""
    merged: list[Entity] = []
    for entity in sorted(entities, key=lambda e: (e.start, -(e.end - e.start))):
        if merged and entity.start < merged[-1].end:
            last = merged[-1]
            keep = (
                last
                if (last.end - last.start, PRIORITY[last.type])
                >= (entity.end - entity.start, PRIORITY[entity.type])
                else entity
            )
            start, end = last.start, max(last.end, entity.end)
            merged[-1] = replace(keep, start=start, end=end, text=text[start:end])
            continue
        merged.append(entity)
    return merged


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


def redactor_for(settings: Settings) -> Redactor:
    """The redactor the settings ask for (NER from the model folder, allow-list extended)."""
    from briefing_nlp.artifacts import META, read_meta

    model_dir = Path(settings.model_dir)
    expected = ""
    if (model_dir / META).is_file():
        expected = read_meta(model_dir).get("artifacts", {}).get("ner", "")
    return load_redactor(
        model_dir / "ner", settings.pii_spacy_model, settings.allow_list_path, expected
    )


def _matrix_ops() -> AbstractContextManager[None]:
    """thinc's numpy backend with numpy's own BLAS instead of blis for the models loaded
    in this block: the NER model's matrix products run a quarter faster here with the
    same entities (benchmarks/RESULTS.md). Models keep the backend they were loaded with."""
    return use_ops("numpy", use_blis=False)


CELL_TOKENIZER = "briefing_nlp.cell_tokenizer.v1"


def cell_tokenizer(nlp: Language) -> Tokenizer:
    """The redaction model's tokenizer: English, also split where spreadsheet pastes join
    cells with ";" or "|" and no spaces, and at "/" between words.

    Built in one go rather than by setting `infix_finditer` on a built tokenizer: every
    such setter reloads spaCy's 1,300 English special cases, which cost a cold draft
    about 0.15 s.
    """
    defaults = nlp.Defaults
    infixes = [*list(defaults.infixes or []), r"[;|]", r"(?<=\w)/(?=[A-Za-z])"]
    return Tokenizer(
        nlp.vocab,
        rules=defaults.tokenizer_exceptions,
        prefix_search=compile_prefix_regex(defaults.prefixes).search if defaults.prefixes else None,
        suffix_search=compile_suffix_regex(defaults.suffixes).search if defaults.suffixes else None,
        infix_finditer=compile_infix_regex(infixes).finditer,
        token_match=defaults.token_match,
        url_match=defaults.url_match,
    )


@spacy.registry.tokenizers(CELL_TOKENIZER)
def _cell_tokenizer_factory() -> Callable[[Language], Tokenizer]:
    # Loading names this in a config override, so the model's tokenizer is built once,
    # in code, instead of read back from disk (which costs more) or built twice.
    return cell_tokenizer


def split_cells(nlp: Language) -> None:
    """Give a pipeline the redaction model's tokenizer (`cell_tokenizer`); training
    uses it, and the saved model's tokenizer must equal it (a test holds that)."""
    nlp.tokenizer = cell_tokenizer(nlp)


@lru_cache(maxsize=4)
def load_redactor(
    ner_dir: Path | None,
    extra_model: str = "",
    allow_list: Path | None = None,
    expected_sha256: str = "",
) -> Redactor:
    """The redactor with the shipped NER model (and an installed pipeline if named).

    Raises:
        ModelError: the NER model folder exists but cannot be loaded.
        ConfigError: `extra_model` is not installed, or the allow-list file is unreadable.
    """
    allow = ALLOW
    if allow_list is not None:
        try:
            lines = Path(allow_list).read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            raise ConfigError(f"{allow_list}: cannot read the allow-list ({exc})") from None
        allow = ALLOW | {_name_key(line) for line in lines if line.strip()}
    from briefing_nlp.artifacts import dir_sha256

    ner = None
    if ner_dir is not None and expected_sha256 and not (Path(ner_dir) / "config.cfg").is_file():
        raise ModelError(
            f"{ner_dir}: redaction model missing; restore it or run `briefing-nlp train --pii`"
        )
    if expected_sha256 and ner_dir is not None and dir_sha256(Path(ner_dir)) != expected_sha256:
        raise ModelError(
            f"{ner_dir}: redaction model does not match meta.json (altered or corrupt); "
            "restore it or run `briefing-nlp train --pii`"
        )
    common: frozenset[str] = frozenset()
    if ner_dir is not None and (Path(ner_dir) / COMMON_WORDS).is_file():
        with gzip.open(Path(ner_dir) / COMMON_WORDS, "rt", encoding="utf-8") as handle:
            common = frozenset(handle.read().split())
    if ner_dir is not None and (Path(ner_dir) / "config.cfg").is_file():
        try:
            with _matrix_ops():
                ner = spacy.load(
                    ner_dir,
                    exclude=["tokenizer"],
                    config={"nlp": {"tokenizer": {"@tokenizers": CELL_TOKENIZER}}},
                )
        except (OSError, ValueError) as exc:
            raise ModelError(
                f"{ner_dir}: NER model unreadable ({str(exc).strip().splitlines()[0]}); "
                "run `briefing-nlp train --pii`"
            ) from None
    extra = None
    if extra_model:
        try:
            with _matrix_ops():
                extra = spacy.load(extra_model, exclude=["parser", "lemmatizer", "textcat"])
        except OSError:
            raise ConfigError(
                f"spaCy pipeline {extra_model!r} is not installed; install it yourself or unset "
                "pii_spacy_model (nothing is downloaded)"
            ) from None
    # spaCy strips affixes from a spaceless run one at a time, quadratic in its length
    # (a run of apostrophes after a name): the bound the classifiers' tokenizer has.
    for pipeline in (ner, extra):
        if pipeline is not None:
            pipeline.tokenizer = BoundedTokenizer(pipeline.tokenizer)
    return Redactor(ner, allow=allow, extra=extra, common_words=common)
