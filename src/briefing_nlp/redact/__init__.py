"""Redaction: find personal data and replace it with typed placeholders.

One module per part: `patterns` and `identifiers` (pattern recognizers and their
checks), `name_cues` (names the wording around them gives away), `practice_terms` and
`wordlists` (vocabulary that is never personal data; the lists are text files in
`words/`), `lexicon` (what the recognizers know of words), `recognizers` (one interface
for pattern and model recognizers), `engine` (running them and resolving what they
found), `audit` (a whole audit, header included) and `models` (loading the name model).

Names load lazily, so code that only needs a pattern (the review app's checks of typed
text) does not load spaCy.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from briefing_nlp.redact.audit import redact_audit
    from briefing_nlp.redact.engine import Placeholders, Redaction, Redactor
    from briefing_nlp.redact.models import (
        COMMON_WORDS,
        cell_tokenizer,
        load_redactor,
        redactor_for,
        split_cells,
    )
    from briefing_nlp.redact.patterns import Entity
    from briefing_nlp.redact.wordlists import ALLOW

_HOMES = {
    "ALLOW": "wordlists",
    "COMMON_WORDS": "models",
    "Entity": "patterns",
    "Placeholders": "engine",
    "Redaction": "engine",
    "Redactor": "engine",
    "cell_tokenizer": "models",
    "load_redactor": "models",
    "redact_audit": "audit",
    "redactor_for": "models",
    "split_cells": "models",
}
__all__ = [
    "ALLOW",
    "COMMON_WORDS",
    "Entity",
    "Placeholders",
    "Redaction",
    "Redactor",
    "cell_tokenizer",
    "load_redactor",
    "redact_audit",
    "redactor_for",
    "split_cells",
]


def __getattr__(name: str) -> Any:
    if name in _HOMES:
        return getattr(importlib.import_module(f"briefing_nlp.redact.{_HOMES[name]}"), name)
    raise AttributeError(f"module 'briefing_nlp.redact' has no attribute {name!r}")
