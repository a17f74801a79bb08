"""briefing-nlp: draft "Learning from Audits" briefings from auditor notes, offline."""

from __future__ import annotations

__version__ = "0.1.0"

__all__ = ["__version__"]
