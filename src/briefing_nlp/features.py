"""Turn statements into the feature text the classifiers read, with one spaCy pass.

spaCy (blank English: tokenizer, sentencizer, lookup lemmas) gives lemmas; this module
marks negation scope (`NEG_` prefix), hedges (`HEDGE`), the opening word (`FIRST_`) and
placeholders, so "no evidence of supervision" and "supervision evident" differ in the
features rather than by luck. The word and character TF-IDF views are built in `train`.
"""

from __future__ import annotations

import functools
import re
import weakref
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

import spacy
import srsly
from spacy.attrs import ORTH
from spacy.language import Language
from spacy.strings import get_string_id
from spacy.tokens import Doc

from briefing_nlp.errors import ModelError
from briefing_nlp.wording import PLACEHOLDER_RE

# Negation cues open a scope that runs to the next clause boundary or SCOPE_MAX tokens.
NEGATION_CUES = frozenset(
    "no not n't never nil none nothing without lack lacks lacking absent neither nor "
    "cannot unable no-one noone nobody hardly barely scarcely".split()
)
SCOPE_ENDERS = frozenset(
    "but although though however whilst while yet despite except . , ; : ! ? ( ) - – —".split()
)
SCOPE_MAX = 6
# Single-word hedges; two-word hedges are matched on lemma pairs below.
HEDGES = frozenset(
    "mostly largely partly partially generally somewhat sometimes occasionally sporadic "
    "sporadically patchy variable inconsistent inconsistently limited minimal some "
    "majority mixed intermittent intermittently bit bits fairly reasonably".split()
)
HEDGE_PAIRS = frozenset(
    {
        ("not", "consistently"),
        ("not", "always"),
        ("at", "time"),
        ("in", "place"),
        ("in", "most"),
        ("not", "fully"),
        ("not", "all"),
        ("on", "occasion"),
    }
)
# A negated negative is a positive ("no concerns about", "no gaps in", "no drift", "no
# further incidents", "visits never missed"): the cue and the negative word become one
# DOUBLE_NEG marker and the scope closes there. Word forms, not lemmas: "no moves" is a
# settled placement, "no move to permanence" is drift.
NEGATIVE_WORDS = frozenset(
    "concern concerns gap gaps drift issue issues delay delays problem problems worry "
    "worries omission omissions lapse lapses shortfall shortfalls slippage "
    "incident incidents moves episode episodes breakdown breakdowns missed missing "
    "exclusion exclusions injury injuries complaint complaints error errors "
    "backlog backlogs disruption disruptions interruption interruptions".split()
)
# Nouns a negation passes through to what they are of: "no evidence of drift", "no sign
# of delay" say there was none; "no evidence of supervision" still negates the practice.
TRANSPARENT = frozenset({"evidence", "sign", "indication", "suggestion"})
# Only a negative word the cue governs is negated: "no (further) incidents", "no
# placement moves", but not "no RHI recorded for the episode" or "no action on concerns",
# where the cue negates something else and the negative word is its object. At most this
# many words may come between, none of them a preposition, a form of "be" or "have", or
# a participle.
DOUBLE_NEG_GAP = 2
VERB_ENDINGS = ("ed", "ing", "en")
# Cues that negate a verb: a base-form verb after them takes the negation too.
VERBAL_CUES = frozenset({"not", "n't", "never", "cannot", "unable"})
NOT_BETWEEN = frozenset(
    "on to for about of in with from by into after before at than since re "
    "be is are was were been being have has had do does did".split()
)
# Judgement words, as lemmas (after idioms and shorthand): what auditors and inspectors
# say of practice. A negated negative is left to DOUBLE_NEG above.
POSITIVE_EVAL = frozenset(
    """good well strong robust timely thorough clear clearly effective effectively purposeful
    creative tenacious sensitive sensitively proportionate excellent outstanding detailed
    comprehensive consistent consistently regular regularly prompt promptly appropriate
    appropriately evident meaningful meaningfully thoughtful skilled skilful positive
    uptodate intimescale helpful insightful reflective focused child-centred""".split()
)
# A judgement word that only intensifies what follows: "well past the sixteen-week mark",
# "clearly under the influence". Matched on the surface form and the next word (the
# lookup lemma of "well" is "good"), it is its own marker, not praise.
INTENSIFIED = frozenset(
    [
        ("well", following)
        for following in "past over beyond above below behind outside short into under "
        "within before after".split()
    ]
    + [
        ("clearly", following)
        for following in "under distressed upset frightened scared drunk intoxicated "
        "unwell anxious worried".split()
    ]
)
NEGATIVE_EVAL = frozenset(
    """patchy variable inconsistent inconsistently superficial weak poor poorly slow slowly
    late delayed delay drift drifting insufficient inadequate unclear vague generic missing
    absent outofdate outoftimescale gap concern worrying fail failure ineffective
    incomplete sparse rarely seldom unsafe chaotic confused unfocused over-optimistic
    optimistic overlooked missed lost stuck repeated repeat""".split()
)
# Fixed polarity idioms collapse to one token, so "out of date" cannot borrow the
# positive weight of "date" learnt from "up to date".
IDIOMS = (
    (re.compile(r"\bup[- ]?to[- ]date\b"), " uptodate "),
    (re.compile(r"\bout[- ]of[- ]date\b|\bo/d\b|\boverdue\b"), " outofdate "),
    (re.compile(r"\bout(?:side)?[- ]of[- ]timescales?\b"), " outoftimescale "),
    (re.compile(r"\b(?:in|within)[- ]timescales?\b"), " intimescale "),
    (re.compile(r"\bw/o\b"), " without "),
    # "no-one" tokenises as "no - one", and the dash would close the negation at once.
    (re.compile(r"\bno[- ]one\b"), " nobody "),
    (re.compile(r"(?<![a-z])w/(?=\s)"), " with "),
    # "seen every 6 weeks without fail": reliably, not a failure.
    (re.compile(r"\bwithout fail\b"), " always "),
)
# Any idiom at all: most statements hold none, and one scan is cheaper than eight.
ANY_IDIOM_RE = re.compile("|".join(f"(?:{pattern.pattern})" for pattern, _ in IDIOMS))
# Every idiom above contains one of these strings, and substring tests are far cheaper
# than the regex scan (a twentieth of classifying 37,000 statements went on the scan).
IDIOM_TRIGGERS = ("date", "o/d", "overdue", "timescale", "w/", "no one", "no-one", "fail")
# Practice shorthand written out, so "RHIs late" and "return home interview not done",
# "strat held" and "strategy meeting held" share features: the classifiers learn one
# weight for both and grouping sees one finding. Applied to lower-cased text; the
# models are trained with it (changing it needs `briefing-nlp train`).
SHORTHAND = (
    (r"rhi'?s?", "return home interview"),
    (r"strats?", "strategy"),
    (r"pp", "pathway plan"),
    (r"ras?", "risk assessment"),
    (r"risk ass(?:t|mt|essmt)", "risk assessment"),
    (r"ass(?:t|mt|essmt)", "assessment"),
    (r"chrono", "chronology"),
    (r"lsw", "life story work"),
    (r"ihas?", "initial health assessment"),
    (r"rhas?", "review health assessment"),
    (r"ltf", "long-term fostering"),
    (r"ma", "multi-agency"),
    (r"mo", "management oversight"),
    (r"dw", "direct work"),
    (r"da|dv", "domestic abuse"),
    (r"sos", "signs of safety"),
    (r"cgs?", "core group"),
    (r"hv", "health visitor"),
    (r"tm", "team manager"),
    (r"gcp ?2?", "graded care profile"),
    (r"peps?", "personal education plan"),
    (r"ehcps?", "education health and care plan"),
    (r"iro'?s?", "independent reviewing officer"),
    (r"yp", "young person"),
    (r"mtgs?", "meeting"),
    (r"info", "information"),
    (r"supv|sup'?n", "supervision"),
    (r"mother", "mum"),
    (r"father", "dad"),
)
SHORTHAND_RE = re.compile(r"\b(?:" + "|".join(f"({p})" for p, _ in SHORTHAND) + r")\b")
# Every match of SHORTHAND_RE starts with one of these whole words, so a statement
# without any of them is left alone without running the long alternation over it (a
# tenth of classifying). tests/test_features.py checks the list against the patterns.
SHORTHAND_WORDS = frozenset(
    "rhi rhis strat strats pp ra ras risk asst assmt assessmt chrono lsw iha ihas rha rhas "
    "ltf ma mo dw da dv sos cg cgs hv tm gcp gcp2 pep peps ehcp ehcps iro iros yp mtg mtgs "
    "info supv sup supn mother father".split()
)
WORD_RE = re.compile(r"\w+")
HOURS_RE = re.compile(r"\b(\d+) ?(?:hrs|hours|hr)\b")
# Weeks of pregnancy at which something happened: "referral at 24 wks", "ICPC not until
# 37 weeks", "midwifery referral at 25/40". Auditors leave the verdict to the reader, who
# knows the marks (a referral or an assessment's start by 20 weeks, a plan and the
# conference by 28); the features say it: "referral at 24 wks late". A deadline ("no plan
# by 28 weeks") or a length of time ("overdue by 5 weeks") is not a time of pregnancy.
GESTATION_RE = re.compile(
    r"\b(referral|referred|booking|booked|started|icpc|conference|plan|assessment|agreed|"
    r"held|completed)((?:\s+(?:in|at|until|till|til|only|not|came|was|were|made|from|"
    r"midwife|midwifery|community))*)\s+(\d{1,2})\s*(wks?|weeks?|/40)\b"
)
EARLY_EVENTS = frozenset({"referral", "referred", "booking", "booked", "started"})
EARLY_MARK_WEEKS = 20
LATE_MARK_WEEKS = 28


