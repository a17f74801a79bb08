"""Merge near-duplicate statements of one section into findings with exact support.

Similarity mixes wording (TF-IDF cosine), themes (cosine of theme scores) and the
statement's subject (overlap of its first content words: auditors write the subject
first, "strat held same day..." vs "police sharing intel promptly..."), so "chronology
out of date" and "genogram out of date" stay apart while "chrono o/d" and "chronology
not updated since March" merge. Average-linkage clustering within each
section avoids the chaining of single-link components. Support is the set of distinct
records, never a sentence count. A statement naming several themes ("chronology and
genogram both out of date") also supports the findings on its other themes.
"""

from __future__ import annotations

import functools
import operator
import re
from collections import Counter
from collections.abc import Sequence

import numpy as np
from scipy import sparse
from spacy.lang.en.stop_words import STOP_WORDS

from briefing_nlp.confidence import finding_confidence
from briefing_nlp.datatypes import Classification, Finding, Member, Statement
from briefing_nlp.features import normalise
from briefing_nlp.grades import OWN_WORDS, grade_of
from briefing_nlp.settings import Settings
from briefing_nlp.vocabulary import PROPER_WORDS
from briefing_nlp.wording import (
    ONE_RELATIVE_RE,
    PERSON_RE,
    PLACEHOLDER_RE,
    VERDICT_RE,
    finding_wording,
)

WORD_RE = re.compile(r"[A-Za-z][A-Za-z'-]*")
MIN_FINDING_WORDS = 2
# ... unless that one word names practice outright (a theme scored this high).
NAMED_PRACTICE_SCORE = 0.9
COMPONENT_CHUNK = 2000
# Blocks of up to this many statements are clustered without scipy (average_linkage_cut):
# a block this size takes tens of milliseconds that way, less than importing scipy.cluster.
SMALL_CLUSTERING = 300
# Wording that opens like this continues another clause: a poor bullet on its own.
FRAGMENT_START_RE = re.compile(
    r"^(?:and|but|or|so|also|then|mostly|which|though|although|as|it|this|that|these|"
    r"they|he|she|his|her|their|its)\b",
    re.I,
)
# Languages, faiths, nationalities and countries: capitalised, but no one's name. A month
# or a day is one record's date, as particular as a name.
IDENTITY_WORDS = PROPER_WORDS - frozenset(
    """monday tuesday wednesday thursday friday saturday sunday january february march april
    may june july august september october november december jan feb mar apr jun jul aug sep
    sept oct nov dec""".split()
)
# A pronoun standing for something said before the statement: "no evidence that this has
# been raised with the GP".
ANAPHORA_RE = re.compile(
    r"\b(?:that|whether|if)\s+(?:this|it)\s+(?:has|had|is|was|will|would)\b", re.I
)
# Words that open statements without naming what they are about: praise and verdicts,
# and who is asked to act ("TM to protect time" and "TM to record supervision" are about
# time and supervision, not the team manager).
NOT_SUBJECT = STOP_WORDS | frozenset(
    "action actions sw good well clear clearly evidence evident record records recorded "
    "really very excellent strong poor lack lacking limited "
    "team manager social worker independent reviewing officer pa personal adviser advisor "
    "practitioner auditor ensure make sure need needs".split()
)
SUBJECT_WORD_RE = re.compile(r"[a-z][a-z'-]+")
# One record's particulars: "at 32 weeks", "since 2019", "3 months", "x9".
PARTICULAR_RE = re.compile(r"\d+(?:[/.:]\d+)*")
# A second finding after a comma: "no pre-birth plan until 35 wks, no discharge plan".
SECOND_FINDING_RE = re.compile(r",\s*(?:no|nothing|none)\b", re.I)
# A short aside after a dash at the end: "partner not assessed - seen once".
AFTERTHOUGHT_RE = re.compile(r"\s[-–—]\s+\S+(?:\s+\S+){0,2}\s*$")
TOLD_AUDITOR_RE = re.compile(r"\b(?:told|said to|showed|asked)\s+(?:me|us)\b|\bI was told\b", re.I)
SHARED_RE = re.compile(r"\b(shar(e|ed|ing)|example|training|fed back|disseminat\w*)\b", re.I)


