"""The auditor's own verdict words: audit grades in notes ("Graded good", "Grade: RI",
"Requires improvement"), the cues that single practice out to share ("really good
practice - share at team meeting"), work agreed for the future ("It was agreed that the
SW will ...") and a bare piece of practice questioned ("kids wishes & feelings??"). Each
decides a statement's section whatever else it says."""

from __future__ import annotations

import re

# "graded good", "Grade: RI", "judged as inadequate", "overall - requires improvement",
# spelt as notes spell it ("requires improvment").
IMPROVEMENT = r"requires?\s+improv[a-z]*"
KEYWORD_GRADE_RE = re.compile(
    r"\b(?:grad(?:ed|e|ing)|judged|rated|overall)\b\s*(?:as\s*)?[:\-–]?\s*"
    rf"(outstanding|good|{IMPROVEMENT}|ri|adequate|inadequate)\b",
    re.I,
)
# A statement that opens with a grade ("Requires improvement - fed back to SW").
OPENING_GRADE_RE = re.compile(rf"^\W*({IMPROVEMENT}|ri|inadequate)\b", re.I)
# A grade given to the record as a whole: "A good record overall".
OVERALL_GRADE_RE = re.compile(
    rf"^\W*(?:an?\s+)?(outstanding|good|{IMPROVEMENT}|adequate|inadequate)\s+"
    r"(?:record|file|case|audit)\s+overall\W*$",
    re.I,
)


def grade_of(text: str) -> str:
    """The grade a statement records, normalised ("requires improvement"), or ""."""
    match = (
        KEYWORD_GRADE_RE.search(text)
        or OPENING_GRADE_RE.search(text)
        or OVERALL_GRADE_RE.search(text)
    )
    return _normal_grade(match.group(1)) if match else ""


def _normal_grade(words: str) -> str:
    """A grade as written ("RI", "Requires  improvment") in its normal form."""
    grade = " ".join(words.lower().split())
    return "requires improvement" if grade == "ri" or grade.startswith("require") else grade


# The section a record's grade gives (the labelling guidelines' rule).
GRADE_SECTIONS = {
    "outstanding": "strength",
    "good": "strength",
    "requires improvement": "worry",
    "inadequate": "worry",
}
# "judged inadequate in 2019": a service's history, context rather than a record's grade.
YEAR = re.compile(r"\b(?:19|20)\d\d\b")
# What every grade pattern above needs somewhere: one cheap search rules most statements
# out (classify reads tens of thousands).
GRADE_CUE = re.compile(rf"grad|judged|rated|overall|^\W*(?:{IMPROVEMENT}|ri\b|inadequate)", re.I)
# Any grade word, with or without "graded" before it: "RI on first audit, good on re-audit".
GRADE_WORD = re.compile(rf"\b(?:outstanding|good|{IMPROVEMENT}|RI|inadequate)\b", re.I)


def record_grade_section(text: str) -> str:
    """The section of a record's grade ("Graded RI, fb given to SW and TM" is a worry),
    or "" when the statement records no grade, grade words of both kinds ("RI on first
    audit, good on re-audit"), or a year's grade of a service ("judged inadequate in
    2019")."""
    if not GRADE_CUE.search(text) or YEAR.search(text):
        return ""
    grades = {
        grade_of(match.group(0))
        for pattern in (KEYWORD_GRADE_RE, OPENING_GRADE_RE, OVERALL_GRADE_RE)
        for match in pattern.finditer(text)
    }
    words = {GRADE_SECTIONS[_normal_grade(w.group(0))] for w in GRADE_WORD.finditer(text)}
    sections = {GRADE_SECTIONS[g] for g in grades if g in GRADE_SECTIONS}
    return sections.pop() if len(sections) == 1 and len(grades) == 1 and len(words) == 1 else ""


