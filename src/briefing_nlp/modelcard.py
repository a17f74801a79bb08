"""Generate MODEL_CARD.md from meta.json, so the card never disagrees with the model."""

from __future__ import annotations

from typing import Any

import jinja2

_ENV = jinja2.Environment(
    loader=jinja2.PackageLoader("briefing_nlp", "templates"),
    autoescape=False,  # Markdown, not HTML; meta.json is written by `train`, not users
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
    undefined=jinja2.StrictUndefined,
)


def _in_order(mapping: dict[str, Any], order: list[str]) -> list[tuple[str, Any]]:
    """A mapping's items in the model's label order, then any others: meta.json is
    written with sorted keys, and a card rendered from the file (after `train --pii` or
    the ablation) must list sections and themes as one written from memory does."""
    known = [(k, mapping[k]) for k in order if k in mapping]
    return known + [(k, v) for k, v in mapping.items() if k not in order]


_ENV.filters["in_order"] = _in_order


def render_model_card(meta: dict[str, Any]) -> str:
    """The model card's Markdown for a model's meta.json content."""
    return _ENV.get_template("model_card.md.j2").render(meta=meta)
