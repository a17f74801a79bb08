"""The house plan's layering: the modules that read and write stored briefings load no
model libraries, so `feedback export`, `review export` and the store answer at once."""

from __future__ import annotations

import subprocess
import sys

import pytest

LIGHT = [
    "briefing_nlp.datatypes",
    "briefing_nlp.wording",
    "briefing_nlp.vocabulary",
    "briefing_nlp.store",
    "briefing_nlp.render",
    "briefing_nlp.counts",
    "briefing_nlp.feedback",
    "briefing_nlp.review_export",
]
HEAVY = ["spacy", "scipy", "sklearn", "thinc"]


@pytest.mark.parametrize("module", LIGHT)
def test_reading_stored_briefings_loads_no_model_library(module: str) -> None:
    code = f"import sys, {module}\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "", f"{module} loads {result.stdout.strip()}"


def test_compose_still_offers_the_briefing_types() -> None:
    """Code that found the types and wording in `compose` (as drafting always has) still
    does; they are the same objects."""
    from briefing_nlp import compose, datatypes, wording

    assert compose.Briefing is datatypes.Briefing
    assert compose.Bullet is datatypes.Bullet
    assert compose.bullet_text is wording.bullet_text
