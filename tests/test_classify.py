from __future__ import annotations

import json

import pytest

from briefing_nlp.classify import StatementClassifier
from briefing_nlp.evaluate import evaluate_models
from briefing_nlp.settings import Settings
from tests.conftest import CORPUS_DIR, MODEL_DIR

SECTION_FLOOR = 0.90
THEME_FLOOR = 0.85
# The real-language test split (statements written from the inspection reports of 33
# held-out local authorities): the model reached 0.933 and 0.784; floors sit a little
# below (about the bootstrap interval's lower end) so a retrain that loses its hold on
# real language fails here.
REAL_SECTION_FLOOR = 0.92
REAL_THEME_FLOOR = 0.765


def test_shipped_model_meets_the_quality_bars_and_beats_baselines() -> None:
    result = evaluate_models(Settings(model_dir=MODEL_DIR, corpus_dir=CORPUS_DIR))
    model = result["model"]
    assert model["section"]["macro_f1"] >= SECTION_FLOOR
    assert model["themes"]["micro_f1"] >= THEME_FLOOR
    for baseline in result["baselines"].values():
        assert model["section"]["macro_f1"] >= baseline["section"]["macro_f1"] + 0.15
        assert model["themes"]["micro_f1"] >= baseline["themes"]["micro_f1"] + 0.15
    real = result["real"]
    assert real["test_rows"] >= 600
    assert real["model"]["section"]["macro_f1"] >= REAL_SECTION_FLOOR
    assert real["model"]["themes"]["micro_f1"] >= REAL_THEME_FLOOR
    for baseline in real["baselines"].values():
        assert real["model"]["section"]["macro_f1"] >= baseline["section"]["macro_f1"] + 0.15
    for split in (result, real):
        low, high = split["intervals"]["section_macro_f1"]
        assert low <= split["model"]["section"]["macro_f1"] <= high
        low, high = split["intervals"]["theme_micro_f1"]
        assert low <= split["model"]["themes"]["micro_f1"] <= high


def test_bootstrap_intervals_are_seeded_and_widen_with_fewer_rows() -> None:
    from briefing_nlp.corpus import load_corpus
    from briefing_nlp.evaluate import bootstrap_intervals
    from briefing_nlp.taxonomy import load_taxonomy

    taxonomy = load_taxonomy()
    corpus = load_corpus(CORPUS_DIR / "test", taxonomy)
    # A prediction that is right for every other row.
    predictions = [
        (row.section, row.themes) if i % 2 else ("neutral", ()) for i, row in enumerate(corpus.rows)
    ]
    first = bootstrap_intervals(corpus, predictions, taxonomy.slugs)
    assert first == bootstrap_intervals(corpus, predictions, taxonomy.slugs)
    small = type(corpus)(corpus.rows[:60], corpus.files, corpus.sha256)
    narrow = first["section_macro_f1"][1] - first["section_macro_f1"][0]
    wide = bootstrap_intervals(small, predictions[:60], taxonomy.slugs)["section_macro_f1"]
    assert 0 < narrow < wide[1] - wide[0]