def group_findings(
    statements: Sequence[Statement],
    classifications: Sequence[Classification],
    vectors: tuple[sparse.csr_matrix, ...],
    settings: Settings,
) -> tuple[list[Finding], list[Statement]]:
    """Findings for every non-neutral statement, and the statements left unplaced.

    A non-neutral fragment of fewer than two words ("done.") cannot be matched to a
    finding on its own (a lone request that borrowed its finding's subject, "update." after
    "carers assessment out of date", is read with it) and is returned as unplaced for a reviewer.
    """
    findings: list[Finding] = []
    unplaced: list[Statement] = []
    themes = _theme_rows(classifications)
    by_section: dict[str, list[int]] = {}
    for index, classification in enumerate(classifications):
        if classification.section == "neutral":
            continue
        # Placeholders are not words: "Address [ADDRESS], [POSTCODE]" is contact detail.
        # A person is, though: "assess [PERSON 17]" asks for something about someone.
        text = PERSON_RE.sub(" person ", statements[index].worded)
        words = WORD_RE.findall(PLACEHOLDER_RE.sub(" ", text))
        if len(words) < MIN_FINDING_WORDS and not _names_practice(classification):
            unplaced.append(statements[index])
            continue
        by_section.setdefault(classification.section, []).append(index)
    blocks = [
        (section, block)
        for section, indices in by_section.items()
        for block in _blocks(indices, classifications, vectors, settings)
    ]
    measure = _Measure(classifications, vectors, settings, themes)
    for section, indices in blocks:
        similarity = measure.among(indices)
        labels = _cluster(similarity, measure.threshold)
        clusters: dict[int, list[int]] = {}
        for position, label in enumerate(labels):
            clusters.setdefault(int(label), []).append(position)
        groups = [sorted(positions) for positions in clusters.values()]
        groups = _attach_singletons(
            groups, indices, similarity, statements, classifications, settings.attach_similarity
        )
        records = [statements[i].record for i in indices]
        co_members = _co_support(groups, indices, similarity, classifications, records, settings)
        for number, positions in enumerate(groups):
            members = [
                Member(statements[indices[p]], classifications[indices[p]]) for p in positions
            ]
            members += [
                Member(statements[indices[p]], classifications[indices[p]], primary=False)
                for p in co_members.get(number, [])
            ]
            findings.append(_finding(section, members, similarity, positions))
    findings.sort(key=lambda f: (-len(f.support), -f.confidence, f.representative))
    return findings, unplaced


def _names_practice(classification: Classification) -> bool:
    """Whether a one-word statement names a piece of practice outright ("chrono" under
    "Actions:" asks for the chronology), unlike "done." or "update."."""
    return max(classification.theme_scores.values(), default=0.0) >= NAMED_PRACTICE_SCORE


def pairwise_similarity(
    classifications: Sequence[Classification],
    vectors: tuple[sparse.csr_matrix, ...],
    settings: Settings,
) -> tuple[np.ndarray, float]:
    """How alike each pair of statements is, as grouping measures it (wording, themes,
    finding codes, subject and grades), and the cut at which grouping merges them: for
    matching findings across audits (`compare`) by the same rule that made them."""
    measure = _Measure(classifications, vectors, settings, _theme_rows(classifications))
    return measure.among(list(range(len(classifications)))), measure.threshold


def _theme_rows(classifications: Sequence[Classification]) -> np.ndarray:
    """Each statement's theme scores as a unit row (the same theme order for all)."""
    theme_names = sorted({t for c in classifications for t in c.theme_scores})
    themes = np.array([_scores(c.theme_scores, theme_names) for c in classifications])
    # Notes of punctuation alone ("((((") leave no statements: keep the array 2-D.
    themes = themes.reshape(len(classifications), len(theme_names))
    return themes / np.maximum(np.linalg.norm(themes, axis=1, keepdims=True), 1e-9)


