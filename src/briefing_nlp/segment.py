"""Split comments into statements, one finding each, keeping offsets into the record.

Sentences come from spaCy's sentencizer. Inside a sentence, clause boundaries are tried
level by level, most decisive first ("but" → ";" → " - " → "," → "&"/"and"), and a cut
is kept only where the parts are findings of their own: of different polarity ("good MA
input but chronology out of date"), or of the same polarity on unrelated themes
("chronology out of date, no supervision recorded"). The classifier's view of each part
decides, passed in as `classify` so callers can memoise it.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Sequence
from dataclasses import replace

from spacy.language import Language
from spacy.tokens import Doc

from briefing_nlp.datatypes import Audit, Classification, Statement
from briefing_nlp.features import verb_test
from briefing_nlp.grades import FUTURE_MODAL, PRACTICE_MARKER, agreed_action, asks_where, grade_of
from briefing_nlp.headings import HeadingIndex, heading_of
from briefing_nlp.wording import PLACEHOLDER_RE, VERDICT_RE

Classifier = Callable[[Sequence[str]], list[Classification]]

LEVELS: tuple[tuple[str, re.Pattern[str]], ...] = (
    ("contrast", re.compile(r",?\s+(?:but|however|yet)\b,?\s+", re.I)),
    # A concession is a finding of its own only where it is the auditor's own opposite
    # verdict ("Mum not offered carers assessment though relationship with mum is
    # good"): one that reports what someone says ("no supervision recorded, although SW
    # says TM is supportive") or gives the evidence ("even though he was arrested") stays
    # with its main clause (`_is_boundary`).
    ("concession", re.compile(r"(?<!\beven),?\s+(?:though|although|whilst)\s+", re.I)),
    ("semicolon", re.compile(r"\s*;\s+")),
    ("dash", re.compile(r"\s+[-–—]+\s+")),
    ("comma", re.compile(r",\s+")),
    ("conjunction", re.compile(r"\s+(?:&|\+|and also|and)\s+", re.I)),
)
# Any level's separator: a sentence with none is one statement already, and skips the
# per-level trials (two sentences in five in the benchmark's notes; the trials are this
# stage's Python cost).
ANY_SEPARATOR = re.compile("|".join(f"(?:{p.pattern})" for _, p in LEVELS), re.I)
# Strength and good practice are one polarity: "excellent X - shared as good practice"
# is one finding, not a strength beside a good-practice fragment.
POLARITY = {
    "strength": "positive",
    "good_practice": "positive",
    "worry": "negative",
    "action": "action",
    "neutral": "neutral",
}
# A right-hand part that opens like this leans on the left one (no subject of its own:
# "... but none of it is on the system", "... and is recorded", "... and used in").
LEANS_BACK = re.compile(
    r"^(?:it|its|it's|this|that|these|those|none|neither|nor|which|who|they|them|their|"
    r"not|so|as|then|also|both|all|he|she|his|her|one|"
    r"is|are|was|were|has|have|had|be|been|being|can|could|should|would|will|may|might|"
    r"must|does|do|did|isn't|aren't|wasn't|weren't|hasn't|haven't|hadn't|doesn't|didn't|"
    r"can't|won't|couldn't|shouldn't|used|done|seen|made|given|held|kept|shown|written|"
    r"taken|[a-z]+ed|[a-z]+ing|in|on|at|with|for|by|from|to|of|into|within|without|via|"
    r"how|what|where|when|why|whether|if|because|due|since|until|after|before|than|"
    r"although|though|whilst|while|whereas|despite|even|except|unless|"
    r"clear|clearly|good|well|very|really|only|just|still|even|fully|regularly|"
    r"consistently|promptly|quickly|now|already|"
    # "... completed but late", "... held but brief": the right part judges the left's
    # subject and has none of its own
    r"late|brief|limited|patchy|delayed|overdue|incomplete|partial|basic|generic|thin|"
    r"sparse|superficial|"
    # elaborations and subjectless verbs: "... - often in his cot when SW visits",
    # "... - reads like her care plan copied over"
    r"often|usually|always|never|sometimes|e\.g|eg|i\.e|ie|including|such|like|"
    r"reads|looks|seems|appears|shows|feels|says|gives|means|makes)\b|^\d",
    re.I,
)
# "... was applied for but there is no result on file": "there is" names nothing of its
# own and leans on the part before (after a semicolon it may start a finding).
THERE_IS = re.compile(r"^there(?:'s| is| are| was| were| has| have| had)\b", re.I)
WORD_RE = re.compile(r"[A-Za-z]{2,}")
# After a semicolon, a judgement and the practice it judges is a finding of its own
# ("chronology up to date; good direct work"), not a judgement of the part before
# ("chronology updated; good").
NEW_PRAISE = re.compile(
    r"^(?:good|clear|strong|very good|really good)\s+(?!(?:to|for|with|in|at|and|but|overall|"
    r"throughout|too|though|enough)\b)[a-z][\w-]*\s+[a-z][\w-]*",
    re.I,
)
LIST_WORD_RE = re.compile(r"[A-Za-z]{2,}|\d+")


def _list_words(text: str) -> int:
    """Words and numbers, not counting a placeholder's number ("[PERSON 1]'s history")."""
    return len(LIST_WORD_RE.findall(PLACEHOLDER_RE.sub(" ", text)))


