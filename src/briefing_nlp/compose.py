"""Turn findings into the briefing's bullets: prevalence wording, grades, suggested actions.

Prevalence follows a configurable scale (all; almost all ≥ 90%; most ≥ 75%; many ≥ 50%;
some ≥ 20%; a few; one) and always carries the exact count ("In most records (11 of 14),
..."). A recurring worry that no auditor action covers gets the theme's template action,
marked `suggested`.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from briefing_nlp.errors import ConfigError
from briefing_nlp.grades import grade_of
from briefing_nlp.group import Finding
from briefing_nlp.ingest import Audit
from briefing_nlp.redact import PROPER_WORDS
from briefing_nlp.segment import Statement
from briefing_nlp.settings import Settings
from briefing_nlp.taxonomy import BRIEFING_SECTIONS, Taxonomy

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
# Where auditors say what a shortfall means: "..., leaving very little time for the
# assessment", "... - the impact is that mum's needs are missed".
IMPACT_RE = re.compile(
    r"(?:[,;:]|\s[-–—])\s*(?:leaving|which means|meaning(?: that)?|so that|with the result that|"
    r"as a result,?|the impact (?:of this )?(?:is|was|being)(?: that)?|impact(?: of this)?:|"
    r"this means(?: that)?)\s+(?P<impact>[^;]+)$",
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
ROLE_THEN_PERSON_RE = re.compile(
    rf"\b({ROLE_WORDS})\s*\(?\s*\[PERSON \d+\](?:['’]s)?"
    r"(?:\s*,\s*\d{1,2}|\s*\(\s*\d{1,2}\s*\))?(?:\s*\))?",
    re.I,
)
PERSON_THEN_ROLE_RE = re.compile(rf"\[PERSON \d+\]\s*\(\s*({ROLE_WORDS})\s*\)", re.I)
ROLE_BEFORE_RE = re.compile(rf"\b({ROLE_WORDS})\s*\(?\s*(\[PERSON \d+\])", re.I)
SAME_ROLE_PAIR_RE = re.compile(r"\b(the [a-z]+|mum|dad)(?:, \1)* (?:and|&) \1\b")
FAMILY_NAMES = frozenset("mum dad nan nana gran granny grandma grandad".split())
PERSON_AGE_RE = re.compile(r"(\[PERSON \d+\](?:['’]s)?)\s*(?:\(\s*\d{1,2}\s*\)|,\s*\d{1,2}\b,?)")
PERSON_POSSESSIVE_RE = re.compile(r"\[PERSON \d+\]['’]s")
PERSON_RE = re.compile(r"\[PERSON \d+\]")
ORG_RE = re.compile(r"\[ORG \d+\]")
# A note's closing pat on the back ("HV did antenatal visit jointly with SW, good"): the
# section already says it is working well, and the bullet reads as a finding without it.
TRAILING_PRAISE_RE = re.compile(
    r"(?:,|;|\s[-–—])\s*(?:really |very |v )?(?:good|great|nice|lovely|excellent)[.!]*\s*$",
    re.I,
)
MIN_WORDS_LEFT = 3
DETAIL_RE = re.compile(
    r"(?:\s*,)?\s*(?:\b(?:on|dated|from|since|until|by|at|lives at|tel|phone|mob|mobile|dob|"
    r"d\.o\.b\.?|nhs(?: no\.?| number)?|ref|address|email|postcode)\s*:?\s*)?"
    r"\[(?:DATE|ADDRESS|POSTCODE|PHONE|EMAIL|ID|NHS|NI)[A-Z _]*\d*\]",
    re.I,
)


@dataclass(frozen=True)
class Source:
    """A statement behind a bullet, traceable to its record."""

    record: int
    label: str
    text: str
    start: int
    end: int
    primary: bool = True  # False: a multi-theme statement that also supports this bullet


@dataclass(frozen=True)
class Bullet:
    """One bullet of the briefing."""

    id: str
    section: str
    text: str
    themes: tuple[str, ...]
    support: tuple[int, ...]
    sources: tuple[Source, ...]
    confidence: float
    suggested: bool = False
    prevalence: str = ""
    # A worry's impact: the auditors' own words where they wrote any ("leaving very little
    # time for the assessment"), else the theme's template, marked suggested.
    impact: str = ""
    impact_suggested: bool = False


@dataclass(frozen=True)
class Briefing:
    """The draft six-step briefing."""

    title: str
    date: str
    context: str
    records: tuple[tuple[int, str], ...]
    sections: dict[str, tuple[Bullet, ...]]
    grades: dict[str, tuple[int, ...]] = field(default_factory=dict)
    unplaced: tuple[Source, ...] = ()
    # Findings of one record that are not sure enough for the briefing: kept for the
    # reviewer (the review app's "seen in one record" lists, the evidence appendix, JSON)
    # rather than crowding the briefing. A reviewer can add any of them back.
    one_record: dict[str, tuple[Bullet, ...]] = field(default_factory=dict)

    @property
    def all_bullets(self) -> tuple[Bullet, ...]:
        """The briefing's bullets, then the findings of one record listed apart."""
        return tuple(
            b for part in (self.sections, self.one_record) for bs in part.values() for b in bs
        )

    @property
    def grade_summary(self) -> str:
        """ "2 of the 14 records were graded good; 1 was graded requires improvement"."""
        total = len(self.records)
        parts = []
        for number, (grade, records) in enumerate(
            sorted(self.grades.items(), key=lambda item: -len(item[1]))
        ):
            count = len(records)
            if number == 0:
                verb = "was" if count == 1 else "were"
                parts.append(f"{count} of the {total} records {verb} graded {grade}")
            else:
                parts.append(f"{count} {'was' if count == 1 else 'were'} graded {grade}")
        return "; ".join(parts)


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
HAS_BABY_RE = re.compile(r"\b(?:baby|babies|son|daughter|new-?born|infant)\b", re.I)


