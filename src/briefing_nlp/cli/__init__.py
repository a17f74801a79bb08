"""The `briefing-nlp` command: one module per command group, thin shells over the library.

`common` holds the Typer app, its global options and the helpers every command shares;
`models` (classify, train, train-vectors, evaluate), `notes` (draft, redact), `review`
(serve, review, feedback) and `cycles` (compare, programme) register their commands on it
when imported, here, in the order `--help` lists them. No command module imports another.
"""

from __future__ import annotations

from briefing_nlp.cli.startup import defer_unused_imports, skip_final_collection

# Before any command imports spaCy or numpy (they do so lazily, inside the commands), and
# before any library registers an exit handler.
defer_unused_imports()
skip_final_collection()

from briefing_nlp.cli import cycles, models, notes, review  # noqa: E402, F401  (registers the commands)
from briefing_nlp.cli.common import app  # noqa: E402

__all__ = ["app"]
