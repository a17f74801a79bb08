"""briefing-nlp: draft "Learning from Audits" briefings from auditor notes, offline.

The public Python API is `__all__` (the README's "From Python" shows it in use). Names
load on first use: `import briefing_nlp` alone loads no model library, so tools that only
read stored briefings (the review store, `feedback export`) stay fast.
"""

from __future__ import annotations

import importlib
from typing import Any

__version__ = "0.1.0"

# Public name -> the module that defines it. tests/test_public_api.py fails when this
# drifts from what the modules offer or from the README's list.
_EXPORTS = {
    "draft_briefing": "briefing_nlp.draft",
    "render_briefing": "briefing_nlp.render",
    "briefing_to_json": "briefing_nlp.render",
    "classify_statements": "briefing_nlp.classify",
    "StatementClassifier": "briefing_nlp.classify",
    "Classification": "briefing_nlp.classify",
    "train_models": "briefing_nlp.train",
    "load_redactor": "briefing_nlp.redact",
    "Briefing": "briefing_nlp.datatypes",
    "Bullet": "briefing_nlp.datatypes",
    "Source": "briefing_nlp.datatypes",
    "Settings": "briefing_nlp.settings",
    "BriefingError": "briefing_nlp.errors",
}

__all__ = ["__version__", *_EXPORTS]


def __getattr__(name: str) -> Any:
    if name not in _EXPORTS:
        raise AttributeError(f"module 'briefing_nlp' has no attribute {name!r}")
    value = getattr(importlib.import_module(_EXPORTS[name]), name)
    globals()[name] = value  # later look-ups skip this function
    return value


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))