class _Measure:
    """Statement similarity for grouping, with what it needs worked out once per batch."""

    def __init__(
        self,
        classifications: Sequence[Classification],
        vectors: tuple[sparse.csr_matrix, ...],
        settings: Settings,
        themes: np.ndarray,
    ) -> None:
        self.classifications = classifications
        self.settings = settings
        self.themes = themes
        self.wording = _wording(vectors, settings.vector_share)
        # Each distinct wording's subject is read once (repeated stock lines are common).
        self.subject = functools.cache(functools.partial(subject_of, size=settings.subject_words))
        codes = vectors[3] if len(vectors) > 3 and vectors[3].shape[1] else None
        if not settings.code_weight:
            codes = None  # codes weighed at 0: grouped as by a model without them
        self.codes = codes
        # Mixing in the codes' agreement lowers every pair that the code model reads as
        # different findings, so the cut is lower too; without codes, the uncoded cut.
        self.threshold = (
            settings.similarity_threshold
            if codes is not None
            else settings.uncoded_similarity_threshold
        )

    def among(self, indices: list[int]) -> np.ndarray:
        """The similarity of every pair of the statements at `indices`."""
        settings, classifications = self.settings, self.classifications
        similarity = _similarity(self.wording, self.themes, indices, settings.text_weight)
        if self.codes is not None:
            # Finding codes (briefing_nlp.codes): paraphrases sharing few words meet when
            # the code model reads them as one recurring finding.
            rows = self.codes[indices]
            agreement = np.clip((rows @ rows.T).toarray(), 0.0, 1.0)
            similarity = (1 - settings.code_weight) * similarity + settings.code_weight * agreement
        if settings.subject_weight:
            subjects = _subject_overlap([self.subject(classifications[i].text) for i in indices])
            similarity = (
                1 - settings.subject_weight
            ) * similarity + settings.subject_weight * subjects
        similarity = _with_grades(similarity, indices, classifications)
        return _apart_by_kind(similarity, [classifications[i].text for i in indices])


def _blocks(
    indices: list[int],
    classifications: Sequence[Classification],
    vectors: tuple[sparse.csr_matrix, ...],
    settings: Settings,
) -> list[list[int]]:
    """Sets of statements small enough to compare pairwise (at most `exact_grouping_limit`).

    An audit's section fits in one set, so grouping is exact. Larger sections (a year of
    audits drafted as one) are split by main theme, then by connected components of the
    sparse graph of near-identical wording, so cost grows close to linearly, not with n².
    """
    limit = settings.exact_grouping_limit
    if len(indices) <= limit:
        return [indices]
    by_theme: dict[str, list[int]] = {}
    for index in indices:
        by_theme.setdefault(main_theme(classifications[index]), []).append(index)
    out: list[list[int]] = []
    for members in by_theme.values():
        if len(members) <= limit:
            out.append(members)
            continue
        texts = [classifications[i].text for i in members]
        # Its own setting: the clustering cut weighs wording, themes and subjects, this
        # one character n-grams alone (it was the clustering cut's value until 2026-12).
        for component in _components(members, texts, vectors[1], settings.blocking_similarity):
            out.extend(component[i : i + limit] for i in range(0, len(component), limit))
    return out