# The labelling guidelines' cues for practice singled out to share (corpora/GUIDELINES.md):
# "really good practice", "share as a GP example", "exemplary", "use as an example in
# training". The model weighs them against the rest of the statement and can still call
# such a statement a strength when it holds a placeholder or a long description ("[PERSON
# 21] seen on his own using the fathers' tool - really good practice": strength 0.53);
# the auditor's own words decide. In the training corpus 452 of 457 rows with a cue are
# good practice (the others are statements about sharing practice in general, which the
# model does not call strengths).
GOOD_PRACTICE_CUE = re.compile(
    r"\b(?:really good practice|(?:very|excellent|great|lovely|fab|brilliant) (?:example of )?"
    r"(?:good )?practice|good practice (?:example|to share)|(?:share[ds]?|sharing|fed back|"
    r"highlighted|nominated|used|put forward|passed|show|shown)\b[^.;]{0,40}\bas (?:an? )?"
    r"(?:GP|good practice|example|exemplar|model)|GP example|exemplary|exemplar\b|"
    r"model of (?:good )?practice|to be (?:used|shared) (?:as|in)|use (?:it )?as an example|"
    r"[-–—] good practice\b|\bgood practice\W*$)",
    re.I,
)


# An action that only asks for the work just described to be shared is the auditor
# singling it out (the guidelines: praise followed by sharing it stays good practice):
# "IDVA and SW went out together to go through the safety plan; this approach should be
# shared with other teams". Feedback from the audit to be shared is an action.
SHARES_THIS = re.compile(
    r"\b(?:this|it|that)(?:\s+(?:approach|work|practice|piece of work|example|model|"
    r"way of working))?\s+(?:should|could|must|will|needs to)\s+be\s+shared\b|"
    r"\bi(?:'d|\s+would)\s+like\s+(?:it|this)\s+(?:to\s+be\s+)?shared\b",
    re.I,
)


# A statement that records what was agreed for the future is an agreed action whatever
# else it names ("It was agreed that the SW will write to dad offering a meeting and will
# look at the Caring Dads programme" read as good practice for the programme). An
# agreement that was not kept ("agreed in March that the SW would ... but nothing since")
# is a worry, as the guidelines say, and keeps the model's reading.
# What work agreed for the future is said with: "will", "is to", "to be", "should", ...
FUTURE_MODAL = r"(?:will|is\s+to|are\s+to|to\s+be|should|needs?\s+to|must)"
AGREED_ACTION = re.compile(
    r"^\W*(?:it\s+(?:was|has\s+been|is)\s+|we\s+|i\s+)?agreed\b"
    r"(?:\s+(?:with|at|in|during)\s+[^,.;]{1,40}?)?\s+(?:that\s+)?[^,.;]{0,40}?"
    rf"\b{FUTURE_MODAL}\b",
    re.I,
)
NOT_KEPT = re.compile(r"\b(?:but|however|yet|still|not|never|no|nothing|\w+n't)\b", re.I)
# A decision about the case, not work agreed: "agreed that the children should remain on
# plans", "agreed he will stay with his aunt".
STAYS = re.compile(
    r"\b(?:will|is\s+to|are\s+to|should|must)\s+(?:\w+\s+)?(?:remain|stay|continue|be\s+on)\b",
    re.I,
)


def agreed_action(text: str) -> bool:
    """Whether a statement records an action agreed for the future (AGREED_ACTION)."""
    return bool(AGREED_ACTION.match(text)) and not NOT_KEPT.search(text) and not STAYS.search(text)


# A request put to the workforce in the passive, as learning briefings word their actions:
# "Practitioners are reminded to upload ...", "All staff are expected to complete ...",
# "Teams are to ensure ...". No training row is worded so, and the model read the
# practice named ("see children alone") as done. Only the present or future: "SW was
# asked to update it in March" reports a request, kept or not (the guidelines' worry).
ASKED_OF_WORKFORCE = re.compile(
    r"^\W*(?:all\s+|the\s+|our\s+)?(?:(?:team|service|operational|practice)\s+)?"
    r"(?:practitioners?|staff|(?:social\s+)?workers?|sws?|managers?|tms?|teams?|"
    r"professionals|partners|agencies|iros?|pas?|colleagues|supervisors?|leaders?)\s+"
    r"(?:(?:are|is|will\s+be)\s+(?:(?:also|again|all|strongly)\s+)?"
    r"(?:reminded|asked|expected|encouraged|required|advised|invited|urged|requested)\s+"
    r"(?:to|that)\b|"
    r"(?:are|is)\s+to\s+(?!be\s+(?:commended|congratulated|praised|thanked)\b)[a-z])",
    re.I,
)