def _gestation(match: re.Match[str]) -> str:
    event, weeks = match.group(1), int(match.group(3))
    mark = EARLY_MARK_WEEKS if event in EARLY_EVENTS else LATE_MARK_WEEKS
    return f"{match.group(0)} {'late' if weeks > mark else 'timely'}"


def _expand(match: re.Match[str]) -> str:
    return SHORTHAND[match.lastindex - 1][1]  # type: ignore[operator]


PLACEHOLDER_KINDS = {
    "DATE": "phdate",
    "ID": "phid",
    "ADDRESS": "phaddress",
    "POSTCODE": "phaddress",
    "PHONE": "phid",
    "EMAIL": "phid",
    "NHS": "phid",
    "SCHOOL": "phorg",
    "ORG": "phorg",
}
DIGITS_RE = re.compile(r"\d+")
# Raw identifiers and dates read like the placeholders redaction leaves, so a case fact
# with a date of birth looks like one with [DATE] (the corpus uses placeholders).
RAW_PATTERNS = (
    (re.compile(r"\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b"), " phdate "),
    (re.compile(r"\b\d{3}\s?\d{3}\s?\d{4}\b|\b\d{5}\s?\d{6}\b|\b\d{6,}\b"), " phid "),
)


@dataclass(frozen=True)
class Features:
    """Per-statement feature text: `analysed` for word n-grams, `raw` for char n-grams."""

    analysed: tuple[str, ...]
    raw: tuple[str, ...]