def _components(
    members: list[int], texts: list[str], chars: sparse.csr_matrix, threshold: float
) -> list[list[int]]:
    """Connected components of statements whose wording is at least `threshold` similar,
    from sparse products taken a block of rows at a time (bounded memory).

    Repeated wording is compared once: a thousand copies of one line (a pasted document,
    a form's stock phrase) would otherwise make the product quadratic in the copies.
    """
    keys = [" ".join(t.lower().split()) for t in texts]
    unique: dict[str, int] = {}
    for position, key in enumerate(keys):
        unique.setdefault(key, position)
    firsts = list(unique.values())
    rows = chars[[members[p] for p in firsts]]
    edges_from: list[np.ndarray] = []
    edges_to: list[np.ndarray] = []
    for start in range(0, len(firsts), COMPONENT_CHUNK):
        product = (rows[start : start + COMPONENT_CHUNK] @ rows.T).tocoo()
        keep = product.data >= threshold
        edges_from.append(product.row[keep] + start)
        edges_to.append(product.col[keep])
    graph = sparse.coo_matrix(
        (
            np.ones(sum(len(e) for e in edges_from)),
            (np.concatenate(edges_from), np.concatenate(edges_to)),
        ),
        shape=(len(firsts), len(firsts)),
    )
    # Imported here: only sections too large to compare pairwise get this far, and the
    # import costs every other draft about 0.15 s.
    from scipy.sparse.csgraph import connected_components

    count, labels = connected_components(graph, directed=False)
    label_of = {key: labels[number] for number, key in enumerate(unique)}
    components: list[list[int]] = [[] for _ in range(count)]
    for position, key in enumerate(keys):
        components[label_of[key]].append(members[position])
    return components


def _wording(vectors: tuple[sparse.csr_matrix, ...], vector_share: float) -> sparse.csr_matrix:
    """Content-word, character and domain-vector views side by side, weighted so that one
    product of rows gives a weighted sum of the three similarities.

    Character n-grams forgive "chrono" and typos; content words carry the finding; the
    domain vectors let paraphrases that share few words meet ("dental check missed" and
    "health assessment not done"). Without vectors, 0.3 x words + 0.7 x characters
    separated same-finding pairs best on the labelled packs (ROC AUC 0.98, against 0.96
    for a geometric mean); `vector_share` of the whole goes to the vectors, the rest is
    split as before (see benchmarks/tune_grouping.py). One product instead of several
    keeps grouping's matrix work small on large batches.
    """
    words, chars = vectors[0], vectors[1]
    dense = vectors[2] if len(vectors) > 2 and vectors[2].shape[1] else None
    share = vector_share if dense is not None else 0.0
    blocks = [np.sqrt(0.3 * (1 - share)) * words, np.sqrt(0.7 * (1 - share)) * chars]
    if dense is not None and share:
        blocks.append(np.sqrt(share) * dense)
    return sparse.hstack(blocks, format="csr")


def _similarity(
    wording: sparse.csr_matrix, themes: np.ndarray, indices: list[int], text_weight: float
) -> np.ndarray:
    rows = wording[indices]
    text = (rows @ rows.T).toarray()
    subject = themes[indices] @ themes[indices].T
    return np.clip(text_weight * text + (1 - text_weight) * subject, 0.0, 1.0)


def subject_of(text: str, size: int) -> tuple[str, ...]:
    """The first `size` content words of a statement (shorthand written out, plurals
    folded): "RHIs late on 6 of 9" -> ("return", "home")."""
    words = []
    for word in SUBJECT_WORD_RE.findall(normalise(text)):
        if word in NOT_SUBJECT or word.startswith("ph"):
            continue  # stop words, generic praise, placeholders (phperson...)
        words.append(word[:-1] if len(word) > 3 and word.endswith("s") else word)
        if len(words) == size:
            break
    return tuple(words)


def _scores(scores: dict[str, float], names: list[str]) -> list[float]:
    """The scores in the order of `names` (0 for a missing one), read in one C call."""
    if len(names) < 2:
        return [scores.get(name, 0.0) for name in names]
    try:
        return list(operator.itemgetter(*names)(scores))
    except KeyError:  # a classification without some theme's score
        return [scores.get(name, 0.0) for name in names]


def _subject_overlap(subjects: list[tuple[str, ...]]) -> np.ndarray:
    """Jaccard overlap of every pair of statements' subjects."""
    vocabulary: dict[str, int] = {}
    rows, columns = [], []
    for row, words in enumerate(subjects):
        for word in set(words):
            rows.append(row)
            columns.append(vocabulary.setdefault(word, len(vocabulary)))
    matrix = sparse.csr_matrix(
        (np.ones(len(rows)), (rows, columns)), shape=(len(subjects), max(len(vocabulary), 1))
    )
    shared = (matrix @ matrix.T).toarray()
    sizes = np.asarray(matrix.sum(axis=1)).ravel()
    union = sizes[:, None] + sizes[None, :] - shared
    return np.divide(shared, union, out=np.zeros_like(shared), where=union > 0)


