from pathlib import Path

import pytest

from briefing_nlp.errors import TaxonomyError
from briefing_nlp.taxonomy import load_taxonomy, parse_taxonomy

DESIGN_THEMES = [
    "chronology",
    "genogram",
    "supervision",
    "management_oversight",
    "voice_of_child",
    "direct_work",
    "multi_agency",
    "assessment",
    "planning",
    "practice_model",
    "recording",
    "risk_safeguarding",
    "visits_timeliness",
    "identity_diversity",
    "workforce_learning",
    "child_needs",
    "family_engagement",
]


def test_shipped_taxonomy_has_the_design_themes_in_order() -> None:
    taxonomy = load_taxonomy()
    assert list(taxonomy.slugs) == DESIGN_THEMES
    for theme in taxonomy.themes:
        assert theme.name and len(theme.description) > 60 and theme.keywords and theme.action


def test_a_user_can_add_a_theme(tmp_path: Path) -> None:
    text = Path(load_taxonomy().source).read_text(encoding="utf-8") + (
        '\n[[theme]]\nslug = "housing"\nname = "Housing"\n'
        'description = "Housing and homelessness."\nkeywords = ["housing"]\n'
        'action = "Refer to housing."\n'
    )
    path = tmp_path / "taxonomy.toml"
    path.write_text(text, encoding="utf-8")
    assert load_taxonomy(path).slugs[-1] == "housing"


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("", "no [[theme]]"),
        ("[[theme]]\nslug = 'x'\n", "missing"),
        (
            "[[theme]]\nslug='Bad Slug'\nname='n'\ndescription='d'\nkeywords=['k']\naction='a'",
            "lower_snake_case",
        ),
        (
            "[[theme]]\nslug='a'\nname='n'\ndescription='d'\nkeywords=['k']\naction='a'\n" * 2,
            "repeated",
        ),
        ("[[theme]\n", "not valid TOML"),
    ],
)
def test_bad_taxonomy_is_refused_with_a_reason(text: str, problem: str) -> None:
    with pytest.raises(TaxonomyError, match=problem.replace("[", r"\[")):
        parse_taxonomy(text, "t.toml")


def test_missing_taxonomy_file(tmp_path: Path) -> None:
    with pytest.raises(TaxonomyError, match="not found"):
        load_taxonomy(tmp_path / "nope.toml")