# "his heritage and faith are well reflected": a left part that is only a noun phrase
# ("his ...", "the ...", no verb) and a right part with a plural verb mean the "and"
# joined a compound subject. ("good MA input and visits are regular" has a finding on
# each side and still splits.)
COMPOUND_SUBJECT = re.compile(r"\b(?:are|were|have|both)\b", re.I)
NOUN_PHRASE = re.compile(r"^(?:his|her|their|its|the|a|an|both|\S+'s)\s", re.I)
# A noun and a preposition's object, nothing said of them ("contact with mum"), and a
# word and its verb after "and" ("nan is well supported"): the "and" joins two objects
# of the one subject.
HEAD_WITH_OBJECT = re.compile(
    r"^[A-Za-z][\w'-]*\s+(?:with|of|for|from|to|between)\s+(?:his|her|their|the)?\s*[\w'-]+$",
    re.I,
)
OBJECT_THEN_VERB = re.compile(r"^[\w'-]+\s+(?:is|are|was|were|has|have)\b", re.I)
VERB_LIKE = re.compile(r"\b(?:is|are|was|were|has|have|had|been|not|no|[a-z]+ed|[a-z]+ing)\b", re.I)
# A left part that ends a word or three after a preposition: "direct work on grooming |
# and county lines", "worries about drugs | and exploitation".
OBJECT_OF_PREPOSITION = re.compile(
    r"\b(?:on(?! (?:file|record|time|track|the system|it)\b)|about|around|of(?! date\b)|re|"
    r"regarding|including|covering|between|from)"
    r"(?:\s+(?!(?:is|are|was|were|has|have|had|not|no)\b)[\w'-]+){1,3}$",
    re.I,
)
# ... unless the right part says something of its own within its first words ("... on the
# home visit | and MASH didn't pick this up", "EHCP on file | and outcomes mirrored"), or
# the left ends in a set phrase ("no supervision on record | and no use of SOS").
FINITE_WORDS = (
    r"is|are|was|were|has|have|had|did|do|does|not|no|nil|none|will|can|could|should|must|"
    r"\w+n't"
)
CLAUSE_OPENING = re.compile(rf"^(?:\S+\s+){{0,3}}?(?:{FINITE_WORDS}|\w+ed)\b", re.I)
# A subject of a word or two and a finite verb, negated or past: "MASH didn't pick this
# up", "school were not invited".
OWN_CLAUSE = re.compile(
    r"^[A-Za-z][\w'&/-]*(?:\s+[\w'&/-]+)?\s+(?:\w+n't|did not|was not|were not|has not|"
    r"have not|had not|never)\b",
    re.I,
)
SHARED_AUXILIARY = re.compile(
    r"\b(?:to be|be|been|being|is|are|was|were)\s+\w+(?:ed|en|wn|ght)$", re.I
)
PARTICIPLE = re.compile(r"^\w+(?:ed|en|wn|ght)\b", re.I)
# A part whose object is "it"/"them" points at the part before: "chrono has gaps, April
# missing episodes not on it" is one finding about the chronology.
REFERS_BACK = re.compile(r"\b(?:on|in|of|to|from|into|onto|about|within) (?:it|them)\b", re.I)
# A pronoun as the object of a part's first words points at what the part before names:
# "matched as permanent - calls it 'my forever house'", "contact is well run - workers
# adapt it when she is unwell".
OBJECT_PRONOUN = re.compile(r"^(?:[\w']+\s+){1,3}(?:it|them)\b", re.I)
# A reply, reason or outcome and nothing else answers the part before: "asked twice for
# help - no response", "hasn't seen her brother since Easter, no reason on file", "...;
# there is no response to either request", "two extensions and no reason recorded for
# either".
ANSWERLESS = re.compile(
    r"^(?:there(?:'s| is| was| has been)\s+)?(?:no|nil)\s+(?:reasons?|explanation|rationale|"
    r"response|reply|answer|outcome)\b(?:\s+(?:on file|recorded|given|noted|yet))?"
    r"(?:\s+(?:to|from|since|for)\b.*)?[.!]?$",
    re.I,
)
# "nothing about his heritage, hair and skin care or keeping him linked to dad's family":
# after a part ending on a preposition's object, a part that finishes the list with "or"
# or "and" names more objects of it.
LIST_CLOSE = re.compile(r"\b(?:or|and|&)\b", re.I)
LIST_REQUEST = re.compile(r"^(?:\S+\s+){0,2}?(?:to|should|must|needs?|please)\b", re.I)
# "... and share with placement": an imperative after "and" shares the subject of the
# clause before it ("SW to update the RA and share with placement", "HV and nursery
# contribute to core groups and share info"); it is not an action of its own.
FIRST_WORD_RE = re.compile(r"[a-z]+", re.I)
REQUEST_RE = re.compile(
    r"\b(?:actions?|to|should|must|needs?|need to|will|ought|please|asap|consider|"
    r"ensure|review|refer|complete|update|chase|arrange|agree|request)\b",
    re.I,
)
# "school attend, CAMHS and GP don't": an elliptical ending borrows the left's verb.
ELLIPTICAL_END = re.compile(
    r"\b(?:don't|doesn't|didn't|haven't|hasn't|isn't|aren't|wasn't|weren't|won't|"
    r"do not|does not|did not|has not|have not)[.!]?$",
    re.I,
)
# What someone else says or feels, reported: not the auditor's verdict.
REPORTED_RE = re.compile(
    r"\b(?:says?|said|reports?|reported|feels?|felt|told|states?|stated|thinks?|believes?|"
    r"according)\b",
    re.I,
)
# A part that ends on a bare question word has lost its clause to the part before:
# "TM to review the decision and record why" asks for the decision's reasons.
ENDS_ON_QUESTION_WORD = re.compile(r"\b(?:why|how|what|when|where|who)[.!]?$", re.I)
# A request whose verb has no object shares the next one's: "TM to review and consider
# strat" asks the manager to review the incident, not to review something unsaid.
OBJECTLESS_REQUEST = re.compile(r"\bto\s+([a-z]+)[.!]?$", re.I)
# A verb whose object is a pronoun does something to what the part before names: "TM to
# hold supervision and record it", "update the plan and share it with school".
PRONOUN_OBJECT = re.compile(r"^[a-z]+\s+(?:it|them|this|these|those)\b", re.I)
# A verb in the third person with an object and no subject of its own shares the
# subject before "and": "GCP2 used well and informs the plan".
SUBJECTLESS_VERB = re.compile(
    r"^([a-z]+)s\s+(?:the|a|an|his|her|their|its|this|that|these|those|all|each|every|"
    r"any|both|mum's|dad's)\b",
    re.I,
)
# A part that opens with "and" after a comma ("PA to update PP, and give him his health
# history") is read, and kept, without the conjunction.
LEADING_AND = re.compile(r"(?:and|&|plus)\s+", re.I)
# A label and nothing but redacted particulars: "Auditor: [PERSON 21] [DATE]".
LABELLED_DETAILS = re.compile(r"^[A-Za-z][A-Za-z ]{0,30}:\s*(?:\[[A-Z][A-Z _]*\d*\][\s,]*)+$")
FEEDBACK_RE = re.compile(r"\b(?:feedback|fe[de]+ ?back|discussed with)\b", re.I)
# Comma and "and" lists split only between parts this long with a confident subject.
MIN_LIST_WORDS = 3
# ... or this long when each part is a terse finding of its own (`_terse_findings`).
MIN_TERSE_WORDS = 2
MAX_TERSE_WORDS = 4
# A lone imperative after a finding asks for the finding to be put right: "Carers
# assessment for mum out of date (2017) - update." is a worry and an action.
LONE_REQUEST = re.compile(
    r"^(?:update|chase|review|complete|refer|re-?refer|escalate|amend|arrange|progress|"
    r"upload|redo|revisit|action|follow up|address|rectify|correct)[.!]*$",
    re.I,
)
MIN_LIST_THEME_SCORE = 0.5
# Separators of a list whose parts may each be a request.
ACTION_LIST_KINDS = frozenset({"semicolon", "comma"})
# The sections a bare request in a list of requests is mistaken for when read alone:
# "direct work with him" reads as praise, "birth plan to maternity" as a fact. (A line
# that only names people, "[PERSON 12], 17, baby [PERSON 13]", stays a fact.)
UNJUDGED_SECTIONS = frozenset({"strength", "neutral"})
# A part that judges or reports something: a negation, a past participle ("completed",
# "missed"), a state verb or an evaluative word. A part with none of these, on a line of
# actions, is one more thing asked for ("carers assmt; get EHCP from school; direct work
# with Tyrese"), not a strength or a bare fact.
JUDGED_RE = re.compile(
    r"\b(?:is|are|was|were|been|has|have|had|not|no|nothing|none|never|nil|"
    r"[a-z]{2,}(?:ed|n't)|done|seen|made|given|held|kept|shown|written|taken|met|in place|"
    r"on file|attends?|good|well|clear|clearly|strong|poor|weak|lacking|late|overdue|"
    r"missing|absent|evident|timely|thorough|excellent|great|lovely|fab|brilliant|"
    r"positive|up to date|out of date|o/d|very|really|regular|regularly|consistent|"
    r"inconsistent|limited|variable|patchy|robust|settled|engaged|working)\b",
    re.I,
)
TRIM = " \t,;:-–—&+"


