import pytest

from briefing_nlp.features import build_nlp, extract_features, normalise

NLP = build_nlp()


def analyse(text: str) -> list[str]:
    return extract_features(NLP, [text]).analysed[0].split()


@pytest.mark.parametrize(
    ("text", "present", "absent"),
    [
        ("no evidence of supervision", ["NEG", "NEG_supervision", "supervision"], []),
        ("supervision evident, not recorded", ["supervision", "NEG_record"], ["NEG_supervision"]),
        ("chronology wasn't updated but the genogram is", ["NEG_update"], ["NEG_genogram"]),
        ("no concerns about supervision", ["DOUBLE_NEG", "supervision"], ["NEG_supervision"]),
        ("not consistently recorded", ["HEDGE"], []),
        ("visits mostly in timescale", ["HEDGE", "intimescale"], []),
        ("chronology out of date", ["outofdate"], ["date"]),
        ("chrono o/d", ["outofdate"], []),
        ("genogram up-to-date", ["uptodate"], []),
        ("SW to update chronology", ["FIRST_sw"], []),
        ("[CHILD A]'s views captured", ["phperson"], ["child"]),
        ("seen on [DATE] at home", ["phdate"], []),
        ("no-one followed up the plan", ["NEG", "NEG_plan"], []),
        ("RHIs late", ["return", "home", "interview"], ["rhis"]),
        ("strat held within 24hrs", ["strategy", "hour"], ["strat"]),
    ],
)
def test_feature_markers(text: str, present: list[str], absent: list[str]) -> None:
    tokens = analyse(text)
    for token in present:
        assert token in tokens, tokens
    for token in absent:
        assert token not in tokens, tokens


def test_negation_scope_stops_at_clause_boundary() -> None:
    tokens = analyse("no genogram, chronology good")
    assert "NEG_genogram" in tokens
    assert "NEG_chronology" not in tokens and "NEG_good" not in tokens


def test_numbers_are_folded() -> None:
    assert "0" in analyse("referral at 32 weeks")


def test_normalise_keeps_placeholders_as_tokens() -> None:
    assert normalise("[PARENT 1] and [SCHOOL]").split() == ["phperson", "and", "phorg"]