# A finding and then the action agreed on it, put to a practitioner in a later clause:
# "Supervision notes are a list of tasks. TM to use supervision to test progress against
# the plan", "why did this drift for 6 mths? SW + TM to reflect on it". The guidelines'
# action; the model, weighing the long finding, read a worry. In the corpora, example
# audits and register probes every such note is an action (265) or good practice (4,
# "TM to share at managers' forum"); a parent's part quoted from a plan ("'mum to
# engage' with no timescales") is a worry, so only practitioners' roles count.
_ROLE = (
    r"(?:the\s+)?(?:allocated\s+|new\s+)?(?:sws?|tms?|sms?|pas?|iros?|hvs?|dsl|senco|fsw|yos|"
    r"yot|ssw|atm|social\s+workers?|team\s+managers?|service\s+managers?|managers?|"
    r"practitioners?|workers?|auditors?|practice\s+lead|(?:cp\s+)?chair)"
)
LATER_REQUEST = re.compile(
    # An arrow is matched from its run's first dash: from each dash of a long run the
    # search would rescan the rest.
    r"(?:[.;:?!]\s+|\s[-–—]+\s*|(?<!-)-+>\s*|→\s*)"
    rf"{_ROLE}(?:\s*(?:[+&/]|and)\s*{_ROLE})?\s+to\s+(?!be\b)[a-z]+",
    re.I,
)


def asks_after_finding(text: str) -> bool:
    """Whether a clause after the first asks a practitioner to act (LATER_REQUEST)."""
    return bool(LATER_REQUEST.search(text))


# ... or as the auditor's wish: "Auditors would like to see more direct work on file",
# "would like to see dad's views recorded". The model read what the auditor would like to
# see as seen. "would have expected to see" looks back at what is missing: a worry, as
# the model reads it.
WISH_TO_SEE = re.compile(r"\b(?:would|'d)\s+(?:like|want|expect|hope|wish)\s+to\s+see\b", re.I)


def asked_of_workforce(text: str) -> bool:
    """Whether a statement asks the workforce to do something, in the passive or as the
    auditor's wish."""
    return bool(ASKED_OF_WORKFORCE.match(text) or WISH_TO_SEE.search(text))


# A "should" that measures what happened against what ought to have ("7 weeks for
# something that should take days", "later than they should", "as it should be") judges
# the practice; it asks nobody to do anything. The model reads "should" as a request, and
# such a note became an agreed action. A request elsewhere in the statement ("Ensure
# children are seen as often as they should be", "SW to visit as it should be") keeps it
# an action.
NORM_SHOULD = re.compile(
    r"\b(?:that|which|than|as)\s+(?:it\s+|they\s+|he\s+|she\s+|we\s+|this\s+)?"
    r"(?:should|ought\s+to)\b",
    re.I,
)
REQUEST_CUE = re.compile(
    r"^\W*(?:please\s+)?(?:ensure|make\s+sure|review|refer|complete|update|chase|arrange|"
    r"agree|consider|escalate|book|add|record)\b|"
    r"\b(?:should|must|needs?\s+to|to\s+be|ought\s+to|will|action)\b|"
    r"^\W*\S+(?:\s+\S+){0,2}?\s+to\s+[a-z]",
    re.I,
)


def measures_against_norm(text: str) -> bool:
    """Whether a statement's only "should" compares what happened with what ought to."""
    if not NORM_SHOULD.search(text):
        return False
    return not REQUEST_CUE.search(NORM_SHOULD.sub(" ", text))


# The auditor naming their worry: "The big worry is his sleep and nightmares", "My main
# concern is that mum is drinking again". The training rows never open so, and the model
# read "his sleep" as a strength. A worry statement judged well ("the worry is clearly
# set out for mum", Signs of Safety) is about the practice, and is read as written.
WORRY_FRAME = re.compile(
    r"^\W*(?:the|my|our|one)?\s*(?:big|biggest|main|key|real|major|other|only|ongoing|"
    r"significant|particular)?\s*(?:worry|concern)s?\s+(?:is|are|remains?|for\s+me\s+is)\b"
    r"(?!\s+(?:\w+\s+)?(?:well|clear|clearly|understood|shared|explained|written|set\s+out|"
    r"evident|explicit)\b)",
    re.I,
)