def build_nlp() -> Language:
    """A blank English pipeline with sentencizer and lookup lemmatizer (no download).

    Raises:
        ModelError: spacy-lookups-data is not installed, so lemma tables are missing.
    """
    nlp = spacy.blank("en")
    nlp.add_pipe("sentencizer")
    nlp.add_pipe("lemmatizer", config={"mode": "lookup"})
    try:
        nlp.initialize()
    except (ValueError, ImportError) as exc:
        raise ModelError(
            f"cannot initialise lemma tables ({exc}); install spacy-lookups-data"
        ) from None
    return nlp


def load_nlp(path: Path) -> Language:
    """Load the pipeline saved beside the models (it carries its own lemma tables).

    Raises:
        ModelError: the folder is missing or is not a spaCy pipeline.
    """
    if not (Path(path) / "config.cfg").is_file():
        raise ModelError(f"{path}: spaCy pipeline missing; run `briefing-nlp train` to rebuild")
    lookups = Path(path) / LEMMA_LOOKUPS
    try:
        # The tokenizer is the English default the config builds: the saved one is that
        # same default (training never customises it; test_artifacts checks), and reading
        # it back again cost a quarter of a second of every cold start. The lemmatizer
        # never runs (the features look lemmas up themselves); its table is read below.
        nlp = spacy.load(path, exclude=["tokenizer", "lemmatizer"])
        tables = srsly.msgpack_loads(lookups.read_bytes()) if lookups.is_file() else {}
    except (OSError, ValueError) as exc:
        raise ModelError(
            f"{path}: spaCy pipeline unreadable ({exc}); run `briefing-nlp train` to rebuild"
        ) from None
    entries = tables.get("lemma_lookup") if isinstance(tables, dict) else None
    if isinstance(entries, dict):
        _LEMMA_TABLES[nlp] = LemmaTable(entries)
    nlp.tokenizer = BoundedTokenizer(nlp.tokenizer)
    return nlp


