"""How a finding is worded in the briefing: prevalence words, role nouns for people,
note labels dropped, the count phrase. No spaCy: the review store and the renderers word
bullets too.

Prevalence follows a configurable scale (all; almost all ≥ 90%; most ≥ 75%; many ≥ 50%;
some ≥ 20%; a few; one) and always carries the exact count ("In most records (11 of 14),
...").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from briefing_nlp.errors import ConfigError
from briefing_nlp.grades import PRACTICE_MARKER
from briefing_nlp.vocabulary import PROPER_WORDS

KEEP_CASE_RE = re.compile(r"^(?:[A-Z]{2,}|[A-Z][a-z]*[A-Z]|\[|I\b)")
FIRST_WORD_RE = re.compile(r"[A-Za-z]+")
LEADING_CONNECTIVE_RE = re.compile(r"^(?:but|and|so|also|though|however)\b[\s,]+", re.I)
TRAILING_CONNECTIVE_RE = re.compile(r"[\s,]+(?:though|tho|however|but|and|although)\.?$", re.I)
# Note-taking labels at the start of a comment ("Action: ...", "Worry - ...", "NB ..."):
# the briefing's section says this already.
NOTE_PREFIX_RE = re.compile(
    r"^(?:(?:agreed\s+)?actions?(?:\s+agreed)?|needs|next\s+steps?|to\s+do|worry|worries|"
    r"concerns?|strengths?|good\s+practice|gp|www|ebi|note|nb|comments?|feedback|"
    r"auditor(?:['’]s)?\s+(?:comments?|notes?))\s*(?::|[-–—]\s|\s(?=(?-i:[A-Z])))\s*",
    re.I,
)
# Personal data in a finding that speaks for several records reads as one record's note
# ("[PERSON 25]'s own needs considered"): a person becomes the role the note gives them,
# else "the child"; contact details, references and dates go with the words that
# introduce them. One-record bullets keep their placeholders.
ROLE_WORDS = (
    r"mum|mother|dad|father|partner|boyfriend|girlfriend|brother|sister|sibling|nan|nana|"
    r"gran|granny|grandma|grandad|grandfather|grandmother|aunt|auntie|uncle|cousin|carer|"
    r"foster carer|step-?dad|step-?mum|baby|child|young person|yp|sw|tm|iro|pa|hv|"
    r"social worker|team manager|worker|teacher|head|senco|gp|midwife"
)
# Roles of professionals whose name after them ("the IDVA (Karen Blake)") a bullet for
# several records drops; unlike ROLE_WORDS, never a role a named person is given.
NAMED_PROFESSIONALS = (
    r"idva|isva|ssw|dsl|nurse|health visitor|advocate|officer|key ?worker|personal adviser|"
    r"chair|solicitor|interpreter|practitioner|psychologist|therapist|manager"
)
ROLE_THEN_PERSON_RE = re.compile(
    rf"\b({ROLE_WORDS}|{NAMED_PROFESSIONALS})\s*\(?\s*\[PERSON \d+\](?:['’]s)?"
    r"(?:\s*,\s*\d{1,2}|\s*\(\s*\d{1,2}\s*\))?(?:\s*\))?",
    re.I,
)
PERSON_THEN_ROLE_RE = re.compile(rf"\[PERSON \d+\]\s*\(\s*({ROLE_WORDS})\s*\)", re.I)
ROLE_BEFORE_RE = re.compile(rf"\b({ROLE_WORDS})\s*\(?\s*(\[PERSON \d+\])", re.I)
SAME_ROLE_PAIR_RE = re.compile(r"\b(the [a-z]+|mum|dad)(?:, \1)* (?:and|&) \1\b")
FAMILY_NAMES = frozenset("mum dad nan nana gran granny grandma grandad".split())
PERSON_AGE_RE = re.compile(r"(\[PERSON \d+\](?:['’]s)?)\s*(?:\(\s*\d{1,2}\s*\)|,\s*\d{1,2}\b,?)")
PERSON_POSSESSIVE_RE = re.compile(r"\[PERSON \d+\]['’]s")
# Any placeholder redaction writes ("[PERSON 3]", "[DATE]", "[ORG 12]"), its kind in
# group 1; also an auditor's own shorthand such as "[NAME A]". The one definition every
# stage uses (features, grouping, confidence).
PLACEHOLDER_RE = re.compile(r"\[([A-Z][A-Z_ ]*?)(?:\s+(?:\d+|[A-Z0-9]{1,3}))?\]")
PERSON_RE = re.compile(r"\[PERSON \d+\]")
ORG_RE = re.compile(r"\[ORG \d+\]")
# A note's closing pat on the back ("HV did antenatal visit jointly with SW, good"): the
# section already says it is working well, and the bullet reads as a finding without it.
TRAILING_PRAISE_RE = re.compile(
    r"(?:,|;|\s[-–—])\s*(?:really |very |v )?(?:good|great|nice|lovely|excellent)[.!]*\s*$",
    re.I,
)
MIN_WORDS_LEFT = 3
LAST_SENTENCE_RE = re.compile(r"[.!]\s+(\S[^.!]*[.!]?)$")
# A closing aside about one child ("dental care and immunisations have both lapsed – she
# hasn't seen a dentist since 2024", "lived experience described well, she talks about
# looking after her brother") is one record's evidence, not the finding's.
ONE_CHILD_ASIDE_RE = re.compile(r"(?:\s+[-–—]+|,)\s+(?:she|he)\b[^-–—,;]*$", re.I)
DETAIL_RE = re.compile(
    r"(?:\s*,)?\s*(?:\b(?:on|dated|from|since|until|by|at|lives at|tel|phone|mob|mobile|dob|"
    r"d\.o\.b\.?|nhs(?: no\.?| number)?|ref|address|email|postcode)\s*:?\s*)?"
    r"\[(?:DATE|ADDRESS|POSTCODE|PHONE|EMAIL|ID|NHS|NI)[A-Z _]*\d*\]",
    re.I,
)


# One record's heritage or faith by name, before the word for it: "Polish heritage and
# Catholic faith included in plan" speaks for several records as "heritage and faith
# included in plan". Not after "a"/"an" ("from a Polish background" would lose sense).
NAMED_IDENTITY_RE = re.compile(
    r"(?<!\ba )(?<!\ban )\b(?:[A-Z][a-z]+\s+){1,2}(?=(?:heritage|faith|culture|identity|roots)\b)"
)


def parse_scale(text: str) -> list[tuple[str, float]]:
    """The prevalence scale setting ("most=0.75, ...") as (word, share) pairs, largest first.

    Raises:
        ConfigError: an entry is not `word=share` with a share between 0 and 1.
    """
    scale = []
    for entry in text.split(","):
        word, _, share = entry.partition("=")
        try:
            value = float(share)
        except ValueError:
            value = -1.0
        if not word.strip() or not 0 <= value <= 1:
            raise ConfigError(
                f"prevalence_scale entry {entry.strip()!r} should look like 'most=0.75'"
            )
        scale.append((word.strip(), value))
    return sorted(scale, key=lambda pair: -pair[1])


def prevalence_word(count: int, total: int, scale: Sequence[tuple[str, float]]) -> str:
    """The scale word for `count` of `total` records ("one" for a single record)."""
    if count == 1 and total > 1:
        return "one"
    share = count / total
    for word, minimum in scale:
        if share >= minimum - 1e-9:
            return word
    return scale[-1][0]


def person_roles(texts: Sequence[str]) -> dict[str, str]:
    """The role notes give each person placeholder ("Partner [PERSON 3]", "[PERSON 7]
    (SW)"), from the most frequent mention across the audit."""
    counts: dict[str, Counter[str]] = {}
    for text in texts:
        for match in ROLE_BEFORE_RE.finditer(text):
            counts.setdefault(match.group(2), Counter())[_role_key(match.group(1))] += 1
        for match in PERSON_THEN_ROLE_RE.finditer(text):
            placeholder = match.group(0)[: match.group(0).index("]") + 1]
            counts.setdefault(placeholder, Counter())[_role_key(match.group(1))] += 1
    roles = {p: c.most_common(1)[0][0] for p, c in counts.items()}
    # Where the notes give no role word, the header line's age says who the person is
    # ("[PERSON 4], 28, EDD [DATE]" is the expectant mum, "[PERSON 3] 17, baby ..." a
    # young parent): "the child" for every unknown reads wrongly in pre-birth and young
    # parents' audits ("DA not explored with the child alone" of a mother).
    for text in texts:
        for line in text.splitlines():
            for match in PERSON_AGED_RE.finditer(line):
                placeholder = match.group("person")
                if placeholder not in roles:
                    roles[placeholder] = _role_from_age(match, line[match.end() :])
            # "[PERSON 7] and [PERSON 8], EDD [DATE]": the expectant parents, ages unsaid.
            expecting = EXPECTING_RE.search(line)
            if expecting:
                for placeholder in PERSON_RE.findall(line[: expecting.start()]):
                    roles.setdefault(placeholder, "parent")
    return roles


# A person placeholder then an age, as record headers give it: "[PERSON 4], 28,",
# "[PERSON 3] (15)", "[PERSON 10] 31, second baby", "[PERSON 5], 14 wks old", "3yo".
PERSON_AGED_RE = re.compile(
    r"(?P<person>\[PERSON \d+\])\s*(?:\(\s*|,\s*|\s)(?P<age>\d{1,2})\s*"
    r"(?P<unit>y(?:rs?|ears?)?(?:\s*old)?|yo|y/o|m(?:ths?|onths?)?|w(?:ks?|eeks?)(?:\s*old)?)?"
    # then what ends an age in a header: punctuation, "and", the line's end or "10m"
    # ("16y 10m"), never "ago" ("saw [PERSON 6] 3 weeks ago") or a count ("2 visits").
    r"(?=\s*(?:[,;)./]|(?:and|&)\b|$|\d))",
    re.I,
)
EXPECTING_RE = re.compile(r"\b(?:EDD|pregnan\w*|expecting|unborn|\d{1,2}\s*/\s*40)\b", re.I)
# Something is said about the topic: a verb, a negation or a judgement word.
VERDICT_RE = re.compile(
    r"\b(?:is|are|was|were|be|been|has|have|had|does|do|did|not|no|nothing|none|never|"
    r"can|could|should|must|will|to|[a-z]{2,}(?:ed|ing|en|n't)|good|well|clear|strong|"
    r"poor|weak|lacking|late|overdue|missing|absent|evident|timely|thorough|excellent|"
    r"great|ok|okay|fine|up to date|out of date|o/d|v|very|really|always|regular|consistent|"
    r"inconsistent|limited|variable|patchy|robust)\b",
    re.I,
)
# "baby brother" is a sibling, not the person's own child.
HAS_BABY_RE = re.compile(
    r"\b(?:baby|babies|son|daughter|new-?born|infant)\b(?!\s+(?:brother|sister|sibling))", re.I
)


def _role_from_age(match: re.Match[str], rest: str) -> str:
    age = int(match.group("age"))
    unit = (match.group("unit") or "y").lower()
    if unit.startswith(("m", "w")):
        return "baby" if unit.startswith("w") or age <= 24 else "child"
    if age < 13:  # "6, and baby brother": a child, whatever the line goes on to say
        return "child"
    # Only what follows the age on its line speaks of this person ("17, baby [PERSON 4]").
    if EXPECTING_RE.search(rest):
        return "mum" if age >= 18 else "young parent"
    if HAS_BABY_RE.search(rest):
        return "parent" if age >= 20 else "young parent"
    if age >= 18:
        return "parent"
    return "young person" if age >= 13 else "child"


def _plural(role: str) -> str:
    irregular = {
        "the child": "the children",
        "mum": "the parents",
        "dad": "the parents",
        "the young person": "the young people",
        "the baby": "the babies",
    }
    return irregular.get(role, role + "s")


def _role_key(role: str) -> str:
    return role if role.isupper() else role.lower()  # "SW" stays, "Partner" -> "partner"


TITLED_PERSON_RE = re.compile(r"\b(Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+(\[PERSON \d+\])", re.I)


def _titled(match: re.Match[str]) -> str:
    """A titled person whose role the notes do not give: a doctor, else a parent (the
    adults notes name by title are almost always the child's parents)."""
    return "the doctor" if match.group(1).lower() == "dr" else "the parent"


def _role_noun(role: str | None) -> str:
    if role is None:
        return "the child"
    if role in FAMILY_NAMES:
        return role  # "mum not seen", as notes write it
    return f"the {role}"


# One family's relatives: a bullet for several records words the finding without them
# when a member does ("parents not offered carers' assessment", group._wording_score).
RELATIVES = (
    r"nan|nana|nanna|gran|granny|grandma|grandmother|grandad|grandfather|aunt|auntie|uncle|"
    r"step-?dad|step-?mum|mum|dad|mother|father"
)
ONE_RELATIVE_RE = re.compile(rf"\b(?:{RELATIVES})\b", re.I)
GENDERED_PERSON_RE = re.compile(
    rf"\b(?:{RELATIVES}|mums|dads|sister|girl|daughter|woman|brother|boy|son|man|he|she)\b",
    re.I,
)
GENDERED_RE = re.compile(r"\b(his|her|him|himself|herself)\b(?=(\s+\w+)?)", re.I)
# After "her", these words show it is the object ("observation of her recorded", "saw her
# at school"), not a possessive ("her own words").
AFTER_OBJECT = frozenset(
    "recorded seen at to in on with and or about alone was is has had by from for all "
    "said says told felt feels herself".split()
)


# One child as the subject: "what she's told us", "he wants to stay". A bullet for several
# records says "the child" (a noun keeps the verb's agreement, as "they" would not: "he
# wants" -> "the child wants"). Only where no other gendered person is named and no
# professional could be the "she" ("SW visited and she saw ..."): there the pronoun stays.
SUBJECT_PRONOUN_RE = re.compile(
    r"\b(she|he)(?:'s|’s)?\b(?!['’])(?=(\s+(?:not\s+|never\s+|always\s+)?\w+)?)", re.I
)
SUBJECT_CONTRACTED_RE = re.compile(r"(?:she|he)(?:'s|’s)", re.I)
# After "she's", these show "has" ("she's been", "she's told us"); otherwise "is".
HAS_AFTER = frozenset(
    "been had got made told said asked shared done seen gone started stopped moved "
    "lived stayed spoken talked written drawn missed attended chosen".split()
)
PROFESSIONAL_RE = re.compile(
    r"\b(?:SW|IRO|TM|PA|HV|GP|IDVA|(?i:social worker|worker|teacher|carer|manager|nurse|"
    r"health visitor|midwife|practitioner|officer|paediatrician|therapist|auditor|advocate|"
    r"keyworker|key worker|supervisor|chair))\b"
)
YOUNG_PERSON_RE = re.compile(r"\b(?:young person|YP)\b", re.I)


# Once the child is named, a later "she"/"he" is "they" where the verb after it can agree
# ("he wants" -> "they want", "she came" -> "they came"); elsewhere "the child" again.
THEY_VERBS = {
    "has": "have",
    "is": "are",
    "was": "were",
    "does": "do",
    "doesn't": "don't",
    "isn't": "aren't",
    "wasn't": "weren't",
    "hasn't": "haven't",
    "says": "say",
    "wants": "want",
    "feels": "feel",
    "likes": "like",
    "needs": "need",
    "goes": "go",
    "thinks": "think",
    "knows": "know",
    "lives": "live",
    "attends": "attend",
}
THEY_KEEP = frozenset(
    "came went said told had could would should will can might did didn't got made felt "
    "saw knew thought wanted asked liked needed lived attended talked moved".split()
)
CHILD_NOUN_RE = re.compile(r"\b(?:child|young person|YP)\b", re.I)


def _child_subject(text: str) -> str:
    """One child's "she"/"he" as "the child" (see SUBJECT_PRONOUN_RE), or the text as it is."""
    pronoun = SUBJECT_PRONOUN_RE.search(text)
    if not pronoun:
        return text
    before = text[: pronoun.start()]
    if PROFESSIONAL_RE.search(before):
        return text
    noun = "the young person" if YOUNG_PERSON_RE.search(before) else "the child"
    named = bool(CHILD_NOUN_RE.search(before))
    out: list[str] = []
    last = 0
    for match in SUBJECT_PRONOUN_RE.finditer(text):
        words = (match.group(2) or "").split()
        verb = words[0] if words else ""
        contracted = bool(SUBJECT_CONTRACTED_RE.fullmatch(match.group(0)))
        if contracted:
            verb = "has" if words and words[-1].lower() in HAS_AFTER else "is"
        end = match.end() + (len(match.group(2) or "") - len((match.group(2) or "").lstrip()))
        rest_start = match.end()
        if named and (verb.lower() in THEY_VERBS or verb.lower() in THEY_KEEP):
            agreed = THEY_VERBS.get(verb.lower(), verb)
            if contracted:
                said = f"they {agreed}"
            elif verb.lower() in THEY_VERBS:
                # the verb itself changes: consume it
                said = f"they {agreed}"
                rest_start = end + len(verb)
            else:
                said = "they"
        else:
            said = f"{noun} {verb}" if contracted else noun
        preceding = text[: match.start()].rstrip()
        if not preceding or preceding[-1] in ".!?":
            said = said[0].upper() + said[1:]
        out.append(text[last : match.start()] + said)
        last = rest_start
        named = True
    out.append(text[last:])
    return "".join(out)


def _neutral_pronoun(match: re.Match[str]) -> str:
    word, rest = match.group(1), match.group(2) or ""
    following = rest.strip().lower()
    if word.lower() in ("himself", "herself"):
        neutral = "themselves"
    elif word.lower() == "him" or (
        word.lower() == "her" and (not following or following in AFTER_OBJECT)
    ):
        neutral = "them"
    else:
        neutral = "their"
    if word[0].isupper():
        neutral = neutral.capitalize()
    return neutral


def finding_wording(wording: str, count: int, roles: dict[str, str] | None = None) -> str:
    """A statement made to speak for the finding: note labels dropped, and when it stands
    for several records, no one record's people, dates or contact details (a person is
    named by the role the notes give them, else "the child")."""
    roles = roles or {}
    text = NOTE_PREFIX_RE.sub("", wording.strip(), count=1) or wording
    praise = TRAILING_PRAISE_RE.search(text)
    if praise and len(text[: praise.start()].split()) >= MIN_WORDS_LEFT:
        text = text[: praise.start()]
    if count < 2:
        return text
    # "... views on respite are really clear. Lovely example, share at team meeting": the
    # second sentence is one auditor's plan for one record's example.
    last = LAST_SENTENCE_RE.search(text.rstrip())
    if last and PRACTICE_MARKER.match(last.group(1)):
        text = text[: last.start() + 1]
    aside = ONE_CHILD_ASIDE_RE.search(text)
    if aside and len(text[: aside.start()].split()) >= MIN_WORDS_LEFT:
        text = text[: aside.start()]
    text = DETAIL_RE.sub("", text)
    text = NAMED_IDENTITY_RE.sub("", text)
    text = ROLE_THEN_PERSON_RE.sub(lambda m: m.group(1), text)
    text = PERSON_THEN_ROLE_RE.sub(lambda m: f"the {m.group(1)}", text)
    # "Mr [PERSON 8]" is an adult of the case, never "Mr the child".
    text = TITLED_PERSON_RE.sub(
        lambda m: _role_noun(roles.get(m.group(2))) if roles.get(m.group(2)) else _titled(m), text
    )
    text = PERSON_AGE_RE.sub(lambda m: m.group(1), text)
    text = PERSON_POSSESSIVE_RE.sub(
        lambda m: _role_noun(roles.get(m.group(0)[: m.group(0).index("]") + 1])) + "'s", text
    )
    text = PERSON_RE.sub(lambda m: _role_noun(roles.get(m.group(0))), text)
    text = ORG_RE.sub("the service", text)
    # One child's "his" or "her" does not speak for several: "short breaks meeting their
    # needs", "no observation of them recorded". Beside a gendered person ("not explored
    # with mum on her own") the pronoun is most likely theirs, and stays.
    if not GENDERED_PERSON_RE.search(SUBJECT_PRONOUN_RE.sub("", text)):
        text = _child_subject(text)
    if not GENDERED_PERSON_RE.search(text):
        text = GENDERED_RE.sub(_neutral_pronoun, text)
    # Two people of one role: "[PERSON 4] and [PERSON 5] at home" -> "the children".
    text = SAME_ROLE_PAIR_RE.sub(lambda m: _plural(m.group(1)), text)
    text = re.sub(r"\s+([,.;:)])", r"\1", text)
    text = re.sub(r"\(\s*\)|,\s*(?=[,.;])", "", text)
    return " ".join(text.split()).strip(" ,;:-–—") or wording


def bullet_text(
    section: str,
    wording: str,
    count: int,
    total: int,
    word: str,
    roles: dict[str, str] | None = None,
) -> str:
    """Briefing wording for a finding: prevalence first for findings, count after actions."""
    said = bullet_wording(section, wording, count, roles)
    if section == "action":
        return f"{said.rstrip('.')} (agreed in {count} of {total} records)."
    where = "record" if word == "one" else "records"
    return f"In {word} {where} ({count} of {total}), {said}"


def bullet_wording(
    section: str, wording: str, count: int, roles: dict[str, str] | None = None
) -> str:
    """What a bullet says, without its count phrase: the part a reviewer edits, which the
    count phrase is put around (`counts.render_text`) whenever the support changes."""
    clause = sentence(finding_wording(wording, count, roles))
    if section == "action":
        body = capitalise(clause).rstrip(".")
        return body if body.endswith(("!", "?")) else f"{body}."
    return decapitalise(clause)


def sentence(text: str) -> str:
    text = " ".join(text.split()).strip(" -–—;,:")
    # A clause cut from "X is well supported though, ..." keeps a dangling connective.
    text = TRAILING_CONNECTIVE_RE.sub("", text).strip(" -–—;,:")
    text = LEADING_CONNECTIVE_RE.sub("", text)  # "but none of the actions were..."
    return text if text.endswith((".", "!", "?")) else text + "."


def capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def decapitalise(text: str) -> str:
    if KEEP_CASE_RE.match(text):
        return text
    first = FIRST_WORD_RE.match(text)
    if first and first.group(0).lower() in PROPER_WORDS - {"may"}:
        return text  # "Polish heritage...", "March review..." keep their capital
    return text[:1].lower() + text[1:]