def _with_grades(
    similarity: np.ndarray, indices: list[int], classifications: Sequence[Classification]
) -> np.ndarray:
    """Grades ("Graded good", "RI - fed back") form their own findings, one per grade,
    however they are worded and whatever else the line says."""
    grades = [grade_of(classifications[i].text) for i in indices]
    if not any(grades):
        return similarity
    codes = {grade: number for number, grade in enumerate(sorted(set(grades)))}
    code = np.array([codes[g] for g in grades])
    graded = np.array([bool(g) for g in grades])
    # A pair with a grade on either side is 1 when both record the same grade, else 0.
    either = (graded[:, None] | graded[None, :]) & ~np.eye(len(grades), dtype=bool)
    return np.where(either, (code[:, None] == code[None, :]).astype(float), similarity)


# Documents of different kinds: a pre-birth plan and a discharge plan, a short breaks
# review and a CIN review, a carer's assessment and the child's plan are different
# findings however alike the words around them. Qualifiers in one class name
# the same document ("CIN plan", "care plan", "CP plan" are the child's plan).
KIND_RE = re.compile(
    r"\b(pre-?birth|birth|discharge|safety|contingency|pathway|transitions?|care|cin|cp|"
    r"child protection|child's|short breaks?|respite|carers?'?|carer's|health)\s+"
    r"(plan|assessment|review)s?\b",
    re.I,
)
KIND_CLASSES = {
    "prebirth": "pre-birth",
    "pre-birth": "pre-birth",
    "birth": "birth",
    "discharge": "birth",
    "safety": "safety",
    "contingency": "contingency",
    "pathway": "pathway",
    "transition": "transition",
    "transitions": "transition",
    "care": "child's",
    "cin": "child's",
    "cp": "child's",
    "child protection": "child's",
    "child's": "child's",
    "short break": "short breaks",
    "short breaks": "short breaks",
    "respite": "short breaks",
    "carer": "carers",
    "carers": "carers",
    "carers'": "carers",
    "carer's": "carers",
    "health": "health",
}


# A document is what a statement is about when it opens it: "no discharge plan shared
# with maternity" is about the discharge plan; "she is quoted in the care plan" is not
# about the care plan.
KIND_OPENING_WORDS = 3


# Events of a case's timeline are kinds of their own: a late referral and a late
# conference are two findings ("Referral at 32 weeks, ICPC not until 37 weeks").
EVENT_RE = re.compile(
    r"\b(referrals?|referred|icpcs?|rcpcs?|conferences?|strat(?:egy)? (?:meeting|discussion)s?|"
    r"core groups?)\b",
    re.I,
)
EVENT_CLASSES = {
    "ref": "referral",
    "icp": "conference",
    "rcp": "conference",
    "con": "conference",
    "str": "strategy",
    "cor": "core group",
}


def _kinds(text: str) -> set[tuple[str, str]]:
    """The (document, kind) pairs a statement opens with: {("plan", "birth")} for "no
    discharge plan shared with maternity", {("event", "referral")} for "late referral"."""
    words = list(WORD_RE.finditer(text))
    if not words:
        return set()
    opening = words[min(KIND_OPENING_WORDS, len(words)) - 1].start()
    kinds = {
        (m.group(2).lower(), KIND_CLASSES[" ".join(m.group(1).lower().split())])
        for m in KIND_RE.finditer(text)
        if m.start() <= opening
    }
    kinds |= {
        ("event", EVENT_CLASSES[m.group(1)[:3].lower()])
        for m in EVENT_RE.finditer(text)
        if m.start() <= opening
    }
    return kinds