# Where a saved pipeline keeps its lookup lemmatizer's tables (spaCy's layout).
LEMMA_LOOKUPS = Path("lemmatizer") / "lookups" / "lookups.bin"


class LemmaTable:
    """A lookup lemmatizer's table read straight from its file: entries keyed by the
    word's string hash, looked up as `spacy.lookups.Table.get` does. Loading the
    lemmatizer built spaCy's own table one entry at a time, a tenth of a second of every
    cold start for 41,000 entries."""

    def __init__(self, entries: dict[int, Any]) -> None:
        self._entries = entries

    def get(self, word: str, default: Any = None) -> Any:
        return self._entries.get(get_string_id(word), default)


# Pipelines loaded by `load_nlp` and their lemma tables (`_lemma_table` reads them).
_LEMMA_TABLES: weakref.WeakKeyDictionary[Language, LemmaTable] = weakref.WeakKeyDictionary()


# spaCy strips affixes off a token one at a time, searching the whole remaining token for
# each, so a run of punctuation with no space ("((((", "''''") costs its length squared:
# 5 KB of apostrophes took 33 s to draft. Longer runs are tokenised in pieces of this
# many characters; the longest run in the corpora is 30 characters, so ordinary text
# never reaches this and is tokenised exactly as before.
MAX_RUN_CHARS = 100
LONG_RUN_RE = re.compile(rf"\S{{{MAX_RUN_CHARS + 1},}}")


class BoundedTokenizer:
    """The pipeline's tokenizer, in linear time on runs of characters without a space.

    The doc's text and character offsets are those of the input; only runs longer than
    MAX_RUN_CHARS are cut, into pieces tokenised on their own.
    """

    def __init__(self, tokenizer: Any) -> None:
        self.tokenizer = tokenizer

    def __call__(self, text: str) -> Doc:
        if LONG_RUN_RE.search(text) is None:
            return self.tokenizer(text)
        pieces: list[str] = []
        at = 0
        for run in LONG_RUN_RE.finditer(text):
            if run.start() > at:
                pieces.append(text[at : run.start()])
            step = range(run.start(), run.end(), MAX_RUN_CHARS)
            pieces.extend(text[i : min(i + MAX_RUN_CHARS, run.end())] for i in step)
            at = run.end()
        if at < len(text):
            pieces.append(text[at:])
        return Doc.from_docs([self.tokenizer(p) for p in pieces], ensure_whitespace=False)

    def __getattr__(self, name: str) -> Any:
        # Serialisation, vocab and rules stay the wrapped tokenizer's own.
        if name == "tokenizer":  # not yet set (a copy being built): no recursion
            raise AttributeError(name)
        return getattr(self.tokenizer, name)


def normalise(text: str) -> str:
    """Lower-case text with placeholders reduced to one token per kind."""

    def kind(match: re.Match[str]) -> str:
        word = match.group(1).strip().split()[0]
        return f" {PLACEHOLDER_KINDS.get(word, 'phperson')} "

    # Each substitution runs only when its trigger character is present: most statements
    # have no placeholder and no digit, and this runs once per statement and per trial
    # part (and again when grouping reads subjects).
    if "[" in text:
        text = PLACEHOLDER_RE.sub(kind, text)
    if DIGITS_RE.search(text):
        for pattern, token in RAW_PATTERNS:
            text = pattern.sub(token, text)
    text = text.lower()
    if not SHORTHAND_WORDS.isdisjoint(WORD_RE.findall(text)):
        text = SHORTHAND_RE.sub(_expand, text)
    if not DIGITS_RE.search(text):
        return text
    return GESTATION_RE.sub(_gestation, HOURS_RE.sub(r"\1 hours", text))