def split_statements(audit: Audit, nlp: Language, classify: Classifier) -> list[Statement]:
    """Every statement of every record, in order of appearance."""
    sources = {r.ordinal: r.source for r in audit.records}
    comments = [(r.ordinal, c) for r in audit.records for c in r.comments]
    # (record, header, chunks) per sentence; chunks are (start, end) in the record source.
    sentences: list[tuple[int, bool, list[tuple[int, int]]]] = []
    is_verb = verb_test(nlp)
    one_sentence = _one_sentence_test(nlp)
    # Most comments are one sentence, which a string test shows without spaCy (the
    # sentencizer builds a Python object per token: most of this stage's time).
    several = [c.text for _, c in comments if not one_sentence(c.text)]
    docs = iter(nlp.pipe(several, disable=["lemmatizer"]))
    for record, comment in comments:
        if one_sentence(comment.text):
            spans = [(0, len(comment.text))]
        else:
            spans = _whole_sentences(comment.text, _sentence_spans(next(docs)))
        for sentence_start, sentence_end in spans:
            start, end = _trim(comment.text, sentence_start, sentence_end)
            start = _after_heading(sources[record], comment.start, start, end)
            if start < end:
                span = (comment.start + start, comment.start + end)
                sentences.append((record, comment.header, [span]))
    divisible = [
        index
        for index, (record, _, [(start, end)]) in enumerate(sentences)
        if ANY_SEPARATOR.search(sources[record], start, end)
    ]
    headings = {ordinal: HeadingIndex(source) for ordinal, source in sources.items()}
    listed = {
        index
        for index in divisible
        if headings[sentences[index][0]].section(sentences[index][2][0][0]) == "action"
    }
    for kind, pattern in LEVELS:
        parts_per_chunk = [
            [_split(sources[sentences[i][0]], chunk, pattern) for chunk in sentences[i][2]]
            for i in divisible
        ]
        texts = sorted(
            {
                sources[sentences[i][0]][s:e]
                for i, per_chunk in zip(divisible, parts_per_chunk, strict=True)
                for parts in per_chunk
                if len(parts) > 1
                for s, e in parts
            }
        )
        labels = dict(zip(texts, classify(texts), strict=True)) if texts else {}
        for index, per_chunk in zip(divisible, parts_per_chunk, strict=True):
            record, header, _ = sentences[index]
            chunks = [
                joined
                for parts in per_chunk
                for joined in (
                    _requests(sources[record], parts)
                    if index in listed and kind in ACTION_LIST_KINDS
                    else _join(sources[record], parts, kind, labels, header, is_verb)
                )
            ]
            sentences[index] = (record, header, chunks)
    statements = [
        Statement(record, sources[record][s:e], s, e, header)
        for record, header, chunks in sentences
        for s, e in chunks
    ]
    return _agreed_parts(distribute(_with_subjects(_with_markers(statements, sources), sources)))