def _apart_by_kind(similarity: np.ndarray, texts: list[str]) -> np.ndarray:
    """Nil similarity between statements opening with documents of different kinds (a
    cannot-link: grouping, attaching and co-support all read it). A CIN plan and a CIN
    review may be one finding; a pre-birth plan and a CIN review are not."""
    kinds = [{kind for _, kind in _kinds(t)} for t in texts]
    if sum(1 for k in kinds if k) < 2:
        return similarity
    named = _incidence([sorted(k) for k in kinds])
    has = np.array([bool(k) for k in kinds])
    apart = has[:, None] & has[None, :] & ~((named @ named.T) > 0).toarray()
    return np.where(apart, 0.0, similarity)


def _incidence(rows: list[list[str]]) -> sparse.csr_matrix:
    """A 0/1 matrix of which rows hold which strings."""
    vocabulary: dict[str, int] = {}
    cells = [
        (r, vocabulary.setdefault(v, len(vocabulary))) for r, vs in enumerate(rows) for v in vs
    ]
    data = np.ones(len(cells))
    return sparse.csr_matrix(
        (data, ([r for r, _ in cells], [c for _, c in cells])),
        shape=(len(rows), max(len(vocabulary), 1)),
    )


def _cluster(similarity: np.ndarray, threshold: float) -> np.ndarray:
    """Flat clusters of average-linkage clustering, cut where similarity falls below
    `threshold`: one label per statement."""
    if len(similarity) == 1:
        return np.array([1])
    distance = 1.0 - similarity
    np.fill_diagonal(distance, 0.0)
    if len(distance) <= SMALL_CLUSTERING:
        return average_linkage_cut(distance, 1.0 - threshold)
    # Imported here: an audit's sections are clustered above without scipy.cluster, whose
    # import (with scipy.spatial and scipy.special) costs every cold draft about 0.3 s.
    from scipy.cluster.hierarchy import fcluster, linkage
    from scipy.spatial.distance import squareform

    tree = linkage(squareform(distance, checks=False), method="average")
    return fcluster(tree, t=1.0 - threshold, criterion="distance")


def average_linkage_cut(distance: np.ndarray, cut: float) -> np.ndarray:
    """The flat clusters `fcluster(linkage(d, "average"), cut, "distance")` gives, for a
    square distance matrix (its upper triangle read, as scipy's condensed form is).

    scipy's own algorithm, step for step: the nearest-neighbour chain (the previous link
    preferred, then the lowest index, on ties), each merged cluster's distances the
    size-weighted means of its parts; statements end in one cluster when the merges
    joining them are all at most `cut` apart. Following scipy's tie-breaking matters:
    repeated statements with different cannot-link partners tie, and another order of
    merging would cut them differently. A test holds the partitions equal to scipy's.
    """
    upper = np.triu(np.asarray(distance, dtype=float), 1)
    work = upper + upper.T
    n = len(work)
    active = np.ones(n, dtype=bool)
    size = np.ones(n)
    height = np.zeros(n)  # highest merge within each cluster so far
    parent = np.arange(n)  # union-find over the merges within `cut`
    chain: list[int] = []
    for _ in range(n - 1):
        if not chain:
            chain.append(int(np.flatnonzero(active)[0]))
        while True:
            x = chain[-1]
            row = np.where(active, work[x], np.inf)
            row[x] = np.inf
            y = int(np.argmin(row))
            if len(chain) > 1 and not row[y] < work[x, chain[-2]]:
                y = chain[-2]
                break
            chain.append(y)
        chain = chain[:-2]
        x, y = min(x, y), max(x, y)
        level = work[x, y]
        merged = (size[x] * work[x] + size[y] * work[y]) / (size[x] + size[y])
        active[x] = False
        size[y] += size[x]
        work[y, :] = merged
        work[:, y] = merged
        height[y] = max(level, height[x], height[y])
        if height[y] <= cut:
            parent[_root(parent, x)] = _root(parent, y)
    return np.array([_root(parent, i) for i in range(n)]) + 1


def _root(parent: np.ndarray, i: int) -> int:
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = int(parent[i])
    return i


