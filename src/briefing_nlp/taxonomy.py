"""The practice-theme taxonomy: loaded from TOML, validated, and shared by every stage.

A theme has a stable slug (the label in corpora and models), a display name, a
description, keywords (for the lexicon baseline) and a suggested-action template.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

from briefing_nlp.errors import TaxonomyError

# The section scheme is fixed by the briefing's shape; themes are user-extensible.
SECTIONS = ("strength", "worry", "action", "good_practice", "neutral")
BRIEFING_SECTIONS = SECTIONS[:4]

SLUG_RE = re.compile(r"^[a-z][a-z0-9_]*$")
REQUIRED = ("slug", "name", "description", "keywords", "action")


@dataclass(frozen=True)
class Theme:
    """One practice theme."""

    slug: str
    name: str
    description: str
    keywords: tuple[str, ...]
    action: str
    impact: str = ""  # what a worry on this theme means for children ("Impact: ...")


@dataclass(frozen=True)
class Taxonomy:
    """The ordered set of themes."""

    themes: tuple[Theme, ...]
    source: str

    @property
    def slugs(self) -> tuple[str, ...]:
        return tuple(t.slug for t in self.themes)

    def get(self, slug: str) -> Theme:
        """The theme with this slug.

        Raises:
            TaxonomyError: no theme has that slug.
        """
        for theme in self.themes:
            if theme.slug == slug:
                return theme
        raise TaxonomyError(f"unknown theme {slug!r}; known themes: {', '.join(self.slugs)}")


def _default_text() -> tuple[str, str]:
    ref = resources.files("briefing_nlp") / "data" / "taxonomy.toml"
    return ref.read_text(encoding="utf-8"), str(ref)


def load_taxonomy(path: Path | None = None) -> Taxonomy:
    """Load and validate a taxonomy (the shipped one when `path` is None).

    Raises:
        TaxonomyError: the file is missing, not TOML, or a theme is incomplete or repeated.
    """
    if path is None:
        return _load_default()
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise TaxonomyError(f"{path}: taxonomy file not found; check the path") from None
    except UnicodeDecodeError:
        raise TaxonomyError(f"{path}: taxonomy is not UTF-8 text; re-save it as UTF-8") from None
    return parse_taxonomy(text, str(path))


@lru_cache(maxsize=1)
def _load_default() -> Taxonomy:
    return parse_taxonomy(*_default_text())


def parse_taxonomy(text: str, source: str) -> Taxonomy:
    """Parse taxonomy TOML text; `source` names the file in error messages."""
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise TaxonomyError(f"{source}: not valid TOML ({exc}); fix the file") from None
    entries = data.get("theme")
    if not isinstance(entries, list) or not entries:
        raise TaxonomyError(f"{source}: no [[theme]] entries; add at least one theme")
    themes: list[Theme] = []
    seen: set[str] = set()
    for number, entry in enumerate(entries, start=1):
        where = f"{source}: theme {number}"
        missing = [key for key in REQUIRED if not entry.get(key)]
        if missing:
            raise TaxonomyError(f"{where}: missing {', '.join(missing)}; every theme needs them")
        slug = entry["slug"]
        if not isinstance(slug, str) or not SLUG_RE.match(slug):
            raise TaxonomyError(f"{where}: slug {slug!r} must be lower_snake_case")
        if slug in seen:
            raise TaxonomyError(f"{where}: slug {slug!r} is repeated; slugs must be unique")
        keywords = entry["keywords"]
        if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
            raise TaxonomyError(f"{where}: keywords must be a list of strings")
        seen.add(slug)
        themes.append(
            Theme(
                slug=slug,
                name=str(entry["name"]),
                description=" ".join(str(entry["description"]).split()),
                keywords=tuple(keywords),
                action=" ".join(str(entry["action"]).split()),
                impact=" ".join(str(entry.get("impact", "")).split()),
            )
        )
    return Taxonomy(themes=tuple(themes), source=source)