def extract_features(nlp: Language, texts: Sequence[str], batch_size: int = 1000) -> Features:
    """Feature text for every statement, from a single `nlp.pipe` pass."""
    normalised = [normalise(t) for t in texts]
    is_verb = verb_test(nlp)
    lemma_of = _lemma_lookup(nlp)
    # Tokenise only: lemmas come from the same lookup table the lemmatizer uses, read
    # here as the tokens are walked once, instead of set on every token beforehand.
    skip = [name for name in ("sentencizer", "lemmatizer") if name in nlp.pipe_names]
    merged = [SPACED_DASH_RE.sub(" ; ", _merge_idioms(t)) for t in normalised]
    docs = nlp.pipe(merged, batch_size=batch_size, disable=skip)
    facts = _lexeme_facts(nlp, lemma_of)
    # Each token's facts are read from its lexeme, once per distinct word, through one
    # array of word ids per statement: building a Token object for every word was most
    # of the cost of classifying.
    analysed = [
        " ".join(_doc_tokens(text, [facts(orth) for orth in doc.to_array(ORTH)], is_verb))
        for text, doc in zip(merged, docs, strict=True)
    ]
    return Features(analysed=tuple(analysed), raw=tuple(normalised))


class WordFacts(NamedTuple):
    """What the features read of a word, the same wherever it occurs."""

    text: str
    lower: str
    is_space: bool
    is_punct: bool
    lemma: str  # the lookup table's lemma, else the lower-case form
    digit_lemma: str  # the lemma with runs of digits collapsed to 0


def _lexeme_facts(nlp: Language, lemma_of: Callable[[str], str]) -> Callable[[int], WordFacts]:
    vocab = nlp.vocab

    @functools.cache
    def facts(orth: int) -> WordFacts:
        lexeme = vocab[orth]
        lemma = lemma_of(lexeme.text) or lexeme.lower_
        return WordFacts(
            lexeme.text,
            lexeme.lower_,
            lexeme.is_space,
            lexeme.is_punct,
            lemma,
            DIGITS_RE.sub("0", lemma),
        )

    return facts


def _merge_idioms(text: str) -> str:
    if not any(trigger in text for trigger in IDIOM_TRIGGERS) or ANY_IDIOM_RE.search(text) is None:
        return text  # no idiom anywhere, so no substitution below could change it
    for pattern, token in IDIOMS:
        text = pattern.sub(token, text)
    return text


def _lemma_table(nlp: Language) -> Any:
    """The lookup lemmatizer's table, or None when the pipeline has none."""
    if nlp in _LEMMA_TABLES:
        return _LEMMA_TABLES[nlp]
    try:
        return nlp.get_pipe("lemmatizer").lookups.get_table("lemma_lookup")  # type: ignore[attr-defined]
    except (KeyError, AttributeError):
        return None


def _lemma_lookup(nlp: Language) -> Callable[[str], str]:
    """The lookup lemmatizer's rule as a function: the table's entry, else the word."""
    table = _lemma_table(nlp)
    if table is None:
        return lambda word: word

    @functools.cache  # words repeat: each is looked up once per pipeline
    def lemma_of(word: str) -> str:
        value = table.get(word, word)
        return value if isinstance(value, str) else value[0]

    return lemma_of


def verb_test(nlp: Language) -> Callable[[str], bool]:
    """Whether a word is a verb's base form, judged from the lemma table (no tagger):
    "provide" is, because "providing" lemmatises to it."""
    table = _lemma_table(nlp)
    if table is None:
        return lambda word: False

    @functools.cache
    def is_verb(word: str) -> bool:
        if len(word) < 3 or not word.isalpha():
            return False
        stems = (word, word[:-1] if word.endswith("e") else word, word + word[-1])
        return any(table.get(stem + "ing") == word for stem in stems)

    return is_verb