def test_model_card_and_meta_record_the_same_figures() -> None:
    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    card = (MODEL_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    model = meta["metrics"]["model"]
    assert f"**{model['section']['macro_f1']}**" in card
    assert f"**{model['themes']['micro_f1']}**" in card
    real = meta["metrics_real"]["model"]
    assert f"**{real['section']['macro_f1']}**" in card
    assert f"**{real['themes']['micro_f1']}**" in card
    assert "Open Government Licence v3.0" in card
    assert meta["corpus"]["train"]["sha256"] in card
    assert model["section"]["macro_f1"] >= SECTION_FLOOR
    assert model["themes"]["micro_f1"] >= THEME_FLOOR


def test_meta_describes_the_corpus_it_was_trained_on() -> None:
    from briefing_nlp.corpus import load_corpus
    from briefing_nlp.taxonomy import load_taxonomy

    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    train = load_corpus(CORPUS_DIR / "train", load_taxonomy())
    assert meta["corpus"]["train"]["sha256"] == train.sha256, "retrain: corpus changed"
    assert meta["corpus"]["train"]["rows"] == len(train.rows)
    assert set(meta["versions"]) >= {"spacy", "scikit_learn", "skops", "python", "briefing_nlp"}


def test_predictions_carry_scores_and_evidence(classifier: StatementClassifier) -> None:
    [result] = classifier.classify(["No formal supervision recorded since March"])
    assert result.section == "worry"
    assert abs(sum(result.section_scores.values()) - 1) < 0.01
    assert set(result.theme_scores) == set(classifier.themes)
    assert result.section_evidence and all(isinstance(t, str) for t in result.section_evidence)
    assert "supervision" in result.theme_evidence
    assert any("supervision" in term for term in result.theme_evidence["supervision"])


def test_neutral_statements_carry_no_themes(classifier: StatementClassifier) -> None:
    [result] = classifier.classify(["14yo, lives with maternal grandparents under an SGO"])
    assert result.section == "neutral"
    assert result.themes == ()


def test_classification_is_deterministic_and_order_independent(
    classifier: StatementClassifier,
) -> None:
    texts = ["chronology out of date", "voice of child clear", "TM to record rationale"]
    first = classifier.classify(texts)
    again = classifier.classify(list(reversed(texts)))
    assert first == list(reversed(again))


def test_empty_input_gives_empty_output(classifier: StatementClassifier) -> None:
    assert classifier.classify([]) == []


def test_model_card_is_what_the_saved_meta_renders_in_label_order() -> None:
    """The shipped card is exactly what meta.json on disk renders, and lists sections and
    themes in the model's label order, though meta.json stores its keys sorted."""
    from briefing_nlp.modelcard import render_model_card

    meta = json.loads((MODEL_DIR / "meta.json").read_text(encoding="utf-8"))
    card = render_model_card(meta)
    assert card == (MODEL_DIR / "MODEL_CARD.md").read_text(encoding="utf-8")
    themes = meta["labels"]["themes"]
    rows = [line.split(" | ")[0].strip("| ") for line in card.splitlines()]
    listed = [row for row in rows if row in themes]
    assert listed[: len(themes)] == themes  # the training table, in taxonomy order
    assert listed != sorted(listed)  # the check can fail: sorted order differs


def test_run_time_settings_override_the_saved_ones(classifier: StatementClassifier) -> None:
    """`evidence_terms` and `theme_fallback_min_score` are honoured at run time, without
    retraining, and the shared loaded model is never changed."""
    from dataclasses import replace

    texts = [
        "Chronology not updated since the ICPC and no genogram on file",
        "Mum's views are clear and the plan reflects them",
    ]
    settings = Settings(model_dir=MODEL_DIR)
    assert classifier.for_settings(settings) is classifier  # same values: no copy
    terse = classifier.for_settings(replace(settings, evidence_terms=1))
    assert all(len(c.section_evidence) <= 1 for c in terse.classify(texts))
    assert any(len(c.section_evidence) > 1 for c in classifier.classify(texts))
    strict = classifier.for_settings(replace(settings, theme_fallback_min_score=1.01))
    assert strict.fallback_min_score == 1.01 and classifier.fallback_min_score != 1.01
    # Short verdicts often clear no theme's threshold: the default fallback gives each
    # its best theme (if that scores 0.2); a fallback that can never fire leaves none.
    texts = ["Some of it was fine", "Poor", "Not great", "Could be better", "Worrying"]
    fell_back = [
        c.text
        for c in classifier.classify(texts)
        if c.themes and all(c.theme_scores[t] < classifier.thresholds[t] for t in c.themes)
    ]
    assert fell_back, "no statement here needed the fallback; pick vaguer ones"
    assert all(not c.themes for c in strict.classify(fell_back))


@pytest.mark.parametrize(
    ("text", "section"),
    [
        # The guidelines' cues decide between a strength and good practice.
        (
            "[PERSON 21] seen on his own using the Fathers assessment tool - really good practice",
            "good_practice",
        ),
        ("visits regular - good practice", "good_practice"),
        ("Lovely direct work, shared with the team as a GP example", "good_practice"),
        # No cue: the model decides.
        ("visits regular and purposeful", "strength"),
        # A cue only settles a strength: it cannot make a worry into good practice.
        ("Chronology out of date and not to the exemplary standard of the team", "worry"),
    ],
)
def test_words_that_single_out_good_practice_decide_against_a_strength(
    classifier: StatementClassifier, text: str, section: str
) -> None:
    assert classifier.classify([text])[0].section == section


@pytest.mark.parametrize(
    ("text", "section"),
    [
        # Asking only that the work described be shared singles it out.
        (
            "IDVA and SW went out together to go through the safety plan; this approach "
            "should be shared with other teams.",
            "good_practice",
        ),
        # Sharing the audit's feedback, or another request, is still an action.
        ("Feedback from this audit to be shared at the next team meeting.", "action"),
        ("SW to update the chronology and share it with the IRO", "action"),
    ],
)
def test_an_action_asking_only_to_share_the_work_is_good_practice(
    classifier: StatementClassifier, text: str, section: str
) -> None:
    assert classifier.classify([text])[0].section == section


@pytest.mark.parametrize(
    ("text", "worry"),
    [
        ("kids wishes & feelings??", True),
        ("Contingency plan?", True),
        # the auditor naming their worry
        ("The big worry is his sleep and nightmares.", True),
        ("My main concern is that mum is drinking again", True),
        # ... or their doubt, first or after a dash
        ("doubt mum could follow it", True),
        ("6 pages of legalese - doubt mum could follow it", True),
        ("Plan reviewed; not convinced it is working", True),
        # ... or a bare count of changes in the child's life
        ("frequent changes of worker", True),
        ("3 placement moves in the last year", True),
        ("He has had three social workers since October.", True),
        ("Third SW since October", True),
        ("5th placement in 2 yrs", True),
        ("frequent changes of worker are a thing of the past", False),
        ("She has had three placements and is now settled well", False),
        ("the third placement plan", False),
        ("Several placements considered", False),
        # a question with a verb or a question word is read as written
        ("does he want support to attend the gurdwara?", False),
        ("Is the chronology up to date?", False),
        ("Contingency needs adding - what happens if mum can't sustain it?", False),
        # a worry statement judged well is about the practice
        ("the worry is clearly set out for mum in the danger statement", False),
    ],
)
def test_a_bare_piece_of_practice_questioned_or_a_named_worry_is_a_worry(
    classifier: StatementClassifier, text: str, worry: bool
) -> None:
    from briefing_nlp.grades import asks_where, names_instability, names_worry

    assert (asks_where(text) or names_worry(text) or names_instability(text)) is worry
    if worry:
        assert classifier.classify([text])[0].section == "worry"


@pytest.mark.parametrize(
    ("text", "denied"),
    [
        ("visits never late", True),
        ("reviews have never been late.", True),
        ("CP visits never missed, even over the Christmas period", True),
        ("child never seen alone", False),
        ("visits never late but always brief", False),
    ],
)
def test_a_fault_that_never_happened_is_a_strength(
    classifier: StatementClassifier, text: str, denied: bool
) -> None:
    from briefing_nlp.grades import denies_fault

    assert denies_fault(text) is denied
    if denied:
        assert classifier.classify([text])[0].section == "strength"


@pytest.mark.parametrize(
    ("text", "norm"),
    [
        (
            "Viability - referral in July, signed off in Sept. 7 weeks for something that "
            "should take days.",
            True,
        ),
        ("Plans reviewed later than they should.", True),
        ("Permanence plan confirmed at the 2nd review as it should be.", True),
        # a request beside the comparison keeps it an action
        ("Ensure children are seen as often as they should be.", False),
        ("SW to visit monthly as it should be.", False),
        ("Chronology should be updated.", False),
    ],
)
def test_a_should_that_measures_against_what_ought_to_happen_is_no_request(
    classifier: StatementClassifier, text: str, norm: bool
) -> None:
    from briefing_nlp.grades import measures_against_norm

    assert measures_against_norm(text) is norm
    section = classifier.classify([text])[0].section
    assert (section != "action") is norm


@pytest.mark.parametrize(
    ("text", "agreed"),
    [
        (
            "It was agreed that the SW will write to dad offering a meeting and will look at "
            "the Caring Dads programme.",
            True,
        ),
        ("Agreed with TM that a strategy discussion will be held", True),
        ("We agreed the chronology is to be updated by Friday", True),
        # an agreement not kept is a worry; a decision about the case is no work agreed
        ("Agreed in March that the SW would update the chronology but it is not done", False),
        ("It was agreed at conference that the children should remain on plans", False),
        ("Staying put agreed to 21 and move-on already being planned", False),
    ],
)
def test_an_action_agreed_for_the_future_is_an_action(
    classifier: StatementClassifier, text: str, agreed: bool
) -> None:
    from briefing_nlp.grades import agreed_action

    assert agreed_action(text) is agreed
    if agreed:
        assert classifier.classify([text])[0].section == "action"


@pytest.mark.parametrize(
    ("text", "asked"),
    [
        ("Practitioners are reminded to upload strategy discussion minutes within 48 hours", True),
        ("All staff are expected to complete the domestic abuse training by March", True),
        ("Workers are advised to see children alone on every visit", True),
        ("Team managers will be asked to review every case open for two years", True),
        ("Teams are to ensure that case summaries are updated at each transfer point", True),
        # the auditor's wish is a request too; what they expected and did not see is not
        ("Auditors would like to see more evidence of direct work on the child's file", True),
        ("Would like to see dad's views recorded", True),
        ("The auditor would have expected to see a strategy discussion", False),
        # a request made in the past is reported, kept or not; a parent is no workforce
        ("SW was asked to update the chronology in March but it is still not done", False),
        ("Practitioners were reminded at the team meeting to record visits within 24 hours", False),
        ("Mum is expected to attend the conference", False),
        ("Staff are to be commended for their persistence with dad", False),
    ],
)
def test_a_request_put_to_the_workforce_in_the_passive_is_an_action(
    classifier: StatementClassifier, text: str, asked: bool
) -> None:
    from briefing_nlp.grades import asked_of_workforce

    assert asked_of_workforce(text) is asked
    if asked:
        result = classifier.classify([text])[0]
        assert result.section == "action" and result.themes


@pytest.mark.parametrize(
    ("text", "challenge"),
    [
        ("Compliance with visiting timescales remains a challenge", True),
        ("Recording of supervision is an area for development", True),
        ("Sibling contact continues to be an issue for this family", True),
        # the action agreed on it, a past challenge and praise are read as written
        ("Engaging dad has been a challenge - SW to try an evening visit", False),
        ("Visiting timescales were a challenge last year", False),
        ("Chronologies are no longer an issue", False),
    ],
)
def test_a_practice_called_a_challenge_is_a_worry(
    classifier: StatementClassifier, text: str, challenge: bool
) -> None:
    from briefing_nlp.grades import calls_a_challenge

    assert calls_a_challenge(text) is challenge
    if challenge:
        assert classifier.classify([text])[0].section == "worry"


@pytest.mark.parametrize(
    ("text", "result"),
    [
        ("Dad tested positive for cocaine on the last hair strand test", True),
        ("Hair strand positive for cannabis", True),
        ("cannabis still positive at a lower level", True),
        # other things called positive are judged as written
        ("Paternal grandparents' viability came back positive", False),
        ("Positive relationship with her carers", False),
        ("Mum positive about her referral to drug services", False),
        ("Drug and alcohol worker positive about mum's progress", False),
    ],
)
def test_a_positive_test_result_is_no_strength(
    classifier: StatementClassifier, text: str, result: bool
) -> None:
    from briefing_nlp.grades import reports_positive_test

    assert reports_positive_test(text) is result
    if result:
        assert classifier.classify([text])[0].section in ("worry", "neutral")


@pytest.mark.parametrize(
    ("text", "singled_out"),
    [
        ("Plan written with her. Really good - share with the CLA health team", True),
        ("Safety plan done jointly. Lovely example, share at team meeting", True),
        ("Book made with her. Lovely piece of work - share at team mtg", True),
        ("Family plan agreed at the FGC. Really good, use as example at the forum", True),
        # Sharing with no praise is feedback; praise alone is a strength; a grade is a grade.
        ("Chronology up to date. Share the findings with the team", False),
        ("Really good - share with the CLA health team", False),
        ("Graded outstanding. Share with team as an example", False),
    ],
)
def test_a_closing_sentence_of_praise_and_sharing_singles_out_the_work(
    text: str, singled_out: bool
) -> None:
    from briefing_nlp.grades import singles_out

    assert singles_out(text) is singled_out


@pytest.mark.parametrize(
    ("text", "section"),
    [
        ("Graded RI, fb given to SW and TM", "worry"),
        ("Requires improvement - fed back to SW", "worry"),
        ("Graded good, feedback given to SW", "strength"),
        ("A good record overall.", "strength"),
        # no single grade of the record: read as written
        ("Graded requires improvement on first audit, good on re-audit.", ""),
        ("The service was judged inadequate in 2019", ""),
        ("good chronology", ""),
    ],
)
def test_a_records_grade_decides_between_strength_and_worry(
    classifier: StatementClassifier, text: str, section: str
) -> None:
    """The guidelines' rule, applied by `classify` as by `draft`: a grade with its
    feedback was read as a strength for the feedback ("Graded RI, fb given ...")."""
    from briefing_nlp.grades import record_grade_section

    assert record_grade_section(text) == section
    if section:
        assert classifier.classify([text])[0].section == section


@pytest.mark.parametrize(
    ("text", "asks"),
    [
        (
            "Supervision notes are a list of tasks; no reflection on why the plan isn't "
            "working. TM to use supervision to test progress against the plan.",
            True,
        ),
        ("why did this drift for 6 mths? SW + TM to reflect on it in supervision", True),
        ("low mood + SH disclosed at school -> SW to refer to CAMHS", True),
        ("Young carer assessment is generic - SW to revisit it with her", True),
        # a parent's part quoted from a plan, or a request reported, is no agreed action
        ("CIN plan generic - 'mum to engage with services', no timescales", False),
        ("SW was asked to update the chronology in March, still not done", False),
        ("Chronology two years out of date", False),
    ],
)
def test_a_finding_with_a_practitioners_action_after_it_is_an_action(
    classifier: StatementClassifier, text: str, asks: bool
) -> None:
    from briefing_nlp.grades import asks_after_finding

    assert asks_after_finding(text) is asks
    if asks:
        assert classifier.classify([text])[0].section == "action"


def test_the_models_read_feature_blocks_as_they_read_the_stacked_rows(
    classifier: StatementClassifier,
) -> None:
    """`classify` multiplies the word, character and vector blocks without stacking
    them; the probabilities are those of the stacked rows `classify_with_vectors`
    returns, to rounding."""
    import numpy as np

    from briefing_nlp.features import extract_features

    texts = [
        "Chronology out of date - SW to update before the review",
        "No evidence of drift; plan reviewed on time",
        "Really good direct work with [CHILD A], share at team meeting",
        "Mum has learning needs; consider an advocate",
    ]
    features = extract_features(classifier.nlp, texts)
    blocks = classifier._blocks(features)
    stacked = classifier.transform(features)
    for linear in (classifier.section_linear, classifier.theme_linear):
        assert np.allclose(linear.proba(blocks), linear.proba(stacked), atol=1e-12)
    alone = classifier.classify(texts, evidence=False)
    with_rows, rows = classifier.classify_with_vectors(texts, evidence=False)
    assert rows.shape == (len(texts), classifier.feature_count)
    assert alone == with_rows


@pytest.mark.parametrize(
    ("text", "section"),
    [
        # A child's own words are their view, not an action agreed...
        (
            "Connor's view recorded: \"I just want to be left alone, I'll go to the EH group "
            'if I have to."',
            "strength",
        ),
        (
            "Mo's wishes and feelings are all through the notes, he said \"I want to be safe "
            'and study to be a doctor".',
            "strength",
        ),
        # ... while an action that quotes someone stays one.
        ('SW to tell mum "we will help you with the school run"', "action"),
    ],
)
def test_quoted_words_of_a_child_or_parent_do_not_make_an_action(
    classifier: StatementClassifier, text: str, section: str
) -> None:
    result = classifier.classify([text])[0]
    assert result.section == section
    assert max(result.section_scores, key=result.section_scores.__getitem__) == section