# ... or by doubting, first or after a dash: "doubt mum could follow it", "not convinced
# the plan is working", "6 pages of legalese - doubt mum could follow it".
# The model read the modal after "doubt" as a request.
DOUBT_FRAME = re.compile(
    r"(?:^\W*|\s[-–—]+\s*|;\s*)(?:i\s+|the\s+auditor\s+|auditor\s+)?"
    r"(?:doubt|(?:am\s+|is\s+)?not\s+convinced|question\s+whether|queries\s+whether)\b",
    re.I,
)


# A practice called a challenge: "Compliance with visiting timescales remains a
# challenge", "Recording of supervision is an area for development". The model read the
# development as work asked for. "was a challenge" (past), "no longer an issue" and "a
# strength" do not match.
CHALLENGE_FRAME = re.compile(
    r"\b(?:remains?|is|are|continues?\s+to\s+be|has\s+been)\s+(?:a|an)\s+"
    r"(?:(?:key|significant|ongoing|particular|real|persistent|continuing|clear)\s+)?"
    r"(?:challenge|area\s+(?:for|of)\s+(?:development|improvement|concern)|weakness|"
    r"issue|problem)\b",
    re.I,
)


def names_worry(text: str) -> bool:
    """Whether a statement opens by naming the auditor's worry or doubt (WORRY_FRAME,
    DOUBT_FRAME)."""
    return bool(WORRY_FRAME.match(text) or DOUBT_FRAME.search(text))


# A second clause may be the action agreed on it ("... has been a challenge - SW to try
# an evening visit"): only a one-clause statement is read by its frame.
CLAUSE_BREAK = re.compile(r"[;:–—]|\s-\s|[.!?]\s+\S")


def calls_a_challenge(text: str) -> bool:
    """Whether a one-clause statement calls the practice a challenge with no request in it
    (CHALLENGE_FRAME). Praise beside it ("a real challenge, handled skilfully") is read
    by the model, so this only turns a request or a neutral reading."""
    if not CHALLENGE_FRAME.search(text) or CLAUSE_BREAK.search(text.strip()):
        return False
    return not REQUEST_CUE.search(CHALLENGE_FRAME.sub(" ", text))


# A positive test is a result, not praise: "Dad tested positive for cocaine on the last
# hair strand test", "hair strand positive for cannabis". No corpus row reports a test
# result, and the model read "positive" as a strength. The model's own choice between a
# worry and a neutral fact stands (a result alone is context; the practice around it is
# what the auditor judges). "Mum positive about her referral to drug services" and "the
# alcohol worker is positive about mum's progress" are opinions, read as written.
SUBSTANCE = (
    r"(?:drugs?|alcohol|cocaine|crack|cannabis|thc|opiates?|opioids?|heroin|amphetamines?|"
    r"benzo\w*|methadone|spice|ketamine|mdma|ecstasy)"
)
POSITIVE_RESULT = re.compile(
    rf"\bpositive\s+(?:result\s+|test\s+)?for\s+(?:\w+\s+)?{SUBSTANCE}\b|"
    r"\b(?:tested|tests?|screened|screens?)\s+positive\b|"
    rf"\b{SUBSTANCE}\s+(?:still\s+|also\s+|again\s+)?positive\b|"
    r"\b(?:hair\s+strand|toxicology|urine|breath|drugs?|alcohol)\s+"
    r"(?:(?:tests?|screens?|results?|samples?|analysis)\s+)?"
    r"(?:was\s+|were\s+|came\s+back\s+|is\s+)?positive\b",
    re.I,
)


def reports_positive_test(text: str) -> bool:
    """Whether "positive" in a statement is a test result (POSITIVE_RESULT)."""
    # Every alternative ends in "positive": most statements are passed over unsearched.
    return "positive" in text.lower() and bool(POSITIVE_RESULT.search(text))