def _attach_singletons(
    groups: list[list[int]],
    indices: list[int],
    similarity: np.ndarray,
    statements: Sequence[Statement],
    classifications: Sequence[Classification],
    threshold: float,
) -> list[list[int]]:
    """Fold a one-record group into the recurring finding it best fits that shares one of
    its themes.

    In a thematic audit the same finding, worded differently in another record, is far
    more common than a genuinely separate one-off finding ("SENCO attends reviews" beside
    "good links with school"); the threshold keeps one-offs that read differently apart.
    Any shared theme (a statement's first two, or its best-scoring one), not only the main
    one, lets a detail join a finding the classifier tagged in another order: on the
    example audits this kept recall and raised precision (0.677 to 0.714).
    """

    def records(group: list[int]) -> set[int]:
        return {statements[indices[p]].record for p in group}

    def themes(group: list[int]) -> set[str]:
        out: set[str] = set()
        for p in group:
            classification = classifications[indices[p]]
            out.update(classification.themes[:2])
            out.add(main_theme(classification))
        return out

    recurring = [g for g in groups if len(records(g)) > 1]
    recurring_themes = [themes(g) for g in recurring]
    result = [list(g) for g in recurring]
    for group in groups:
        if len(records(group)) > 1:
            continue
        best, best_score = None, threshold
        own = themes(group)
        for number, target in enumerate(recurring):
            if records(group) & records(target) or not own & recurring_themes[number]:
                continue
            score = float(similarity[np.ix_(group, target)].mean())
            if score >= best_score:
                best, best_score = number, score
        if best is None:
            result.append(list(group))
        else:
            result[best].extend(group)
    return [sorted(g) for g in result]


def main_theme(classification: Classification) -> str:
    """A statement's main theme: its first predicted theme, else its best-scoring one."""
    if classification.themes:
        return classification.themes[0]
    return max(classification.theme_scores, key=lambda t: classification.theme_scores[t])


def _dominant_theme(classifications: list[Classification]) -> str:
    return Counter(main_theme(c) for c in classifications).most_common(1)[0][0]


def _co_support(
    groups: list[list[int]],
    indices: list[int],
    similarity: np.ndarray,
    classifications: Sequence[Classification],
    records: list[int],
    settings: Settings,
) -> dict[int, list[int]]:
    """Extra members: statements whose other themes are another group's main subject.

    A fragment of one record gets none: support from another record's statement about
    something else made "CP plan", a header fact of one record, a bullet for two.
    """
    dominant = [_dominant_theme([classifications[indices[p]] for p in g]) for g in groups]
    receives = [
        len({records[p] for p in g}) > 1
        or any(_says_something(classifications[indices[p]].text) for p in g)
        for g in groups
    ]
    home = {p: number for number, g in enumerate(groups) for p in g}
    extra: dict[int, list[int]] = {}
    for position, index in enumerate(indices):
        own = classifications[index].themes
        if len(own) < 2:
            continue
        for number, group in enumerate(groups):
            # Any of its themes but its own group's: a statement that clustered by
            # wording with the chronology findings may list genogram first.
            if number == home[position] or dominant[number] not in own or not receives[number]:
                continue
            if dominant[number] == dominant[home[position]]:
                continue
            if similarity[position, group].mean() >= settings.co_support_min_similarity:
                extra.setdefault(number, []).append(position)
    return extra


def _says_something(text: str) -> bool:
    """At least three words with a verdict in them: not a fragment such as "CP plan"."""
    return len(WORD_RE.findall(text)) >= 3 and bool(VERDICT_RE.search(text))


