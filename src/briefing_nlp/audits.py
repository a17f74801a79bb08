"""An audit as the user names it for `compare` and `programme`: a notes file (drafted now,
redacted as any draft) or the number of a draft stored in the review database (as
reviewed so far: rejected bullets left out, edits kept)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from briefing_nlp.datatypes import Briefing
from briefing_nlp.errors import InputError
from briefing_nlp.settings import Settings


def load_briefings(
    names: list[str], db: Path | None, settings: Settings, classifier: Any
) -> list[Briefing]:
    """Each named audit as a briefing, in the order named.

    Raises:
        InputError: a name is neither a notes file nor a stored draft's number, or the
            notes cannot be read.
        NotFoundError: a stored draft does not exist.
    """
    from briefing_nlp.draft import draft_briefing

    store = None
    briefings = []
    try:
        for name in names:
            path = Path(name)
            if path.exists():
                briefings.append(draft_briefing([path], settings=settings, classifier=classifier))
            elif name.isdigit():
                if store is None:
                    from briefing_nlp.review_export import existing_store

                    store = existing_store(db, settings.prevalence_scale)
                from briefing_nlp.store import to_briefing

                briefings.append(to_briefing(store.draft(int(name))))
            else:
                raise InputError(
                    f"{name}: not a notes file or a stored draft's number; give a file of "
                    "notes or a number from `briefing-nlp review list`"
                )
    finally:
        if store is not None:
            store.close()
    return briefings