# Pieces of practice auditors judge together with one verdict: "Chronology and genogram
# both up to date", "no chrono or geno on file", "risk assessment + safety plan in place".
# Longer names first, so "CIN plan" is one piece and not "plan".
PRACTICE_PIECE = (
    r"(?:(?:cin|cp|care|pathway|safety|contingency|pre-?birth|birth|(?:hospital )?discharge|"
    r"placement)\s+plans?"
    r"|chronology|chronologies|chrono|genograms?|geno|eco-?maps?|supervision|case notes|peps?"
    r"|ehcp|short breaks?|iha|rha|(?:initial |review )?health assessments?|risk assessments?"
    r"|direct work|life story work|core groups?|(?:cin |cp |statutory )?visits"
    r"|(?:cin |cp )?reviews?|referrals?|icpc|rcpc|strat(?:egy)? (?:meeting|discussion)s?"
    r"|plans?|assessments?)"
)
SHARED_VERDICT = re.compile(
    rf"^(?P<neg>(?:no|nil)\s+)?(?P<pieces>{PRACTICE_PIECE}(?:\s*(?:,|and|&|\+|or)\s*"
    rf"{PRACTICE_PIECE}){{1,2}})\s+(?:(?:are|were|is|have been|both|all)\s+)*"
    r"(?P<rest>(?:up to date|out of date|o/d|in date|current|ok|okay|fine|good|done|"
    r"complete|completed|updated|missing|not|never|on file|on the file|on system|in place|"
    r"uploaded|recorded|overdue|late|clear|strong|poor|weak|basic|thorough|evident|absent|"
    r"regular|regularly|consistent|timely|on time|in timescale|within timescale|held|seen|"
    r"used|shared|reviewed|signed off|needs?|required|to be|still|very|v|really|well|stale|"
    r"outdated|dated|incomplete|inaccurate|accurate|detailed|thin|patchy|sparse|limited|"
    r"comprehensive|excellent|robust|superficial|generic|variable)\b.*)$",
    re.I | re.S,
)
# A request for several pieces of practice at once ("SW to bring chronology and genogram
# up to date", "update chrono + geno before the review") asks for each of them: an action
# for the chronology and one for the genogram, as a shared verdict is a finding for each.
SHARED_REQUEST = re.compile(
    r"^(?P<head>(?:[\w'/ ]{0,30}?\b(?:to|please|must|should|needs? to)\s+|(?:please\s+)?)"
    r"(?:update|bring|complete|redo|re-do|write|start|finish|add|upload|refresh|do)\s+"
    r"(?:(?:the|his|her|their|a|an)\s+)?)"
    rf"(?P<pieces>{PRACTICE_PIECE}(?:\s*(?:,|and|&|\+)\s*(?:(?:the|his|her|their)\s+)?"
    rf"{PRACTICE_PIECE}){{1,2}})(?P<rest>(?:\s.*)?)$",
    re.I | re.S,
)
PIECE_RE = re.compile(PRACTICE_PIECE, re.I)
NEITHER = re.compile(r"\b(?:neither|none)\s+(has|have|is|are|was|were)\b", re.I)
# A part that opens with the piece of practice it judges: "no discharge plan", "EHCP links
# strong".
OPENING_PIECE = re.compile(rf"^(?:(?:no|not|nil|the|his|her|their)\s+)?({PRACTICE_PIECE})\b", re.I)
# Shorthand that names the same piece: "chrono and chronology" are not two pieces.
PIECE_NAMES = {
    "chrono": "chronology",
    "chronologies": "chronology",
    "geno": "genogram",
    "genograms": "genogram",
    "eco-map": "ecomap",
    "eco-maps": "ecomap",
    "ecomaps": "ecomap",
}


def distribute(statements: list[Statement]) -> list[Statement]:
    """One statement per piece of practice judged under one shared verdict.

    "Chronology and genogram both up to date" says two findings: it supports the
    chronology finding and the genogram finding, each counted, however many records say
    so in the same breath. Each piece keeps the statement's span and text (sources stay
    as written) and is worded alone for classifying and for the bullet ("Genogram up to
    date").
    """
    out: list[Statement] = []
    for statement in statements:
        text = statement.worded.strip()
        match = SHARED_VERDICT.match(text)
        request = None if match else SHARED_REQUEST.match(text)
        found = match or request
        pieces = [m.group(0) for m in PIECE_RE.finditer(found.group("pieces"))] if found else []
        names = {PIECE_NAMES.get(p.lower(), p.lower()) for p in pieces}
        if not found or len(names) < len(pieces):
            out.append(statement)
            continue
        if request:
            head, rest = request.group("head"), request.group("rest").rstrip()
            worded = [f"{head}{piece}{rest}" for piece in pieces]
        elif match:
            neg, rest = match.group("neg") or "", match.group("rest").strip()
            # Said of one piece, "neither has been touched" is "has not been touched".
            rest = NEITHER.sub(lambda m: f"{m.group(1)} not", rest)
            worded = [f"{neg}{piece} {rest}" for piece in pieces]
        for wording in worded:
            out.append(replace(statement, wording=wording[0].upper() + wording[1:]))
    return out


# "This is a lovely piece of work and I would like it shared across the team." is 15.
MAX_MARKER_WORDS = 18


def _with_markers(statements: list[Statement], sources: dict[int, str]) -> list[Statement]:
    """Join a good-practice marker to the finding it singles out, when both sit on one
    line: the marker alone is a good-practice bullet about nothing, and the finding a
    strength where the auditor meant an example to share."""
    out: list[Statement] = []

    def joins(before: Statement, marker: Statement) -> bool:
        return (
            before.record == marker.record
            and not before.header
            and "\n" not in sources[marker.record][before.end : marker.start]
            and len(marker.text.split()) <= MAX_MARKER_WORDS
            and bool(PRACTICE_MARKER.match(marker.text))
        )

    for current in statements:
        out.append(current)
        # A marker split at its dash ("Really good | share with the CLA health team")
        # is whole again after one join, and then singles out the finding before it.
        while len(out) > 1 and joins(out[-2], out[-1]):
            before, marker = out[-2], out.pop()
            text = sources[marker.record][before.start : marker.end]
            out[-1] = replace(before, text=text, end=marker.end)
    return out