def _role_from_age(match: re.Match[str], rest: str) -> str:
    age = int(match.group("age"))
    unit = (match.group("unit") or "y").lower()
    if unit.startswith(("m", "w")):
        return "baby" if unit.startswith("w") or age <= 24 else "child"
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


def _role_noun(role: str | None) -> str:
    if role is None:
        return "the child"
    if role in FAMILY_NAMES:
        return role  # "mum not seen", as notes write it
    return f"the {role}"


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
    text = DETAIL_RE.sub("", text)
    text = ROLE_THEN_PERSON_RE.sub(lambda m: m.group(1), text)
    text = PERSON_THEN_ROLE_RE.sub(lambda m: f"the {m.group(1)}", text)
    text = PERSON_AGE_RE.sub(lambda m: m.group(1), text)
    text = PERSON_POSSESSIVE_RE.sub(
        lambda m: _role_noun(roles.get(m.group(0)[: m.group(0).index("]") + 1])) + "'s", text
    )
    text = PERSON_RE.sub(lambda m: _role_noun(roles.get(m.group(0))), text)
    text = ORG_RE.sub("the service", text)
    # Two people of one role: "[PERSON 4] and [PERSON 5] at home" -> "the children".
    text = SAME_ROLE_PAIR_RE.sub(lambda m: _plural(m.group(1)), text)
    text = re.sub(r"\s+([,.;:)])", r"\1", text)
    text = re.sub(r"\(\s*\)|,\s*(?=[,.;])", "", text)
    return " ".join(text.split()).strip(" ,;:-–—") or wording


def worry_impact(
    finding: Finding, taxonomy: Taxonomy, roles: dict[str, str] | None = None
) -> tuple[str, bool]:
    """A worry's impact and whether it is suggested: the auditors' own impact words in its
    wording or another member, else its main theme's template (empty if it has none)."""
    count = len(finding.support)
    texts = [finding.representative] + [
        m.statement.text
        for m in finding.members
        if m.primary and m.statement.text != finding.representative
    ]
    for number, text in enumerate(texts):
        match = IMPACT_RE.search(text)
        if match and len(match.group("impact").split()) >= 3:
            if number == 0:
                return "", False  # the bullet's own wording says it already
            words = finding_wording(match.group("impact"), count, roles).rstrip(" .;,")
            return _capitalise(words) + ".", False
    if count < 2 or grade_of(finding.representative):
        return "", False  # like suggested actions: for recurring worries, not grade lines
    theme = finding.themes[0] if finding.themes else ""
    if theme in taxonomy.slugs and taxonomy.get(theme).impact:
        return _capitalise(taxonomy.get(theme).impact), True
    return "", False


def bullet_text(
    section: str,
    wording: str,
    count: int,
    total: int,
    word: str,
    roles: dict[str, str] | None = None,
) -> str:
    """Briefing wording for a finding: prevalence first for findings, count after actions."""
    clause = _sentence(finding_wording(wording, count, roles))
    if section == "action":
        return f"{_capitalise(clause).rstrip('.')} (agreed in {count} of {total} records)."
    where = "record" if word == "one" else "records"
    return f"In {word} {where} ({count} of {total}), {_decapitalise(clause)}"