# A bare count of changes in a child's life is a worry by itself: "frequent changes of
# worker", "many different social workers this year", "3 placement moves" (two may be
# one change, or two workers at once, and is read as written). The corpus
# speaks of such changes mostly to say they are over ("frequent changes of worker are a
# thing of the past"), and the model read the terse note as a strength. Anything said of
# them (a verb, a verdict) is read as written.
INSTABILITY = re.compile(
    # Who has had them, if said: "He has had three social workers since October".
    r"^\W*(?:(?:he|she|they|the\s+child|the\s+young\s+person|yp|child)\s+)?"
    r"(?:(?:has|have)\s+had\s+)?"
    r"(?:(?:too\s+)?(?:frequent|many|multiple|several|numerous|repeated|constant|"
    r"lots\s+of|[3-9]|\d{2,}|three|four|five|six)\s+(?:different\s+)?(?:changes?\s+(?:of|in)\s+)?"
    r"(?:(?:allocated\s+)?social\s+workers?|sws|workers|placements|placement\s+moves|moves|"
    r"schools|carers|ssws|pas|iros|changes\s+of\s+(?:worker|sw|placement|school|carer))"
    # ... or the latest of them counted: "Third SW since October", "5th placement in 2 yrs".
    r"|(?:(?:his|her|their|a|the)\s+)?(?:third|fourth|fifth|sixth|seventh|[3-9](?:rd|th))\s+"
    r"(?:(?:allocated\s+)?social\s+worker|sw|worker|placement|school|carer|ssw|pa|iro)\b"
    r"(?!\s+(?:plans?|visits?|reviews?|meetings?|assessments?|reports?|panels?|agreements?)\b)"
    r"(?:\s+(?:since|in|this|within)\b)?)"
    r"(?P<rest>(?:\s+[\w'/-]+){0,5})\W*$",
    re.I,
)
SAID_OF = re.compile(
    r"\b(?:\w+ed|\w+ing|no|not|never|fewer|less|reduced|stable|settled|good|well|past|"
    r"only|avoided|none)\b",
    re.I,
)


def names_instability(text: str) -> bool:
    """Whether a statement only counts changes of worker, placement or school."""
    match = INSTABILITY.match(text)
    return bool(match and not SAID_OF.search(match.group("rest")))


# A fault denied is a strength: "visits never late", "reviews not once missed", "CP visits
# never missed, even over Christmas". The model read "never" as the worry it usually
# marks ("child never seen alone"). Only a subject of a few words and the denied fault:
# anything more ("never late but always brief") is read as written.
DENIED_FAULT = re.compile(
    r"^\W*(?:[\w'/&+-]+\s+){1,4}(?:have\s+|has\s+|are\s+|is\s+|were\s+|was\s+)?"
    r"(?:never|not\s+once|not\s+ever)\s+(?:been\s+)?(?:late|missed|overdue|cancelled|delayed|"
    r"out\s+of\s+(?:timescale|date))(?:\s*,\s*even\s+[^,;]*)?\W*$",
    re.I,
)


def denies_fault(text: str) -> bool:
    """Whether a statement only says a fault never happened (DENIED_FAULT)."""
    return bool(DENIED_FAULT.match(text))


# A bare piece of practice with a question mark is the auditor asking where it is: "kids
# wishes & feelings??", "contingency plan?". A question with a verb or a question word
# ("does he want support to attend?") is read as written.
BARE_QUESTION = re.compile(
    r"^\W*(?!(?:who|what|why|how|where|when|which|is|are|was|were|does|"
    r"do|did|has|have|had|can|could|should|will|would)\b)[^?.!;]{2,60}\?+\W*$",
    re.I,
)
BARE_QUESTION_WORDS = 6
HAS_VERB = re.compile(
    r"\b(?:is|are|was|were|has|have|had|been|not|no|none|[a-z]+ed|[a-z]+ing|[a-z]+n't)\b", re.I
)


def asks_where(text: str) -> bool:
    """Whether a statement is a bare piece of practice questioned (BARE_QUESTION)."""
    return (
        bool(BARE_QUESTION.match(text))
        and len(text.split()) <= BARE_QUESTION_WORDS
        and not HAS_VERB.search(text)
    )