# Who an auditor asks to act, before "to" ("SW to update", "manager to ensure").
AGENTS = frozenset(
    "worker manager team school nursery college police carer carers mum dad parent "
    "parents family auditor lead practitioner officer nurse midwife health partner "
    "partners".split()
    # The roles' short forms: the feature text is lower case, so "SW to update" is
    # "sw to update" by the time it is read.
    + "sw sws tm sm pa iro hv gp dsl senco fsw ew yot yos camhs ot cpc sdm".split()
)
# After an opening verb, these mean it was a noun after all ("Record keeping", "Plan is",
# "Contact from college", "Research across police"), as does a participle ("Package
# matched to his needs", "Visits completed"): terse notes open with such nouns, and
# reading them as requests made findings into actions. "Agree with the decision" is the
# auditor agreeing, not a request.
NOT_IMPERATIVE_NEXT = frozenset(
    ["of", "is", "are", "was", "were", "has", "have", "'s", "keeping", "from", "across", "by"]
)
NOT_IMPERATIVE_PAIRS = frozenset([("agree", "with"), ("agreed", "with")])
# Words the lemma table counts as verbs ("shorting", "clearing") that open notes as
# adjectives: "Short breaks meeting his needs", "Clear plan", "Joint visit with HV",
# "Open to CAMHS", "Initial assessment late". In every corpus and example audit, notes
# opening with them are almost never requests; "Complete", "Secure", "Close" and
# "Correct" often are, and stay verbs.
ADJECTIVE_OPENERS = frozenset(
    "clear open short long free full empty warm quiet slow right wrong thin low better best "
    "stable negative calm busy ready second single double joint initial key major total "
    "direct brief further".split()
    # Injuries open the reason for a referral ("Nursery referral - bruise to his cheek",
    # "Burn to hand seen at school"), never a request.
    + "bruise burn cut mark scratch graze".split()
)
CLAUSE_ENDS = frozenset({".", ";", ":", "!", "?"})
# A dash between spaces ends a clause ("IHA not done - SW to chase"); one inside a word
# ("face-to-face") does not, and the tokenizer splits both alike, so the spaced one is
# made a semicolon before tokenising (punctuation is not a feature itself).
SPACED_DASH_RE = re.compile(r"\s[-–—]+\s")
PARTICIPLE_RE = re.compile(r"[a-z]{2,}(?:ed|ing)$")
# "should have been same day", "ought to have gone to strat": what did not happen, a
# worry, where "should have a PA" asks for something.
COUNTERFACTUAL_RE = re.compile(
    r"\b(?:should|could|would|ought to|might)(?: not|n't)? have (?:been|[a-z]+(?:ed|en|ne|wn))\b",
    re.I,
)


def _imperative(words: Sequence[WordFacts], is_verb: Callable[[str], bool]) -> bool:
    """Whether a clause opens with a request: a base-form verb that is not a noun or an
    adjective in disguise ("Update the chronology", not "Record keeping", "Clear plan")."""
    if not (
        words
        and words[0].lower == words[0].lemma.lower()
        and words[0].lower not in ADJECTIVE_OPENERS
        and is_verb(words[0].lower)
    ):
        return False
    following = words[1].lower if len(words) > 1 else ""
    return (
        following not in NOT_IMPERATIVE_NEXT
        and not PARTICIPLE_RE.match(following)
        and (words[0].lower, following) not in NOT_IMPERATIVE_PAIRS
    )


def _agent_to_verb(words: Sequence[WordFacts], is_verb: Callable[[str], bool]) -> bool:
    """ "SW to update", "PA to provide": someone is asked to do something (in the
    clause's first four words)."""
    for index, word in enumerate(words[:4]):
        # The feature text is lower case, so agents are known by word: roles and their
        # short forms (AGENTS).
        if (
            word.lower == "to"
            and 0 < index < len(words) - 1
            and words[index - 1].lemma in AGENTS
            and is_verb(words[index + 1].lower)
        ):
            return True
    return False


def _later_clauses(tokens: Sequence[WordFacts]) -> list[int]:
    """Where the words of each clause after the first start (positions among the words):
    after a full stop, semicolon, colon or dash."""
    starts: list[int] = []
    count, boundary = 0, False
    for token in tokens:
        if token.is_space:
            continue
        if token.is_punct:
            boundary = boundary or token.text in CLAUSE_ENDS
            continue
        if boundary and count:
            starts.append(count)
        boundary = False
        count += 1
    return starts