# A request with no subject of its own ("needs agreeing with maternity", "to be seen"),
# and the separator that ties it to the finding before it on the same line.
SUBJECTLESS = re.compile(r"^(?:needs?|needed|requires?|required|to be|should be|must be)\b", re.I)
TIES = re.compile(r"^[ \t]*(?:[-–—:;,]+[ \t]*)?$")
# Where the subject of a finding ends: "Partner [PERSON 9] | not included ...".
SUBJECT_END = re.compile(
    r"\s(?:not|no longer|never|only|still|is|are|was|were|has|have|had|been|isn't|aren't|"
    r"wasn't|weren't|hasn't|haven't|hadn't|didn't|doesn't|needs?|missing|absent|out of date|"
    r"overdue|late|delayed|incomplete)\b",
    re.I,
)
NO_START = re.compile(r"^(?:no|nil|not|lack of|missing)\s+", re.I)
MAX_SUBJECT_WORDS = 6


# A second thing agreed after "and": "..., and that a fresh DASH will be done with mum".
AGREED_THAT = re.compile(rf"^that\s+\S.*\b{FUTURE_MODAL}\b", re.I)


def _agreed_parts(statements: list[Statement]) -> list[Statement]:
    """Word a second agreed action split off the first without its "that" ("a fresh DASH
    will be done with mum")."""
    out = list(statements)
    for i in range(1, len(out)):
        before, current = out[i - 1], out[i]
        if (
            before.record == current.record
            and not current.wording
            and AGREED_THAT.match(current.text)
            and agreed_action(before.text)
        ):
            rest = current.text.split(None, 1)[1]
            out[i] = replace(current, wording=rest[0].upper() + rest[1:])
    return out


def _with_subjects(statements: list[Statement], sources: dict[int, str]) -> list[Statement]:
    """Give a subjectless request split off the finding before it that finding's subject,
    so a bullet worded from it says what is needed ("Hospital discharge plan needs
    agreeing with maternity", not "Needs agreeing with maternity")."""
    out = list(statements)
    for i in range(1, len(out)):
        before, current = out[i - 1], out[i]
        if (
            before.record != current.record
            or not (SUBJECTLESS.match(current.text) or LONE_REQUEST.match(current.text))
            or grade_of(current.text)  # "Requires improvement" is a grade, not a request
            or not TIES.match(sources[current.record][before.end : current.start])
        ):
            continue
        subject = NO_START.sub("", before.text, count=1)
        end = SUBJECT_END.search(subject)
        if end:
            subject = subject[: end.start()]
        subject = subject.strip(" ,;:-–—")
        if subject and len(subject.split()) <= MAX_SUBJECT_WORDS:
            out[i] = replace(current, subject=subject)
    return out


def _after_heading(source: str, offset: int, start: int, end: int) -> int:
    """A sentence's start moved past a heading label that opens its line ("What went
    well: visits in timescale" is the finding "visits in timescale")."""
    absolute = offset + start
    line_start = source.rfind("\n", 0, absolute) + 1
    line_end = source.find("\n", absolute)
    heading = heading_of(source[line_start : len(source) if line_end < 0 else line_end])
    if heading is None or line_start + heading[1] <= absolute:
        return start
    moved = min(line_start + heading[1] - offset, end)
    while moved < end and source[offset + moved] in TRIM:
        moved += 1
    return moved


def _one_sentence_test(nlp: Language) -> Callable[[str], bool]:
    """Whether the sentencizer would surely keep a text whole: no sentence-final mark
    except in a closing run of punctuation (each token there is punctuation, so no
    sentence can start in it). Texts that fail go to spaCy as before."""
    try:
        marks = nlp.get_pipe("sentencizer").punct_chars  # type: ignore[attr-defined]
    except (KeyError, AttributeError):
        return lambda text: False
    mark_re = re.compile("|".join(re.escape(m) for m in sorted(marks, key=len, reverse=True)))
    # Unicode punctuation (category P) only: "+", "$" and other symbols are not punct
    # tokens, so one after a full stop would start a sentence.
    closing = "!\"#%&'()*,-./:;?@[\\]_{} \t\n\r"

    def one_sentence(text: str) -> bool:
        return mark_re.search(text.rstrip(closing)) is None

    return one_sentence


def _sentence_spans(doc: Doc) -> list[tuple[int, int]]:
    """Sentence character spans, with an opening bracket moved to the sentence it opens.

    The sentencizer keeps punctuation after a full stop with the sentence before, so
    "... mum. [ADDRESS]" would split inside the placeholder.
    """
    text = doc.text  # built anew from the tokens on every access: read it once
    bounds = [s.start_char for s in doc.sents] + [len(text)]
    for index in range(1, len(bounds) - 1):
        while bounds[index] > bounds[index - 1] and text[bounds[index] - 1] in "[(":
            bounds[index] -= 1
    return [(bounds[i], bounds[i + 1]) for i in range(len(bounds) - 1) if bounds[i] < bounds[i + 1]]


# The answer an auditor jots after questioning a piece of practice: "kids wishes &
# feelings?? none recorded anywhere", "Contingency plan? Nothing on file", "Genogram? yes,
# done well".
ANSWER_START = re.compile(r"^\W*(?:none|nothing|not|no|nil|never|yes)\b", re.I)