def shares_this(text: str) -> bool:
    """Whether an action asks only that the work it describes be shared as an example."""
    return bool(SHARES_THIS.search(text))


SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=\S)")
# Praise in a closing marker: "share the findings with the team" alone is feedback.
PRAISE = re.compile(
    r"\b(?:lovely|great|excellent|good|fab|brilliant|outstanding|exemplary|super|"
    r"worked\s+(?:really\s+|very\s+)?well)\b",
    re.I,
)


def singles_out(text: str) -> bool:
    """Whether an auditor's words single a finding out as good practice to share (a
    recorded grade, "graded outstanding", is a grade, not such a cue): a cue anywhere, or
    a closing sentence that only praises the work before it and asks to share it ("...
    set her own health goals. Really good - share with the CLA health team")."""
    if grade_of(text):
        return False
    if GOOD_PRACTICE_CUE.search(text):
        return True
    last = SENTENCE_END.split(text.strip())
    return len(last) > 1 and bool(PRACTICE_MARKER.match(last[-1]) and PRAISE.search(last[-1]))


# A sentence that only singles out the one before it as good practice: "Lovely example,
# share at team meeting", "Shared w/ SOS lead as good practice", "Will share with the
# practice lead as a GP example".
_SHARE = (
    r"(?:will\s+|to\s+|to\s+be\s+|(?:should|could|must|will|needs?\s+to)\s+be\s+|"
    r"auditor\s+(?:will\s+)?|i(?:'d|\s+would)\s+like\s+"
    r"(?:it|this)\s+)?(?:(?:share|shared|sharing|pass(?:ed)?\s+(?:on\s+)?to|sent\s+to)\b.*\b"
    r"(?:good\s+practice|GP|example|team|lead|learning|service|practice|colleagues|briefing|"
    r"forum|panel|meeting)\b|(?:show|shown|showcase|present|use|used)\b.*\bas\s+(?:an?\s+)?"
    r"(?:example|good\s+practice|GP|exemplar)\b)"
)
# Praise of the work before the sharing: "Worked really well - show at team meeting as an
# example", "This is a lovely piece of work and I would like it shared across the team",
# "Really good - share with the CLA health team", "Lovely piece of work - share at team
# mtg", "Really good, use as example at the practice forum".
_PRAISE = (
    r"(?:(?:this|it)\s+)?(?:(?:worked|works)\s+(?:really\s+|very\s+)?well|(?:is|was)\s+"
    r"(?:an?\s+)?(?:really\s+|very\s+)?(?:lovely|great|excellent|good|fab|brilliant|"
    r"outstanding)\s+(?:piece\s+of\s+work|work|example)|(?:really\s+|very\s+|so\s+)?"
    r"(?:lovely|great|excellent|good|fab|brilliant|outstanding|exemplary|super)"
    r"(?:\s+(?:piece\s+of\s+)?work)?!*)\s*(?:[,;:\-–—]\s*|\s+and\s+)"
)
PRACTICE_MARKER = re.compile(
    r"^(?:(?:an?\s+)?(?:really\s+|very\s+)?(?:lovely|great|excellent|good|fab|brilliant|"
    r"outstanding|exemplary|super)\s+(?:example|practice)\s*(?:[.!]*$|[,;:\-–—]\s*"
    + _SHARE
    + r")|(?:"
    + _PRAISE
    + r")?"
    + _SHARE
    + r")",
    re.I,
)


# Someone's own words in quotation marks, told by "I", "my", "we" or "you" ("I'll go to
# the group if I have to"): what a child or parent says is theirs, not an action agreed.
OWN_WORDS = re.compile(r'"[^"]*\b(?:I|I\'m|I\'ll|I\'ve|I\'d|me|my|we|us|our|you|your)\b[^"]*"')


def without_own_words(text: str) -> str:
    """The statement with anyone's own quoted words left out (`OWN_WORDS`), or the text
    unchanged when it quotes none."""
    return OWN_WORDS.sub('"..."', text) if '"' in text else text