def _finding(
    section: str, members: list[Member], similarity: np.ndarray, positions: list[int]
) -> Finding:
    primary = [m for m in members if m.primary]
    counts = Counter(t for m in primary for t in m.classification.themes)
    main = counts.most_common(1)[0][0] if counts else main_theme(primary[0].classification)
    themes = [main] + [t for t, n in counts.most_common() if t != main and n * 2 >= len(primary)]
    # Rounded so that float noise in the products never decides between equally good
    # members (the earlier one wins a tie).
    cohesion = np.round(similarity[np.ix_(positions, positions)].mean(axis=1), 9)
    several = len({m.statement.record for m in members}) > 1
    best = max(
        range(len(primary)),
        key=lambda i: (
            _wording_score(primary[i].statement.worded, section, several) + cohesion[i],
            -i,
        ),
    )
    similar = similarity[np.ix_(positions, positions)]
    confidence = finding_confidence(section, members, similar, primary[best].statement.worded)
    return Finding(
        section=section,
        themes=tuple(themes),
        members=tuple(members),
        support=tuple(sorted({m.statement.record for m in members})),
        representative=primary[best].statement.worded,
        confidence=round(confidence, 3),
    )


def _wording_score(text: str, section: str, several: bool = False) -> float:
    """How well a statement reads as the bullet's wording: complete, general, clean.

    For several records the wording is judged as the bullet will say it, one record's
    aside and details already dropped (`finding_wording`): "[PERSON 3]'s wishes recorded
    - he was "happy to say bye"" reads "the child's wishes recorded"."""
    score = 0.0
    if several:
        if PLACEHOLDER_RE.search(text):
            # A named child's finding is a poor general bullet; over several records the
            # person becomes a role noun, which reads better than a list with no verdict.
            score -= 0.25
        text = finding_wording(text, 2)
        if OWN_WORDS.search(text):
            # One child's or parent's own words speak for their record; opening with
            # them, the wording says nothing of its own.
            score -= 0.3 if text.lstrip().startswith('"') else 0.1
        if TOLD_AUDITOR_RE.search(text):
            score -= 0.1  # what one person told the auditor
    elif PLACEHOLDER_RE.search(text):
        score -= 0.6
    words = WORD_RE.findall(text)
    if len(words) < 3:
        score -= 0.5
    elif 5 <= len(words) <= 22:
        score += 0.2
    elif len(words) > 30:
        score -= 0.2
    if section != "action" and not VERDICT_RE.search(text):
        score -= 0.3  # "school attendance, sexual health": topics with nothing said
    if FRAGMENT_START_RE.match(text):
        score -= 0.4
    # Capitalised words mid-sentence are usually names or places: less general wording.
    # A language, faith, nationality or day is no name, but over several records still
    # one child's particular ("Dari interpreter booked" for five children).
    capitalised = [w for w in words[1:] if w[0].isupper() and not w.isupper() and len(w) > 2]
    proper = sum(1 for w in capitalised if w.lower() in IDENTITY_WORDS)
    score -= 0.15 * (len(capitalised) - proper)
    if several:
        score -= 0.05 * min(2, proper + sum(1 for w in words[:1] if w.lower() in IDENTITY_WORDS))
        if ANAPHORA_RE.search(text):
            score -= 0.15  # "no evidence that this has been raised": this is elsewhere
    if text.rstrip().endswith("?"):
        score -= 0.3
    if section == "good_practice" and SHARED_RE.search(text):
        score += 0.3  # keep what the auditors said would be shared
    if several:
        # A bullet for several records states the finding, not one record's numbers
        # ("referral at 32 weeks, ICPC not until 37 weeks" for five records) or its
        # list of several things ("chrono to be updated, birth plan to maternity,
        # escalate late referral ..." for a chronology action).
        particulars = PARTICULAR_RE.findall(PLACEHOLDER_RE.sub(" ", text))
        score -= 0.1 * min(2, len(particulars))
        if SECOND_FINDING_RE.search(text):
            score -= 0.15  # two findings in one line: the bullet states one
        breaks = text.count(",") + text.count(";")
        if breaks >= 2:
            score -= 0.15 * (breaks - 1)
        if AFTERTHOUGHT_RE.search(text):
            score -= 0.1  # "not assessed - seen once": one record's aside
        if ONE_RELATIVE_RE.search(text):
            score -= 0.1  # "nan not offered carer's assessment" for six families
    return score