# An answer that points back at the question ("nothing on file to say so", "no sign of
# it"), or is short enough to be only an answer ("No.", "none on file").
ANAPHORIC = re.compile(
    r"\b(?:say|says|said|show|shows|suggest|suggests)\s+(?:so|it|this|that)\b|"
    r"\b(?:of|about|on)\s+(?:it|this|that)\W*$",
    re.I,
)
MAX_BARE_ANSWER_WORDS = 6
# "Case no. 3310562": the sentencizer ends a sentence at the abbreviation.
NUMBER_ABBREVIATION = re.compile(
    r"\b(?:case|ref|reference|nhs|file|id|tel|phone|mob|flat|house|room|plot|unit|cla|lac|cp|"
    r"cin|child|client|mosaic|ni|ho|home\s+office|port|uasc|passport|crime|incident|log)\s+no\.$",
    re.I,
)


def _whole_sentences(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sentence spans with what the sentencizer cut apart put back together: words in
    quotes ("She said "I miss mum. I want to go home.""), a questioned piece of practice
    and the answer jotted after it ("kids wishes & feelings?? none recorded", "Were
    school asked? nothing on file to say so": apart, the answer is a bullet about
    nothing), and "Case no." and the number after it."""
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out:
            before = text[out[-1][0] : out[-1][1]].rstrip()
            part = text[start:end]
            answer = ANSWER_START.match(part) is not None and before.endswith("?")
            if (
                before.count('"') % 2
                or NUMBER_ABBREVIATION.search(before)
                or (
                    answer
                    and (
                        asks_where(before)
                        or len(part.split()) <= MAX_BARE_ANSWER_WORDS
                        or ANAPHORIC.search(part)
                    )
                )
            ):
                out[-1] = (out[-1][0], end)
                continue
        out.append((start, end))
    return out


def _trim(text: str, start: int, end: int) -> tuple[int, int]:
    while start < end and (
        text[start] in TRIM or (text[start] == "(" and ")" not in text[start:end])
    ):
        start += 1
    while end > start and (
        text[end - 1] in TRIM or (text[end - 1] == ")" and "(" not in text[start:end])
    ):
        end -= 1
    return start, end


def _split(source: str, chunk: tuple[int, int], pattern: re.Pattern[str]) -> list[tuple[int, int]]:
    """Parts of a chunk between this level's separators, ignoring those inside brackets
    or quotation marks."""
    start, end = chunk
    text = source[start:end]
    if pattern.search(text) is None:
        return [chunk]  # most chunks have no separator of a given level
    depth: list[int] | None = None
    # A child's or parent's words in quotes are theirs whole: "I just want to be left
    # alone, I'll go to the group if I have to" is not two findings.
    quoted = text.count('"') >= 2 and text.count('"') % 2 == 0
    if quoted or "(" in text or "[" in text or "{" in text:  # most chunks have neither
        depth, level, inside = [0] * (len(text) + 1), 0, False
        for i, ch in enumerate(text):
            level = level + (ch in "([{") - (ch in ")]}" and level > 0)
            inside = inside != (quoted and ch == '"')
            depth[i + 1] = level + inside
    parts: list[tuple[int, int]] = []
    position = 0
    for match in pattern.finditer(text):
        if depth is not None and depth[match.start()]:
            continue
        s, e = _trim(text, position, match.start())
        if s < e:
            parts.append((start + s, start + e))
        position = match.end()
        leading = LEADING_AND.match(text, position)
        if leading and parts:
            position = leading.end()
    s, e = _trim(text, position, len(text))
    if s < e:
        parts.append((start + s, start + e))
    return parts or [chunk]


def _join(
    source: str,
    parts: list[tuple[int, int]],
    kind: str,
    labels: dict[str, Classification],
    header: bool,
    is_verb: Callable[[str], bool],
) -> list[tuple[int, int]]:
    """Merge neighbouring parts unless the boundary separates two findings."""
    if kind in ACTION_LIST_KINDS and len(parts) > 2:
        texts = [source[s:e] for s, e in parts]
        actions = sum(labels[t].section == "action" for t in texts)
        if actions * 2 > len(parts):
            # A list of mostly actions ("chrono to be updated, birth plan to maternity,
            # escalate the late referral"): a part that judges nothing is one more request,
            # whatever it reads as alone.
            labels = labels | {
                t: replace(labels[t], section="action")
                for t in texts
                if labels[t].section in UNJUDGED_SECTIONS and not JUDGED_RE.search(t)
            }
    chunks = [parts[0]]
    for left, right in itertools.pairwise(parts):
        left_text, right_text = source[left[0] : left[1]], source[right[0] : right[1]]
        if _is_boundary(kind, left_text, right_text, labels, header, is_verb):
            chunks.append(right)
        else:
            chunks[-1] = (chunks[-1][0], right[1])
    return chunks


def _requests(source: str, parts: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Parts of a list under an action heading ("Actions: geno, DW w/ child, TM sup"):
    each item is a request of its own, however terse, unless it leans on the one before
    ("update chrono, including dad's side", "hold supervision, and record it")."""
    chunks = [parts[0]]
    for right in parts[1:]:
        text = source[right[0] : right[1]]
        if LEANS_BACK.match(text) or PRONOUN_OBJECT.match(text) or not WORD_RE.search(text):
            chunks[-1] = (chunks[-1][0], right[1])
        else:
            chunks.append(right)
    return chunks


def _asks(text: str, is_verb: Callable[[str], bool]) -> bool:
    """Whether a part asks for something: a request word or an opening verb."""
    if REQUEST_RE.search(text):
        return True
    words = text.split()
    # "partner interpreting", "mum lifting him": a noun and its participle, not "partner"
    # as an imperative.
    if len(words) > 1 and words[1].lower().endswith(("ing", "ed")):
        return False
    first = FIRST_WORD_RE.match(text)
    return bool(first and is_verb(first.group(0).lower()))


# "... and escalate to the TM", "... and share with placement": a verb with only a
# recipient carries the same action on, whatever the recipient's theme.
FOLLOW_ON_RE = re.compile(
    r"^[a-z]+\s+(?:it\s+|this\s+|them\s+)?(?:to|with|at|in|on|for|by|via)\b", re.I
)
# A theme scored this high is named outright ("GCP2", "chronology", "RHA"), not inferred.
NAMED_THEME_SCORE = 0.9


def _other_practice(a: Classification, b: Classification) -> bool:
    """Whether two parts each name a different piece of practice outright."""

    def named(c: Classification) -> set[str]:
        return {t for t, score in c.theme_scores.items() if score >= NAMED_THEME_SCORE}

    left, right = named(a), named(b)
    return bool(left and right and not left & right)


def _terse_findings(left: str, right: str, a: Classification, b: Classification) -> bool:
    """Two-word findings listed with commas, each with its own verdict and about
    different practice: "GCP2 completed, history explored", "lived experience
    considered, HV involved", "MO good, sup overdue"."""
    return (
        min(_list_words(left), _list_words(right)) >= MIN_TERSE_WORDS
        and max(_list_words(left), _list_words(right)) <= MAX_TERSE_WORDS
        and not NO_START.match(left)
        and not NO_START.match(right)
        and (a.section == b.section or {a.section, b.section} == {"strength", "worry"})
        and bool(VERDICT_RE.search(left) and VERDICT_RE.search(right))
        and bool(a.themes and b.themes and not set(a.themes) & set(b.themes))
    )


def _is_boundary(
    kind: str,
    left: str,
    right: str,
    labels: dict[str, Classification],
    header: bool,
    is_verb: Callable[[str], bool],
) -> bool:
    a, b = labels[left], labels[right]
    if header and kind != "conjunction":
        # Header lines list facts and findings: "Audit 3 - CIN - audited with SW".
        return True
    if kind == "concession":
        # ... and one that has a subject of its own: "although it has no timescales"
        # leans on the plan before it.
        return (
            {POLARITY[a.section], POLARITY[b.section]} == {"positive", "negative"}
            and not REPORTED_RE.search(right)
            and not LEANS_BACK.match(right)
        )
    if kind in ("comma", "conjunction") and AGREED_THAT.match(right) and agreed_action(left):
        # "It was agreed that the SW will write to dad, and that a fresh DASH will be done
        # with mum": two actions agreed.
        return True
    if ENDS_ON_QUESTION_WORD.search(right) or (
        kind == "conjunction" and PRONOUN_OBJECT.match(right)
    ):
        return False
    objectless = OBJECTLESS_REQUEST.search(left) if kind == "conjunction" else None
    if objectless and is_verb(objectless.group(1).lower()):
        return False
    verb = SUBJECTLESS_VERB.match(right) if kind == "conjunction" else None
    if verb and (is_verb(verb.group(1).lower()) or is_verb(verb.group(1).lower() + "e")):
        return False
    if (grade_of(left) and FEEDBACK_RE.search(right)) or (
        grade_of(right) and FEEDBACK_RE.search(left)
    ):
        return False  # "Graded good - feedback given to SW" is one finding
    if (
        kind == "comma"
        and OBJECT_OF_PREPOSITION.search(left)
        and LIST_CLOSE.search(right)
        and not CLAUSE_OPENING.match(right)
        and not LIST_REQUEST.match(right)
    ):
        return False  # "nothing about his heritage, hair or skin care": one list
    if kind == "conjunction" and (
        (_ends_on_objects(left) and not CLAUSE_OPENING.match(right))
        or (SHARED_AUXILIARY.search(left) and PARTICIPLE.match(right))
    ):
        # "direct work on grooming and county lines using the toolkit": the "and" joins
        # two objects of "on"; "consent to be sought and recorded": two participles share
        # "to be". Neither side is a finding without the other.
        return False
    if (
        kind == "conjunction"
        and COMPOUND_SUBJECT.search(right)
        and NOUN_PHRASE.match(left)
        and not VERB_LIKE.search(left)
    ):
        return False  # "his heritage and faith are well reflected": one subject
    if kind == "conjunction" and HEAD_WITH_OBJECT.match(left) and OBJECT_THEN_VERB.match(right):
        return False  # "contact with mum and nan is well supported": one subject
    if (
        kind == "conjunction"
        and "," in left
        and not VERDICT_RE.search(left)
        and VERDICT_RE.search(right)
        and not REQUEST_RE.search(right)
    ):
        # "school attendance, sexual health and CSE risk all considered", "MBU staff, HV
        # and midwife all feeding into the assessment": the left part is a list that
        # says nothing of its items; the "and" adds the last item the right part judges.
        return False
    if (
        kind == "conjunction"
        and COMPLEMENT_REQUEST.search(left)
        and not FINITE_OPENING.match(right)
    ):
        return False  # "SW to bring chronology and genogram up to date": one request
    if kind == "conjunction" and a.section == "action" and _second_object(left, right, is_verb):
        return False  # "TM to review drift + SW's caseload in supervision": one request
    if kind == "conjunction" and _compound_object(left, right):
        return False  # "have set up a mentor and revision plan for her GCSEs": one finding
    if b.section == "action" and kind in ("dash", "comma", "conjunction"):
        first = FIRST_WORD_RE.match(right)
        if (
            a.section == "action"
            and kind != "dash"
            and _other_practice(a, b)
            and not FOLLOW_ON_RE.match(right)
        ):
            # "SW to update chronology and complete GCP2", "invite school to next review,
            # carers assessment for dad": each part names its own piece of practice
            # outright, so two actions (a terse one asks by standing in an action list).
            return _asks(left, is_verb) or _asks(right, is_verb)
        if kind == "conjunction" and first and is_verb(first.group(0).lower()):
            return False  # "SW to update the RA and share with placement": one action
        if a.section != "action" and not _asks(right, is_verb):
            # "interpreter not used - partner interpreting", "views gathered through
            # her passport and easy read materials": read as an action only out of
            # context; with no request in it, it is detail of the finding before.
            return False
    if (
        kind in ("semicolon", "dash", "comma")
        and LONE_REQUEST.match(right)
        and a.section != "action"
    ):
        return True
    if LABELLED_DETAILS.match(left) and len(WORD_RE.findall(right)) >= 2:
        # "Auditor: [PERSON 21] [DATE] - audited side-by-side with SW": the right part
        # cannot lean on a label and redacted particulars; it is the finding.
        return True
    words = min(len(WORD_RE.findall(left)), len(WORD_RE.findall(right)))
    if (
        words < 2
        or (LEANS_BACK.match(right) and not (kind == "semicolon" and NEW_PRAISE.match(right)))
        or (kind != "semicolon" and THERE_IS.match(right))
        or REFERS_BACK.search(right)
        or ELLIPTICAL_END.search(right)
        or OBJECT_PRONOUN.match(right)
        or ANSWERLESS.match(right)
    ):
        return False
    # A number counts in a list's parts: "Referral 27 wks, no pre-birth plan yet".
    list_words = min(_list_words(left), _list_words(right))
    if kind in ("comma", "conjunction") and (
        (list_words < MIN_LIST_WORDS and not _terse_findings(left, right, a, b))
        or (
            max(b.theme_scores.values(), default=0) < MIN_LIST_THEME_SCORE
            # "... and MASH didn't pick this up": a clause with a subject and verb of its
            # own is a finding however unsure its theme.
            and not (kind == "conjunction" and OWN_CLAUSE.match(right))
        )
    ):
        return False
    neutral = "neutral" in (a.section, b.section)
    if POLARITY[a.section] != POLARITY[b.section]:
        # A finding beside a neutral fact splits at a firm boundary, not at a comma.
        return kind not in ("comma", "conjunction") or not neutral
    if neutral or kind in ("contrast", "dash"):
        return False  # within one polarity, "but" and dashes usually elaborate
    if kind == "semicolon":
        return True  # auditors use ";" to list separate findings
    # Same polarity: split only findings on unrelated themes, or on two pieces of
    # practice each named outright ("no transitions plan at 16, no EHCP on file"), or
    # each opening with a different piece of one theme ("no pre-birth plan until 35 wks,
    # no discharge plan", "EHCP links strong, short breaks meeting his needs").
    return (
        bool(a.themes and b.themes and not set(a.themes) & set(b.themes))
        or _other_practice(a, b)
        or _different_pieces(left, right)
    )


# A request with its verb and object: "TM to review drift", "SW to discuss the plan".
REQUEST_VERB = re.compile(r"\bto\s+([a-z]+)\s+\S", re.I)
# A request whose verb takes an object and then a complement ("SW to bring chronology |
# and genogram up to date", "get the plan and the RA signed off"): the complement after
# "and" belongs to both objects, and the left part alone asks for nothing whole ...
COMPLEMENT_REQUEST = re.compile(
    r"\b(?:to|please|must|should)\s+(?:bring|get|keep|make|have)\s+(?:[\w'-]+\s+){0,2}[\w'-]+$",
    re.I,
)
# ... unless the right part has a finite verb of its own ("... and the RA is out of date");
# a participle ("and the RA signed off") is the complement (CLAUSE_OPENING counts it).
FINITE_OPENING = re.compile(rf"^(?:\S+\s+){{0,3}}?(?:{FINITE_WORDS})\b", re.I)
# A second object is a few words at most: "SW's caseload in supervision".
MAX_SECOND_OBJECT_WORDS = 6


def _second_object(left: str, right: str, is_verb: Callable[[str], bool]) -> bool:
    """Whether the part after "and"/"+" is a bare noun phrase that a request's verb before
    it takes as a second object: no verb, request or verdict of its own."""
    request = REQUEST_VERB.search(left)
    first = FIRST_WORD_RE.match(right)
    return bool(
        request
        and is_verb(request.group(1).lower())
        and len(right.split()) <= MAX_SECOND_OBJECT_WORDS
        and not VERB_LIKE.search(right)
        and not REQUEST_RE.search(right)
        and not VERDICT_RE.search(right)
        and not (first and is_verb(first.group(0).lower()))
    )


# A verb's object after its article, ending the part: "have set up | a mentor".
ARTICLE_OBJECT_END = re.compile(r"\b(?:a|an|the)\s+[\w'-]+$", re.I)
# What a part says before a dash or comma: "revision plan for her GCSEs | - exemplary ...".
FIRST_CLAUSE = re.compile(r"^[^,;–—]*?(?=\s[-–—]\s|,|;|$)")


def _compound_object(left: str, right: str) -> bool:
    """Whether "and" joins a second object to a verb's first: the left part has a verb and
    ends on an article and its noun, and the right part opens with a few words that have
    no verb or verdict of their own ("... have set up a mentor | and revision plan for her
    GCSEs - exemplary joint work")."""
    head = FIRST_CLAUSE.match(right)
    opening = head.group(0) if head else right
    return bool(
        ARTICLE_OBJECT_END.search(left)
        and VERB_LIKE.search(left)
        and len(opening.split()) <= MAX_SECOND_OBJECT_WORDS
        and not VERB_LIKE.search(opening)
        and not VERDICT_RE.search(opening)
        and not REQUEST_RE.search(opening)
    )


def _ends_on_objects(left: str) -> bool:
    """Whether a part ends on a preposition's objects, one ("worries about drugs") or a
    list ("nothing about his heritage, hair"), so an "and" after it adds another."""
    if OBJECT_OF_PREPOSITION.search(left):
        return True
    head, comma, tail = left.rpartition(", ")
    return bool(
        comma
        and OBJECT_OF_PREPOSITION.search(head)
        and len(tail.split()) <= MAX_TERSE_WORDS
        and not CLAUSE_OPENING.match(tail)
    )


def _different_pieces(left: str, right: str) -> bool:
    """Whether two parts each open with a different piece of practice."""
    first, second = OPENING_PIECE.match(left), OPENING_PIECE.match(right)
    if not first or not second:
        return False
    one, other = (" ".join(m.group(1).lower().split()) for m in (first, second))
    return PIECE_NAMES.get(one, one) != PIECE_NAMES.get(other, other)