def _doc_tokens(
    text: str,
    tokens: Sequence[WordFacts],
    is_verb: Callable[[str], bool],
) -> list[str]:
    words = [t for t in tokens if not t.is_space and not t.is_punct]
    out: list[str] = []
    if _imperative(words, is_verb):
        out.append("IMPERATIVE")
    if COUNTERFACTUAL_RE.search(text):
        out.append("COUNTERFACTUAL")
    if _agent_to_verb(words, is_verb):
        out.append("AGENT_TO_VERB")
    # A finding and the action agreed on it, in one note ("Chronology two years out of
    # date. SW to update it", "... - rewrite with SW"): the request in a later clause
    # is its own marker, so the model can learn that such notes are mostly actions
    # without reading every imperative as one.
    # Most notes are one clause: the walk over their tokens is skipped.
    inner = text.rstrip(" .!?")
    later = _later_clauses(tokens) if any(c in inner for c in CLAUSE_ENDS) else []
    for start in later:
        clause = words[start:]
        if _agent_to_verb(clause, is_verb):
            out.append("LATER_AGENT_TO_VERB")
            break
        if _imperative(clause, is_verb):
            out.append("LATER_IMPERATIVE")
            break
    scope = 0
    # Words since the negation cue, while each could modify the negated noun ("no
    # further placement moves"); -1 once one could not.
    gap = -1
    cue_at = 0
    cue = ""
    previous = ""
    first = True
    # Each word's next word, for INTENSIFIED.
    following = [*[t.lower for t in tokens if not t.is_space][1:], ""]
    position = -1
    for _, lower, is_space, is_punct, word_lemma, lemma in tokens:  # unpacked: the hot loop
        if is_space:
            continue
        position += 1
        if word_lemma in SCOPE_ENDERS or is_punct:
            scope = 0
            previous = word_lemma
            continue
        if first:
            out.append(f"FIRST_{lemma}")
            first = False
        if lemma in HEDGES or (previous, lemma) in HEDGE_PAIRS:
            out.append("HEDGE")
        # The verdict a judgement word gives, turned by a negation before it ("not
        # timely" judges badly): one shared marker lets an evaluative word the corpus
        # rarely uses ("patchy" after a topic the corpus mostly praises) still count.
        if lemma in POSITIVE_EVAL:
            if (lower, following[position]) in INTENSIFIED:
                out.append("INTENSIFIER")
            else:
                out.append("EVAL_NEG" if scope else "EVAL_POS")
        elif lemma in NEGATIVE_EVAL and not scope:
            out.append("EVAL_NEG")
        if lemma in NEGATION_CUES:
            cue = lemma
            cue_at = len(out)
            out.append("NEG")
            out.append(lemma)
            scope = SCOPE_MAX
            gap = 0
        elif scope and lower in NEGATIVE_WORDS and 0 <= gap <= DOUBLE_NEG_GAP:
            # The cue negated the negative word, not the practice: its NEG markers go,
            # so "no placement moves" does not read like "no placement plan", and so do
            # the cue and the negative word themselves, which mostly say worry
            # ("visits never missed" is not "visits missed").
            out[cue_at:] = [t for t in out[cue_at + 2 :] if not t.startswith("NEG_")]
            out.append("DOUBLE_NEG")
            out.append(f"DN_{lemma}")
            scope = 0
        elif scope:
            governs = 0 <= gap < DOUBLE_NEG_GAP and (
                lemma not in NOT_BETWEEN or (lemma == "of" and previous in TRANSPARENT)
            )
            # A verb between ("has not challenged the drift", "never reviewed the
            # delays", "did not address the concerns") takes the negation: the negative
            # word is its object. After "no" a word is read as a modifier ("no further").
            verb_form = (lower != word_lemma and lower.endswith(VERB_ENDINGS)) or (
                cue in VERBAL_CUES and is_verb(lower)
            )
            gap = gap + 1 if governs and not verb_form else -1
            # Keep the bare lemma too: "no chronology" is still about the chronology.
            out.append(lemma)
            out.append(f"NEG_{lemma}")
            scope -= 1
        else:
            out.append(lemma)
        previous = lemma
    return out