def compose_briefing(
    audit: Audit,
    findings: Sequence[Finding],
    unplaced: Sequence[Statement],
    taxonomy: Taxonomy,
    settings: Settings,
) -> Briefing:
    """The briefing's sections from grouped findings."""
    scale = parse_scale(settings.prevalence_scale)
    total = len(audit.records)
    labels = {r.ordinal: r.label for r in audit.records}
    roles = person_roles([r.source for r in audit.records])
    sections: dict[str, list[Bullet]] = {s: [] for s in BRIEFING_SECTIONS}
    aside: dict[str, list[Bullet]] = {s: [] for s in BRIEFING_SECTIONS}
    for finding in findings:
        count = len(finding.support)
        word = prevalence_word(count, total, scale)
        # Gold briefings keep a one-record finding when it is clearly one (a delay, a
        # piece of good practice); the unsure ones are mostly fragments ("carers assmt",
        # "Consider strat") and details split off a finding (benchmarks/RESULTS.md).
        set_aside = count == 1 and finding.confidence < settings.one_record_min_confidence
        bullets = (aside if set_aside else sections)[finding.section]
        sources = tuple(
            Source(
                m.statement.record,
                labels[m.statement.record],
                m.statement.text,
                m.statement.start,
                m.statement.end,
                m.primary,
            )
            for m in sorted(finding.members, key=lambda m: (m.statement.record, m.statement.start))
        )
        impact, impact_suggested = (
            worry_impact(finding, taxonomy, roles) if finding.section == "worry" else ("", False)
        )
        bullets.append(
            Bullet(
                id=f"{finding.section}-{'one-' if set_aside else ''}{len(bullets) + 1}",
                section=finding.section,
                text=bullet_text(
                    finding.section, finding.representative, count, total, word, roles
                ),
                themes=finding.themes,
                support=finding.support,
                sources=sources,
                confidence=finding.confidence,
                prevalence=word,
                impact=impact,
                impact_suggested=impact_suggested,
            )
        )
    if settings.suggest_actions:
        sections["action"].extend(_suggested_actions(sections, taxonomy, total))
    return Briefing(
        title=audit.title,
        date=audit.date,
        context=audit.context,
        records=tuple((r.ordinal, r.label) for r in audit.records),
        sections={s: tuple(b) for s, b in sections.items()},
        grades=_grades(audit),
        unplaced=tuple(
            Source(s.record, labels[s.record], s.text, s.start, s.end) for s in unplaced
        ),
        one_record={s: tuple(b) for s, b in aside.items() if b},
    )


def _suggested_actions(
    sections: dict[str, list[Bullet]], taxonomy: Taxonomy, total: int
) -> list[Bullet]:
    covered = {t for bullet in sections["action"] for t in bullet.themes}
    suggested: list[Bullet] = []
    for worry in sections["worry"]:
        if len(worry.support) < 2 or worry.themes[0] in covered:
            continue
        if set(worry.themes) & covered:
            continue
        theme = taxonomy.get(worry.themes[0]) if worry.themes[0] in taxonomy.slugs else None
        if theme is None:
            continue
        covered.add(theme.slug)
        suggested.append(
            Bullet(
                id=f"action-suggested-{len(suggested) + 1}",
                section="action",
                text=theme.action,
                themes=(theme.slug,),
                support=worry.support,
                sources=(),
                confidence=worry.confidence,
                suggested=True,
                prevalence=worry.prevalence,
            )
        )
    return suggested


def _grades(audit: Audit) -> dict[str, tuple[int, ...]]:
    found: dict[int, str] = {}
    for record in audit.records:
        # A spreadsheet's grade column arrives as a "Graded ..." comment (see ingest_tables).
        for comment in record.comments:
            grade = grade_of(comment.text)
            if grade:
                found[record.ordinal] = grade
                break
    grades: dict[str, list[int]] = {}
    for ordinal, grade in sorted(found.items()):
        grades.setdefault(grade, []).append(ordinal)
    return {grade: tuple(records) for grade, records in grades.items()}


def _sentence(text: str) -> str:
    text = " ".join(text.split()).strip(" -–—;,:")
    # A clause cut from "X is well supported though, ..." keeps a dangling connective.
    text = TRAILING_CONNECTIVE_RE.sub("", text).strip(" -–—;,:")
    text = LEADING_CONNECTIVE_RE.sub("", text)  # "but none of the actions were..."
    return text if text.endswith((".", "!", "?")) else text + "."


def _capitalise(text: str) -> str:
    return text[:1].upper() + text[1:]


def _decapitalise(text: str) -> str:
    if KEEP_CASE_RE.match(text):
        return text
    first = FIRST_WORD_RE.match(text)
    if first and first.group(0).lower() in PROPER_WORDS - {"may"}:
        return text  # "Polish heritage...", "March review..." keep their capital
    return text[:1].lower() + text[1:]
