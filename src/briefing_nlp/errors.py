"""Errors a user can fix, in one tree; the CLI and web layers turn them into one line.

    BriefingError            base: anything the user can put right
    ├── ConfigError          a settings file or option value is wrong
    ├── TaxonomyError        the theme taxonomy file is malformed
    ├── CorpusError          a labelled corpus file or row is wrong
    ├── ModelError           model artifacts are missing, damaged or untrusted
    ├── InputError           notes or statements given to a command are unusable
    │   └── NotFoundError    the draft a request names does not exist (404 in the web app)
    ├── StorageError         the review database cannot be opened, read or written
    └── TemplateError        a user template cannot be loaded or rendered

The web app maps these types, never their messages, to status codes.

Bugs are never wrapped in these: a traceback from anything else is a bug to report.
"""

from __future__ import annotations


class BriefingError(Exception):
    """Base for errors the user can fix; the message says what and how."""


class ConfigError(BriefingError):
    """A setting has a bad value or a settings file cannot be read."""


class TaxonomyError(BriefingError):
    """The theme taxonomy file is missing, malformed or inconsistent."""


class CorpusError(BriefingError):
    """A corpus file or row is invalid; messages read `file:line: field: problem`."""


class ModelError(BriefingError):
    """Model artifacts are missing, from another version, damaged or untrusted."""


class InputError(BriefingError):
    """Input given to a command cannot be used."""


class NotFoundError(InputError):
    """The draft a command or request names does not exist (deleted, or never made)."""


class StorageError(BriefingError):
    """The review database cannot be opened, read or written (locked, read-only, damaged,
    or made by a newer version)."""


class TemplateError(BriefingError):
    """A template cannot be found, loaded or rendered."""
